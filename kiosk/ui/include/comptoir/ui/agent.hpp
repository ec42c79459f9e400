#pragma once
/// @brief Agent mode's screens: the PIN pad, the shell (who is logged in, the sections, the
/// number of records waiting to sync), the inbox, sync health and the agents.
///
/// Same visual language as the visitor screens, denser. Like them, each screen draws plain state
/// and a view-model and returns an intent; the app does the rest. Every button is reachable by
/// Tab / Shift+Tab and Enter from a physical keyboard (KeyFocus), and fields take typed text.

#include "comptoir/ui/keyboard.hpp"
#include "comptoir/ui/offer_list.hpp"
#include "comptoir/ui/visitor.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::ui {

// [SECTION] physical keyboard and focus

/// What a physical keyboard gave this frame.
struct PhysicalKeys {
    std::string text; ///< typed characters (UTF-8)
    bool backspace = false, enter = false, tab = false, shiftTab = false, escape = false;
};
[[nodiscard]] PhysicalKeys readPhysicalKeys();
/// Applies a physical keyboard's typing to a field, one code point at a time, up to
/// `maxCodePoints`: characters, and Backspace (one code point). True when the field changed.
bool typeInto(std::string& field, const PhysicalKeys& keys, std::size_t maxCodePoints,
              bool digitsOnly = false);

/// Tab / Shift+Tab move a focus ring over the buttons drawn through it; Enter presses the one
/// focused. Items are counted each frame in drawing order.
struct KeyFocus {
    int focused = -1;
    int count = 0; ///< items drawn last frame
    int drawn = 0; ///< items drawn so far this frame
    bool activate = false;
    void beginFrame(const PhysicalKeys& keys);
    /// True when the item just drawn at [min, max] is focused and Enter was pressed; draws the ring.
    bool item(const Look& look, ImVec2 min, ImVec2 max);
};

/// bigButton plus the focus ring: tapped, or focused and Enter.
bool agentButton(const Look& look, WidgetRegistry& reg, KeyFocus& focus, const std::string& label,
                 ImVec2 size, ButtonKind kind = ButtonKind::Primary);

// [SECTION] PIN pad

struct PinPadAgent {
    std::string id, name;
};

struct PinPadState {
    std::string agentId, agentName; ///< chosen; empty while the pad asks "who are you?"
    std::string digits;             ///< never drawn: dots only; the app wipes it
    std::string message;            ///< kind French, under the dots
    bool checking = false;          ///< "Vérification…" is on screen; the app checks next frame
};

struct PinPadVm {
    std::vector<PinPadAgent> agents; ///< active agents
    int lockSecondsLeft = 0;         ///< > 0: the pad refuses every PIN until then
};

struct PinPadIntent {
    bool cancel = false;
    bool submit = false; ///< check state.digits for state.agentId
};

[[nodiscard]] PinPadIntent drawPinPad(PinPadState& state, const PinPadVm& vm, ScreenContext& ctx,
                                      KeyFocus& focus);

// [SECTION] shell

/// Agent mode's sections. Introductions, indicators, offers and privacy requests are drawn by
/// their own screens once wired; until then the shell shows a placeholder for them.
enum class AgentSection { Inbox, Introductions, Indicators, Offers, Privacy, Sync, Agents };
inline constexpr AgentSection kAgentSections[] = {
    AgentSection::Inbox,   AgentSection::Introductions, AgentSection::Indicators, AgentSection::Offers,
    AgentSection::Privacy, AgentSection::Sync,          AgentSection::Agents};
/// Translation key of a section's name ("agent.nav.inbox"…).
[[nodiscard]] std::string sectionKey(AgentSection s);

struct AgentShellVm {
    std::string agentName;
    std::int64_t eventsWaiting = 0; ///< records not yet sent to the central server
    std::int64_t deadLetters = 0;
    bool fullscreen = false;
};

struct AgentShellIntent {
    std::optional<AgentSection> go;
    bool logout = false;
    bool assist = false; ///< register a visitor on their behalf
    bool quit = false;
    bool toggleFullscreen = false;
};

