// The printed ticket's text as a picture (docs/visitor-journey.md, "Something to take away"). A PDF's
// standard fonts (Helvetica, WinAnsi) have no Arabic nor Cyrillic: the ticket printed them as '?'.
// Here the text goes through the screens' own pipeline instead — FriBidi's visual order and joined
// Arabic letters (ui/bidi.cpp), Noto Sans with Noto Sans Arabic larger (as body text) on the
// Latin baseline (ui/theme.cpp) — and stb_truetype (Dear ImGui's own rasteriser, from Debian's imgui
// headers) draws each glyph. The font atlas is not used: its pixels are freed once uploaded, and
// printing runs off the UI thread.

#include "comptoir/ui/ticket_text.hpp"

#include "comptoir/domain/text.hpp"
#include "comptoir/ui/arabic_scale.hpp"
#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/theme.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC // a private copy: Dear ImGui keeps its own, also static
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wuseless-cast"
#endif
#include <imstb_truetype.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace comptoir::ui {

namespace {

constexpr std::size_t kMaxFontBytes = 32u << 20;

struct Face {
    std::string bytes;
    stbtt_fontinfo info{};
    float scale = 0;
    bool load(const char* name, float px) {
        const std::string path = findFont(name);
        if (path.empty() || !readWholeFile(path, bytes) || bytes.size() > kMaxFontBytes) return false;
        const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        const int offset = stbtt_GetFontOffsetForIndex(data, 0);
        if (offset < 0 || !stbtt_InitFont(&info, data, offset)) return false;
        scale = stbtt_ScaleForPixelHeight(&info, px);
        return true;
    }
};

bool isArabic(char32_t c) {
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE);
}

std::vector<char32_t> codePoints(const std::string& s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += n;
    }
    return out;
}

class Writer {
  public:
    Writer(float px) : m_px(px) {}
    bool load() {
        if (!m_latin.load("NotoSans-Regular.ttf", m_px) ||
            !m_arabic.load("NotoSansArabic-Regular.ttf", m_px * kArabicScaleBody))
            return false;
        int ascent = 0, descent = 0, gap = 0;
        stbtt_GetFontVMetrics(&m_latin.info, &ascent, &descent, &gap);
        m_ascent = std::round(static_cast<float>(ascent) * m_latin.scale);
        m_lineHeight = std::ceil(static_cast<float>(ascent - descent + gap) * m_latin.scale);
        return true;
    }
    [[nodiscard]] int lineHeight() const { return static_cast<int>(m_lineHeight); }

    /// Width of a line once in visual order.
    [[nodiscard]] float width(const std::string& visual) const {
        float w = 0;
        for (char32_t c : codePoints(visual)) {
            int glyph = 0;
            const Face* f = faceFor(c, glyph);
            if (!f) continue;
            int advance = 0, bearing = 0;
            stbtt_GetGlyphHMetrics(&f->info, glyph, &advance, &bearing);
            w += static_cast<float>(advance) * f->scale;
        }
        return w;
    }

    /// Draws a visual line with its left end at x, its top at y (ink is added: darker wins).
    void draw(const std::string& visual, float x, int y, TicketImage& img,
              std::vector<unsigned char>& glyphBuf) {
        for (char32_t c : codePoints(visual)) {
            int glyph = 0;
            const Face* f = faceFor(c, glyph);
            if (!f) {
                if (c != ' ' && c != '\t') ++img.missingGlyphs;
                continue;
            }
            int advance = 0, bearing = 0;
            stbtt_GetGlyphHMetrics(&f->info, glyph, &advance, &bearing);
            int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            stbtt_GetGlyphBitmapBox(&f->info, glyph, f->scale, f->scale, &x0, &y0, &x1, &y1);
            const int gw = x1 - x0, gh = y1 - y0;
            if (gw > 0 && gh > 0 && gw < 1024 && gh < 1024) {
                glyphBuf.assign(static_cast<std::size_t>(gw) * static_cast<std::size_t>(gh), 0);
                stbtt_MakeGlyphBitmap(&f->info, glyphBuf.data(), gw, gh, gw, f->scale, f->scale, glyph);
                // Arabic sits on the Latin baseline, a little raised, as on screen (theme.cpp).
                const float lift = f == &m_arabic ? m_px * 0.06f : 0.0f;
                const int left = static_cast<int>(std::round(x)) + x0;
                const int top = y + static_cast<int>(std::round(m_ascent - lift)) + y0;
                for (int gy = 0; gy < gh; ++gy) {
                    const int py = top + gy;
                    if (py < 0 || py >= img.height) continue;
                    for (int gx = 0; gx < gw; ++gx) {
                        const int px = left + gx;
                        if (px < 0 || px >= img.width) continue;
                        auto& dst =
                            img.grey[static_cast<std::size_t>(py) * static_cast<std::size_t>(img.width) +
                                     static_cast<std::size_t>(px)];
                        const auto ink = static_cast<unsigned char>(
                            255 - glyphBuf[static_cast<std::size_t>(gy) * static_cast<std::size_t>(gw) +
                                           static_cast<std::size_t>(gx)]);
                        dst = std::min(dst, ink);
                    }
                }
            }
            x += static_cast<float>(advance) * f->scale;
        }
    }

  private:
    const Face* faceFor(char32_t c, int& glyph) const {
        const Face* first = isArabic(c) ? &m_arabic : &m_latin;
        const Face* second = first == &m_latin ? &m_arabic : &m_latin;
        for (const Face* f : {first, second})
            if ((glyph = stbtt_FindGlyphIndex(&f->info, static_cast<int>(c))) != 0) return f;
        return nullptr;
    }
    float m_px;
    Face m_latin, m_arabic;
    float m_ascent = 0, m_lineHeight = 0;
};

} // namespace

TicketImage ticketTextImage(const std::string& text, int widthPx, float fontPx, bool rtl) {
    TicketImage img;
    if (widthPx < 64 || widthPx > 4096 || !(fontPx >= 6 && fontPx <= 200)) return img;
    Writer writer(fontPx);
    if (!writer.load()) return img;
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        for (auto& l : wrapWords(text.substr(start, nl == std::string::npos ? nl : nl - start),
                                 [&](const std::string& candidate) {
                                     return writer.width(visualRtlLine(candidate)) <=
                                            static_cast<float>(widthPx);
                                 }))
            lines.push_back(std::move(l));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    const int lineH = writer.lineHeight();
    const auto maxLines = static_cast<std::size_t>(8192 / std::max(lineH, 1));
    if (lines.size() > maxLines) lines.resize(maxLines);
    img.width = widthPx;
    img.height = std::max(1, static_cast<int>(lines.size()) * lineH);
    img.grey.assign(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height), 255);
    std::vector<unsigned char> glyphBuf;
    int y = 0;
    for (const auto& l : lines) {
        const std::string visual = visualRtlLine(l);
        const float x = rtl ? static_cast<float>(widthPx) - writer.width(visual) : 0.0f;
        writer.draw(visual, std::max(0.0f, x), y, img, glyphBuf);
        y += lineH;
    }
    return img;
}

std::string printableTicketPdf(const std::string& text, int widthMm, bool rtl) {
    return ticketPdf(text, widthMm,
                     ticketTextImage(text, ticketTextWidthPx(widthMm, kTicketFontPx), kTicketFontPx, rtl));
}

} // namespace comptoir::ui
