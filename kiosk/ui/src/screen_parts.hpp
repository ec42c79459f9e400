#pragma once
// The layout helpers every visitor screen shares (internal to comptoir_ui): the header band
// with the look choices, the bottom bar, fields, kind messages, chips and keyboards.

#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/visitor.hpp"

#include <optional>
#include <string>
#include <vector>

namespace comptoir::ui::parts {

[[nodiscard]] ImVec4 col(ImU32 c);
[[nodiscard]] float margin(const ScreenContext& c);
/// Adds a sentence to what "Écouter" reads on this screen (nothing a visitor typed).
void say(const ScreenContext& c, const std::string& text, ImVec2 min, ImVec2 max);
/// say() over the last widget drawn.
void sayLastItem(const ScreenContext& c, const std::string& text);
/// Text drawn while it lives is not read aloud (a first name on screen is never said in the hall).
struct Unspoken {
    Readable* r;
    bool was;
    explicit Unspoken(const ScreenContext& c) : r(c.readable), was(r && r->muted) {
        if (r) r->muted = true;
    }
    ~Unspoken() {
        if (r) r->muted = was;
    }
    Unspoken(const Unspoken&) = delete;
    Unspoken& operator=(const Unspoken&) = delete;
};
/// Text wrapped to `width` at the cursor, recorded for `expect`; returns its height.
float paragraph(const ScreenContext& c, ImFont* font, const std::string& text, float width, ImU32 colour);
void title(const ScreenContext& c, const std::string& text);
/// The same text, centred on the window.
void centredLine(ScreenContext& c, ImFont* f, const std::string& text, ImU32 colour);
/// The header band with the look choices and, except on the welcome screen, "Recommencer".
void topBar(VisitorState& st, ScreenContext& c, Effect& fx, bool showRestart);

/// Begins a window over the whole screen, dimmed by `dim` (0–255): a question or a list that
/// takes every tap until it closes. End it with ImGui::End(). Returns its draw list.
ImDrawList* beginOverlay(const char* name, int dim);
/// "Tout effacer et recommencer ?" over the screen when "Recommencer" was tapped on a started form.
void drawRestartQuestion(VisitorState& st, ScreenContext& c, Effect& fx);

/// topBar, then "Étape `step` sur `steps`" and the question as the title.
void stepHeader(VisitorState& st, ScreenContext& c, Effect& fx, const std::string& question, int step,
                int steps);
/// stepHeader without the header band: "Étape N sur M" and the question, at the cursor (inside a
/// beginScreenScroll panel when the keyboard leaves little room).
void stepLines(ScreenContext& c, const std::string& question, int step, int steps);

struct BottomBar {
    bool back = false;
    bool primary = false;
    bool primaryRefused = false; ///< the disabled main action was tapped: say why
};
/// How many columns at least `minWidth` wide fit across `avail` with `gap` between them (1 to
/// `most`): a narrow (portrait) screen gets fewer, wider tiles instead of words cut in two.
[[nodiscard]] int columnsFor(float avail, float minWidth, float gap, int most);
/// The width a tile needs for `texts` in `font`: the widest word (text wraps between words only).
[[nodiscard]] float widestWord(ImFont* font, const std::vector<std::string>& texts, bool rtl);

/// The screen's content from the cursor down to `bottom` (window coordinates; default: the top of
/// the bottom bar) scrolls under the finger when it does not fit (large text, a small or portrait
/// screen), so that nothing runs under the bar or off the screen. `width` from the left edge
/// (default: the window's). Returns false while the finger drags (a drag is not a tap). Close
/// with endScreenScroll.
[[nodiscard]] bool beginScreenScroll(VisitorState& st, ScreenContext& c, const char* id, float bottom = -1,
                                     float width = -1);
/// Closes beginScreenScroll (or any touch-scroll panel): when more lies below, the bottom fades
/// out. Returns true then, and the panel's height in `height`.
bool endScreenScroll(const ScreenContext& c, float* height = nullptr);

/// The free span (window x, from–to) between bottomBar's two buttons: what else may stand in the
/// bar, when it fits there.
[[nodiscard]] std::pair<float, float> bottomBarGap(const ScreenContext& c, const std::string& backLabel,
                                                   const std::string& primaryLabel);
/// "Retour" on the left, the main action on the right, pinned to the bottom of the screen.
BottomBar bottomBar(ScreenContext& c, const std::string& backLabel, const std::string& primaryLabel,
                    bool primaryEnabled = true, ButtonKind primaryKind = ButtonKind::Primary);

/// Lays out chips left to right, wrapping at the right margin.
struct ChipFlow {
    ScreenContext& c;
    float left, right, x, y, rowH;
    bool tapAllowed = true; ///< false while the finger drags the panel
    ChipFlow(ScreenContext& ctx, float top)
        : c(ctx), left(margin(ctx)), right(ImGui::GetWindowWidth() - margin(ctx)), x(left), y(top),
          rowH(ctx.look.px(56)) {}
    bool chip(const std::string& label, bool selected) {
        ImFont* f = c.look.fonts.bold;
        float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(c.look.rtl, label)).x + c.look.px(40);
        if (x + w > right && x > left) {
            x = left;
            y += rowH + c.look.px(10);
        }
        ImGui::SetCursorPos(ImVec2(x, y));
        bool pressed = bigButton(c.look, c.reg, label, ImVec2(w, rowH),
                                 selected ? ButtonKind::Primary : ButtonKind::Secondary);
        x += w + c.look.px(10);
        return pressed && tapAllowed;
    }
    void newLine(float extra = 0) {
        x = left;
        y += rowH + c.look.px(10) + extra;
    }
    float bottom() const { return y + rowH; }
};

