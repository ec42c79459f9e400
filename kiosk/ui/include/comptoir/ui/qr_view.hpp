#pragma once
/// @brief A QR code drawn with Dear ImGui: black modules on white, whole pixels, quiet zone.

#include "comptoir/domain/takeaway.hpp"

#include <imgui.h>
#include <string>

namespace comptoir::ui {

/// The code for `text`, encoded once and kept while the same text is drawn frame after frame
/// (UI thread only).
[[nodiscard]] const QrMatrix& qrFor(const std::string& text);

/// Side in pixels of `code` drawn in at most `maxSide` px: every module the same whole number of
/// pixels (at least 1), quiet zone included. 0 for an empty code.
[[nodiscard]] float qrSide(const QrMatrix& code, float maxSide);

/// Draws `code` with its quiet zone at `topLeft` (rounded to a whole pixel), in a square of at
/// most `maxSide` px. Always dark on white, whatever the palette: that is what phones read.
/// Returns the side used.
float drawQr(ImDrawList* dl, const QrMatrix& code, ImVec2 topLeft, float maxSide);

} // namespace comptoir::ui
