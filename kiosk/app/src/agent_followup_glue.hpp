#pragma once
// Agent mode's follow-up sections wired to the store: the list of introductions, one
// introduction's detail with its allowed moves, the reason picker and the hours entry.

#include "comptoir/store/db.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/ui/agent.hpp"
#include "comptoir/ui/agent_followup.hpp"
#include "comptoir/ui/visitor.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace comptoir::app {

/// Visitors' contact details opened with the logged-in agent's key: kept while logged in (the
/// inbox redraws them every frame), overwritten at logout. Never logged.
class ContactBook {
  public:
    struct Contact {
        std::string firstName;
        std::string reach; ///< the phone, else the e-mail; "" when neither
    };
    ContactBook() = default;
    ContactBook(const ContactBook&) = delete;
    ContactBook& operator=(const ContactBook&) = delete;
    ~ContactBook() { wipe(); }
    /// The contact of a sealed `personal` row; nullptr without a key or a row. A row that cannot
    /// be opened (purged, erased) gives an empty contact.
    [[nodiscard]] const Contact* open(const store::Database& db, const store::PublicKey& pk,
                                      const store::SecretKey* key, std::int64_t personalId);
    void wipe();

  private:
    std::unordered_map<std::int64_t, Contact> m_opened;
};

/// "0639981234" → "06 39 98 12 34": read aloud on the phone at a glance. Anything else as is.
[[nodiscard]] std::string phoneInPairs(const std::string& reach);

/// What a follow-up write needs from the logged-in session.
struct FollowUpWho {
    store::Database& db;
    store::PublicKey publicKey;
    const std::string& kioskId;
    const std::string& agentId;
    const store::SecretKey* key = nullptr; ///< the unlocked key: opens notes and contacts
    ContactBook* contacts = nullptr;       ///< where opened contacts are kept until logout
};

class IntroductionsPanel {
  public:
    /// Draws the list, the opened registration or the opened introduction (with its notes and
    /// next action) inside [cmin, cmax] of the shell's window. True when the agent tapped
    /// "Retour" on a record opened from the inbox: the shell goes back there.
    [[nodiscard]] bool draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                            const ui::PhysicalKeys& keys);
    /// The notes' editor is open: a physical keyboard's Tab and Enter type there.
    [[nodiscard]] bool editingText() const {
        return m_stage == Stage::Notes || m_stage == Stage::CallbackNote;
    }
    void reset() {
        store::wipe(m_notes.text);
        store::wipe(m_callback.note);
        store::wipe(m_callback.contact);
        for (auto& n : m_callback.notes)
            store::wipe(n);
        *this = IntroductionsPanel{};
    }
    /// The list is read again at the next draw (new introductions may have been recorded).
    void invalidate() { m_rows.reset(); }
    /// Opens one introduction, or one registration of interest, as tapped in the inbox.
    void openIntroduction(const std::string& id);
    void openInterest(const std::string& id);
    /// Opens a call-back request's follow-up, as tapped in the inbox.
    void openCallback(const std::string& id);

  private:
    enum class Stage { List, Interest, Detail, Reason, Hours, Notes, NextAction, Callback, CallbackNote };
    Stage m_stage = Stage::List;
    std::string m_id;                  ///< the opened introduction
    std::string m_interestId;          ///< the opened registration
    std::string m_callbackId;          ///< the opened call-back request
    ui::CallbackFollowUpVm m_callback; ///< the outcome being chosen (and its note, until saved)
    bool m_fromInbox = false;          ///< "Retour" goes back to the inbox
    ui::ReasonPickerVm m_reason;
    ui::HoursEntryVm m_hours;
    ui::NotesVm m_notes;
    ui::KeyboardState m_keyboard;
    ui::NextActionVm m_next;
    std::string m_message; ///< after a refused change
    std::optional<std::string> m_nextToCall;
    std::optional<std::vector<store::Introduction>> m_rows; ///< the list, read on arriving at it

    void drawList(ui::AgentFrame& f, const FollowUpWho& who);
    [[nodiscard]] bool drawInterest(ui::AgentFrame& f, const FollowUpWho& who);
    [[nodiscard]] bool drawDetail(ui::AgentFrame& f, const FollowUpWho& who);
    void drawNotes(ui::AgentFrame& f, const FollowUpWho& who, const ui::PhysicalKeys& keys);
    void drawNextAction(ui::AgentFrame& f, const FollowUpWho& who);
    [[nodiscard]] bool drawCallback(ui::AgentFrame& f, const FollowUpWho& who);
    void drawCallbackNote(ui::AgentFrame& f, const ui::PhysicalKeys& keys);
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
    /// The catalogue's offers (local changes included); one opened, marked full, closed or reopened;
    /// or a local one-off offer added.
    void draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
              const ui::PhysicalKeys& keys);
    /// The local offer's title or description is being typed: a physical keyboard's Tab and Enter type there.
    [[nodiscard]] bool editingText() const {
        return m_form && m_form->vm.stage != ui::LocalOfferVm::Stage::Choices;
    }
    void reset() { *this = OffersPanel{}; }
    void invalidate() { m_offers.reset(); }
    /// True once after an offer changed: the kiosk shows the catalogue again with the change.
    [[nodiscard]] bool takeChanged() { return std::exchange(m_changed, false); }

  private:
    /// A local one-off offer being written: the title, then one index per choice.
    struct Form {
        Catalogue refs; ///< organisations, themes, neighbourhoods to choose from
        std::vector<std::pair<std::size_t, std::size_t>> activities; ///< (theme, activity) pairs
        ui::LocalOfferVm vm;
        ui::KeyboardState keyboard;
        std::size_t organisation = 0, activity = 0, neighbourhood = 0;
        int dayOffset = 1;      ///< from today
        int startHalfHour = 28; ///< 14:00
        int halfHours = 4;      ///< 2 h
        int places = 4;
    };
    std::optional<std::vector<store::OfferTitle>> m_offers; ///< read on arriving at the list
    std::string m_id;                                       ///< the opened offer
    std::string m_message;
    std::optional<Form> m_form;
    bool m_changed = false;

    void drawForm(ui::AgentFrame& f, const FollowUpWho& who, const ui::PhysicalKeys& keys);
};

/// Begins a child window over the shell's content area; EndChild() closes it.
void beginContent(const char* id, ImVec2 cmin, ImVec2 cmax);

} // namespace comptoir::app
