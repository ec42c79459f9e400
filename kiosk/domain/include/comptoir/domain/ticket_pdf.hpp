#pragma once
/// @brief The printed take-away ticket: a one-page PDF at receipt width, the ticket's text and its
/// QR code, written by hand (no PDF library needed for text, rectangles and one standard font).

#include "comptoir/domain/takeaway.hpp"

#include <string>

namespace comptoir {

/// Receipt paper widths the kiosk knows (millimetres).
[[nodiscard]] bool isReceiptWidth(int mm);

/// A PDF 1.4 document, one page `widthMm` wide and as tall as the ticket: the text in Helvetica
/// (WinAnsi: French, English, Spanish letters; others print as '?'), wrapped to the width, then
/// the QR code of the same text, modules as filled squares with their quiet zone.
/// Empty when `widthMm` is not a receipt width or the text cannot be encoded.
[[nodiscard]] std::string ticketPdf(const std::string& ticketText, int widthMm);

} // namespace comptoir
