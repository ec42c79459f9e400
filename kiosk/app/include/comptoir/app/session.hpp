#pragma once
/// @brief One running kiosk: the visitor journey's state, its screens, and what they cause in the
/// store. Driven by the real main loop or, headless, by a script; time is passed in so that
/// idle timeouts can be tested without waiting.

#include "comptoir/app/agent_mode.hpp"
#include "comptoir/app/record_writer.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/platform/speech.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/system/backlight.hpp"
#include "comptoir/ui/visitor.hpp"

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace comptoir::app {

class KioskSession {
  public:
    /// Takes the catalogue; needs a Dear ImGui context and the surface to draw on.
    /// `audio`: read aloud through the sound card (false headless: speech is synthesised, not played).
    /// `writer`: writes visitor records off the UI thread; null: one on the kiosk's own settings.
    KioskSession(const KioskConfig& config, store::Database& db, const Strings& strings,
                 platform::Surface& surface, Catalogue catalogue, bool audio = false,
                 std::unique_ptr<RecordWriter> writer = nullptr);
    ~KioskSession();
    KioskSession(const KioskSession&) = delete;
    KioskSession& operator=(const KioskSession&) = delete;

    /// Draws one frame `dt` seconds after the previous one, then applies what the visitor did.
    void frame(double dt);
    /// True while something moves on screen (inertia, countdown): keep drawing.
    [[nodiscard]] bool animating() const;
    /// Seconds until the idle logic needs a frame (the prompt appears, its countdown ticks).
    [[nodiscard]] double secondsUntilTimer() const;

    [[nodiscard]] const ui::WidgetRegistry& registry() const { return m_registry; }
    [[nodiscard]] ui::VisitorState& state() { return m_state; }
    /// Text size and contrast as the current visitor chose them; applied after the next frame.
    [[nodiscard]] ui::LookChoice& lookChoice() { return m_lookChoice; }
    [[nodiscard]] const ui::VisitorCatalogue& data() const { return m_data; }
    [[nodiscard]] platform::Surface& surface() { return m_surface; }
    [[nodiscard]] bool idlePromptShown() const { return m_idlePrompt; }
    [[nodiscard]] const platform::Speech& speech() const { return m_speech; }
    /// Read-aloud as the current visitor set it (reset for the next one).
    [[nodiscard]] const ui::SpeechChoice& speechChoice() const { return m_speechChoice; }
    /// The language the screens are shown in, and read aloud in (an espeak-ng voice name).
    [[nodiscard]] std::string displayLanguage() const;
    /// Called after a visitor record is durably committed (the app nudges the sync worker).
    std::function<void()> onRecorded;

    /// Where the visitor's save stands (Idle when none is on its way).
    [[nodiscard]] SaveState saveState() const { return m_saveState; }
    /// True while a save is on its way and the writer has not answered yet (the next frame
    /// shows the answer once this turns false).
    [[nodiscard]] bool awaitingSaveAnswer() const {
        return m_saveTicket != 0 && !m_writer->answered(m_saveTicket);
    }
    /// Saving health for agent mode: records the database refused, waiting in the spool or in memory.
    [[nodiscard]] SaveStatus saveStatus() const { return m_writer->status(); }
    [[nodiscard]] RecordWriter& recordWriter() { return *m_writer; }
    /// True while a take-away ticket is on its way to the printer (scripts wait for the answer).
    [[nodiscard]] bool printing() const {
        return m_print.valid() && m_print.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
    }
    /// Replaces the record writer (the app passes one that nudges the sync; tests one that
    /// meets a read-only or full database). Only while no save is on its way.
    void setRecordWriter(std::unique_ptr<RecordWriter> writer);

    /// Offers a newer catalogue; it replaces the current one as soon as no visitor is in the
    /// middle of a journey (on the welcome screen), never under someone's finger.
    void offerCatalogue(Catalogue catalogue);

    /// Nobody is using the kiosk: the welcome screen as it starts, no idle question, no agent,
    /// no save on its way. An update may restart the kiosk only then.
    [[nodiscard]] bool atRest() const;
    /// Offers another display language (a catalogue loaded from its .mo); French, the one given
    /// to the constructor, is always there. The language button lists them in this order.
    void addLanguage(Strings strings);
    /// Switches the visitor screens to a language added before ("fr" always works); unknown
    /// codes are ignored. The next frame is drawn in it; a new visitor starts in French again.
    void setLanguage(const std::string& code);
    /// The display language of the visitor screens.
    [[nodiscard]] const std::string& language() const { return m_visitorStrings->language(); }
    [[nodiscard]] const Strings& visitorStrings() const { return *m_visitorStrings; }

    /// Agent mode (opened by the corner gesture and a PIN); see agent_mode.hpp.
    [[nodiscard]] AgentMode& agent() { return *m_agent; }

    /// True while the night screen is shown ([display] night): dim, almost black, any touch wakes.
    [[nodiscard]] bool night() const { return m_night; }
    /// Scripts and tests: the time of day is `minuteOfDay` now and moves on with the session's
    /// own clock (frames, `wait`), not the machine's.
    void setTimeOfDay(int minuteOfDay);
    /// The screen's backlight, lowered at night (the windowed kiosk only: never a test machine's).
    void setBacklight(std::unique_ptr<system::Backlight> backlight);

  private:
    void applyLook();
    void recomputeResults();
    void submit();
    void startSave();
    void pollSave();
    void restart();
    void readAloud(const ui::Readable& readable);
    void highlightReading();
    void startPrint(const std::string& ticket);
    void pollPrint();

    KioskConfig m_config;
    store::Database& m_db;
    const Strings& m_strings;                  ///< French: agent mode, and the visitor's default
    const Strings* m_visitorStrings = nullptr; ///< the visitor's display language
    std::vector<std::unique_ptr<Strings>> m_otherLanguages;
    std::vector<ui::LanguageChoice> m_languageChoices;
    platform::Surface& m_surface;
    Catalogue m_catalogue;
    ui::VisitorCatalogue m_data;
    ui::VisitorState m_state;
    ui::LookChoice m_lookChoice;
    ui::LookChoice m_appliedLook;
    ui::Look m_look;
    ui::WidgetRegistry m_registry;
    platform::Speech m_speech;
    ui::SpeechChoice m_speechChoice;
    ui::Readable m_readable;     ///< what the screen drawn this frame says
    ui::Readable m_reading;      ///< what is being read aloud, with where it is on screen
    std::string m_spokenScreen;  ///< which screen was last read automatically
    std::string m_spokenProblem; ///< the kind message last read, so that it is read once
    struct Guided;
    std::unique_ptr<Guided> m_guided;
    double m_clock = 0;
    double m_lastInput = 0;
    bool m_idlePrompt = false;
    struct Search;
    std::unique_ptr<Search> m_search;
    std::optional<Catalogue> m_pendingCatalogue;
    /// An agent changed an offer on site: the catalogue is read again once agent mode has closed
    /// (a second whole catalogue held while the agent works would cost as much as the first).
    bool m_catalogueStale = false;
    /// An agent is at work: the visitors' catalogue, its cards and indices are freed until a
    /// visitor screen shows again (agent mode and the visitors' side stay within 64 MB together).
    bool m_visitorCatalogueFreed = false;
    void freeVisitorCatalogue();
    std::unique_ptr<RecordWriter> m_writer;
    std::optional<store::SealingKeys> m_sealingKey;       ///< kiosk key, and the office key when configured
    std::optional<store::PreparedRecord> m_pendingRecord; ///< sealed: kept for "Réessayer"
    std::uint64_t m_saveTicket = 0;
    std::future<bool> m_print; ///< the ticket being printed, off the UI thread
    SaveState m_saveState = SaveState::Idle;
    void adoptCatalogue(Catalogue catalogue);
    void countOpenOffers();
    std::unique_ptr<AgentMode> m_agent;
    bool agentFrame(ui::ScreenContext& ctx, bool hadInput);
    // [display] night
    bool m_night = false;
    std::optional<int> m_fakeMinute; ///< setTimeOfDay(): the minute of day at m_fakeSetAt
    double m_fakeSetAt = 0;
    std::unique_ptr<system::Backlight> m_backlight;
    [[nodiscard]] double secondsOfDay() const;
    [[nodiscard]] double secondsUntilNightChange() const;
    bool nightFrame(bool touched);
    void setNight(bool on);
};

} // namespace comptoir::app
