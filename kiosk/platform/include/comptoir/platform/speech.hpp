#pragma once
/// @brief Read-aloud: espeak-ng speaks a text in the display language, SDL plays it.
///
/// Synthesis and playback run on their own thread: a frame never waits for speech. Sound is
/// queued to the audio device chunk by chunk as espeak-ng produces it, so the first words are
/// heard long before a whole screen is synthesised, and stop() cuts synthesis short. Without an
/// audio device (headless runs, tests) the text is still synthesised, then dropped.

#include <atomic>
#include <chrono>
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
bool synthesise(const std::string& text, const std::string& language, std::vector<std::int16_t>& pcm,
                int& sampleRate, std::string& error);

/// Whether read-aloud can be heard: the screens show a note when it cannot.
enum class SpeechStatus {
    Unknown, ///< not checked yet
    Ready,
    NoVoice, ///< espeak-ng or its voice for the language is missing
    NoAudio, ///< playback wanted, but no audio device could be opened
};

class Speech {
  public:
    /// `playback`: open an SDL audio device (false in headless runs).
    explicit Speech(bool playback);
    ~Speech();
    Speech(const Speech&) = delete;
    Speech& operator=(const Speech&) = delete;

    /// Speaks the text, interrupting whatever was being said. Never blocks.
    void say(const std::string& text, const std::string& language = "fr");
    /// Speaks the parts one after the other (a screen's sentences); currentPart() follows them.
    void say(std::vector<std::string> parts, const std::string& language);
    /// Stops speaking now (a touch elsewhere, leaving the screen, idle reset).
    void stop();
    /// 0 soft, 1 normal, 2 loud; applies from the next text.
    void setVolume(int level);
    [[nodiscard]] bool speaking() const;
    /// How many texts were synthesised to their end (tests).
    [[nodiscard]] int spoken() const { return m_spoken.load(); }
    /// The language (espeak-ng voice) of the last say(): the display language's (tests).
    [[nodiscard]] std::string lastLanguage() const {
        std::lock_guard lock(m_mutex);
        return m_lastLanguage;
    }
    /// The part being heard (being synthesised without playback); -1 when silent.
    [[nodiscard]] int currentPart() const;
    [[nodiscard]] SpeechStatus status() const { return m_status.load(); }
    /// Every part handed to the synthesiser since start, in order (tests check what is said).
    [[nodiscard]] std::vector<std::string> heard() const;
    /// Milliseconds from the last say() to its first samples queued to the device (or produced,
    /// without playback); nullopt until they are.
    [[nodiscard]] std::optional<double> lastFirstAudioMs() const;

  private:
    using Clock = std::chrono::steady_clock;
    struct Job {
        std::vector<std::string> parts;
        std::string language;
        std::uint64_t generation = 0;
        Clock::time_point asked;
    };
    void loop();
    void openDevice(int rate);
    void run(const Job& job);

    bool m_playback;
    mutable std::mutex m_mutex;
    std::string m_lastLanguage;
    std::condition_variable m_wake;
    std::optional<Job> m_next;
    bool m_quit = false;
    std::atomic<std::uint64_t> m_generation{0};
    std::atomic<bool> m_synthesising{false};
    std::atomic<int> m_spoken{0};
    std::atomic<int> m_volume{1};
    std::atomic<SpeechStatus> m_status{SpeechStatus::Unknown};
    std::atomic<int> m_part{-1}; ///< part being synthesised
    // guarded by m_mutex
    std::vector<std::string> m_heard;
    std::vector<std::uint64_t> m_partEnds; ///< bytes queued up to the end of each part of the current job
    std::uint64_t m_queuedTotal = 0;       ///< bytes queued since the current job began
    std::optional<double> m_firstAudioMs;
    std::atomic<std::uint32_t> m_device{0}; ///< opened once by the speech thread
    bool m_audioInitialised = false;        ///< this object started SDL's audio subsystem
    std::thread m_thread;
};

} // namespace comptoir::platform
