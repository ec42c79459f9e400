// Agent mode's follow-up sections wired to the store (see agent_followup_glue.hpp).

#include "agent_followup_glue.hpp"

#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/agent_inbox.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/privacy_repo.hpp"

#include <algorithm>
#include <imgui.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace comptoir::app {

namespace {

constexpr int kListAtMost = 200;
constexpr double kHoursStep = 0.25;
constexpr std::size_t kIndicatorPeriods = 8;
constexpr std::size_t kCodeAtMost = 12;    ///< a reference code, with room for spaces and a dash
constexpr std::size_t kNotesAtMost = 1000; ///< code points; the store takes up to 4,000 bytes

/// "Camille  ·  06 12 34 56 78": the person to call, opened with the agent's key (never logged,
/// wiped at logout); `reach` replaces the phone or e-mail ("passera au Comptoir"). "" without a key.
std::string personToCall(const FollowUpWho& who, std::int64_t personalId,
                         const std::optional<std::string>& reach) {
    if (!who.contacts) return {};
    const auto* c = who.contacts->open(who.db, who.publicKey, who.key, personalId);
    if (!c) return {};
    std::string how = reach ? *reach : phoneInPairs(c->reach);
    return c->firstName.empty() || how.empty() ? c->firstName + how : c->firstName + "  ·  " + how;
}

std::string statusWord(const Strings& s, IntroStatus st) {
    return s.get(std::string("followup.status.") + toString(st));
}

} // namespace

// [SECTION] contacts opened while logged in

const ContactBook::Contact* ContactBook::open(const store::Database& db, const store::PublicKey& pk,
                                              const store::SecretKey* key, std::int64_t personalId) {
    if (!key || personalId == 0) return nullptr;
    if (auto it = m_opened.find(personalId); it != m_opened.end()) return &it->second;
    Contact c;
    auto blobs = store::sealedContacts(db, {personalId});
    if (!blobs.front().empty()) {
        if (auto text = store::unseal(pk, *key, blobs.front())) {
            auto j = nlohmann::json::parse(*text, nullptr, false);
            if (j.is_object()) {
                c.firstName = j.value("first_name", "");
                std::string phone = j.value("phone", ""), email = j.value("email", "");
                c.reach = !phone.empty() ? phone : email;
                store::wipe(phone);
                store::wipe(email);
            }
            store::wipe(*text);
        }
    }
    return &m_opened.emplace(personalId, std::move(c)).first->second;
}

void ContactBook::wipe() {
    for (auto& [id, c] : m_opened) {
        store::wipe(c.firstName);
        store::wipe(c.reach);
    }
    m_opened.clear();
}

std::string phoneInPairs(const std::string& reach) {
    if (normalisePhone(reach) != reach) return reach; // an e-mail: shown as written
    return groupPhone(reach);                         // "06 12 34 56 78", "+32 470 12 34 56"
}

void beginContent(const char* id, ImVec2 cmin, ImVec2 cmax) {
    ImGui::SetCursorScreenPos(cmin);
    ImGui::BeginChild(id, ImVec2(cmax.x - cmin.x, cmax.y - cmin.y), false, ImGuiWindowFlags_NoSavedSettings);
}

// [SECTION] introductions

void IntroductionsPanel::openIntroduction(const std::string& id) {
    reset();
    m_id = id;
    m_stage = Stage::Detail;
    m_fromInbox = true;
}

void IntroductionsPanel::openInterest(const std::string& id) {
    reset();
    m_interestId = id;
    m_stage = Stage::Interest;
    m_fromInbox = true;
}

void IntroductionsPanel::openCallback(const std::string& id) {
    reset();
    m_callbackId = id;
    m_stage = Stage::Callback;
    m_fromInbox = true;
}

