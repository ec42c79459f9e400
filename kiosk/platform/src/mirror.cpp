// Mirroring a finished Dear ImGui frame for right-to-left languages (see ui/bidi.hpp and
// docs/languages.md): the layout is mirrored, the glyphs are not.

#include "comptoir/platform/platform.hpp"

#include <cfloat>
#include <imgui.h>
#include <utility>

namespace comptoir::platform {

namespace {

/// True when indices [i, i+6) are one quad drawn the way ImFont::RenderText and PrimRectUV
/// draw a glyph or an image: (a, a+1, a+2, a, a+2, a+3), corners top-left, top-right,
/// bottom-right, bottom-left, with a texture that really varies across it.
bool isTexturedQuad(const ImDrawList& list, int i, unsigned vtxOffset, unsigned& first) {
    const auto& idx = list.IdxBuffer;
    if (i + 6 > idx.Size) return false;
    const unsigned a = idx[i];
    if (idx[i + 1] != a + 1 || idx[i + 2] != a + 2 || idx[i + 3] != a || idx[i + 4] != a + 2 ||
        idx[i + 5] != a + 3)
        return false;
    first = vtxOffset + a; // indices count from the command's vertex offset (meshes past 64K vertices)
    if (first + 4 > static_cast<unsigned>(list.VtxBuffer.Size)) return false;
    const ImDrawVert* v = &list.VtxBuffer[static_cast<int>(first)];
    return v[0].pos.y == v[1].pos.y && v[1].pos.x == v[2].pos.x && v[2].pos.y == v[3].pos.y &&
           v[3].pos.x == v[0].pos.x && v[0].uv.x == v[3].uv.x && v[1].uv.x == v[2].uv.x &&
           v[0].uv.x != v[1].uv.x;
}

} // namespace

void mirrorDrawData(ImDrawData* data) {
    if (!data || !data->Valid) return;
    const float axis = 2 * data->DisplayPos.x + data->DisplaySize.x; // x' = axis - x
    for (int n = 0; n < data->CmdListsCount; ++n) {
        ImDrawList& list = *data->CmdLists[n];
        for (auto& v : list.VtxBuffer)
            v.pos.x = axis - v.pos.x;
        for (auto& cmd : list.CmdBuffer) {
            float x1 = cmd.ClipRect.x, x2 = cmd.ClipRect.z;
            cmd.ClipRect.x = axis - x2;
            cmd.ClipRect.z = axis - x1;
        }
        // Each glyph moved to its mirrored place but would read backwards: swap its texture
        // columns back. Walks the index buffer by triangles; a vertex belongs to one quad.
        for (const auto& cmd : list.CmdBuffer) {
            const int begin = static_cast<int>(cmd.IdxOffset), end = begin + static_cast<int>(cmd.ElemCount);
            for (int i = begin; i + 6 <= end;) {
                unsigned first = 0;
                if (!isTexturedQuad(list, i, cmd.VtxOffset, first)) {
                    i += 3;
                    continue;
                }
                ImDrawVert* v = &list.VtxBuffer[static_cast<int>(first)];
                std::swap(v[0].uv.x, v[1].uv.x);
                std::swap(v[3].uv.x, v[2].uv.x);
                i += 6;
            }
        }
    }
}

void flipMouseX(float displayWidth) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.MousePos.x > -FLT_MAX / 2) io.MousePos.x = displayWidth - io.MousePos.x;
}

} // namespace comptoir::platform
