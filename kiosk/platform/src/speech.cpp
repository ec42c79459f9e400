#include "comptoir/platform/speech.hpp"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

namespace comptoir::platform {

namespace {

std::vector<std::int16_t>* g_sink = nullptr; // espeak-ng's callback has no user pointer per call

int collect(short* wav, int samples, espeak_EVENT*) {
    if (wav && samples > 0 && g_sink) g_sink->insert(g_sink->end(), wav, wav + samples);
    return 0;
}

int initialiseOnce(std::string& error) {
    static int rate = [] {
        int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
        if (r > 0) espeak_SetSynthCallback(collect);
        return r;
    }();
    if (rate <= 0) error = "espeak-ng cannot start (is espeak-ng-data installed?)";
    return rate;
}

} // namespace

bool synthesise(const std::string& text, const std::string& language, std::vector<std::int16_t>& pcm, int& sampleRate,
                std::string& error) {
    sampleRate = initialiseOnce(error);
    if (sampleRate <= 0) return false;
    if (espeak_SetVoiceByName(language.c_str()) != EE_OK) {
        error = "no espeak-ng voice for '" + language + "'";
        return false;
    }
    espeak_SetParameter(espeakRATE, 145, 0); // a little slower than default: easier to follow
    pcm.clear();
    g_sink = &pcm;
    espeak_ERROR rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
    espeak_Synchronize();
    g_sink = nullptr;
    if (rc != EE_OK) {
        error = "espeak-ng could not speak the text";
        return false;
    }
    return true;
}

Speech::Speech(bool playback) : m_playback(playback) { m_thread = std::thread([this] { loop(); }); }

Speech::~Speech() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (m_device) SDL_CloseAudioDevice(m_device);
}

void Speech::say(const std::string& text, const std::string& language) {
    {
        std::lock_guard lock(m_mutex);
        m_next = std::make_pair(text, language);
        m_lastLanguage = language;
    }
    if (m_device) SDL_ClearQueuedAudio(m_device);
    m_wake.notify_all();
}

void Speech::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_next.reset();
    }
    if (m_device) SDL_ClearQueuedAudio(m_device);
    m_speaking = false;
}

void Speech::loop() {
    for (;;) {
        std::pair<std::string, std::string> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_next.has_value(); });
            if (m_quit) return;
            job = std::move(*m_next);
            m_next.reset();
        }
        m_speaking = true;
        std::vector<std::int16_t> pcm;
        int rate = 0;
        std::string error;
        if (!synthesise(job.first, job.second, pcm, rate, error)) {
            m_speaking = false;
            continue;
        }
        ++m_spoken;
        if (m_playback && !m_device) {
            if (SDL_WasInit(SDL_INIT_AUDIO) == 0) SDL_InitSubSystem(SDL_INIT_AUDIO);
            SDL_AudioSpec want{}, have{};
            want.freq = rate;
            want.format = AUDIO_S16SYS;
            want.channels = 1;
            want.samples = 2048;
            m_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
            if (m_device) SDL_PauseAudioDevice(m_device, 0);
        }
        if (m_device) {
            SDL_ClearQueuedAudio(m_device);
            SDL_QueueAudio(m_device, pcm.data(), static_cast<Uint32>(pcm.size() * sizeof(std::int16_t)));
        }
        m_speaking = false;
    }
}

} // namespace comptoir::platform
