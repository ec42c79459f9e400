// "Mots difficiles": the few words a visitor needs and may not know (bénévolat, association, la
// structure qui accueille, la mise en relation, le Permis Citoyen), each with a pictogram and one
// or two short sentences. The header offers it on any screen that shows one of these words — found
// in the text the screen recorded this frame, in the display language and in French (offers are
// written in French) — and "Retour" goes back to that screen with everything typed kept.
// See docs/visitor-journey.md.

#include "comptoir/domain/search.hpp"
#include "comptoir/ui/offer_list.hpp"
#include "comptoir/ui/pictogram.hpp"
#include "screen_parts.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace comptoir::ui::parts {

namespace {

struct HardWord {
    const char* id;        ///< words.<id>.term / .text / .spot in the catalogue
    const char* pictogram; ///< ui/pictogram.cpp
};

constexpr std::array<HardWord, 5> kWords{{
    {"volunteering", "heart"},
    {"association", "people"},
    {"host", "house"},
    {"introduction", "hands"},
    {"permis", "star"},
}};

/// The folded stems of `key` ("bénévol, volontari"): comma-separated in the catalogue.
void addStems(const std::string& list, std::vector<std::string>& out) {
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        std::string stem =
            foldForSearch(list.substr(start, comma == std::string::npos ? comma : comma - start));
        if (stem.size() >= 3) out.push_back(std::move(stem)); // a stray short stem would match everywhere
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
}

using WordStems = std::array<std::vector<std::string>, kWords.size()>;

/// Each word's stems to look for: the display language's and the French ones (an offer without
/// a translation stays French).
const WordStems& stems(const ScreenContext& c) {
    static thread_local std::string cachedFor;
    static thread_local WordStems cached;
    std::string key;
    for (const auto& w : kWords)
        key += c.s.get(std::string("words.") + w.id + ".spot") + "|";
    if (key != cachedFor) {
        for (std::size_t i = 0; i < kWords.size(); ++i) {
            const std::string k = std::string("words.") + kWords[i].id + ".spot";
            cached[i].clear();
            addStems(c.s.get(k), cached[i]);
            if (c.french) addStems(c.french->get(k), cached[i]);
        }
        cachedFor = std::move(key);
    }
    return cached;
}

/// The index in kWords of the first word `folded` text holds, if any.
std::optional<std::size_t> firstWordIn(const WordStems& wanted, const std::string& folded) {
    for (std::size_t i = 0; i < kWords.size(); ++i)
        for (const auto& stem : wanted[i])
            if (folded.find(stem) != std::string::npos) return i;
    return std::nullopt;
}

/// The first explained word the texts recorded this frame hold.
std::optional<std::size_t> firstWordShown(const ScreenContext& c) {
    const auto& wanted = stems(c);
    for (const auto& rec : c.reg.widgets()) {
        if (rec.label.size() < 3) continue;
        if (auto i = firstWordIn(wanted, foldForSearch(rec.label))) return i;
    }
    return std::nullopt;
}

void openWords(VisitorState& st, const char* focus) {
    st.wordsScroll = OfferListState{};
    st.wordsFocus = focus ? focus : "";
    st.wordsJump = focus != nullptr;
    st.go(Screen::Words);
}

/// The "?" in a ring at the left end of a words button whose top-left corner is `screen`.
void questionMark(const Look& L, ImVec2 screen, float height) {
    ImVec2 centre(screen.x + L.fx(30), screen.y + height * 0.5f);
    ImFont* f = L.fonts.bold;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircle(centre, L.fx(13), L.palette.ink, 24, L.fx(2));
    ImVec2 q = f->CalcTextSizeA(f->FontSize * 0.8f, FLT_MAX, 0, "?");
    (void)addText(dl, false, f, ImVec2(centre.x - q.x * 0.5f, centre.y - q.y * 0.5f), L.palette.ink, "?", 0,
                  nullptr, f->FontSize * 0.8f);
}

} // namespace

bool showsHardWord(const ScreenContext& c) {
    return firstWordShown(c).has_value();
}

std::vector<std::string> hardWordsIn(const ScreenContext& c, const std::string& text) {
    std::vector<std::string> ids;
    const auto& wanted = stems(c);
    const std::string folded = foldForSearch(text);
    for (std::size_t i = 0; i < kWords.size(); ++i)
        for (const auto& stem : wanted[i])
            if (folded.find(stem) != std::string::npos) {
                ids.emplace_back(kWords[i].id);
                break;
            }
    return ids;
}

