#include "comptoir/platform/raster.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <imgui.h>
#include <mutex>
#include <thread>

namespace comptoir::platform {

namespace {

struct Target {
    std::uint8_t* pixels;
    int width, height, stride;
};

struct Clip {
    int x0, y0, x1, y1; ///< pixel range [x0, x1) × [y0, y1)
};

/// x / 255 rounded to nearest, exact for 0 ≤ x ≤ 255 × 255.
inline std::uint32_t div255(std::uint32_t x) {
    x += 128;
    return (x + (x >> 8)) >> 8;
}

/// A pixel as one 32-bit word holding its R, G, B, A bytes in memory order, whatever the CPU's
/// byte order: blending treats the four bytes alike, so words can be worked on whole.
inline std::uint32_t packPixel(std::uint32_t r, std::uint32_t g, std::uint32_t b) {
    const std::uint8_t bytes[4] = {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g),
                                   static_cast<std::uint8_t>(b), 255};
    std::uint32_t word = 0;
    std::memcpy(&word, bytes, 4);
    return word;
}

/// The alpha byte of a word, set: every pixel of the target is opaque.
const std::uint32_t kOpaque = packPixel(0, 0, 0);
constexpr std::uint32_t kLanes = 0x00FF00FF;

/// src × a + dst × (255 − a), divided by 255 as div255 does, two bytes at a time: each 16-bit lane
/// holds at most 255 × 255 + 128 + 254 < 65536, so lanes never spill into each other.
inline std::uint32_t blendWord(std::uint32_t dst, std::uint32_t srcLo, std::uint32_t srcHi,
                               std::uint32_t ia) {
    std::uint32_t lo = srcLo + (dst & kLanes) * ia, hi = srcHi + ((dst >> 8) & kLanes) * ia;
    lo = ((lo + ((lo >> 8) & kLanes)) >> 8) & kLanes;
    hi = ((hi + ((hi >> 8) & kLanes)) >> 8) & kLanes;
    return lo | (hi << 8) | kOpaque;
}

/// Blends colour `src` with alpha `a` over `n` pixels from `p`.
inline void blendSpan(std::uint8_t* p, int n, std::uint32_t src, std::uint32_t a) {
    if (a == 0) return;
    if (a == 255) {
        for (int i = 0; i < n; ++i, p += 4)
            std::memcpy(p, &src, 4);
        return;
    }
    const std::uint32_t ia = 255 - a, srcLo = (src & kLanes) * a + 0x00800080,
                        srcHi = ((src >> 8) & kLanes) * a + 0x00800080;
    for (int i = 0; i < n; ++i, p += 4) {
        std::uint32_t d = 0;
        std::memcpy(&d, p, 4);
        d = blendWord(d, srcLo, srcHi, ia);
        std::memcpy(p, &d, 4);
    }
}

inline void blend(std::uint8_t* p, std::uint32_t src, std::uint32_t a) {
    blendSpan(p, 1, src, a);
}

inline std::uint8_t texel(const SoftwareRasteriser::Texture* t, float u, float v) {
    if (!t || t->alpha.empty()) return 255;
    int x = std::clamp(static_cast<int>(u * static_cast<float>(t->width)), 0, t->width - 1);
    int y = std::clamp(static_cast<int>(v * static_cast<float>(t->height)), 0, t->height - 1);
    return t->alpha[static_cast<size_t>(y) * static_cast<size_t>(t->width) + static_cast<size_t>(x)];
}

/// First pixel whose centre is at or after `edge`. Far-off or NaN coordinates are brought within
/// ±10⁷ first (a NaN goes to −10⁷, as fmax/fmin would take it), where converting to int is
/// defined. Plain comparisons and a truncation: fmaxf, fminf and ceilf are library calls at
/// -march=x86-64, made for every row of every triangle.
inline int firstPixel(float edge) {
    const float x = edge > -1e7f ? (edge < 1e7f ? edge : 1e7f) : -1e7f;
    const float c = x - 0.5f;
    const int i = static_cast<int>(c); // toward zero: one less than the ceiling when c > 0 has a fraction
    return static_cast<float>(i) < c ? i + 1 : i;
}

/// Fills an axis-aligned rectangle with one colour, sampling the texture when it varies.
void fillQuad(const Target& t, const Clip& clip, const ImDrawVert& a, const ImDrawVert& c,
              const SoftwareRasteriser::Texture* tex) {
    float x0 = std::min(a.pos.x, c.pos.x), x1 = std::max(a.pos.x, c.pos.x);
    float y0 = std::min(a.pos.y, c.pos.y), y1 = std::max(a.pos.y, c.pos.y);
    int px0 = std::max(firstPixel(x0), clip.x0), px1 = std::min(firstPixel(x1), clip.x1);
    int py0 = std::max(firstPixel(y0), clip.y0), py1 = std::min(firstPixel(y1), clip.y1);
    if (px0 >= px1 || py0 >= py1) return;
    const std::uint32_t col = a.col, alpha = col >> 24,
                        src = packPixel(col & 0xFF, (col >> 8) & 0xFF, (col >> 16) & 0xFF);
    bool textured = tex && (a.uv.x != c.uv.x || a.uv.y != c.uv.y);
    if (!textured) {
        std::uint32_t sa = div255(alpha * texel(tex, a.uv.x, a.uv.y));
        for (int y = py0; y < py1; ++y) {
            std::uint8_t* row = t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) +
                                static_cast<size_t>(px0) * 4;
            blendSpan(row, px1 - px0, src, sa);
        }
        return;
    }
    // Texture coordinates vary linearly across the quad (glyphs): step them per pixel.
    float du = (c.uv.x - a.uv.x) / (c.pos.x - a.pos.x);
    float dv = (c.uv.y - a.uv.y) / (c.pos.y - a.pos.y);
    for (int y = py0; y < py1; ++y) {
        float v = a.uv.y + (static_cast<float>(y) + 0.5f - a.pos.y) * dv;
        std::uint8_t* row =
            t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) + static_cast<size_t>(px0) * 4;
        float u = a.uv.x + (static_cast<float>(px0) + 0.5f - a.pos.x) * du;
        for (int x = px0; x < px1; ++x, row += 4, u += du) {
            std::uint32_t ta = texel(tex, u, v);
            if (ta) blend(row, src, div255(alpha * ta));
        }
    }
}

