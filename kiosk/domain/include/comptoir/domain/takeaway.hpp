#pragma once
/// @brief The take-away ticket: a short text a visitor keeps on a phone (as a QR code) or on
/// paper, with no personal data in it, and the QR code's modules.

#include "comptoir/domain/i18n.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace comptoir {

/// What the ticket tells. Only public facts: the offer, its host's public contact, the reference
/// code. There is deliberately no field for a name, phone or e-mail of the visitor.
struct TakeawayFacts {
    std::string siteName;     ///< "Comptoir Citoyen d'Angers"
    std::string title;        ///< the offer's title; empty for a call-back without an offer
    std::string when;         ///< as shown on the detail screen
    std::string where;        ///< place and neighbourhood
    std::string organisation; ///< the host organisation's name
    std::string contact;      ///< the host organisation's public contact (phone of its office…)
    std::string reference;    ///< the visitor's reference code, when there is one
    std::string onlineUrl = {}; ///< the publishing platform's page for the offer (http/https), if any
};

/// Longest ticket text, in bytes: a QR code of this size stays readable on screen and on a
/// 58 mm receipt. Each line is shortened (on a character boundary, with "…") to fit.
inline constexpr std::size_t kTakeawayMaxBytes = 360;

/// The ticket as plain lines, labels in the visitor's language ("Quand : …").
[[nodiscard]] std::string takeawayText(const TakeawayFacts& facts, const Strings& s);

/// A QR code as a square of modules (true = dark), without the quiet zone.
struct QrMatrix {
    int size = 0; ///< modules per side; 0 when encoding failed
    std::vector<std::uint8_t> dark;
    [[nodiscard]] bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)] != 0; }
};

/// Modules of quiet zone the QR specification asks around the code.
inline constexpr int kQrQuietZone = 4;

/// Encodes `text` (UTF-8, byte mode, error correction M). Returns size 0 when the text is too
/// long for a QR code or the encoder fails.
[[nodiscard]] QrMatrix encodeQr(const std::string& text);

} // namespace comptoir
