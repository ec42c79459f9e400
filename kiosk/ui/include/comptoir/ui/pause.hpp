#pragma once
/// @brief "Le Comptoir revient dans un instant": the screen of the fallback session, shown after
/// repeated failures instead of a console (config/systemd/comptoir-kiosk-fallback.service).

#include "comptoir/domain/i18n.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

namespace comptoir::ui {

/// Draws the whole screen in the current Dear ImGui frame (strings pause.title, pause.body).
void drawPause(const Look& look, const Strings& strings, WidgetRegistry& reg);

} // namespace comptoir::ui
