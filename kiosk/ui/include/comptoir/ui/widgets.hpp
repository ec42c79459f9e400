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
};

/// Labels and rectangles of the widgets drawn in the current frame.
///
/// Every text is recorded in one place: addText (bidi.hpp), the only way the kiosk draws text,
/// records each text it draws, where it is visible, into the registry of the frame being drawn
/// (the last one to call beginFrame). Widgets record themselves only as tappable rectangles.
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
    void record(std::string label, ImVec2 min, ImVec2 max) { m_current.push_back({std::move(label), min, max, true}); }
    void recordText(std::string label, ImVec2 min, ImVec2 max) { m_current.push_back({std::move(label), min, max, false}); }
    void recordKey(std::string label, ImVec2 min, ImVec2 max) { m_current.push_back({std::move(label), min, max, true, true}); }
    [[nodiscard]] const std::vector<WidgetRecord>& widgets() const { return m_current; }
    /// A widget showing `label`: a tappable one when there is one (a button's own text is also
    /// recorded as text), else a text.
    [[nodiscard]] const WidgetRecord* find(const std::string& label) const;
    /// A key of the on-screen keyboard (so that typing "A" never taps the text-size "A" button).
    [[nodiscard]] const WidgetRecord* findKey(const std::string& label) const;
    /// Moves every rectangle to its mirrored place (a right-to-left frame, mirrored once drawn).
    void mirrorX(float displayWidth) {
        for (auto& w : m_current) {
            float a = w.min.x;
            w.min.x = displayWidth - w.max.x;
            w.max.x = displayWidth - a;
        }
    }

  private:
    std::vector<WidgetRecord> m_current;
};

/// Disabled: flat, without shadow, grey text: visibly not ready (tapping it may explain why).
enum class ButtonKind { Primary, Secondary, Quiet, Disabled };

/// A large rounded button; true when tapped. Height at least 48 design px.
bool bigButton(const Look& look, WidgetRegistry& reg, const std::string& label, ImVec2 size,
               ButtonKind kind = ButtonKind::Primary);

/// A small rounded label ("Accès fauteuil"); returns its width.
float drawBadge(ImDrawList* dl, const Look& look, ImVec2 pos, const std::string& text, ImU32 bg, ImU32 fg);
[[nodiscard]] float badgeWidth(const Look& look, const std::string& text);

} // namespace comptoir::ui