inline float edge(const ImVec2& a, const ImVec2& b, float px, float py) {
    return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
}

/// Bilinear sample, as a GPU samples Dear ImGui's textures. The anti-aliased lines are textured
/// strips over a baked profile, one texel per pixel across the line: sampled nearest, a 1 px line
/// centred on a pixel boundary lands exactly between a solid and a transparent texel, and
/// rounding can pick the transparent one on both sides: the line disappears.
inline std::uint32_t texelBilinear(const SoftwareRasteriser::Texture* t, float u, float v) {
    if (!t || t->alpha.empty()) return 255;
    float x = u * static_cast<float>(t->width) - 0.5f, y = v * static_cast<float>(t->height) - 0.5f;
    float fx0 = std::floor(x), fy0 = std::floor(y);
    float fx = x - fx0, fy = y - fy0;
    int x0 = std::clamp(static_cast<int>(fx0), 0, t->width - 1), x1 = std::min(x0 + 1, t->width - 1);
    int y0 = std::clamp(static_cast<int>(fy0), 0, t->height - 1), y1 = std::min(y0 + 1, t->height - 1);
    auto at = [t](int px, int py) {
        return static_cast<float>(
            t->alpha[static_cast<size_t>(py) * static_cast<size_t>(t->width) + static_cast<size_t>(px)]);
    };
    float top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
    float bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
    return static_cast<std::uint32_t>(std::clamp(top + (bottom - top) * fy + 0.5f, 0.0f, 255.0f));
}

/// A triangle edge crossed by pixel rows. It is stored from its upper end (then its left end), so
/// two triangles that share an edge compute bit-identical crossings whichever way round they list
/// it: a pixel centre on the shared edge then belongs to exactly one of them (left edges and top
/// edges own their centres, right and bottom ones do not). Edge functions evaluated per triangle
/// round differently on each side and could drop such a pixel from both (a hole where a polyline
/// joint sits on a pixel centre) or give it to both (a darker dot).
struct Crossing {
    float x, y, slope;
    Crossing(ImVec2 a, ImVec2 b) {
        if (b.y < a.y || (b.y == a.y && b.x < a.x)) std::swap(a, b);
        x = a.x;
        y = a.y;
        slope = (b.x - a.x) / (b.y - a.y);
    }
    [[nodiscard]] float at(float rowCentre) const { return x + (rowCentre - y) * slope; }
};

