#include "comptoir/ui/bidi.hpp"

#include "comptoir/domain/text.hpp"
#include "comptoir/ui/widgets.hpp"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <fribidi.h>
#include <unordered_map>
#include <vector>

namespace comptoir::ui {

namespace {

constexpr std::size_t kMaxLineCodePoints = 4096; // a longer line is drawn unshaped rather than cut
constexpr std::size_t kMaxCached = 4096;

std::u32string toUtf32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = 0;
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        if (i + n > s.size()) break;
        cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string toUtf8(const std::u32string& s) {
    std::string out;
    out.reserve(s.size() * 2);
    for (char32_t c : s) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

bool isRtlCodePoint(char32_t c) {
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

/// FriBidi on one line: shaped and in visual order. A line with a right-to-left letter is a
/// right-to-left paragraph; one without ("A+", a French offer title) stays left to right, so
/// its trailing "+" or "?" does not jump to the other end.
bool visualOrder(std::u32string& u) {
    const auto n = static_cast<FriBidiStrIndex>(u.size());
    if (u.empty()) return true;
    std::vector<FriBidiCharType> types(u.size());
    std::vector<FriBidiBracketType> brackets(u.size());
    std::vector<FriBidiLevel> levels(u.size());
    std::vector<FriBidiArabicProp> joining(u.size());
    auto* chars = reinterpret_cast<FriBidiChar*>(u.data()); // both are 32-bit code points
    fribidi_get_bidi_types(chars, n, types.data());
    fribidi_get_bracket_types(chars, n, types.data(), brackets.data());
    FriBidiParType base = std::any_of(u.begin(), u.end(), isRtlCodePoint) ? FriBidiParType(FRIBIDI_PAR_RTL)
                                                                          : FriBidiParType(FRIBIDI_PAR_LTR);
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0)
        return false;
    fribidi_get_joining_types(chars, n, joining.data());
    fribidi_join_arabic(types.data(), n, levels.data(), joining.data());
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, joining.data(), chars);
    if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, types.data(), n, 0, base, levels.data(), chars,
                             nullptr) == 0)
        return false;
    // A lam-alef ligature leaves a zero-width filler where the alef was, and the direction marks
    // and isolates a translation may hold ("⁦{start} – {end}⁩": a time range stays left to right
    // in an Arabic sentence) have done their work: none of them is drawn.
    std::erase_if(u, [](char32_t c) {
        return c == 0xFEFF || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
               (c >= 0x2066 && c <= 0x2069);
    });
    return true;
}

} // namespace

bool hasRtl(std::string_view text) {
    auto u = toUtf32(text);
    return std::any_of(u.begin(), u.end(), isRtlCodePoint);
}

std::string visualRtlLine(std::string_view logical) {
    if (logical.empty() || !isValidUtf8(logical)) return std::string(logical);
    auto u = toUtf32(logical);
    if (u.size() > kMaxLineCodePoints || !visualOrder(u)) return std::string(logical);
    return toUtf8(u);
}

std::string mirroredLine(std::string_view logical) {
    if (logical.empty() || !isValidUtf8(logical)) return std::string(logical);
    auto u = toUtf32(logical);
    if (u.size() <= kMaxLineCodePoints && !visualOrder(u)) return std::string(logical);
    std::reverse(u.begin(), u.end());
    return toUtf8(u);
}

const char* shown(bool rtl, const std::string& text) {
    if (!rtl) return text.c_str();
    // Drawn every frame: the same few hundred lines come back again and again.
    static thread_local std::unordered_map<std::string, std::string> cache;
    if (auto it = cache.find(text); it != cache.end()) return it->second.c_str();
    if (cache.size() >= kMaxCached) cache.clear();
    return cache.emplace(text, mirroredLine(text)).first->second.c_str();
}

