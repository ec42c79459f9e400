#pragma once
/// @brief Read-aloud: espeak-ng speaks a text in French (or another language), SDL plays it.
///
/// Synthesis and playback run on their own thread: a frame never waits for speech. Without an
/// audio device (headless runs, tests) the text is still synthesised, then dropped.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::platform {

/// Synthesises `text` to 16-bit mono PCM; false with a reason when espeak-ng cannot.
/// Not thread-safe (espeak-ng is not): call from one thread at a time.
bool synthesise(const std::string& text, const std::string& language, std::vector<std::int16_t>& pcm, int& sampleRate,
                std::string& error);

class Speech {
  public:
    /// `playback`: open an SDL audio device (false in headless runs).
    explicit Speech(bool playback);
    ~Speech();
    Speech(const Speech&) = delete;
    Speech& operator=(const Speech&) = delete;

    /// Speaks the text, interrupting whatever was being said. Never blocks.
    void say(const std::string& text, const std::string& language = "fr");
    /// Stops speaking now (leaving the screen, idle reset).
    void stop();
    [[nodiscard]] bool speaking() const { return m_speaking.load(); }
    /// How many texts were synthesised (tests).
    [[nodiscard]] int spoken() const { return m_spoken.load(); }
    /// The language (espeak-ng voice) of the last say(): the display language's (tests).
    [[nodiscard]] std::string lastLanguage() const {
        std::lock_guard lock(m_mutex);
        return m_lastLanguage;
    }

  private:
    void loop();

    bool m_playback;
    mutable std::mutex m_mutex;
    std::string m_lastLanguage;
    std::condition_variable m_wake;
    std::optional<std::pair<std::string, std::string>> m_next;
    bool m_quit = false;
    std::atomic<bool> m_speaking{false};
    std::atomic<int> m_spoken{0};
    std::uint32_t m_device = 0;
    std::thread m_thread;
};

} // namespace comptoir::platform