/// Any triangle, as one span per pixel row between its edges' crossings; colours and UVs are
/// interpolated with edge functions when they vary.
void fillTriangle(const Target& t, const Clip& clip, const ImDrawVert& v0, ImDrawVert v1, ImDrawVert v2,
                  const SoftwareRasteriser::Texture* tex) {
    float area = edge(v0.pos, v1.pos, v2.pos.x, v2.pos.y);
    if (!(std::fabs(area) >= 1e-6f)) return; // degenerate, or a NaN corner
    if (area < 0) {
        std::swap(v1, v2);
        area = -area;
    }
    // Sorted top to bottom: rows above `mid` lie between edges top–mid and top–bottom, the others
    // between mid–bottom and top–bottom.
    const ImVec2* s[3] = {&v0.pos, &v1.pos, &v2.pos};
    if (s[1]->y < s[0]->y) std::swap(s[0], s[1]);
    if (s[2]->y < s[1]->y) std::swap(s[1], s[2]);
    if (s[1]->y < s[0]->y) std::swap(s[0], s[1]);
    const Crossing longEdge(*s[0], *s[2]), upper(*s[0], *s[1]), lower(*s[1], *s[2]);
    const float midY = s[1]->y;
    int py0 = std::max(firstPixel(s[0]->y), clip.y0);
    int py1 = std::min(firstPixel(s[2]->y), clip.y1);
    if (py0 >= py1) return;
    const bool flat = v0.col == v1.col && v1.col == v2.col;
    const bool textured =
        tex && !(v0.uv.x == v1.uv.x && v1.uv.x == v2.uv.x && v0.uv.y == v1.uv.y && v1.uv.y == v2.uv.y);
    const float inv = 1.0f / area;
    auto channel = [](ImU32 c, int shift) { return static_cast<float>((c >> shift) & 0xFF); };
    const std::uint32_t flatSrc = packPixel(v0.col & 0xFF, (v0.col >> 8) & 0xFF, (v0.col >> 16) & 0xFF),
                        fa = v0.col >> 24;
    std::uint32_t flatTex = textured ? 255 : texel(tex, v0.uv.x, v0.uv.y);
    const std::uint32_t flatAlpha = div255(fa * flatTex);
    const float e0dx = -(v2.pos.y - v1.pos.y), e1dx = -(v0.pos.y - v2.pos.y), e2dx = -(v1.pos.y - v0.pos.y);
    for (int y = py0; y < py1; ++y) {
        const float cy = static_cast<float>(y) + 0.5f;
        float xa = longEdge.at(cy), xb = (cy < midY ? upper : lower).at(cy);
        if (xb < xa) std::swap(xa, xb);
        const int xs = std::max(firstPixel(xa), clip.x0), xe = std::min(firstPixel(xb), clip.x1);
        if (xs >= xe) continue;
        std::uint8_t* row =
            t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) + static_cast<size_t>(xs) * 4;
        if (flat && !textured) {
            blendSpan(row, xe - xs, flatSrc, flatAlpha);
            continue;
        }
        const float cx = static_cast<float>(xs) + 0.5f;
        float w0 = edge(v1.pos, v2.pos, cx, cy), w1 = edge(v2.pos, v0.pos, cx, cy),
              w2 = edge(v0.pos, v1.pos, cx, cy);
        for (int x = xs; x < xe; ++x, row += 4, w0 += e0dx, w1 += e1dx, w2 += e2dx) {
            float l0 = w0 * inv, l1 = w1 * inv, l2 = w2 * inv;
            auto mix = [&](int shift) {
                return static_cast<std::uint32_t>(std::clamp(channel(v0.col, shift) * l0 +
                                                                 channel(v1.col, shift) * l1 +
                                                                 channel(v2.col, shift) * l2 + 0.5f,
                                                             0.0f, 255.0f));
            };
            std::uint32_t ta = textured ? texelBilinear(tex, v0.uv.x * l0 + v1.uv.x * l1 + v2.uv.x * l2,
                                                        v0.uv.y * l0 + v1.uv.y * l1 + v2.uv.y * l2)
                                        : flatTex;
            blend(row, packPixel(mix(0), mix(8), mix(16)), div255(mix(24) * ta));
        }
    }
}