bool IntroductionsPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                              const ui::PhysicalKeys& keys) {
    beginContent("introductions", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime, ctx.focus};
    bool back = false;
    try {
        switch (m_stage) {
        case Stage::List:
            drawList(f, who);
            break;
        case Stage::Interest:
            back = drawInterest(f, who);
            break;
        case Stage::Detail:
            back = drawDetail(f, who);
            break;
        case Stage::Notes:
            drawNotes(f, who, keys);
            break;
        case Stage::NextAction:
            drawNextAction(f, who);
            break;
        case Stage::Callback:
            back = drawCallback(f, who);
            break;
        case Stage::CallbackNote:
            drawCallbackNote(f, keys);
            break;
        case Stage::Reason: {
            auto in = ui::drawReasonPicker(f, m_reason);
            if (in.kind == ui::ReasonIntent::Kind::Pick) m_reason.selected = in.code;
            if (in.kind == ui::ReasonIntent::Kind::Cancel) m_stage = Stage::Detail;
            if (in.kind == ui::ReasonIntent::Kind::Confirm && !m_reason.selected.empty())
                move(who, m_reason.to, m_reason.selected, ctx.s);
            break;
        }
        case Stage::Hours: {
            auto in = ui::drawHoursEntry(f, m_hours);
            using K = ui::HoursIntent::Kind;
            if (in.kind == K::Less && m_hours.hours > kHoursStep) m_hours.hours -= kHoursStep;
            if (in.kind == K::More && isValidHoursEntry(m_hours.hours + kHoursStep))
                m_hours.hours += kHoursStep;
            if (in.kind == K::EarlierDay) m_hours.doneOn = addDays(m_hours.doneOn, -1);
            if (in.kind == K::LaterDay && m_hours.doneOn < localTime("%Y-%m-%d"))
                m_hours.doneOn = addDays(m_hours.doneOn, 1);
            if (in.kind == K::Cancel) m_stage = Stage::Detail;
            if (in.kind == K::Save) {
                store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
                auto r = fs.logHours(who.agentId, m_id, m_hours.hours, m_hours.doneOn, localTime("%Y-%m-%d"));
                if (r.ok()) {
                    m_stage = Stage::Detail;
                    m_message.clear();
                } else {
                    spdlog::warn("agent mode: hours not logged: {}", store::toString(r.problem));
                    m_hours.problem = ctx.s.get("followup.refused");
                }
            }
            break;
        }
        }
    } catch (const std::exception& e) {
        // A database failure leaves the record as it was; the agent sees it was not saved.
        spdlog::error("agent mode: follow-up change failed: {}", e.what());
        m_message = ctx.s.get("followup.refused");
        m_stage = !m_id.empty()           ? Stage::Detail
                  : !m_interestId.empty() ? Stage::Interest
                  : !m_callbackId.empty() ? Stage::Callback
                                          : Stage::List;
    }
    ImGui::EndChild();
    return back;
}

bool IntroductionsPanel::drawInterest(ui::AgentFrame& f, const FollowUpWho& who) {
    auto interest = store::loadInterest(who.db, m_interestId);
    if (!interest) {
        m_stage = Stage::List;
        return false;
    }
    auto offer = store::offerFacts(who.db, interest->offerId);
    auto intros = store::introductionsOfInterest(who.db, m_interestId);
    ui::InterestFollowUpVm vm;
    vm.reference = interest->reference;
    vm.offerTitle = interest->offerTitle;
    vm.createdOn = interest->createdAt.substr(0, 10);
    vm.offerKnown = offer.has_value();
    vm.contact =
        personToCall(who, interest->personalId,
                     interest->atCounter ? std::optional(f.s.get("agent.inbox.at_counter")) : std::nullopt);
    if (offer) {
        vm.organisationName = store::organisationName(who.db, offer->organisationId);
        vm.offerClosed = offer->closed();
        vm.offerFull = offer->full();
    }
    // One open introduction to this offer at a time (the store refuses a second one).
    vm.alreadyIntroduced = std::any_of(intros.begin(), intros.end(), [&](const store::Introduction& n) {
        return n.offerId == interest->offerId && !isFinal(n.status);
    });
    for (const auto& n : intros)
        vm.introductions.push_back(f.s.format(
            "followup.list.row",
            {{"reference", n.reference}, {"offer", n.offerTitle}, {"status", statusWord(f.s, n.status)}}));
    vm.message = m_message;
    auto in = ui::drawInterestFollowUp(f, vm);
    using K = ui::InterestFollowUpIntent::Kind;
    switch (in.kind) {
    case K::None:
        break;
    case K::Back:
        m_stage = Stage::List;
        m_interestId.clear();
        m_message.clear();
        m_rows.reset();
        return std::exchange(m_fromInbox, false);
    case K::Open:
        if (in.index < intros.size()) {
            m_id = intros[in.index].id;
            m_stage = Stage::Detail;
            m_message.clear();
            m_nextToCall.reset();
        }
        break;
    case K::Propose:
    case K::JoinWaitingList: {
        store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
        auto r = fs.propose(who.agentId, m_interestId, interest->offerId, in.kind == K::JoinWaitingList,
                            localTime("%Y-%m-%d"));
        if (r.ok()) {
            m_id = r.id; // the new introduction, to follow from here
            m_stage = Stage::Detail;
            m_message.clear();
            m_nextToCall.reset();
        } else {
            spdlog::warn("agent mode: introduction not proposed: {}", store::toString(r.problem));
            m_message = f.s.get(r.problem == store::FollowUpProblem::OfferFull ? "followup.refused_full"
                                                                               : "followup.refused");
        }
        break;
    }
    }
    return false;
}

