#pragma once
/// @brief Simple vector pictograms for themes, drawn with Dear ImGui's draw list (no image files).

#include <imgui.h>
#include <string>

namespace comptoir::ui {

/// Draws the pictogram `key` (hands, leaf, palette, ball, heart, house, star, screen, cane, ballot)
/// centred on `c`, fitting in a square of side `size`; the guided choice's answers: person, people,
/// child, tree, chair, sun, sunrise, moon, week, weekend, once, few, repeat, any; speaker. Unknown keys draw
/// a dot.
void drawPictogram(ImDrawList* dl, const std::string& key, ImVec2 c, float size, ImU32 colour);

} // namespace comptoir::ui
