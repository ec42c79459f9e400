#pragma once
/// @brief Agent mode inside the kiosk: the corner gesture, the PIN pad, the logged-in agent's
/// key (in locked memory, wiped at logout), the shell and its screens, and the auto-logout.
///
/// KioskSession owns one and hands it the frame while it is open; nothing an agent typed or
/// opened outlives logout(): the next visitor starts from the welcome screen.

#include "comptoir/domain/config.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/ui/agent.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace comptoir::sync {
class SyncWorker;
}

namespace comptoir::app {

class AgentMode {
  public:
    AgentMode(const KioskConfig& config, store::Database& db, const Strings& strings);
    ~AgentMode();
    AgentMode(const AgentMode&) = delete;
    AgentMode& operator=(const AgentMode&) = delete;

    /// A tap at `pos` at time `clock`: three in the top-left corner within 2 s open the PIN pad.
    /// True when this tap opened it.
    bool notePress(ImVec2 pos, ImVec2 display, double clock);
    /// The PIN pad or an agent screen is on screen.
    [[nodiscard]] bool open() const;
    /// An agent screen (pad or shell) takes the frame: open and not assisting a visitor.
    [[nodiscard]] bool showsAgentScreen() const;
    [[nodiscard]] bool loggedIn() const;
    /// Draws the pad or the shell into the current window and applies what was tapped.
    void draw(ui::ScreenContext& ctx, double clock, bool hadInput);
    /// Closes agent mode (logs out if logged in), wiping the key and everything typed or unsealed.
    void close(std::string_view why);
    /// Seconds until the auto-logout needs a frame.
    [[nodiscard]] double secondsUntilTimer(double clock) const;
    [[nodiscard]] bool animating() const { return m_animating; }

    /// The background sync, when a server is configured (sync health, "Synchroniser maintenant").
    void setWorker(sync::SyncWorker* worker) { m_worker = worker; }
    /// Unix seconds for the PIN pad's lock; defaults to the session's clock from its start.
    void setWallClock(std::function<std::int64_t()> clock) { m_wallClock = std::move(clock); }
    /// Whether the window is fullscreen now (the shell offers to leave or enter it).
    void setFullscreen(bool fullscreen) { m_fullscreen = fullscreen; }

    /// One-shot requests for the main loop: quit the kiosk, toggle fullscreen (agent actions).
    [[nodiscard]] bool takeQuitRequest() { return std::exchange(m_quit, false); }
    [[nodiscard]] bool takeFullscreenToggle() { return std::exchange(m_toggleFullscreen, false); }
    /// True once after an agent changed an offer on site: the visitors' catalogue is read again.
    [[nodiscard]] bool takeCatalogueChanged() { return std::exchange(m_catalogueChanged, false); }
    /// True once after close(): the session resets the visitor journey.
    [[nodiscard]] bool takeClosed() { return std::exchange(m_closed, false); }

    // Assisted registration: the visitor journey, run by the logged-in agent for a visitor.
    /// True while the agent runs the visitor screens on someone's behalf.
    [[nodiscard]] bool assisting() const;
    /// The agent recorded with an assisted registration; nullopt when nobody is assisting.
    [[nodiscard]] std::optional<std::string> assistingAgentId() const;
    /// The agent chose "Passera au Comptoir": no phone nor e-mail for this registration.
    [[nodiscard]] bool atCounter() const { return m_atCounter; }
    /// Applies a physical keyboard's typing to the field of the visitor screen shown.
    void typeForVisitor(ui::VisitorState& state);
    /// Draws the band over the visitor screens ("Inscription faite par…", back to agent mode,
    /// "Passera au Comptoir" on the contact step); closes agent mode after its idle delay.
    void drawAssistBar(ui::ScreenContext& ctx, ui::VisitorState& state, double clock, bool hadInput);
    /// True once when the agent started or stopped assisting: the session resets the journey.
    [[nodiscard]] bool takeJourneyReset() { return std::exchange(m_journeyReset, false); }

    /// Cost of the wraps made for new or re-enabled agents (tests use the minimum).
    void setPinCost(store::PinCost cost);
    /// A PIN is being checked on its own thread ("Vérification…" on the pad).
    [[nodiscard]] bool checkingPin() const;
    /// The check's thread has not answered yet (the next frame after it has applies the answer).
    [[nodiscard]] bool pinCheckRunning() const;

  private:
    void startPinCheck(std::int64_t now);
    void finishPinCheck(double clock);
    void abandonPinCheck();
    void drawShell(ui::ScreenContext& ctx, double clock);
    void drawInbox(ui::ScreenContext& ctx, const ui::PhysicalKeys& keys, bool& animating);
    void filterInbox();
    void drawSync(ui::ScreenContext& ctx, bool& animating);
    void drawAgents(ui::ScreenContext& ctx, const ui::PhysicalKeys& keys, bool& animating);
    void appendAudit(std::string_view action, std::string_view subject = {});

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::int64_t m_startUnix = 0;
    sync::SyncWorker* m_worker = nullptr;
    std::function<std::int64_t()> m_wallClock;
    bool m_fullscreen = false;
    bool m_quit = false;
    bool m_toggleFullscreen = false;
    bool m_catalogueChanged = false;
    bool m_closed = false;
    bool m_animating = false;
    bool m_assisting = false;
    bool m_atCounter = false;
    bool m_journeyReset = false;
};

} // namespace comptoir::app