bool IntroductionsPanel::drawCallback(ui::AgentFrame& f, const FollowUpWho& who) {
    auto cb = store::loadCallback(who.db, m_callbackId);
    if (!cb) {
        m_stage = Stage::List;
        return std::exchange(m_fromInbox, false);
    }
    ui::CallbackFollowUpVm& vm = m_callback;
    vm.reference = cb->reference;
    vm.callFrom = cb->recontactAfter;
    vm.askedOn = cb->createdAt.substr(0, 10);
    vm.offerTitle = cb->offerTitle;
    vm.open = cb->status == "waiting";
    store::wipe(vm.contact);
    vm.contact = personToCall(who, cb->personalId, std::nullopt);
    vm.attempts.clear();
    for (const auto& a : cb->attempts)
        vm.attempts.push_back(store::describeAttempt(a, f.s));
    for (auto& n : vm.notes)
        store::wipe(n);
    vm.notes.clear();
    if (who.key) vm.notes = store::readCallbackNotes(who.db, who.publicKey, *who.key, m_callbackId);
    const std::string today = localTime("%Y-%m-%d");
    if (vm.nextCallOn.empty() || vm.nextCallOn <= today) vm.nextCallOn = addDays(today, 1);
    auto in = ui::drawCallbackFollowUp(f, vm);
    using K = ui::CallbackFollowUpIntent::Kind;
    switch (in.kind) {
    case K::None:
        break;
    case K::Pick:
        vm.selected = in.outcome;
        vm.message.clear();
        break;
    case K::EarlierDay:
        // Tomorrow at the earliest: "pas de réponse" is called again another day.
        if (addDays(vm.nextCallOn, -1) > today) vm.nextCallOn = addDays(vm.nextCallOn, -1);
        break;
    case K::LaterDay:
        vm.nextCallOn = addDays(vm.nextCallOn, 1);
        break;
    case K::EditNote:
        store::wipe(m_notes.text);
        m_notes = ui::NotesVm{vm.note, ""};
        m_keyboard = ui::KeyboardState{};
        m_stage = Stage::CallbackNote;
        break;
    case K::Save: {
        if (!vm.selected) break;
        store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
        auto r = fs.followUpCallback(who.agentId, m_callbackId, *vm.selected,
                                     keepsCallbackOpen(*vm.selected) ? vm.nextCallOn : std::string(), vm.note,
                                     today);
        if (r.ok()) {
            store::wipe(vm.note);
            vm.selected.reset();
            vm.message = f.s.get("followup.saved");
        } else {
            spdlog::warn("agent mode: call-back follow-up not recorded: {}", store::toString(r.problem));
            vm.message = f.s.get("followup.refused");
        }
        break;
    }
    case K::Back: {
        store::wipe(vm.note);
        m_callback = ui::CallbackFollowUpVm{};
        m_callbackId.clear();
        m_stage = Stage::List;
        m_rows.reset();
        return std::exchange(m_fromInbox, false);
    }
    }
    return false;
}

void IntroductionsPanel::drawCallbackNote(ui::AgentFrame& f, const ui::PhysicalKeys& keys) {
    // The note is kept with the outcome being chosen, and saved (sealed) with it.
    auto in = ui::drawNotesEditor(f, m_notes, m_keyboard);
    (void)ui::typeInto(m_notes.text, keys, kNotesAtMost);
    using K = ui::NotesIntent::Kind;
    if (in.kind == K::Key) ui::applyKey(m_notes.text, in.key, kNotesAtMost);
    if (in.kind == K::Save) {
        store::wipe(m_callback.note);
        m_callback.note = m_notes.text;
    }
    if (in.kind == K::Save || in.kind == K::Cancel) {
        store::wipe(m_notes.text);
        m_stage = Stage::Callback;
    }
}