/// ImGui's rectangles come as (0,1,2)(0,2,3) over corners going round the rectangle.
bool isAxisAlignedQuad(const ImDrawVert* v, const ImDrawIdx* idx) {
    if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
    const ImDrawVert &a = v[idx[0]], &b = v[idx[1]], &c = v[idx[2]], &d = v[idx[5]];
    if (a.col != b.col || a.col != c.col || a.col != d.col) return false;
    // Corners clockwise from the top-left (PrimRect, PrimRectUV), with u following x and v following y.
    bool corners = a.pos.y == b.pos.y && b.pos.x == c.pos.x && c.pos.y == d.pos.y && d.pos.x == a.pos.x;
    bool uvs = a.uv.y == b.uv.y && b.uv.x == c.uv.x && c.uv.y == d.uv.y && d.uv.x == a.uv.x;
    return corners && uvs;
}

} // namespace

// [SECTION] bands and threads --------------------------------------------------

namespace {

/// One quad or triangle of the frame, with the draw command it belongs to.
struct Primitive {
    const ImDrawVert* vtx;
    const ImDrawIdx* idx; ///< its first index
    std::uint32_t command;
    bool quad;
};

struct Command {
    Clip clip;
    const SoftwareRasteriser::Texture* tex;
};

} // namespace

/// The frame sorted into bands: every primitive, in draw order, listed in each band it touches.
struct SoftwareRasteriser::Bins {
    int rows; ///< per band
    std::vector<Command> commands;
    std::vector<Primitive> primitives;
    std::vector<std::vector<std::uint32_t>> bands;

    void sort(const ImDrawData* data, int width, int height) {
        commands.clear();
        primitives.clear();
        bands.resize(static_cast<size_t>((height + rows - 1) / rows));
        for (auto& band : bands)
            band.clear();
        if (!data) return;
        const ImVec2 off = data->DisplayPos;
        for (int n = 0; n < data->CmdListsCount; ++n) {
            const ImDrawList* list = data->CmdLists[n];
            for (const ImDrawCmd& cmd : list->CmdBuffer) {
                if (cmd.UserCallback) continue; // none of our screens uses callbacks
                Clip clip{std::max(0, static_cast<int>(cmd.ClipRect.x - off.x)),
                          std::max(0, static_cast<int>(cmd.ClipRect.y - off.y)),
                          std::min(width, static_cast<int>(std::ceil(cmd.ClipRect.z - off.x))),
                          std::min(height, static_cast<int>(std::ceil(cmd.ClipRect.w - off.y)))};
                if (clip.x0 >= clip.x1 || clip.y0 >= clip.y1) continue;
                const auto command = static_cast<std::uint32_t>(commands.size());
                commands.push_back({clip, static_cast<const Texture*>(cmd.GetTexID())});
                const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
                const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
                for (unsigned i = 0; i + 2 < cmd.ElemCount;) {
                    const bool quad = i + 5 < cmd.ElemCount && isAxisAlignedQuad(vtx, idx + i);
                    float y0 = vtx[idx[i]].pos.y, y1 = y0;
                    for (unsigned k = 1; k < (quad ? 6u : 3u); ++k) {
                        y0 = std::min(y0, vtx[idx[i + k]].pos.y);
                        y1 = std::max(y1, vtx[idx[i + k]].pos.y);
                    }
                    // The rows it may touch; empty ones are dropped here, once, not in each band.
                    const int row0 = std::max(firstPixel(y0), clip.y0),
                              row1 = std::min(firstPixel(y1), clip.y1);
                    if (row0 < row1) {
                        const auto id = static_cast<std::uint32_t>(primitives.size());
                        primitives.push_back({vtx, idx + i, command, quad});
                        for (int b = row0 / rows; b <= (row1 - 1) / rows; ++b)
                            bands[static_cast<size_t>(b)].push_back(id);
                    }
                    i += quad ? 6 : 3;
                }
            }
        }
    }

