#include "comptoir/platform/speech.hpp"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <functional>

namespace comptoir::platform {

namespace {

// espeak-ng's callback has no user pointer per call; synthesis runs on one thread at a time.
std::function<int(short*, int)>* g_sink = nullptr;

int collect(short* wav, int samples, espeak_EVENT*) {
    if (wav && samples > 0 && g_sink) return (*g_sink)(wav, samples);
    return 0;
}

int initialiseOnce(std::string& error) {
    static int rate = [] {
        // 100 ms chunks: the first words reach the sound card quickly, a stop() is felt at once.
        int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, nullptr, 0);
        if (r > 0) espeak_SetSynthCallback(collect);
        return r;
    }();
    if (rate <= 0) error = "espeak-ng cannot start (is espeak-ng-data installed?)";
    return rate;
}

/// Synthesises `text`, handing each chunk to `sink` (which returns 1 to stop early).
bool synthesiseTo(const std::string& text, const std::string& language, int volume,
                  std::function<int(short*, int)> sink, int& sampleRate, std::string& error) {
    sampleRate = initialiseOnce(error);
    if (sampleRate <= 0) return false;
    if (espeak_SetVoiceByName(language.c_str()) != EE_OK) {
        error = "no espeak-ng voice for '" + language + "'";
        return false;
    }
    espeak_SetParameter(espeakRATE, 145, 0); // a little slower than default: easier to follow
    espeak_SetParameter(espeakVOLUME, volume, 0);
    g_sink = &sink;
    espeak_ERROR rc =
        espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
    espeak_Synchronize();
    g_sink = nullptr;
    if (rc != EE_OK) {
        error = "espeak-ng could not speak the text";
        return false;
    }
    return true;
}

constexpr int kVolumes[3] = {55, 100, 170}; // espeak-ng's volume, 100 = its default

} // namespace

bool synthesise(const std::string& text, const std::string& language, std::vector<std::int16_t>& pcm,
                int& sampleRate, std::string& error) {
    pcm.clear();
    return synthesiseTo(
        text, language, kVolumes[1],
        [&](short* wav, int n) {
            pcm.insert(pcm.end(), wav, wav + n);
            return 0;
        },
        sampleRate, error);
}

Speech::Speech(bool playback) : m_playback(playback) {
    m_thread = std::thread([this] { loop(); });
}

Speech::~Speech() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    ++m_generation; // a synthesis under way stops at its next chunk
    m_wake.notify_all();
    m_thread.join();
    if (m_device) SDL_CloseAudioDevice(m_device);
    if (m_audioInitialised) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void Speech::say(const std::string& text, const std::string& language) {
    say(std::vector<std::string>{text}, language);
}

void Speech::say(std::vector<std::string> parts, const std::string& language) {
    {
        std::lock_guard lock(m_mutex);
        m_next = Job{std::move(parts), language, ++m_generation, Clock::now()};
        m_firstAudioMs.reset();
        m_lastLanguage = language;
    }
    if (m_device) SDL_ClearQueuedAudio(m_device);
    m_wake.notify_all();
}

void Speech::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_next.reset();
        ++m_generation;
        m_partEnds.clear();
    }
    if (m_device) SDL_ClearQueuedAudio(m_device);
}

void Speech::setVolume(int level) {
    m_volume = std::clamp(level, 0, 2);
}

bool Speech::speaking() const {
    if (m_synthesising.load()) return true;
    {
        std::lock_guard lock(m_mutex);
        if (m_next) return true;
    }
    return m_device && SDL_GetQueuedAudioSize(m_device) > 0;
}

int Speech::currentPart() const {
    if (!m_device) return m_synthesising.load() ? m_part.load() : -1;
    std::lock_guard lock(m_mutex);
    const std::uint64_t left = SDL_GetQueuedAudioSize(m_device);
    if (left == 0 && !m_synthesising.load()) return -1;
    const std::uint64_t played = m_queuedTotal > left ? m_queuedTotal - left : 0;
    for (std::size_t i = 0; i < m_partEnds.size(); ++i)
        if (played < m_partEnds[i]) return static_cast<int>(i);
    return m_synthesising.load() ? m_part.load() : -1;
}

std::vector<std::string> Speech::heard() const {
    std::lock_guard lock(m_mutex);
    return m_heard;
}

std::optional<double> Speech::lastFirstAudioMs() const {
    std::lock_guard lock(m_mutex);
    return m_firstAudioMs;
}

void Speech::openDevice(int rate) {
    if (SDL_WasInit(SDL_INIT_AUDIO) == 0) {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return; // no driver at all: status says NoAudio
        m_audioInitialised = true;
    }
    SDL_AudioSpec want{}, have{};
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    m_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0); // SDL converts if the card differs
    if (m_device) SDL_PauseAudioDevice(m_device, 0);
}

void Speech::run(const Job& job) {
    {
        std::lock_guard lock(m_mutex);
        m_partEnds.clear();
        m_queuedTotal = 0;
    }
    bool firstQueued = false;
    for (std::size_t i = 0; i < job.parts.size(); ++i) {
        if (m_generation.load() != job.generation) return;
        {
            std::lock_guard lock(m_mutex);
            m_heard.push_back(job.parts[i]);
        }
        m_part = static_cast<int>(i);
        int rate = 0;
        std::string error;
        bool ok = synthesiseTo(
            job.parts[i], job.language, kVolumes[m_volume.load()],
            [&](short* wav, int n) {
                if (m_generation.load() != job.generation) return 1; // interrupted: stop synthesising
                std::lock_guard lock(m_mutex);
                if (m_device) SDL_QueueAudio(m_device, wav, static_cast<Uint32>(n) * sizeof(std::int16_t));
                m_queuedTotal += static_cast<std::uint64_t>(n) * sizeof(std::int16_t);
                if (!firstQueued) {
                    firstQueued = true;
                    m_firstAudioMs =
                        std::chrono::duration<double, std::milli>(Clock::now() - job.asked).count();
                }
                return 0;
            },
            rate, error);
        if (!ok) {
            m_status = SpeechStatus::NoVoice;
            return;
        }
        m_status = (m_playback && !m_device) ? SpeechStatus::NoAudio : SpeechStatus::Ready;
        std::lock_guard lock(m_mutex);
        m_partEnds.push_back(m_queuedTotal);
    }
    if (m_generation.load() == job.generation) ++m_spoken;
}

void Speech::loop() {
    // SDL keeps its error messages per thread; this one is not SDL's own, so free them on exit.
    struct SdlThreadData {
        ~SdlThreadData() { SDL_TLSCleanup(); }
    } sdlThreadData;
    std::string error;
    const int rate = initialiseOnce(error);
    if (rate > 0 && m_playback) openDevice(rate);
    m_status = rate <= 0                   ? SpeechStatus::NoVoice
               : (m_playback && !m_device) ? SpeechStatus::NoAudio
                                           : SpeechStatus::Ready;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_next.has_value(); });
            if (m_quit) return;
            job = std::move(*m_next);
            m_next.reset();
            m_synthesising = true;
        }
        run(job);
        m_synthesising = false;
        m_part = -1;
    }
}

} // namespace comptoir::platform
