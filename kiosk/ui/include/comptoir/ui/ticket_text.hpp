#pragma once
/// @brief The printed ticket's text drawn as a picture with the kiosk's fonts and text pipeline, so
/// that Arabic and Ukrainian print as they show on screen (a standard PDF font has neither).

#include "comptoir/domain/ticket_pdf.hpp"

#include <string>

namespace comptoir::ui {

/// Draws `text` (lines separated by '\n', each wrapped to `widthPx`) black on white with Noto Sans
/// and Noto Sans Arabic at `fontPx` pixels, as the screens do: Arabic joined and ordered by
/// FriBidi (ui::visualRtlLine) and larger (kArabicScaleBody), on the Latin baseline; lines flush right when
/// `rtl`. Reads the font files itself (no Dear ImGui state): safe on any thread. An empty image
/// when the fonts cannot be read or the sizes are out of bounds (widthPx 64–4096, fontPx 6–200;
/// at most 8192 rows: further lines are left off).
[[nodiscard]] TicketImage ticketTextImage(const std::string& text, int widthPx, float fontPx, bool rtl);

/// Pixels of the ticket's text size: 28 px at 9 pt is about 220 dpi, a receipt printer's 203 dpi.
inline constexpr float kTicketFontPx = 28.0f;

/// The ticket as printed: ticketPdf with the text drawn by ticketTextImage at kTicketFontPx for
/// `widthMm` paper; the Helvetica text only if the fonts cannot be read. Empty as ticketPdf is.
[[nodiscard]] std::string printableTicketPdf(const std::string& text, int widthMm, bool rtl);

} // namespace comptoir::ui
