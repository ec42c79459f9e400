#pragma once
/// @brief "Le Comptoir revient dans un instant": the screen of the fallback session, shown after
/// repeated failures instead of a console (config/systemd/comptoir-kiosk-fallback.service).

#include "comptoir/domain/i18n.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

namespace comptoir::ui {

/// Draws the whole screen in the current Dear ImGui frame (strings pause.title, pause.body).
void drawPause(const Look& look, const Strings& strings);

/// The kiosk at night ([display] night): an almost black screen with one soft line, "Touchez
/// l'écran pour commencer" (night.touch), and nothing to tap: any touch wakes the kiosk.
void drawNight(const Look& look, const Strings& strings);

/// The night screen's colours: almost black, the line a dim warm grey.
inline constexpr ImU32 kNightBackground = IM_COL32(8, 8, 10, 255);
inline constexpr ImU32 kNightInk = IM_COL32(104, 98, 90, 255);

} // namespace comptoir::ui