float wordButtons(VisitorState& st, ScreenContext& c, const std::vector<std::string>& ids, float width) {
    if (ids.empty()) return 0;
    const Look& L = c.look;
    ImFont* f = L.fonts.bold;
    const float h = L.px(60), gap = L.px(12);
    const float left = ImGui::GetCursorPosX(), top = ImGui::GetCursorPosY();
    float x = left, y = top;
    for (const auto& id : ids) {
        const auto word =
            std::find_if(kWords.begin(), kWords.end(), [&](const HardWord& w) { return id == w.id; });
        if (word == kWords.end()) continue;
        const std::string& label = c.s.get("words." + id + ".term");
        const float w = std::min(width, f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, label)).x +
                                            L.px(36) + L.fx(64));
        if (x > left && x + w > left + width) { // wrap before a button that would run past the column
            x = left;
            y += h + gap;
        }
        ImGui::SetCursorPos(ImVec2(x, y));
        const ImVec2 screen = ImGui::GetCursorScreenPos();
        if (bigButton(L, c.reg, label, ImVec2(w, h), ButtonKind::Secondary)) openWords(st, word->id);
        questionMark(L, screen, h);
        x += w + gap;
    }
    ImGui::SetCursorPos(ImVec2(left, y + h));
    return y + h - top;
}

float wordsButtonWidth(const ScreenContext& c) {
    ImFont* f = c.look.fonts.bold;
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(c.look.rtl, c.s.get("words.button"))).x +
           c.look.px(36) + c.look.fx(64);
}

void drawWordsButton(VisitorState& st, ScreenContext& c) {
    if (c.headerTextRight < 0) return; // no header on this frame
    if (c.wordsSlot.z <= 0 || st.screen == Screen::Words || st.languageMenuOpen || !showsHardWord(c)) {
        drawHeaderTitle(c.look, c.siteName, c.headerTextRight);
        return;
    }
    drawHeaderTitle(c.look, c.siteName, c.wordsSlotOnTitleRow ? c.wordsSlot.x - c.look.px(10) : c.headerTextRight);
    const Look& L = c.look;
    const std::string& label = c.s.get("words.button");
    ImGui::SetCursorPos(ImVec2(c.wordsSlot.x, c.wordsSlot.y));
    ImVec2 screen = ImGui::GetCursorScreenPos();
    if (bigButton(L, c.reg, label, ImVec2(c.wordsSlot.z, c.wordsSlot.w), ButtonKind::Secondary)) {
        // Opens on the first word this screen shows: the one the visitor most likely stopped at.
        auto first = firstWordShown(c);
        openWords(st, first ? kWords[*first].id : nullptr);
    }
    // bigButton centred the label in a button wide enough for a "?" in a ring at its left end.
    questionMark(L, screen, c.wordsSlot.w);
}

void drawWords(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    title(c, c.s.get("words.title"));
    // The explanations scroll under the finger when large type does not fit.
    float childTop = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(0, childTop));
    bool animating = false;
    (void)beginTouchScroll("words",
                           ImVec2(ImGui::GetWindowWidth(), ImGui::GetWindowHeight() - childTop - L.fx(104)),
                           st.wordsScroll, L, c.dt, animating);
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    const float disc = L.px(40);
    const float x = margin(c) + 2 * disc + L.px(24);
    const float w = std::min(ImGui::GetWindowWidth() - x - margin(c), L.px(1100));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float y = L.px(12);
    for (const auto& word : kWords) {
        const std::string id = std::string("words.") + word.id;
        ImGui::SetCursorPos(ImVec2(x, y));
        ImVec2 top = ImGui::GetCursorScreenPos();
        ImVec2 centre(top.x - L.px(24) - disc, top.y + disc);
        dl->AddCircleFilled(centre, disc, p.highContrast ? p.accent : p.accentSoft, 40);
        drawPictogram(dl, word.pictogram, centre, disc * 1.1f, p.highContrast ? p.accentInk : p.accent);
        float h = paragraph(c, L.fonts.bold, c.s.get(id + ".term"), w, p.ink);
        ImGui::SetCursorPosX(x);
        h += paragraph(c, L.fonts.body, c.s.get(id + ".text"), w, p.ink);
        const float blockH = std::max(h, 2 * disc);
        if (st.wordsFocus == word.id) { // the word the visitor tapped: outlined, and in view
            const float pad = L.px(12);
            dl->AddRect(ImVec2(centre.x - disc - pad, top.y - pad),
                        ImVec2(top.x + w + pad, top.y + blockH + pad), p.accent, L.px(14), 0, L.px(4));
            if (st.wordsJump) { // scrolled only when not wholly in view already
                const float viewTop = ImGui::GetScrollY(), viewBottom = viewTop + ImGui::GetWindowHeight();
                if (y - pad < viewTop)
                    ImGui::SetScrollY(std::max(0.0f, y - pad));
                else if (y + blockH + pad > viewBottom)
                    ImGui::SetScrollY(viewTop + (y + blockH + pad - viewBottom));
                st.wordsJump = false;
            }
        }
        y += blockH + L.px(22);
    }
    ImGui::SetCursorPos(ImVec2(x, y));
    ImGui::Dummy(ImVec2(1, L.px(8)));
    ImGui::EndChild();
    if (bottomBar(c, c.s.get("button.back"), {}).back) st.back();
}

} // namespace comptoir::ui::parts
