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
    for (auto s : pcm)
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    CHECK(peak > 2000); // not silence
    std::vector<std::int16_t> shorter;
    REQUIRE(synthesise("Bonjour.", "fr", shorter, rate, error));
    CHECK(shorter.size() < pcm.size());
}

TEST_CASE("speech runs on its own thread and never blocks the caller") {
    Speech speech(false);
    std::string text;
    for (int i = 0; i < 12; ++i)
        text += "Vous aidez à trier les dons, vous travaillez en équipe, on vous explique tout. ";
    speech.say(text);
    // say() only hands the text over: a dozen sentences take far longer to synthesise than
    // it takes to get here, so nothing can have been spoken yet if say() did not block.
    CHECK(speech.spoken() == 0);
    for (int i = 0; i < 600 && speech.spoken() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(speech.spoken() == 1);
}

TEST_CASE(
    "no audio device: a status to show, speech still synthesised; a device: audio queued chunk by chunk") {
    // SDL picks its audio driver when the subsystem starts: first one that does not exist…
    REQUIRE(setenv("SDL_AUDIODRIVER", "no-such-driver", 1) == 0);
    {
        Speech speech(true);
        for (int i = 0; i < 400 && speech.status() == SpeechStatus::Unknown; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(speech.status() == SpeechStatus::NoAudio);
        speech.say("Bonjour.");
        for (int i = 0; i < 400 && speech.spoken() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(speech.spoken() == 1);
        CHECK(speech.status() == SpeechStatus::NoAudio);
    }
    // …then SDL's dummy driver, which plays into nothing at the pace of a real card.
    REQUIRE(setenv("SDL_AUDIODRIVER", "dummy", 1) == 0);
    {
        Speech speech(true);
        for (int i = 0; i < 400 && speech.status() == SpeechStatus::Unknown; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(speech.status() == SpeechStatus::Ready);
        speech.say(
            std::vector<std::string>{"Première phrase, assez longue pour durer un moment à voix haute.",
                                     "Deuxième phrase."},
            "fr");
        for (int i = 0; i < 400 && !speech.lastFirstAudioMs(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(speech.lastFirstAudioMs());
        CHECK(speech.currentPart() == 0); // the card is still playing the first sentence
        // The two sentences last about five seconds at the card's pace; stop() drops what is
        // queued at once and synthesis stops at its next chunk, so silence comes long before.
        speech.stop();
        for (int i = 0; i < 200 && speech.speaking(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK_FALSE(speech.speaking());
        CHECK(speech.currentPart() == -1);
        CHECK(speech.heard().front() == "Première phrase, assez longue pour durer un moment à voix haute.");
    }
    unsetenv("SDL_AUDIODRIVER");
}

TEST_CASE("a missing voice is a status, not a crash") {
    Speech speech(false);
    speech.say("Bonjour.", "zz-no-such-voice");
    for (int i = 0; i < 400 && speech.status() != SpeechStatus::NoVoice; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(speech.status() == SpeechStatus::NoVoice);
    CHECK(speech.spoken() == 0);
}