void IntroductionsPanel::drawList(ui::AgentFrame& f, const FollowUpWho& who) {
    const ui::Look& L = f.look;
    float w = ImGui::GetContentRegionAvail().x;
    ui::followup::text(f, L.fonts.title, f.s.get("followup.list.title"), w, L.palette.ink);
    ImGui::Dummy(ImVec2(1, L.px(12)));
    // Read once on arriving at the list, not at every frame.
    if (!m_rows) m_rows = store::recentIntroductions(who.db, kListAtMost);
    const auto& rows = *m_rows;
    if (rows.empty()) {
        ui::followup::text(f, L.fonts.body, f.s.get("followup.list.empty"), w, L.palette.inkSoft);
        return;
    }
    // Only the rows in view are drawn: 200 rows at once overflowed one frame's vertex buffer
    // (Dear ImGui aborts past 65,536 vertices per window), as the offers' list did.
    const float rowH = L.fx(56);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), rowH + ImGui::GetStyle().ItemSpacing.y);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const auto& n = rows[static_cast<std::size_t>(i)];
            std::string label = f.s.format(
                "followup.list.row",
                {{"reference", n.reference}, {"offer", n.offerTitle}, {"status", statusWord(f.s, n.status)}});
            ImGui::PushID(n.id.c_str());
            if (ui::followup::button(f, label, ImVec2(w, rowH), ui::ButtonKind::Secondary)) {
                m_id = n.id;
                m_stage = Stage::Detail;
                m_message.clear();
                m_nextToCall.reset();
            }
            ImGui::PopID();
        }
    }
    clipper.End();
}

bool IntroductionsPanel::drawDetail(ui::AgentFrame& f, const FollowUpWho& who) {
    auto n = store::loadIntroduction(who.db, m_id);
    if (!n) {
        m_stage = Stage::List;
        return false;
    }
    ui::IntroductionDetailVm vm;
    vm.reference = n->reference;
    vm.offerTitle = n->offerTitle;
    vm.organisationName = store::organisationName(who.db, n->organisationId);
    vm.status = n->status;
    vm.reason = n->reason;
    vm.nextActionOn = n->nextActionOn;
    for (const auto& h : store::introductionHistory(who.db, m_id))
        vm.history.push_back({h.at.substr(0, 10), h.status, h.reason});
    vm.hoursDone = store::hoursTotal(who.db, m_id);
    vm.permisCitoyen = n->permisCitoyen;
    vm.nextToCallReference = m_nextToCall;
    vm.hasNotes = n->hasNotes;
    std::optional<std::string> notes;
    if (n->hasNotes && who.key) notes = store::readNotes(who.db, who.publicKey, *who.key, m_id);
    if (notes) vm.notes = std::move(*notes);
    if (!m_message.empty())
        ui::followup::text(f, f.look.fonts.bold, m_message, ImGui::GetContentRegionAvail().x,
                           f.look.palette.ink);
    auto in = ui::drawIntroductionDetail(f, vm);
    bool back = false;
    switch (in.kind) {
    case ui::IntroductionIntent::Kind::None:
        break;
    case ui::IntroductionIntent::Kind::Back:
        // Back where it was opened from: its registration, the inbox or the list.
        m_id.clear();
        m_message.clear();
        m_rows.reset();
        if (!m_interestId.empty()) {
            m_stage = Stage::Interest;
        } else {
            m_stage = Stage::List;
            back = std::exchange(m_fromInbox, false);
        }
        break;
    case ui::IntroductionIntent::Kind::LogHours:
        m_hours = ui::HoursEntryVm{1, localTime("%Y-%m-%d"), vm.hoursDone, vm.permisCitoyen, ""};
        m_stage = Stage::Hours;
        break;
    case ui::IntroductionIntent::Kind::EditNotes:
        store::wipe(m_notes.text);
        m_notes = ui::NotesVm{vm.notes, ""};
        m_keyboard = ui::KeyboardState{};
        m_stage = Stage::Notes;
        break;
    case ui::IntroductionIntent::Kind::EditNextAction:
        m_next = ui::NextActionVm{vm.nextActionOn, ""};
        m_stage = Stage::NextAction;
        break;
    case ui::IntroductionIntent::Kind::Move:
        if (needsReason(in.to)) {
            m_reason = ui::ReasonPickerVm{in.to, ""};
            m_stage = Stage::Reason;
        } else {
            move(who, in.to, "", f.s);
        }
        break;
    }
    store::wipe(vm.notes);
    return back;
}

void IntroductionsPanel::drawNotes(ui::AgentFrame& f, const FollowUpWho& who, const ui::PhysicalKeys& keys) {
    auto in = ui::drawNotesEditor(f, m_notes, m_keyboard);
    // A physical keyboard types here too.
    (void)ui::typeInto(m_notes.text, keys, kNotesAtMost);
    using K = ui::NotesIntent::Kind;
    if (in.kind == K::Key) {
        ui::applyKey(m_notes.text, in.key, kNotesAtMost);
        m_notes.problem.clear();
    }
    if (in.kind == K::Cancel) {
        store::wipe(m_notes.text);
        m_stage = Stage::Detail;
    }
    if (in.kind == K::Save) {
        store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
        auto r = fs.setNotes(who.agentId, m_id, m_notes.text);
        if (r.ok()) {
            store::wipe(m_notes.text);
            m_stage = Stage::Detail;
            m_message = f.s.get("followup.saved");
        } else {
            spdlog::warn("agent mode: notes not saved: {}", store::toString(r.problem));
            m_notes.problem = f.s.get("followup.refused");
        }
    }
}