/// Draws the band (who is logged in, records waiting, "Fermer la session") and the navigation;
/// returns the content rectangle in `contentMin`/`contentMax` (screen coordinates) with the
/// cursor placed at its top-left.
[[nodiscard]] AgentShellIntent drawAgentShell(AgentSection current, const AgentShellVm& vm,
                                              ScreenContext& ctx, KeyFocus& focus, ImVec2& contentMin,
                                              ImVec2& contentMax);

/// A section that is not wired yet: its name and a plain sentence.
void drawAgentPlaceholder(AgentSection section, ScreenContext& ctx, ImVec2 contentMin, ImVec2 contentMax);

/// A text field for agents (physical keyboard, or the on-screen one below it); `masked` shows dots.
void agentField(ScreenContext& ctx, const std::string& label, const std::string& value, float width,
                bool focused, bool masked = false);

// [SECTION] inbox

enum class InboxKind { Callback, Introduction, Interest };

struct InboxRowVm {
    InboxKind kind = InboxKind::Interest;
    std::string reference;
    std::string what;  ///< "Nouvel intérêt : Collecte…", "Rappel demandé"
    std::string when;  ///< plain French date ("demandé le 3 décembre")
    std::string name;  ///< unsealed first name, or "" when not opened
    std::string phone; ///< unsealed phone or e-mail, or ""
    bool overdue = false;
    bool opens = true; ///< tapping the row opens its follow-up screen
};

struct InboxState {
    std::string query;
    bool keyboardOpen = false;
    KeyboardState keyboard;
    OfferListState scroll;
};

/// Rows are produced on demand (only visible ones are built: hundreds or 100,000 scroll alike).
struct InboxVm {
    std::size_t rows = 0;
    std::size_t total = 0; ///< before the search
    std::function<InboxRowVm(std::size_t)> row;
    std::string searchNote; ///< e.g. names searched among the first N
};

struct InboxIntent {
    bool queryChanged = false;
    std::optional<std::size_t> opened; ///< the row tapped: its follow-up screen opens
};

[[nodiscard]] InboxIntent drawInbox(InboxState& state, const InboxVm& vm, ScreenContext& ctx, KeyFocus& focus,
                                    const PhysicalKeys& keys, bool& animating);

// [SECTION] sync health

struct DeadLetterVm {
    std::string eventId, what, when, reason;
};

struct SyncHealthVm {
    bool configured = false;
    std::string state; ///< plain French: "En attente", "Envoi en cours", "Dernier envoi réussi"…
    std::int64_t waiting = 0;
    std::string lastPush; ///< plain French date and time, or "jamais"
    std::string lastPull;
    std::string lastError;  ///< plain words, or ""
    bool officeKey = false; ///< contact details also sealed to the CCAS's office key (docs/privacy.md)
    std::vector<DeadLetterVm> deadLetters;
};

struct SyncIntent {
    bool syncNow = false;
    std::optional<std::string> retry; ///< event id to send again
};

[[nodiscard]] SyncIntent drawSyncHealth(const SyncHealthVm& vm, OfferListState& scroll, ScreenContext& ctx,
                                        KeyFocus& focus, bool& animating);

// [SECTION] agents

struct AgentRowVm {
    std::string id, name;
    bool active = true, demo = false, self = false;
};

struct AgentsState {
    enum class Form { None, Add, Enable };
    Form form = Form::None;
    std::string targetId; ///< agent to re-enable
    std::string targetName;
    std::string name; ///< new agent's name
    std::string pin, pinAgain;
    int field = 0; ///< 0 name, 1 PIN, 2 PIN again
    std::string message;
    KeyboardState keyboard;
    OfferListState scroll;
};

struct AgentsIntent {
    bool submit = false; ///< add (Form::Add) or re-enable (Form::Enable) with state's fields
    std::optional<std::string> disable;
};

[[nodiscard]] AgentsIntent drawAgents(AgentsState& state, const std::vector<AgentRowVm>& agents,
                                      ScreenContext& ctx, KeyFocus& focus, const PhysicalKeys& keys,
                                      bool& animating);

} // namespace comptoir::ui
