#pragma once
/// @brief Scripted sessions: replays a plain-text script against the real kiosk, headless.
///
///   tap "LABEL"            tap the widget showing LABEL (button, tile, chip, card, key);
///                          "PREFIX*" taps the first tappable one whose label starts with PREFIX
///   tap X Y                tap a point
///   drag X1 Y1 X2 Y2 MS    press at (X1,Y1), move to (X2,Y2) over MS milliseconds, release
///   type TEXT              press TEXT key by key on the on-screen keyboard (pressing "Maj",
///                          "123" or "ABC" first when a key is on another page; spaces are
///                          skipped on the phone keypad, which groups digits by itself)
///   wait SECONDS           let virtual time pass (idle timeouts happen at once)
///   expect "LABEL"         fail unless a widget labelled LABEL is on screen
///   absent "LABEL"         fail if a widget labelled LABEL is on screen
///   gesture                the secret way into agent mode: three taps in the top-left corner
///   press KEY              a physical key: Enter, Tab, Shift+Tab, Backspace or Escape
///   keys TEXT              TEXT typed on a physical keyboard
///   screenshot FILE        write the current screen as PNG
/// Blank lines and lines starting with # are ignored.

#include "comptoir/app/session.hpp"

#include <istream>
#include <string>

namespace comptoir::app {

struct ScriptResult {
    bool ok = true;
    int line = 0;        ///< the failing line, 1-based
    std::string text;    ///< its text
    std::string message; ///< why it failed
};

/// Runs every line; stops at the first failing one.
[[nodiscard]] ScriptResult runScript(KioskSession& session, std::istream& script);

/// Helpers the tests use directly.
bool tapLabel(KioskSession& session, const std::string& label);
void tapPoint(KioskSession& session, float x, float y);
bool typeText(KioskSession& session, const std::string& text, std::string& error);
void waitSeconds(KioskSession& session, double seconds);
void secretGesture(KioskSession& session);
bool pressKey(KioskSession& session, const std::string& key);

} // namespace comptoir::app