void IntroductionsPanel::drawNextAction(ui::AgentFrame& f, const FollowUpWho& who) {
    auto in = ui::drawNextActionEditor(f, m_next);
    using K = ui::NextActionIntent::Kind;
    std::string base = m_next.date.value_or(localTime("%Y-%m-%d"));
    std::optional<std::string> save;
    switch (in.kind) {
    case K::None:
        break;
    case K::EarlierDay:
        // Never before today: a next action is something still to do.
        if (base > localTime("%Y-%m-%d")) m_next.date = addDays(base, -1);
        break;
    case K::LaterDay:
        m_next.date = addDays(base, 1);
        break;
    case K::LaterWeek:
        m_next.date = addDays(base, 7);
        break;
    case K::Clear:
        save = "";
        break;
    case K::Save:
        save = m_next.date.value_or("");
        break;
    case K::Cancel:
        m_stage = Stage::Detail;
        break;
    }
    if (!save) return;
    store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
    auto r = fs.setNextAction(who.agentId, m_id, *save);
    if (r.ok()) {
        m_stage = Stage::Detail;
        m_message = f.s.get("followup.saved");
    } else {
        spdlog::warn("agent mode: next action not saved: {}", store::toString(r.problem));
        m_next.problem = f.s.get("followup.refused");
    }
}

void IntroductionsPanel::move(const FollowUpWho& who, IntroStatus to, const std::string& reason,
                              const Strings& s) {
    store::FollowUpStore fs{who.db, who.publicKey, who.kioskId};
    auto r = fs.changeStatus(who.agentId, m_id, to, reason, localTime("%Y-%m-%d"));
    m_stage = Stage::Detail;
    if (r.ok()) {
        m_message.clear();
        m_nextToCall = r.nextToCall ? std::optional<std::string>(r.nextToCall->reference) : std::nullopt;
    } else {
        spdlog::warn("agent mode: status not changed: {}", store::toString(r.problem));
        m_message = s.get(r.problem == store::FollowUpProblem::OfferFull ? "followup.refused_full"
                                                                         : "followup.refused");
    }
}

// [SECTION] indicators

