#pragma once
/// @brief Agent mode's follow-up screens, each a draw function over a plain view-model that
/// returns what the agent asked for; the agent shell owns the state and does the work:
/// introduction detail (only the allowed moves shown), reason picker, hours entry with the
/// Permis Citoyen progress bar, indicators with their chart, and privacy requests.
///
/// Each draws into the current Dear ImGui window from its cursor, over the width available.

#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/indicators.hpp"
#include "comptoir/ui/keyboard.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <optional>
#include <string>
#include <vector>

namespace comptoir::ui {

/// What every agent screen needs to draw.
struct KeyFocus;

struct AgentFrame {
    const Look& look;
    const Strings& s;
    WidgetRegistry& reg;
    float dt = 1.0f / 60.0f;
    KeyFocus* focus = nullptr; ///< the agent's Tab ring: every button of these screens joins it
};

namespace followup {
/// Wrapped text at the cursor, recorded for the test scripts; returns its height.
float text(AgentFrame& f, ImFont* font, const std::string& s, float width, ImU32 colour);
/// A button of these screens: tapped, or reached with Tab and pressed with Enter (agentButton).
bool button(AgentFrame& f, const std::string& label, ImVec2 size, ButtonKind kind = ButtonKind::Primary);
} // namespace followup

// [SECTION] introduction detail

struct HistoryLineVm {
    std::string date; ///< YYYY-MM-DD
    IntroStatus status = IntroStatus::Proposed;
    std::string reason; ///< coded
};

struct IntroductionDetailVm {
    std::string reference;
    std::string offerTitle;
    std::string organisationName;
    IntroStatus status = IntroStatus::Proposed;
    std::string reason;
    std::optional<std::string> nextActionOn;
    std::vector<HistoryLineVm> history;
    double hoursDone = 0;
    bool permisCitoyen = false;
    std::optional<std::string> nextToCallReference; ///< a freed place: who to call
    bool hasNotes = false;
    std::string notes; ///< opened with the agent's key; "" when none or not opened
};

struct IntroductionIntent {
    enum class Kind { None, Move, LogHours, EditNotes, EditNextAction, Back };
    Kind kind = Kind::None;
    IntroStatus to = IntroStatus::Proposed; ///< for Move
};
[[nodiscard]] IntroductionIntent drawIntroductionDetail(AgentFrame& f, const IntroductionDetailVm& vm);

// [SECTION] a registration opened from the inbox

struct InterestFollowUpVm {
    std::string reference;
    std::string contact; ///< "Camille  ·  06 12 34 56 78", opened with the agent's key; "" when not
    std::string offerTitle;
    std::string organisationName;
    std::string createdOn; ///< YYYY-MM-DD
    bool offerFull = false;
    bool offerClosed = false;
    bool offerKnown = true;                 ///< the catalogue still has the offer
    bool alreadyIntroduced = false;         ///< an introduction to this offer is still open
    std::vector<std::string> introductions; ///< "offer · status", one per introduction, oldest first
    std::string message;                    ///< after a refused proposal
};
struct InterestFollowUpIntent {
    enum class Kind { None, Propose, JoinWaitingList, Open, Back };
    Kind kind = Kind::None;
    std::size_t index = 0; ///< for Open: which introduction
};
/// The registration, its introductions (each opens), and "Proposer à la structure" (or the
/// waiting list when the offer is full).
[[nodiscard]] InterestFollowUpIntent drawInterestFollowUp(AgentFrame& f, const InterestFollowUpVm& vm);

// [SECTION] a call-back opened from the inbox

struct CallbackFollowUpVm {
    std::string reference;
    std::string contact;    ///< "Camille  ·  06 12 34 56 78", opened with the agent's key; "" when not
    std::string callFrom;   ///< YYYY-MM-DD: the moment the visitor chose (call from that day)
    std::string askedOn;    ///< YYYY-MM-DD
    std::string offerTitle; ///< the full offer it was asked from; "" when none
    std::vector<std::string> attempts; ///< "2026-12-03 — Pas de réponse", oldest first (translated)
    std::vector<std::string> notes;    ///< opened with the agent's key
    bool open = true;                  ///< still to do: an outcome can be recorded
    std::optional<CallbackOutcome> selected;
    std::string nextCallOn; ///< YYYY-MM-DD, asked with NoAnswer
    std::string note;       ///< typed for this outcome, not saved yet
    std::string message;    ///< after a refused change
};
struct CallbackFollowUpIntent {
    enum class Kind { None, Pick, EarlierDay, LaterDay, EditNote, Save, Back };
    Kind kind = Kind::None;
    CallbackOutcome outcome = CallbackOutcome::NoAnswer; ///< for Pick
};
/// The call-back request (who, from when, the offer), what was already tried, and the outcome
/// to record from the coded list (with the next day to call when nobody answered).
[[nodiscard]] CallbackFollowUpIntent drawCallbackFollowUp(AgentFrame& f, const CallbackFollowUpVm& vm);

// [SECTION] notes and next action of an introduction

struct NotesVm {
    std::string text;
    std::string problem; ///< translated, when the last save was refused
};
struct NotesIntent {
    enum class Kind { None, Key, Save, Cancel };
    Kind kind = Kind::None;
    KeyPress key; ///< for Key
};
/// The notes as typed (on screen or on a physical keyboard), under a reminder that they stay
/// sealed on this kiosk.
[[nodiscard]] NotesIntent drawNotesEditor(AgentFrame& f, const NotesVm& vm, KeyboardState& keyboard);

struct NextActionVm {
    std::optional<std::string> date; ///< YYYY-MM-DD, or none
    std::string problem;
};
struct NextActionIntent {
    enum class Kind { None, EarlierDay, LaterDay, LaterWeek, Clear, Save, Cancel };
    Kind kind = Kind::None;
};
[[nodiscard]] NextActionIntent drawNextActionEditor(AgentFrame& f, const NextActionVm& vm);

// [SECTION] a local one-off offer

/// One choice of the form, stepped with ‹ and › (a script taps "LABEL ‹" or "LABEL ›").
struct StepperVm {
    std::string label;
    std::string value;
};
struct LocalOfferVm {
    enum class Stage { Title, Description, Choices };
    Stage stage = Stage::Title; ///< the title, then what one does there (keyboard), then the choices
    std::string title;
    std::string description;
    std::vector<StepperVm> steppers;
    std::string problem; ///< translated, when the last save was refused
};
struct LocalOfferIntent {
    enum class Kind { None, Key, Next, Step, Save, Cancel };
    Kind kind = Kind::None;
    KeyPress key;          ///< for Key
    std::size_t field = 0; ///< for Step
    int delta = 0;         ///< for Step: -1 or +1
};
[[nodiscard]] LocalOfferIntent drawLocalOfferForm(AgentFrame& f, const LocalOfferVm& vm,
                                                  KeyboardState& keyboard);

// [SECTION] reason picker

struct ReasonPickerVm {
    IntroStatus to = IntroStatus::Declined;
    std::string selected; ///< coded reason, empty until one is tapped
};
struct ReasonIntent {
    enum class Kind { None, Pick, Confirm, Cancel };
    Kind kind = Kind::None;
    std::string code; ///< for Pick
};
[[nodiscard]] ReasonIntent drawReasonPicker(AgentFrame& f, const ReasonPickerVm& vm);

// [SECTION] hours entry and Permis Citoyen progress

struct HoursEntryVm {
    double hours = 1;
    std::string doneOn; ///< YYYY-MM-DD
    double hoursBefore = 0;
    bool permisCitoyen = false;
    std::string problem; ///< translated sentence, when the last save was refused
};
struct HoursIntent {
    enum class Kind { None, Less, More, EarlierDay, LaterDay, Save, Cancel };
    Kind kind = Kind::None;
};
[[nodiscard]] HoursIntent drawHoursEntry(AgentFrame& f, const HoursEntryVm& vm);

/// The 0–40 h bar with the 20 h mark and a sentence under it; returns the height used.
float drawPermisProgress(AgentFrame& f, const PermisProgress& p, float width);

// [SECTION] indicators

struct IndicatorsVm {
    Period period = Period::Month;
    std::vector<std::string> labels; ///< last periods, oldest first
    std::vector<double> participations;
    std::vector<double> hours;
    IndicatorRow latest; ///< the last period's All row
    IndicatorRow now;    ///< open offers and their organisations
    std::string message; ///< after an export: where the file went, or why it failed
};
/// The last `periods` periods of the All rows, ready to draw.
[[nodiscard]] IndicatorsVm buildIndicatorsVm(const Indicators& ind, std::size_t periods);

struct IndicatorsIntent {
    enum class Kind { None, ByWeek, ByMonth, Export, Back };
    Kind kind = Kind::None;
};
[[nodiscard]] IndicatorsIntent drawIndicators(AgentFrame& f, const IndicatorsVm& vm);

/// Bars (left scale) and a line with dots (right scale) over the same labels, drawn with the
/// window's draw list; no plotting library.
void drawBarLineChart(ImDrawList* dl, const Look& look, ImVec2 pos, ImVec2 size,
                      const std::vector<std::string>& labels, const std::vector<double>& bars,
                      const std::vector<double>& line);

// [SECTION] privacy requests

enum class PrivacyStage { Find, Found, ConfirmErase, Done };

struct PrivacyVm {
    PrivacyStage stage = PrivacyStage::Find;
    std::string code;      ///< as typed
    bool notFound = false; ///< the last search found nothing
    std::string reference; ///< the record found
    std::string createdOn; ///< YYYY-MM-DD
    std::string what;      ///< offer title, or the call-back sentence
    bool alreadyErased = false;
    std::string message; ///< after an export or an erasure
};
struct PrivacyIntent {
    enum class Kind { None, Key, Find, Export, AskErase, ConfirmErase, CancelErase, Back };
    Kind kind = Kind::None;
    KeyPress key; ///< for Key
};
[[nodiscard]] PrivacyIntent drawPrivacyRequest(AgentFrame& f, const PrivacyVm& vm, KeyboardState& keyboard);

} // namespace comptoir::ui
