#pragma once
/// @brief The printed take-away ticket: a one-page PDF at receipt width, the ticket's text and its
/// QR code, written by hand (no PDF library needed for an image, text, rectangles and one standard font).

#include "comptoir/domain/takeaway.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace comptoir {

/// Receipt paper widths the kiosk knows (millimetres).
[[nodiscard]] bool isReceiptWidth(int mm);

/// The ticket's text already drawn (ui::ticketTextImage): one byte a pixel, 0 black, 255 white.
struct TicketImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> grey;
    int missingGlyphs = 0; ///< characters no font of the kiosk could draw (tests look for 0)
};

/// Text size on paper: 9 pt. The pixel width to draw the text at, for a font of `fontPx` pixels,
/// so that it lands at 9 pt across the printable width of `widthMm` paper (0 when not a receipt width).
[[nodiscard]] int ticketTextWidthPx(int widthMm, float fontPx);

/// A PDF 1.4 document, one page `widthMm` wide and as tall as the ticket, then the QR code of the
/// same text, modules as filled squares with their quiet zone. The text is `image` when it has
/// pixels — every script printed as the screens draw it — with, when the text is all WinAnsi
/// (French, English, Spanish), the same text invisible over it so that it can still be searched
/// and copied; without an image, the text in Helvetica (WinAnsi; other letters print as '?').
/// Empty when `widthMm` is not a receipt width, the text cannot be encoded, or the image is
/// larger than 4096 × 8192 pixels or does not hold width × height bytes.
[[nodiscard]] std::string ticketPdf(const std::string& ticketText, int widthMm,
                                    const TicketImage& image = {});

} // namespace comptoir
