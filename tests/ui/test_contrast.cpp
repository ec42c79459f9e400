// The theme's colours against WCAG 2.1 AA: text at least 4.5:1 on what it is drawn on,
// pictograms and marks at least 3:1 (1.4.3 and 1.4.11), in the warm palette and in high contrast.

#include "comptoir/ui/theme.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace comptoir::ui;

namespace {
constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);

void requireRatio(const char* what, ImU32 fg, ImU32 bg, float least) {
    INFO(what << ": " << contrastRatio(fg, bg) << ":1, at least " << least << ":1");
    CHECK(contrastRatio(fg, bg) >= least);
}
} // namespace

TEST_CASE("the contrast ratio is WCAG's") {
    CHECK(contrastRatio(IM_COL32(0, 0, 0, 255), kWhite) == Approx(21.0f));
    CHECK(contrastRatio(kWhite, kWhite) == Approx(1.0f));
    // white on the former terracotta: 4.35:1, under AA (issue 8)
    CHECK(contrastRatio(kWhite, IM_COL32(200, 85, 61, 255)) == Approx(4.35f).epsilon(0.01));
    CHECK(blend(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 128)) == IM_COL32(128, 128, 128, 255));
}

TEST_CASE("every text and pictogram of the theme meets WCAG AA") {
    for (const Palette& p : {warmPalette(), highContrastPalette()}) {
        INFO((p.highContrast ? "high contrast" : "warm"));
        requireRatio("ink on the background", p.ink, p.background, 4.5f);
        requireRatio("ink on a card", p.ink, p.surface, 4.5f);
        requireRatio("ink on a soft button or chosen tile", p.ink, p.accentSoft, 4.5f);
        requireRatio("ink on a kind message", p.ink, p.notice, 4.5f);
        requireRatio("soft ink (\"Étape 2 sur 5\", hints) on the background", p.inkSoft, p.background, 4.5f);
        requireRatio("soft ink on a card", p.inkSoft, p.surface, 4.5f);
        requireRatio("a main button's label", p.accentInk, p.accent, 4.5f);
        requireRatio("the header's name and tagline", p.headerInk, p.header, 4.5f);
        if (!p.highContrast)
            requireRatio("the tagline over the header's glow", p.headerInk, blend(p.header, kHeaderGlow),
                         4.5f);
        requireRatio("the mark of a kind message", p.noticeMarkInk, p.noticeMark, 3.0f);
        const ImU32 pictogram = p.highContrast ? p.accentInk : kWhite;
        for (const auto& id : knownThemeIds()) {
            INFO("theme " << id);
            requireRatio("a theme's white pictogram on its disc", pictogram, themeColour(id, p), 3.0f);
        }
        if (!p.highContrast)
            for (Disc d : kAllDiscs) {
                INFO("disc " << static_cast<int>(d));
                requireRatio("a guided answer's white pictogram on its disc", kWhite, discColour(d), 3.0f);
            }
    }
}
