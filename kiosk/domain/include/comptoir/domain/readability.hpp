#pragma once
/// @brief How easy a French text is to read: a syllable counter and the Kandel–Moles score (Flesch's
/// formula adapted to French, 1958). Used by the tests on every visitor sentence and the demo offers.

#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

/// Written syllables of one French word, as a hyphenation dictionary cuts them ("ta-ble" 2,
/// "bé-né-vo-lat" 4, "as-so-cia-tion" 4, "na-ïf" 2, "ci-to-yen" 3): groups of vowels, split after
/// "é" (but "ée" stays one), before a vowel with a diaeresis, and at a "y" between vowels. Letters
/// without a vowel ("l'", "h") count 1 when they are a word of their own; digits count one each.
/// Not a dictionary: about one word in twenty of ordinary prose is off by one ("cré-er" gives 1).
[[nodiscard]] int frenchSyllables(std::string_view word);

struct ReadabilityCount {
    long sentences = 0, words = 0, syllables = 0;
    ReadabilityCount& operator+=(const ReadabilityCount& o) {
        sentences += o.sentences;
        words += o.words;
        syllables += o.syllables;
        return *this;
    }
};

/// The sentences of a text: cut after . ! ? … ; and at line ends; a label without a full stop is
/// one sentence. "{placeholders}" count as one short word. Empty pieces are dropped.
[[nodiscard]] std::vector<std::string> frenchSentences(std::string_view text);
/// Words (whitespace-separated pieces holding a letter or digit) of a text.
[[nodiscard]] long frenchWords(std::string_view text);
[[nodiscard]] ReadabilityCount countFrench(std::string_view text);
/// 207 − 1.015 × words per sentence − 73.6 × syllables per word; 0 words gives 0.
/// Read it as Flesch's scale: 90+ very easy, 80–90 easy, 70–80 fairly easy, 60–70 standard.
[[nodiscard]] double kandelMoles(const ReadabilityCount& c);

} // namespace comptoir
