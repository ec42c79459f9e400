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
    auto t0 = std::chrono::steady_clock::now();
    speech.say("Une heure ou plus : chaque coup de main compte.");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(50));
    for (int i = 0; i < 200 && speech.spoken() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    CHECK(speech.spoken() == 1);
}
