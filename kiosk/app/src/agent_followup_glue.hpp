#pragma once
// Agent mode's follow-up sections wired to the store: the list of introductions, one
// introduction's detail with its allowed moves, the reason picker and the hours entry.

#include "comptoir/store/db.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/ui/agent.hpp"
#include "comptoir/ui/agent_followup.hpp"
#include "comptoir/ui/visitor.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::app {

/// What a follow-up write needs from the logged-in session.
struct FollowUpWho {
    store::Database& db;
    store::PublicKey publicKey;
    const std::string& kioskId;
    const std::string& agentId;
};

class IntroductionsPanel {
  public:
    /// Draws the list, or the opened introduction, inside [cmin, cmax] of the shell's window.
    void draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who);
    void reset() { *this = IntroductionsPanel{}; }
    /// The list is read again at the next draw (new introductions may have been recorded).
    void invalidate() { m_rows.reset(); }

  private:
    enum class Stage { List, Detail, Reason, Hours };
    Stage m_stage = Stage::List;
    std::string m_id; ///< the opened introduction
    ui::ReasonPickerVm m_reason;
    ui::HoursEntryVm m_hours;
    std::string m_message; ///< after a refused change
    std::optional<std::string> m_nextToCall;
    std::optional<std::vector<store::Introduction>> m_rows; ///< the list, read on arriving at it

    void drawList(ui::AgentFrame& f, const FollowUpWho& who);
    void drawDetail(ui::AgentFrame& f, const FollowUpWho& who);
    void move(const FollowUpWho& who, IntroStatus to, const std::string& reason, const Strings& s);
};

class IndicatorsPanel {
  public:
    /// Draws the indicators (computed on entering the section and after a change of period) and
    /// writes the CSV to `exportDir` when asked. True when the agent tapped "Retour".
    [[nodiscard]] bool draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                            const std::string& exportDir);
    /// The next draw computes the figures again (the data may have changed meanwhile).
    void invalidate() { m_loaded = false; }
    void reset() { *this = IndicatorsPanel{}; }

  private:
    Period m_period = Period::Month;
    bool m_loaded = false;
    ui::IndicatorsVm m_vm;
};

class PrivacyPanel {
  public:
    /// Find a record by its reference code (typed on screen or on a physical keyboard), export
    /// what the kiosk holds about it with the unlocked key, erase it after a confirmation.
    void draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
              const store::SecretKey& key, const ui::PhysicalKeys& keys, const std::string& exportDir);
    void reset();

  private:
    ui::PrivacyVm m_vm;
    ui::KeyboardState m_keyboard;
    void find(const FollowUpWho& who, const Strings& s);
};

class OffersPanel {
  public:
    /// The catalogue's offers (local changes included); one opened, marked full, closed or reopened.
    void draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who);
    void reset() { *this = OffersPanel{}; }
    void invalidate() { m_offers.reset(); }
    /// True once after an offer changed: the kiosk shows the catalogue again with the change.
    [[nodiscard]] bool takeChanged() { return std::exchange(m_changed, false); }

  private:
    struct Row {
        std::string id, title;
    };
    std::optional<std::vector<Row>> m_offers; ///< read on arriving at the list
    std::string m_id;                         ///< the opened offer
    std::string m_message;
    bool m_changed = false;
};

/// Begins a child window over the shell's content area; EndChild() closes it.
void beginContent(const char* id, ImVec2 cmin, ImVec2 cmax);

} // namespace comptoir::app
