// Agent mode's follow-up sections wired to the store (see agent_followup_glue.hpp).

#include "agent_followup_glue.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/privacy_repo.hpp"

#include <algorithm>
#include <imgui.h>
#include <spdlog/spdlog.h>

namespace comptoir::app {

namespace {

constexpr int kListAtMost = 200;
constexpr double kHoursStep = 0.25;
constexpr std::size_t kIndicatorPeriods = 8;
constexpr std::size_t kCodeAtMost = 12; ///< a reference code, with room for spaces and a dash

std::string statusWord(const Strings& s, IntroStatus st) {
    return s.get(std::string("followup.status.") + toString(st));
}

} // namespace

void beginContent(const char* id, ImVec2 cmin, ImVec2 cmax) {
    ImGui::SetCursorScreenPos(cmin);
    ImGui::BeginChild(id, ImVec2(cmax.x - cmin.x, cmax.y - cmin.y), false, ImGuiWindowFlags_NoSavedSettings);
}

// [SECTION] introductions

void IntroductionsPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who) {
    beginContent("introductions", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime};
    try {
        switch (m_stage) {
        case Stage::List:
            drawList(f, who);
            break;
        case Stage::Detail:
            drawDetail(f, who);
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
        m_stage = m_id.empty() ? Stage::List : Stage::Detail;
    }
    ImGui::EndChild();
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
    for (const auto& n : rows) {
        std::string label = f.s.format(
            "followup.list.row",
            {{"reference", n.reference}, {"offer", n.offerTitle}, {"status", statusWord(f.s, n.status)}});
        ImGui::PushID(n.id.c_str());
        if (ui::bigButton(L, f.reg, label, ImVec2(w, L.fx(56)), ui::ButtonKind::Secondary)) {
            m_id = n.id;
            m_stage = Stage::Detail;
            m_message.clear();
            m_nextToCall.reset();
        }
        ImGui::PopID();
    }
}

void IntroductionsPanel::drawDetail(ui::AgentFrame& f, const FollowUpWho& who) {
    auto n = store::loadIntroduction(who.db, m_id);
    if (!n) {
        m_stage = Stage::List;
        return;
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
    if (!m_message.empty())
        ui::followup::text(f, f.look.fonts.bold, m_message, ImGui::GetContentRegionAvail().x,
                           f.look.palette.ink);
    auto in = ui::drawIntroductionDetail(f, vm);
    switch (in.kind) {
    case ui::IntroductionIntent::Kind::None:
        break;
    case ui::IntroductionIntent::Kind::Back:
        m_stage = Stage::List;
        m_id.clear();
        m_rows.reset();
        break;
    case ui::IntroductionIntent::Kind::LogHours:
        m_hours = ui::HoursEntryVm{1, localTime("%Y-%m-%d"), vm.hoursDone, vm.permisCitoyen, ""};
        m_stage = Stage::Hours;
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
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime};
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
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime};
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

void OffersPanel::draw(ui::ScreenContext& ctx, ImVec2 cmin, ImVec2 cmax, const FollowUpWho& who) {
    beginContent("offers", cmin, cmax);
    ui::AgentFrame f{ctx.look, ctx.s, ctx.reg, ImGui::GetIO().DeltaTime};
    const ui::Look& L = f.look;
    float w = ImGui::GetContentRegionAvail().x;
    try {
        if (m_id.empty()) {
            ui::followup::text(f, L.fonts.title, f.s.get("offers.title"), w, L.palette.ink);
            ImGui::Dummy(ImVec2(1, L.px(12)));
            if (!m_offers) {
                m_offers.emplace();
                for (const auto& o : store::shownCatalogue(who.db).offers)
                    m_offers->push_back({o.id, o.title});
                std::sort(m_offers->begin(), m_offers->end(),
                          [](const Row& a, const Row& b) { return a.title < b.title; });
            }
            for (const auto& r : *m_offers) {
                ImGui::PushID(r.id.c_str());
                if (ui::bigButton(L, f.reg, r.title, ImVec2(w, L.fx(56)), ui::ButtonKind::Secondary)) {
                    m_id = r.id;
                    m_message.clear();
                }
                ImGui::PopID();
            }
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
                ui::bigButton(L, f.reg, f.s.get("offers.mark_full"), size, ui::ButtonKind::Secondary))
                want = store::OnSiteState::Full;
            if (!o->closed() &&
                ui::bigButton(L, f.reg, f.s.get("offers.close"), size, ui::ButtonKind::Secondary))
                want = store::OnSiteState::Closed;
            if ((o->closed() || o->full()) &&
                ui::bigButton(L, f.reg, f.s.get("offers.reopen"), size, ui::ButtonKind::Primary))
                want = store::OnSiteState::Open;
            if (ui::bigButton(L, f.reg, f.s.get("followup.back"), size, ui::ButtonKind::Quiet)) {
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

} // namespace comptoir::app