/// A field's name above it, in the soft ink.
void fieldLabel(const ScreenContext& c, const std::string& label);
/// A text field as a big rounded box with a steady caret (no blinking: no redraw needed), its name
/// above it, or inside it while it is empty when `labelInside` (a screen short of height).
void field(ScreenContext& c, const std::string& label, const std::string& value, float width,
           bool labelInside = false);
/// Whether `label` fits inside a field of `width` (field's labelInside).
[[nodiscard]] bool labelFitsInField(const ScreenContext& c, const std::string& label, float width);
/// A text field that wraps and grows with what is typed, up to `maxHeight`; past that it scrolls
/// under the finger. Typing keeps the end (and the caret) in view. Each visible line is recorded
/// for `expect` (it is never read aloud).
void multilineField(ScreenContext& c, const std::string& label, const std::string& value, float width,
                    float maxHeight, OfferListState& scroll, std::size_t& shownLength);
/// The kind message under a field (nothing when `problem` is empty), across the window or from
/// `x` (window coordinates) over `width`.
void problemLine(ScreenContext& c, const std::string& problem, float x = -1, float width = -1);
/// The height problemLine takes across the window (with the gap under it); 0 when `problem` is empty.
[[nodiscard]] float problemLineHeight(const ScreenContext& c, const std::string& problem);
/// problemLine across the window, ending at `bottom` (window coordinates): a kind message pinned
/// above the keyboard, outside what scrolls, always in view. Nothing when `problem` is empty.
void pinnedProblemLine(ScreenContext& c, const std::string& problem, float bottom);
/// Applies a key to a field bounded to `max` code points: a character that does not fit sets
/// `problem` to `tooLong` (said, never silently dropped); any other key clears it.
void typeBounded(std::string& value, const KeyPress& key, std::size_t max, std::string& problem,
                 const std::string& tooLong);
[[nodiscard]] KeyboardLabels keyboardLabels(const Strings& s);
/// Where keyboardAtBottom puts the top of the keyboard (window coordinates). The keys keep their
/// size whatever the text size (only a short frame makes them smaller, down to a fingertip): what
/// stands above them ends here, and scrolls (beginScreenScroll) when larger text needs more room.
[[nodiscard]] float keyboardTop(const ScreenContext& c, KeyboardLayout layout);
/// The keyboard pinned above the bottom bar; returns the key tapped.
std::optional<KeyPress> keyboardAtBottom(VisitorState& st, ScreenContext& c, KeyboardLayout layout);
void confirmChoice(ScreenContext& c, const std::string& label, bool& pressed, float y);
[[nodiscard]] std::string addDays(const std::string& today, int days);

/// The language button (a globe and the current language's own name) at `pos` (window
/// coordinates); toggles the list. Nothing when only French is offered. Width: languageButtonWidth.
bool languageButton(VisitorState& st, ScreenContext& c, ImVec2 pos, float height, ButtonKind kind);
[[nodiscard]] float languageButtonWidth(const ScreenContext& c);
/// The list of languages over the screen, when open (language_screens.cpp).
void drawLanguageMenu(VisitorState& st, ScreenContext& c, Effect& fx);
/// A big tile's card: shadow, surface, outline when chosen (with a tick), darker while pressed.
void tileFrame(const ScreenContext& c, ImVec2 pos, ImVec2 max, bool selected, bool held);
/// A theme's tile: coloured disc, pictogram, name, count; `selected` draws a tick. Returns true when tapped.
bool themeTile(ScreenContext& c, const VisitorCatalogue::ThemeTile& t, ImVec2 at, ImVec2 size, bool selected);

/// "Mots difficiles" (words_screen.cpp): the button's width, and the button itself in the slot the
/// header kept, drawn only when the screen just drawn shows one of the explained words.
[[nodiscard]] float wordsButtonWidth(const ScreenContext& c);
void drawWordsButton(VisitorState& st, ScreenContext& c);
/// True when a text recorded this frame holds one of the explained words (display language or French).
[[nodiscard]] bool showsHardWord(const ScreenContext& c);
/// The explained words (their ids: words.<id>) that `text` holds, in the screen's order.
[[nodiscard]] std::vector<std::string> hardWordsIn(const ScreenContext& c, const std::string& text);
/// One button per word of `ids`, named by its term, at the cursor within `width`: a tap opens
/// "Mots difficiles" on that word ("Retour" comes back here). Returns the height used.
float wordButtons(VisitorState& st, ScreenContext& c, const std::vector<std::string>& ids, float width);

// Screens drawn in files of their own.
void drawSaving(VisitorState& st, ScreenContext& c, Effect& fx);     // save_screens.cpp
void drawSaveFailed(VisitorState& st, ScreenContext& c, Effect& fx); // save_screens.cpp
void drawGuided(VisitorState& st, ScreenContext& c, Effect& fx);     // guided_screens.cpp
void drawWords(VisitorState& st, ScreenContext& c, Effect& fx);      // words_screen.cpp

} // namespace comptoir::ui::parts
