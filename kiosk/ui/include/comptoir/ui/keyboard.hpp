#pragma once
/// @brief The on-screen keyboard: AZERTY with French accents, a digits layout for phone numbers,
/// an e-mail layout with @, ".fr" and ".com". Large keys, backspace with repeat.

#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <optional>
#include <string>

namespace comptoir::ui {

/// Search needs no accent row: matching ignores accents, and the results get the room.
enum class KeyboardLayout { Letters, Digits, Email, Search };

/// Labels of the special keys; they come from the translation catalogue.
struct KeyboardLabels {
    std::string shift = "Maj";
    std::string backspace = "Effacer";
    std::string space = "Espace";
    std::string digits = "123";
    std::string letters = "ABC";
};

struct KeyboardState {
    bool shift = false;
    bool digitsOnLetters = false; ///< the "123" page of the letters layout
    float backspaceHeld = 0;      ///< seconds the backspace key has been held
    float repeatClock = 0;
};

struct KeyPress {
    std::string text; ///< UTF-8 to insert; empty for backspace
    bool backspace = false;
};

/// Draws the keyboard in the rectangle and returns the key tapped this frame, if any. Keys get
/// shorter (never below a fingertip) when `maxHeight` is tight.
[[nodiscard]] std::optional<KeyPress> drawKeyboard(KeyboardLayout layout, KeyboardState& state,
                                                   const KeyboardLabels& labels, const Look& look,
                                                   WidgetRegistry& reg, ImVec2 pos, float width, float dt,
                                                   float maxHeight = FLT_MAX);
/// Height the keyboard takes for a width (and at most maxHeight, within the fingertip limit).
[[nodiscard]] float keyboardHeight(KeyboardLayout layout, const Look& look, float width, float maxHeight = FLT_MAX);

/// Applies a key to a field: inserts (up to maxCodePoints) or deletes the last code point.
void applyKey(std::string& field, const KeyPress& key, std::size_t maxCodePoints);
/// Upper-case of one UTF-8 character used on the keyboard (a → A, é → É, œ → Œ).
[[nodiscard]] std::string upperKey(const std::string& key);

} // namespace comptoir::ui
