#include "comptoir/platform/speech.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace comptoir::platform;

TEST_CASE("espeak-ng reads a French sentence aloud") {
    std::vector<std::int16_t> pcm;
    int rate = 0;
    std::string error;
    REQUIRE(synthesise("Vous aidez à trier les dons. Pas besoin d'expérience.", "fr", pcm, rate, error));
    REQUIRE(rate > 8000);
    double seconds = static_cast<double>(pcm.size()) / rate;
    CHECK(seconds > 1.5); // two short sentences take a few seconds to say
    CHECK(seconds < 15);
    int peak = 0;
    for (auto s : pcm) peak = std::max(peak, std::abs(static_cast<int>(s)));
    CHECK(peak > 2000); // not silence
    std::vector<std::int16_t> shorter;
    REQUIRE(synthesise("Bonjour.", "fr", shorter, rate, error));
    CHECK(shorter.size() < pcm.size());
}

TEST_CASE("speech runs on its own thread and never blocks the caller") {
    Speech speech(false);
    std::string text;
    for (int i = 0; i < 12; ++i) text += "Vous aidez à trier les dons, vous travaillez en équipe, on vous explique tout. ";
    speech.say(text);
    // say() only hands the text over: a dozen sentences take far longer to synthesise than
    // it takes to get here, so nothing can have been spoken yet if say() did not block.
    CHECK(speech.spoken() == 0);
    for (int i = 0; i < 600 && speech.spoken() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(speech.spoken() == 1);
}