bool IndicatorsPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                           const std::string& exportDir) {
    beginContent("indicators", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime, ctx.focus};
    bool back = false;
    try {
        if (!m_loaded) {
            std::string message = std::move(m_vm.message);
            m_vm = ui::buildIndicatorsVm(computeIndicators(store::loadIndicatorInput(who.db), m_period),
                                         kIndicatorPeriods);
            m_vm.message = std::move(message);
            m_loaded = true;
        }
        auto in = ui::drawIndicators(f, m_vm);
        using K = ui::IndicatorsIntent::Kind;
        back = in.kind == K::Back;
        if ((in.kind == K::ByWeek && m_period != Period::Week) ||
            (in.kind == K::ByMonth && m_period != Period::Month)) {
            m_period = in.kind == K::ByWeek ? Period::Week : Period::Month;
            m_vm.message.clear();
            m_loaded = false;
        }
        if (in.kind == K::Export) {
            try {
                std::string path = store::exportIndicatorsCsv(who.db, who.agentId, m_period, exportDir,
                                                              localTime("%Y%m%d-%H%M%S"));
                m_vm.message = ctx.s.format("indicators.exported", {{"path", path}});
            } catch (const std::runtime_error& e) {
                // The technical reason goes to the journal; the agent is told where to look.
                spdlog::warn("agent mode: indicators not exported: {}", e.what());
                m_vm.message = ctx.s.format("indicators.export_failed", {{"path", exportDir}});
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("agent mode: indicators failed: {}", e.what());
        m_vm.message = ctx.s.get("indicators.failed");
    }
    ImGui::EndChild();
    return back;
}

// [SECTION] privacy requests

void PrivacyPanel::reset() {
    store::wipe(m_vm.code);
    *this = PrivacyPanel{};
}

void PrivacyPanel::find(const FollowUpWho& who, const Strings& s) {
    std::string code = m_vm.code;
    m_vm = ui::PrivacyVm{};
    m_vm.code = std::move(code);
    auto r = store::findByReference(who.db, m_vm.code);
    if (!r) {
        m_vm.notFound = true;
        return;
    }
    m_vm.stage = ui::PrivacyStage::Found;
    m_vm.reference = r->reference;
    m_vm.createdOn = r->createdAt.substr(0, 10);
    m_vm.what = r->kind == store::RecordKind::Interest ? r->offerTitle : s.get("agent.inbox.callback");
    m_vm.alreadyErased = r->erased || r->personalPurged;
    if (m_vm.alreadyErased) m_vm.message = s.get("privacy.already_erased");
}

void PrivacyPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                        const store::SecretKey& key, const ui::PhysicalKeys& keys,
                        const std::string& exportDir) {
    beginContent("privacy", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime, ctx.focus};
    using K = ui::PrivacyIntent::Kind;
    try {
        ui::PrivacyIntent in = ui::drawPrivacyRequest(f, m_vm, m_keyboard);
        if (m_vm.stage == ui::PrivacyStage::Find) {
            // A physical keyboard types the code too; Enter looks it up.
            if (keys.backspace) ui::applyKey(m_vm.code, ui::KeyPress{"", true}, kCodeAtMost);
            if (!keys.text.empty()) ui::applyKey(m_vm.code, ui::KeyPress{keys.text, false}, kCodeAtMost);
            if (keys.enter) in.kind = K::Find;
        }
        switch (in.kind) {
        case K::None:
            break;
        case K::Key:
            ui::applyKey(m_vm.code, in.key, kCodeAtMost);
            m_vm.notFound = false;
            break;
        case K::Find:
            find(who, ctx.s);
            break;
        case K::Export:
            try {
                std::string path =
                    store::exportVisitorData(who.db, who.publicKey, key, ctx.s, who.agentId, m_vm.reference,
                                             exportDir, localTime("%Y%m%d-%H%M%S"));
                m_vm.message = ctx.s.format("privacy.exported", {{"path", path}});
            } catch (const std::runtime_error& e) {
                spdlog::warn("agent mode: visitor data not exported: {}", e.what());
                m_vm.message = ctx.s.format("indicators.export_failed", {{"path", exportDir}});
            }
            break;
        case K::AskErase:
            if (!m_vm.alreadyErased) m_vm.stage = ui::PrivacyStage::ConfirmErase;
            break;
        case K::CancelErase:
            m_vm.stage = ui::PrivacyStage::Found;
            break;
        case K::ConfirmErase: {
            auto r = store::eraseVisitor(who.db, who.kioskId, who.agentId, m_vm.reference);
            m_vm.stage = ui::PrivacyStage::Done;
            m_vm.alreadyErased = true;
            m_vm.message = ctx.s.get(r.ok || r.problem == "already_erased"
                                         ? (r.ok ? "privacy.erased" : "privacy.already_erased")
                                         : "privacy.not_found");
            break;
        }
        case K::Back:
            reset();
            break;
        }
    } catch (const std::exception& e) {
        spdlog::error("agent mode: privacy request failed: {}", e.what());
        m_vm.message = ctx.s.get("followup.refused");
    }
    ImGui::EndChild();
}

// [SECTION] offers on site

namespace {
std::string offerStateWord(const Strings& s, const store::OfferFacts& o) {
    if (o.closed()) return s.get("offers.state.closed");
    return s.get(o.full() ? "offers.state.full" : "offers.state.open");
}
} // namespace

void OffersPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who,
                       const ui::PhysicalKeys& keys) {
    beginContent("offers", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime, ctx.focus};
    const ui::Look& L = f.look;
    float w = ImGui::GetContentRegionAvail().x;
    try {
        if (m_form) {
            drawForm(f, who, keys);
        } else if (m_id.empty()) {
            ui::followup::text(f, L.fonts.title, f.s.get("offers.title"), w, L.palette.ink);
            if (!m_message.empty()) ui::followup::text(f, L.fonts.bold, m_message, w, L.palette.ink);
            ImGui::Dummy(ImVec2(1, L.px(12)));
            if (ui::followup::button(f, f.s.get("offers.local.add"), ImVec2(0, L.fx(56)),
                              ui::ButtonKind::Primary)) {
                m_form.emplace();
                // Only what the form chooses from: the offers themselves are not needed here.
                m_form->refs = store::loadCatalogueReferences(who.db);
                auto byName = [](const auto& a, const auto& b) { return a.name < b.name; };
                std::sort(m_form->refs.organisations.begin(), m_form->refs.organisations.end(), byName);
                std::sort(m_form->refs.neighbourhoods.begin(), m_form->refs.neighbourhoods.end(), byName);
                for (std::size_t t = 0; t < m_form->refs.themes.size(); ++t)
                    for (std::size_t a = 0; a < m_form->refs.themes[t].activities.size(); ++a)
                        m_form->activities.emplace_back(t, a);
                m_message.clear();
            }
            ImGui::Dummy(ImVec2(1, L.px(12)));
            // Ids and titles only; an opened offer is read on its own (offerFacts).
            if (!m_offers) m_offers = store::shownOfferTitles(who.db);
            // Only the rows in view are drawn: a catalogue of thousands of offers would overflow
            // one frame's vertex buffer (Dear ImGui aborts past 65,536 vertices per window).
            const float rowH = std::max(L.fx(56), L.px(48));
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_offers->size()), rowH + ImGui::GetStyle().ItemSpacing.y);
            while (clipper.Step()) {
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    const store::OfferTitle& r = (*m_offers)[static_cast<std::size_t>(i)];
                    ImGui::PushID(r.id.c_str());
                    if (ui::followup::button(f, r.title, ImVec2(w, rowH), ui::ButtonKind::Secondary)) {
                        m_id = r.id;
                        m_message.clear();
                    }
                    ImGui::PopID();
                }
            }
            clipper.End();
        } else if (auto o = store::offerFacts(who.db, m_id)) {
            ui::followup::text(f, L.fonts.title, o->title, w, L.palette.ink);
            ui::followup::text(f, L.fonts.body,
                               f.s.format("offers.state", {{"state", offerStateWord(f.s, *o)}}), w,
                               L.palette.ink);
            if (!m_message.empty()) ui::followup::text(f, L.fonts.bold, m_message, w, L.palette.ink);
            ImGui::Dummy(ImVec2(1, L.px(12)));
            std::optional<store::OnSiteState> want;
            ImVec2 size(std::min(w, L.px(420)), L.fx(56));
            if (!o->closed() && !o->full() &&
                ui::followup::button(f, f.s.get("offers.mark_full"), size, ui::ButtonKind::Secondary))
                want = store::OnSiteState::Full;
            if (!o->closed() &&
                ui::followup::button(f, f.s.get("offers.close"), size, ui::ButtonKind::Secondary))
                want = store::OnSiteState::Closed;
            if ((o->closed() || o->full()) &&
                ui::followup::button(f, f.s.get("offers.reopen"), size, ui::ButtonKind::Primary))
                want = store::OnSiteState::Open;
            if (ui::followup::button(f, f.s.get("followup.back"), size, ui::ButtonKind::Quiet)) {
                m_id.clear();
                m_offers.reset();
            }
            if (want) {
                auto r = store::setOfferState(who.db, who.kioskId, who.agentId, m_id, *want);
                m_message = f.s.get(r.ok ? "offers.saved" : "followup.refused");
                if (!r.ok) spdlog::warn("agent mode: offer state not changed: {}", r.problem);
                if (r.ok) m_changed = true;
            }
        } else {
            m_id.clear();
        }
    } catch (const std::exception& e) {
        spdlog::error("agent mode: offer change failed: {}", e.what());
        m_message = ctx.s.get("followup.refused");
    }
    ImGui::EndChild();
}

