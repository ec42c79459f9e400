#pragma once
/// @brief One running kiosk: the visitor journey's state, its screens, and what they cause in the
/// store. Driven by the real main loop or, headless, by a script; time is passed in so that
/// idle timeouts can be tested without waiting.

#include "comptoir/app/agent_mode.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/platform/speech.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/ui/visitor.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace comptoir::app {

class KioskSession {
  public:
    /// Takes the catalogue; needs a Dear ImGui context and the surface to draw on.
    /// `audio`: read aloud through the sound card (false headless: speech is synthesised, not played).
    KioskSession(const KioskConfig& config, store::Database& db, const Strings& strings, platform::Surface& surface,
                 Catalogue catalogue, bool audio = false);
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
    [[nodiscard]] const ui::VisitorCatalogue& data() const { return m_data; }
    [[nodiscard]] platform::Surface& surface() { return m_surface; }
    [[nodiscard]] bool idlePromptShown() const { return m_idlePrompt; }
    [[nodiscard]] const platform::Speech& speech() const { return m_speech; }
    /// Called when a saving error must be shown; the app logs (never personal data).
    std::function<void(const std::string&)> onError;
    /// Called after a visitor record is durably committed (the app nudges the sync worker).
    std::function<void()> onRecorded;

    /// Offers a newer catalogue; it replaces the current one as soon as no visitor is in the
    /// middle of a journey (on the welcome screen), never under someone's finger.
    void offerCatalogue(Catalogue catalogue);

    /// Agent mode (opened by the corner gesture and a PIN); see agent_mode.hpp.
    [[nodiscard]] AgentMode& agent() { return *m_agent; }

  private:
    void applyLook();
    void recomputeResults();
    void submit();
    void restart();

    KioskConfig m_config;
    store::Database& m_db;
    const Strings& m_strings;
    platform::Surface& m_surface;
    Catalogue m_catalogue;
    ui::VisitorCatalogue m_data;
    ui::VisitorState m_state;
    ui::LookChoice m_lookChoice;
    ui::LookChoice m_appliedLook;
    ui::Look m_look;
    ui::WidgetRegistry m_registry;
    platform::Speech m_speech;
    double m_clock = 0;
    double m_lastInput = 0;
    bool m_idlePrompt = false;
    struct Search;
    std::unique_ptr<Search> m_search;
    std::optional<Catalogue> m_pendingCatalogue;
    void adoptCatalogue(Catalogue catalogue);
    std::unique_ptr<AgentMode> m_agent;
    bool agentFrame(ui::ScreenContext& ctx, bool hadInput);
};

} // namespace comptoir::app