    /// Clears band `b` and draws every primitive that touches it, clipped to its rows.
    void draw(size_t b, const Target& t, std::uint32_t clear) const {
        const int top = static_cast<int>(b) * rows, bottom = std::min(t.height, top + rows);
        for (int y = top; y < bottom; ++y)
            blendSpan(t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride), t.width, clear, 255);
        for (std::uint32_t id : bands[b]) {
            const Primitive& p = primitives[id];
            const Command& c = commands[p.command];
            const Clip clip{c.clip.x0, std::max(c.clip.y0, top), c.clip.x1, std::min(c.clip.y1, bottom)};
            if (p.quad)
                fillQuad(t, clip, p.vtx[p.idx[0]], p.vtx[p.idx[2]], c.tex);
            else
                fillTriangle(t, clip, p.vtx[p.idx[0]], p.vtx[p.idx[1]], p.vtx[p.idx[2]], c.tex);
        }
    }
};

/// Threads started once and woken for each frame; each takes the next band not yet taken until
/// none is left. Idle threads sleep on a condition variable: an idle kiosk costs no CPU.
class SoftwareRasteriser::Pool {
  public:
    explicit Pool(int workers) {
        for (int i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { serve(); });
    }
    ~Pool() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (auto& thread : m_threads)
            thread.join();
    }
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    [[nodiscard]] int workers() const { return static_cast<int>(m_threads.size()); }

    /// Runs job(0 … count−1) on the workers and the calling thread; returns when all are done.
    void run(size_t count, const std::function<void(size_t)>& job) {
        {
            std::lock_guard lock(m_mutex);
            m_job = &job;
            m_count = count;
            m_next = 0;
            m_busy = m_threads.size();
            ++m_generation;
        }
        m_wake.notify_all();
        work(job, count);
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_busy == 0; });
        m_job = nullptr;
    }

  private:
    void work(const std::function<void(size_t)>& job, size_t count) {
        for (size_t i = m_next.fetch_add(1); i < count; i = m_next.fetch_add(1))
            job(i);
    }

    void serve() {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(size_t)>* job = nullptr;
            size_t count = 0;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
                if (m_stop) return;
                seen = m_generation;
                job = m_job;
                count = m_count;
            }
            work(*job, count);
            std::lock_guard lock(m_mutex);
            if (--m_busy == 0) m_done.notify_one();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    const std::function<void(size_t)>* m_job = nullptr;
    size_t m_count = 0;
    std::atomic<size_t> m_next{0};
    size_t m_busy = 0;
    std::uint64_t m_generation = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

SoftwareRasteriser::SoftwareRasteriser(int threads, int bandRows) : m_bins(std::make_unique<Bins>()) {
    m_bins->rows = std::max(1, bandRows);
    if (threads <= 0) threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    if (threads > 1) m_pool = std::make_unique<Pool>(threads - 1);
}

SoftwareRasteriser::~SoftwareRasteriser() = default;

int SoftwareRasteriser::threads() const {
    return m_pool ? m_pool->workers() + 1 : 1;
}

void SoftwareRasteriser::setFontAtlas() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsAlpha8(&pixels, &w, &h);
    m_font.width = w;
    m_font.height = h;
    m_font.alpha.assign(pixels, pixels + static_cast<size_t>(w) * static_cast<size_t>(h));
    atlas->SetTexID(static_cast<ImTextureID>(&m_font));
}

void SoftwareRasteriser::render(const ImDrawData* data, std::uint8_t* rgba, int width, int height, int stride,
                                std::uint8_t clearR, std::uint8_t clearG, std::uint8_t clearB) {
    if (width <= 0 || height <= 0) return;
    m_bins->sort(data, width, height);
    const Target t{rgba, width, height, stride};
    const std::uint32_t clear = packPixel(clearR, clearG, clearB);
    const size_t bands = m_bins->bands.size();
    if (!m_pool) {
        for (size_t b = 0; b < bands; ++b)
            m_bins->draw(b, t, clear);
        return;
    }
    m_pool->run(bands, [&](size_t b) { m_bins->draw(b, t, clear); });
}

} // namespace comptoir::platform