namespace {

/// Records a drawn text for `expect` where any of it is visible: inside the draw list's clip
/// rectangle (a scrolled panel, the screen) and `clip`. Text scrolled out of view is not on screen.
void recordDrawn(ImDrawList* dl, const std::string& text, ImVec2 min, ImVec2 max, const ImVec4* clip) {
    WidgetRegistry* reg = WidgetRegistry::drawing();
    if (!reg || text.empty()) return;
    ImVec2 cmin = dl->GetClipRectMin(), cmax = dl->GetClipRectMax();
    if (clip) {
        cmin = ImVec2(std::max(cmin.x, clip->x), std::max(cmin.y, clip->y));
        cmax = ImVec2(std::min(cmax.x, clip->z), std::min(cmax.y, clip->w));
    }
    if (max.x <= cmin.x || min.x >= cmax.x || max.y <= cmin.y || min.y >= cmax.y) return;
    reg->recordText(text, min, max);
}

} // namespace

namespace {

/// Cuts `text` into lines the way addText draws them on a right-to-left screen (in reading
/// order, with Dear ImGui's own word wrap) and hands each prepared line to `line`.
template <class Line>
void eachRtlLine(ImFont* font, float size, const std::string& text, float wrapWidth, Line&& line) {
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
        const char* cut =
            wrapWidth > 0 ? font->CalcWordWrapPositionA(size / font->FontSize, s, end, wrapWidth) : end;
        const char* nl = static_cast<const char*>(std::memchr(s, '\n', static_cast<std::size_t>(cut - s)));
        if (nl) cut = nl;
        if (cut == s) cut = s + 1; // a word wider than the line: at least one byte moves on
        while (cut < end && (*cut & 0xC0) == 0x80)
            ++cut; // never split a UTF-8 sequence
        line(shown(true, std::string(s, cut)));
        s = cut;
        while (s < end && (*s == ' ' || *s == '\n'))
            ++s;
    }
}

} // namespace

ImVec2 measureText(bool rtl, ImFont* font, const std::string& text, float wrapWidth, float fontSize) {
    const float size = fontSize > 0 ? fontSize : font->FontSize;
    if (!rtl) return font->CalcTextSizeA(size, FLT_MAX, wrapWidth, text.c_str());
    float widest = 0, height = 0;
    eachRtlLine(font, size, text, wrapWidth, [&](const char* drawn) {
        widest = std::max(widest, font->CalcTextSizeA(size, FLT_MAX, 0, drawn).x);
        height += size;
    });
    return ImVec2(widest, std::max(height, size));
}

float addCentredText(ImDrawList* dl, bool rtl, ImFont* font, float centreX, float y, ImU32 colour,
                     const std::string& text, float wrapWidth) {
    const float width = measureText(rtl, font, text, wrapWidth).x;
    return addText(dl, rtl, font, ImVec2(centreX - width * 0.5f, y), colour, text, wrapWidth);
}

float addText(ImDrawList* dl, bool rtl, ImFont* font, ImVec2 pos, ImU32 colour, const std::string& text,
              float wrapWidth, const ImVec4* clip, float fontSize) {
    const float size = fontSize > 0 ? fontSize : font->FontSize;
    if (!rtl) {
        dl->AddText(font, size, pos, colour, text.c_str(), nullptr, wrapWidth, clip);
        ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, wrapWidth, text.c_str());
        recordDrawn(dl, text, pos, ImVec2(pos.x + ts.x, pos.y + ts.y), clip);
        return ts.y;
    }
    float y = pos.y;
    float widest = 0;
    eachRtlLine(font, size, text, wrapWidth, [&](const char* drawn) {
        widest = std::max(widest, font->CalcTextSizeA(size, FLT_MAX, 0, drawn).x);
        dl->AddText(font, size, ImVec2(pos.x, y), colour, drawn, nullptr, 0, clip);
        y += size;
    });
    const float height = std::max(y - pos.y, size);
    recordDrawn(dl, text, pos, ImVec2(pos.x + widest, pos.y + height), clip);
    return height;
}

void textItem(bool rtl, const std::string& text, float wrapWidth) {
    ImFont* font = ImGui::GetFont();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float h = addText(ImGui::GetWindowDrawList(), rtl, font, pos, ImGui::GetColorU32(ImGuiCol_Text), text,
                      wrapWidth);
    ImGui::Dummy(ImVec2(font->CalcTextSizeA(font->FontSize, FLT_MAX, wrapWidth, shown(rtl, text)).x, h));
}

} // namespace comptoir::ui