namespace {
/// "14:30" for the half hour 29 of the day.
std::string clockOf(int halfHour) {
    const int h = std::clamp(halfHour, 0, 47);
    char hm[16];
    std::snprintf(hm, sizeof hm, "%02d:%02d", h / 2, h % 2 * 30);
    return hm;
}
std::string trim(const std::string& t) {
    auto b = t.find_first_not_of(' ');
    return b == std::string::npos ? std::string() : t.substr(b, t.find_last_not_of(' ') - b + 1);
}
template <typename T> std::string nameAt(const std::vector<T>& v, std::size_t i) {
    return i < v.size() ? v[i].name : std::string();
}
} // namespace

void OffersPanel::drawForm(ui::AgentFrame& f, const FollowUpWho& who, const ui::PhysicalKeys& keys) {
    Form& F = *m_form;
    constexpr std::size_t kTitleAtMost = 120; // the catalogue's own limits
    constexpr std::size_t kDescriptionAtMost = 1200;
    // The choices as the agent reads them, rebuilt each frame from the indices.
    std::string today = localTime("%Y-%m-%d");
    std::string day = addDays(today, F.dayOffset);
    int endHalfHour = std::min(F.startHalfHour + F.halfHours, 47);
    F.vm.steppers.clear();
    auto add = [&](const char* key, std::string value) {
        F.vm.steppers.push_back({f.s.get(key), std::move(value)});
    };
    add("offers.local.organisation", nameAt(F.refs.organisations, F.organisation));
    if (F.activity < F.activities.size()) {
        const auto& t = F.refs.themes[F.activities[F.activity].first];
        add("offers.local.activity", t.name + " — " + t.activities[F.activities[F.activity].second].name);
    } else {
        add("offers.local.activity", "");
    }
    add("offers.local.neighbourhood", nameAt(F.refs.neighbourhoods, F.neighbourhood));
    add("offers.local.day", day);
    add("offers.local.time", clockOf(F.startHalfHour) + " – " + clockOf(endHalfHour));
    add("offers.local.duration",
        f.s.format("followup.hours.amount", {{"n", frenchDecimal(F.halfHours / 2.0, 1)}}));
    add("offers.local.places", std::to_string(F.places));
    auto in = ui::drawLocalOfferForm(f, F.vm, F.keyboard);
    using K = ui::LocalOfferIntent::Kind;
    using Stage = ui::LocalOfferVm::Stage;
    std::string* typed = F.vm.stage == Stage::Title         ? &F.vm.title
                         : F.vm.stage == Stage::Description ? &F.vm.description
                                                            : nullptr;
    std::size_t atMost = F.vm.stage == Stage::Title ? kTitleAtMost : kDescriptionAtMost;
    if (typed) {
        (void)ui::typeInto(*typed, keys, atMost);
        if (keys.enter) in.kind = K::Next;
    }
    auto cycle = [](std::size_t& i, std::size_t n, int delta) {
        if (n > 0) i = (i + n + (delta < 0 ? n - 1 : 1)) % n;
    };
    switch (in.kind) {
    case K::None:
        break;
    case K::Key:
        if (typed) ui::applyKey(*typed, in.key, atMost);
        F.vm.problem.clear();
        break;
    case K::Next:
        // Visitors read both: a title of a few letters at least, and a sentence of what one does.
        if (typed && trim(*typed).size() < 3) {
            F.vm.problem = f.s.get(F.vm.stage == Stage::Title ? "offers.local.title_missing"
                                                              : "offers.local.description_missing");
        } else if (typed) {
            F.vm.stage = F.vm.stage == Stage::Title ? Stage::Description : Stage::Choices;
            F.vm.problem.clear();
        }
        break;
    case K::Step:
        switch (in.field) {
        case 0:
            cycle(F.organisation, F.refs.organisations.size(), in.delta);
            break;
        case 1:
            cycle(F.activity, F.activities.size(), in.delta);
            break;
        case 2:
            cycle(F.neighbourhood, F.refs.neighbourhoods.size(), in.delta);
            break;
        case 3: // from today to three months ahead: a one-off offer is soon
            F.dayOffset = std::clamp(F.dayOffset + in.delta, 0, 92);
            break;
        case 4: // the start, by half hours, from 7:00 to 21:00
            F.startHalfHour = std::clamp(F.startHalfHour + in.delta, 14, 42);
            break;
        case 5: // 30 min to 8 h, ending by 23:30
            F.halfHours = std::clamp(F.halfHours + in.delta, 1, 16);
            break;
        case 6:
            F.places = std::clamp(F.places + in.delta, 1, 99);
            break;
        default:
            break;
        }
        break;
    case K::Cancel:
        m_form.reset();
        return;
    case K::Save: {
        if (F.refs.organisations.empty() || F.activities.empty() || F.refs.neighbourhoods.empty()) {
            F.vm.problem = f.s.get("followup.refused");
            break;
        }
        Offer o;
        o.title = trim(F.vm.title);
        o.description = trim(F.vm.description);
        o.organisationId = F.refs.organisations[F.organisation].id;
        const auto& t = F.refs.themes[F.activities[F.activity].first];
        o.themeId = t.id;
        o.activityId = t.activities[F.activities[F.activity].second].id;
        o.neighbourhoodId = F.refs.neighbourhoods[F.neighbourhood].id;
        o.dates.push_back({day + "T" + clockOf(F.startHalfHour), day + "T" + clockOf(endHalfHour)});
        o.durationHours = static_cast<double>(endHalfHour - F.startHalfHour) / 2.0;
        o.placesWanted = o.placesLeft = F.places;
        auto r = store::addLocalOffer(who.db, who.kioskId, who.agentId, std::move(o), F.refs);
        if (!r.ok) {
            spdlog::warn("agent mode: local offer not added: {}", r.problem);
            F.vm.problem = f.s.get("followup.refused");
            break;
        }
        m_form.reset();
        m_offers.reset();
        m_changed = true;
        m_message = f.s.get("offers.local.saved");
        return;
    }
    }
}

} // namespace comptoir::app
