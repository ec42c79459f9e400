#pragma once
/// @brief French text made ready to be read aloud: what is written for the eye ("11 h 30",
/// "2,5", "06 12 34 56 78", "K7F-4QX") said the way a person would say it.

#include <string>

namespace comptoir {

/// "11 h 30" → "11 heures 30", "1 h" → "1 heure", "45 min" → "45 minutes", "2.5" → "2 virgule 5",
/// a French phone number → its digits in pairs ("06, 12, 34, 56, 78"), a reference code → letter
/// by letter ("K, 7, F, 4, Q, X"). The synthesiser says the numbers themselves.
[[nodiscard]] std::string textForSpeech(const std::string& text);

} // namespace comptoir
