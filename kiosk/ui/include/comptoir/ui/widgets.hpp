#pragma once
/// @brief The kiosk's own touch widgets. Each records its visible label and rectangle every
/// frame so that scripted sessions (tap "LABEL", expect "LABEL") can find it.

#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/theme.hpp"

#include <imgui.h>
#include <string>
#include <vector>

namespace comptoir::ui {

struct WidgetRecord {
    std::string label;
    ImVec2 min, max;
    bool tappable = true; ///< false for text that is only read (still found by `expect`)
    bool key = false;     ///< a key of the on-screen keyboard
    /// The room its text needs (the unwrapped line, or for wrapped text its widest line or word,
    /// and its height); zero when not measured. Larger than max - min: the text overflows.
    ImVec2 ink{0, 0};
    /// The clip rectangle it was drawn under (a scrolled list shows only part of its cards).
    ImVec2 clipMin{0, 0}, clipMax{0, 0};
    /// Under something drawn over it (the on-screen keyboard, a menu): it takes no tap.
    bool covered = false;
};

/// Labels and rectangles of the widgets drawn in the current frame.
///
/// Every text is recorded in one place: addText (bidi.hpp), the only way the kiosk draws text,
/// records each text it draws, where it is visible, into the registry of the frame being drawn
/// (the last one to call beginFrame), with the rectangle it covers. Widgets record their tappable
/// rectangles; a text laid out in a box may also record that box with the room its text needs
/// (`ink`), which the layout test compares.
class WidgetRegistry {
  public:
    WidgetRegistry() = default;
    WidgetRegistry(const WidgetRegistry&) = delete;
    WidgetRegistry& operator=(const WidgetRegistry&) = delete;
    ~WidgetRegistry();
    /// Clears the records and makes this registry the one drawn texts go to.
    void beginFrame();
    /// The registry of the frame being drawn on this thread; null before any beginFrame.
    [[nodiscard]] static WidgetRegistry* drawing();
    void record(std::string label, ImVec2 min, ImVec2 max, ImVec2 ink = {0, 0}) {
        add({std::move(label), min, max, true, false, ink});
    }
    void recordText(std::string label, ImVec2 min, ImVec2 max, ImVec2 ink = {0, 0}) {
        add({std::move(label), min, max, false, false, ink});
    }
    void recordKey(std::string label, ImVec2 min, ImVec2 max, ImVec2 ink = {0, 0}) {
        add({std::move(label), min, max, true, true, ink});
    }
    [[nodiscard]] const std::vector<WidgetRecord>& widgets() const { return m_current; }
    /// A widget showing `label`: a tappable one when there is one (a button's own text is also
    /// recorded as text), else a text.
    [[nodiscard]] const WidgetRecord* find(const std::string& label) const;
    /// A key of the on-screen keyboard (so that typing "A" never taps the text-size "A" button).
    [[nodiscard]] const WidgetRecord* findKey(const std::string& label) const;

    /// Something drawn over the screen (the keyboard, a menu) claims [min, max]: until it is
    /// drawn again, widgets drawn outside a Cover scope that lie under it take no tap, so a
    /// finger on a key never reaches the button hidden under the keyboard.
    void cover(ImVec2 min, ImVec2 max);
    /// True when a point lies under a cover of this frame or the last one, and we are not
    /// drawing the covering thing itself.
    [[nodiscard]] bool coveredAt(ImVec2 p) const;
    /// True when any part of [min, max] lies under a cover (outside a Cover scope).
    [[nodiscard]] bool coveredRect(ImVec2 min, ImVec2 max) const;
    /// While it lives, widgets drawn are the covering thing's own (its keys): never covered.
    struct CoverScope {
        WidgetRegistry& r;
        explicit CoverScope(WidgetRegistry& reg) : r(reg) { ++r.m_coverDepth; }
        ~CoverScope() { --r.m_coverDepth; }
        CoverScope(const CoverScope&) = delete;
        CoverScope& operator=(const CoverScope&) = delete;
    };

    /// Moves every rectangle to its mirrored place (a right-to-left frame, mirrored once drawn).
    void mirrorX(float displayWidth) {
        auto flip = [displayWidth](ImVec2& a, ImVec2& b) {
            float x = a.x;
            a.x = displayWidth - b.x;
            b.x = displayWidth - x;
        };
        for (auto& w : m_current) {
            flip(w.min, w.max);
            flip(w.clipMin, w.clipMax);
        }
    }

  private:
    struct Rect {
        ImVec2 min, max;
    };
    void add(WidgetRecord w);
    std::vector<WidgetRecord> m_current;
    std::vector<Rect> m_covers, m_coversBefore;
    int m_coverDepth = 0;
};

/// The room `text` needs when wrapped to `width`: its widest line or, wider still, its widest
/// word (a word wider than the room would be cut in two), and its height.
[[nodiscard]] ImVec2 wrappedInk(ImFont* font, const char* text, float width);

/// Disabled: flat, without shadow, grey text: visibly not ready (tapping it may explain why).
enum class ButtonKind { Primary, Secondary, Quiet, Disabled };

/// An invisible touch area of `size` at the cursor (ImGui::InvisibleButton); true when tapped.
/// Under a cover (WidgetRegistry::cover) it keeps its place but is never hovered nor pressed,
/// so the tap goes to what covers it.
bool touchTarget(WidgetRegistry& reg, const char* id, ImVec2 size);

/// A large rounded button; true when tapped. Height at least 48 design px.
bool bigButton(const Look& look, WidgetRegistry& reg, const std::string& label, ImVec2 size,
               ButtonKind kind = ButtonKind::Primary);

/// A small rounded label ("Accès fauteuil"); returns its width.
float drawBadge(ImDrawList* dl, const Look& look, ImVec2 pos, const std::string& text, ImU32 bg, ImU32 fg);
[[nodiscard]] float badgeWidth(const Look& look, const std::string& text);

} // namespace comptoir::ui
