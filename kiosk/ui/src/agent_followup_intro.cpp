// Agent follow-up: introduction detail, reason picker, hours entry, Permis Citoyen progress.
#include "agent_followup_draw.hpp"
#include "comptoir/domain/text.hpp"

#include <algorithm>

namespace comptoir::ui {

using namespace followup;

namespace {
std::string statusLabel(const Strings& s, IntroStatus st) {
    return s.get(std::string("followup.status.") + toString(st));
}

/// Read-only text centred in a box at the cursor (recorded for scripted `expect`).
void centredText(AgentFrame& f, ImFont* font, const std::string& s, ImVec2 box) {
    ImVec2 pos = ImGui::GetCursorScreenPos();
    (void)addCentredText(ImGui::GetWindowDrawList(), false, font, pos.x + box.x * 0.5f,
                         pos.y + (box.y - font->FontSize) * 0.5f, f.look.palette.ink, s);
    ImGui::Dummy(box);
}

/// "12 h 30" style is for visitors; agents read "12,5".
std::string hoursText(double h) {
    std::string t = frenchDecimal(h, 2);
    return t.empty() ? "0" : t;
}
} // namespace

IntroductionIntent drawIntroductionDetail(AgentFrame& f, const IntroductionDetailVm& vm) {
    IntroductionIntent intent;
    const Palette& p = f.look.palette;
    // Two columns: the record and what can be done on the left, its history on the right.
    float full = available(f);
    float w = full * 0.6f;
    ImVec2 top = ImGui::GetCursorPos();
    text(f, f.look.fonts.title, f.s.get("followup.detail.title"), w, p.ink);
    gap(f, 8);
    text(f, f.look.fonts.bold, f.s.format("followup.detail.visitor", {{"reference", vm.reference}}), w,
         p.ink);
    text(f, f.look.fonts.body, f.s.format("followup.detail.offer", {{"offer", vm.offerTitle}}), w, p.ink);
    text(f, f.look.fonts.body,
         f.s.format("followup.detail.organisation", {{"organisation", vm.organisationName}}), w, p.inkSoft);
    gap(f, 8);
    std::string status = statusLabel(f.s, vm.status);
    if (!vm.reason.empty()) status += " — " + f.s.get("followup.reason." + vm.reason);
    text(f, f.look.fonts.bold, f.s.format("followup.detail.status", {{"status", status}}), w, p.ink);
    text(f, f.look.fonts.body,
         vm.nextActionOn ? f.s.format("followup.detail.next_action", {{"date", *vm.nextActionOn}})
                         : f.s.get("followup.detail.no_next_action"),
         w, p.inkSoft);
    if (vm.hasNotes) {
        gap(f, 8);
        text(f, f.look.fonts.bold, f.s.get("followup.detail.notes"), w, p.ink);
        text(f, f.look.fonts.body, vm.notes.empty() ? f.s.get("followup.notes.sealed") : vm.notes, w,
             p.inkSoft);
    }
    if (vm.nextToCallReference) {
        gap(f, 8);
        text(f, f.look.fonts.bold,
             f.s.format("followup.detail.next_to_call", {{"reference", *vm.nextToCallReference}}), w,
             p.accent);
    }
    gap(f);

    // Only the moves the transition table allows are offered: an impossible one has no button.
    auto next = allowedNext(vm.status);
    if (next.empty()) {
        text(f, f.look.fonts.body, f.s.get("followup.detail.final"), w, p.inkSoft);
    } else {
        std::vector<std::string> labels;
        for (auto to : next)
            labels.push_back(f.s.format("followup.detail.move_to", {{"status", statusLabel(f.s, to)}}));
        int tapped = buttonRow(f, labels, ButtonKind::Primary, w);
        if (tapped >= 0) intent = {IntroductionIntent::Kind::Move, next[static_cast<std::size_t>(tapped)]};
    }
    gap(f);

    if (isParticipation(vm.status) || vm.hoursDone > 0) {
        text(f, f.look.fonts.bold,
             f.s.format("followup.detail.hours_total", {{"n", hoursText(vm.hoursDone)}}), w, p.ink);
        if (vm.permisCitoyen)
            drawPermisProgress(f, permisProgress(vm.hoursDone), std::min(w, f.look.px(640)));
        if (isParticipation(vm.status) && followup::button(f, f.s.get("followup.detail.log_hours"),
                                                    ImVec2(0, f.look.px(56)), ButtonKind::Secondary))
            intent.kind = IntroductionIntent::Kind::LogHours;
        gap(f);
    }

    int tapped = buttonRow(f,
                           {f.s.get(vm.hasNotes ? "followup.notes.edit" : "followup.notes.add"),
                            f.s.get("followup.next.edit"), f.s.get("followup.back")},
                           ButtonKind::Quiet, w);
    if (tapped == 0) intent.kind = IntroductionIntent::Kind::EditNotes;
    if (tapped == 1) intent.kind = IntroductionIntent::Kind::EditNextAction;
    if (tapped == 2) intent.kind = IntroductionIntent::Kind::Back;
    ImVec2 end = ImGui::GetCursorPos();

    float hx = top.x + full * 0.64f;
    float hw = full * 0.36f;
    ImGui::SetCursorPos(ImVec2(hx, top.y));
    text(f, f.look.fonts.bold, f.s.get("followup.detail.history"), hw, p.ink);
    for (const auto& h : vm.history) {
        std::string line = h.date + " — " + statusLabel(f.s, h.status);
        if (!h.reason.empty()) line += " (" + f.s.get("followup.reason." + h.reason) + ")";
        ImGui::SetCursorPosX(hx);
        text(f, f.look.fonts.body, line, hw, p.inkSoft);
    }
    ImGui::SetCursorPos(ImVec2(top.x, std::max(end.y, ImGui::GetCursorPosY())));
    return intent;
}

InterestFollowUpIntent drawInterestFollowUp(AgentFrame& f, const InterestFollowUpVm& vm) {
    InterestFollowUpIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("followup.interest.title"), w, p.ink);
    gap(f, 8);
    text(f, f.look.fonts.bold, f.s.format("followup.detail.visitor", {{"reference", vm.reference}}), w,
         p.ink);
    if (!vm.contact.empty()) text(f, f.look.fonts.bold, vm.contact, w, p.ink);
    text(f, f.look.fonts.body, f.s.format("followup.interest.on", {{"date", vm.createdOn}}), w, p.inkSoft);
    text(f, f.look.fonts.body, f.s.format("followup.detail.offer", {{"offer", vm.offerTitle}}), w, p.ink);
    if (!vm.organisationName.empty())
        text(f, f.look.fonts.body,
             f.s.format("followup.detail.organisation", {{"organisation", vm.organisationName}}), w,
             p.inkSoft);
    gap(f);
    if (!vm.message.empty()) {
        text(f, f.look.fonts.bold, vm.message, w, p.accent);
        gap(f, 8);
    }
    // What can be done with this registration now: propose it, or say why not.
    if (vm.alreadyIntroduced) {
        text(f, f.look.fonts.body, f.s.get("followup.interest.already"), w, p.inkSoft);
    } else if (!vm.offerKnown) {
        text(f, f.look.fonts.body, f.s.get("followup.interest.offer_gone"), w, p.inkSoft);
    } else if (vm.offerClosed) {
        text(f, f.look.fonts.body, f.s.get("followup.interest.offer_closed"), w, p.inkSoft);
    } else if (vm.offerFull) {
        text(f, f.look.fonts.body, f.s.get("followup.interest.offer_full"), w, p.inkSoft);
        if (buttonRow(f, {f.s.get("followup.interest.waiting_list")}, ButtonKind::Primary, w) == 0)
            intent.kind = InterestFollowUpIntent::Kind::JoinWaitingList;
    } else if (buttonRow(f, {f.s.get("followup.interest.propose")}, ButtonKind::Primary, w) == 0) {
        intent.kind = InterestFollowUpIntent::Kind::Propose;
    }
    gap(f);
    if (!vm.introductions.empty()) {
        text(f, f.look.fonts.bold, f.s.get("followup.interest.introductions"), w, p.ink);
        for (std::size_t i = 0; i < vm.introductions.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            if (followup::button(f, vm.introductions[i], ImVec2(w, f.look.fx(56)),
                          ButtonKind::Secondary))
                intent = {InterestFollowUpIntent::Kind::Open, i};
            ImGui::PopID();
            gap(f, 6);
        }
        gap(f);
    }
    if (buttonRow(f, {f.s.get("followup.back")}, ButtonKind::Quiet, w) == 0)
        intent.kind = InterestFollowUpIntent::Kind::Back;
    return intent;
}

CallbackFollowUpIntent drawCallbackFollowUp(AgentFrame& f, const CallbackFollowUpVm& vm) {
    CallbackFollowUpIntent intent;
    const Palette& p = f.look.palette;
    float full = available(f);
    float w = full * 0.6f;
    ImVec2 top = ImGui::GetCursorPos();
    text(f, f.look.fonts.title, f.s.get("callback.title"), w, p.ink);
    gap(f, 8);
    text(f, f.look.fonts.bold, f.s.format("followup.detail.visitor", {{"reference", vm.reference}}), w,
         p.ink);
    if (!vm.contact.empty()) text(f, f.look.fonts.bold, vm.contact, w, p.ink);
    text(f, f.look.fonts.body, f.s.format("callback.call_from", {{"date", vm.callFrom}}), w, p.ink);
    text(f, f.look.fonts.body, f.s.format("callback.asked_on", {{"date", vm.askedOn}}), w, p.inkSoft);
    if (!vm.offerTitle.empty())
        text(f, f.look.fonts.body, f.s.format("followup.detail.offer", {{"offer", vm.offerTitle}}), w, p.ink);
    gap(f);
    if (!vm.message.empty()) {
        text(f, f.look.fonts.bold, vm.message, w, p.accent);
        gap(f, 8);
    }
    if (!vm.open) {
        text(f, f.look.fonts.body, f.s.get("callback.closed"), w, p.inkSoft);
        gap(f);
    } else {
        text(f, f.look.fonts.bold, f.s.get("callback.outcome.title"), w, p.ink);
        gap(f, 6);
        // The coded outcomes two by two: the whole screen stays in view, buttons and all.
        const float spacing = f.look.px(12);
        const ImVec2 cell((w - spacing) * 0.5f, f.look.px(56));
        const float x0 = ImGui::GetCursorPosX();
        for (std::size_t i = 0; i < kCallbackOutcomes.size(); ++i) {
            CallbackOutcome o = kCallbackOutcomes[i];
            if (i % 2 == 1) ImGui::SameLine(x0 + cell.x + spacing);
            ImGui::PushID(static_cast<int>(o));
            if (followup::button(f, f.s.get(std::string("callback.outcome.") + toString(o)), cell,
                          vm.selected == o ? ButtonKind::Primary : ButtonKind::Secondary))
                intent = {CallbackFollowUpIntent::Kind::Pick, o};
            ImGui::PopID();
            if (i % 2 == 1) gap(f, 6);
        }
        if (vm.selected == CallbackOutcome::NoAnswer) {
            // The day to call again: tomorrow at the earliest, stepped a day at a time.
            const ImVec2 key(0, f.look.px(56));
            if (followup::button(f, f.s.get("followup.hours.earlier"), key, ButtonKind::Secondary))
                intent.kind = CallbackFollowUpIntent::Kind::EarlierDay;
            ImGui::SameLine();
            centredText(f, f.look.fonts.bold, f.s.format("callback.next_call", {{"date", vm.nextCallOn}}),
                        ImVec2(f.look.px(280), key.y));
            ImGui::SameLine();
            if (followup::button(f, f.s.get("followup.hours.later"), key, ButtonKind::Secondary))
                intent.kind = CallbackFollowUpIntent::Kind::LaterDay;
            gap(f, 6);
        }
        if (!vm.note.empty()) text(f, f.look.fonts.body, vm.note, w, p.inkSoft);
        gap(f, 6);
        // "Enregistrer" once an outcome is chosen; the note beside it, never the main action.
        if (vm.selected) {
            if (buttonRow(f, {f.s.get("callback.save")}, ButtonKind::Primary, w) == 0)
                intent.kind = CallbackFollowUpIntent::Kind::Save;
            ImGui::SameLine(0, f.look.px(12));
        }
        if (buttonRow(f, {f.s.get(vm.note.empty() ? "followup.notes.add" : "callback.note_edit")},
                      ButtonKind::Secondary, w) == 0)
            intent.kind = CallbackFollowUpIntent::Kind::EditNote;
        // "Retour" on the actions' row, as on an introduction: below them it fell out of view.
        ImGui::SameLine(0, f.look.px(12));
    }
    if (buttonRow(f, {f.s.get("followup.back")}, ButtonKind::Quiet, w) == 0)
        intent.kind = CallbackFollowUpIntent::Kind::Back;
    ImVec2 end = ImGui::GetCursorPos();

    // What was already tried, and the notes, beside the request.
    float hx = top.x + full * 0.64f;
    float hw = full * 0.36f;
    ImGui::SetCursorPos(ImVec2(hx, top.y));
    text(f, f.look.fonts.bold, f.s.get("followup.detail.history"), hw, p.ink);
    if (vm.attempts.empty()) {
        ImGui::SetCursorPosX(hx);
        text(f, f.look.fonts.body, f.s.get("callback.no_attempt"), hw, p.inkSoft);
    }
    for (const auto& a : vm.attempts) {
        ImGui::SetCursorPosX(hx);
        text(f, f.look.fonts.body, a, hw, p.inkSoft);
    }
    if (!vm.notes.empty()) {
        ImGui::SetCursorPosX(hx);
        text(f, f.look.fonts.bold, f.s.get("followup.detail.notes"), hw, p.ink);
        for (const auto& n : vm.notes) {
            ImGui::SetCursorPosX(hx);
            text(f, f.look.fonts.body, n, hw, p.inkSoft);
        }
    }
    ImGui::SetCursorPos(ImVec2(top.x, std::max(end.y, ImGui::GetCursorPosY())));
    return intent;
}

NotesIntent drawNotesEditor(AgentFrame& f, const NotesVm& vm, KeyboardState& keyboard) {
    NotesIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("followup.notes.title"), w, p.ink);
    text(f, f.look.fonts.small, f.s.get("followup.notes.privacy"), w, p.inkSoft);
    gap(f, 8);
    textBox(f, vm.text, w, 4);
    if (!vm.problem.empty()) text(f, f.look.fonts.bold, vm.problem, w, p.accent);
    gap(f, 8);
    int tapped =
        buttonRow(f, {f.s.get("followup.notes.save"), f.s.get("followup.cancel")}, ButtonKind::Primary, w);
    if (tapped == 0) intent.kind = NotesIntent::Kind::Save;
    if (tapped == 1) intent.kind = NotesIntent::Kind::Cancel;
    gap(f, 8);
    if (auto key = keyboardBelow(f, KeyboardLayout::Letters, keyboard, w)) {
        intent.kind = NotesIntent::Kind::Key;
        intent.key = *key;
    }
    return intent;
}

NextActionIntent drawNextActionEditor(AgentFrame& f, const NextActionVm& vm) {
    NextActionIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("followup.next.title"), w, p.ink);
    gap(f);
    const ImVec2 key(0, f.look.px(64));
    if (followup::button(f, f.s.get("followup.hours.earlier"), key, ButtonKind::Secondary))
        intent.kind = NextActionIntent::Kind::EarlierDay;
    ImGui::SameLine();
    centredText(f, f.look.fonts.bold,
                vm.date ? f.s.format("followup.detail.next_action", {{"date", *vm.date}})
                        : f.s.get("followup.detail.no_next_action"),
                ImVec2(f.look.px(300), key.y));
    ImGui::SameLine();
    if (followup::button(f, f.s.get("followup.hours.later"), key, ButtonKind::Secondary))
        intent.kind = NextActionIntent::Kind::LaterDay;
    ImGui::SameLine();
    if (followup::button(f, f.s.get("followup.next.week"), key, ButtonKind::Secondary))
        intent.kind = NextActionIntent::Kind::LaterWeek;
    gap(f);
    if (!vm.problem.empty()) text(f, f.look.fonts.bold, vm.problem, w, p.accent);
    int tapped = buttonRow(
        f, {f.s.get("followup.next.save"), f.s.get("followup.next.clear"), f.s.get("followup.cancel")},
        ButtonKind::Primary, w);
    if (tapped == 0) intent.kind = NextActionIntent::Kind::Save;
    if (tapped == 1) intent.kind = NextActionIntent::Kind::Clear;
    if (tapped == 2) intent.kind = NextActionIntent::Kind::Cancel;
    return intent;
}

ReasonIntent drawReasonPicker(AgentFrame& f, const ReasonPickerVm& vm) {
    ReasonIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.format("followup.reason.title", {{"status", statusLabel(f.s, vm.to)}}), w,
         p.ink);
    gap(f);
    for (auto code : reasonsFor(vm.to)) {
        std::string c(code);
        bool chosen = c == vm.selected;
        if (followup::button(f, f.s.get("followup.reason." + c),
                      ImVec2(std::min(w, f.look.px(560)), f.look.px(56)),
                      chosen ? ButtonKind::Primary : ButtonKind::Secondary))
            intent = {ReasonIntent::Kind::Pick, c};
        gap(f, 6);
    }
    gap(f);
    std::vector<std::string> actions;
    if (!vm.selected.empty()) actions.push_back(f.s.get("followup.reason.confirm"));
    actions.push_back(f.s.get("followup.cancel"));
    int tapped = buttonRow(f, actions, ButtonKind::Quiet, w);
    if (tapped >= 0)
        intent.kind =
            (!vm.selected.empty() && tapped == 0) ? ReasonIntent::Kind::Confirm : ReasonIntent::Kind::Cancel;
    return intent;
}

float drawPermisProgress(AgentFrame& f, const PermisProgress& pr, float width) {
    const Palette& p = f.look.palette;
    ImVec2 start = ImGui::GetCursorScreenPos();
    text(f, f.look.fonts.bold, f.s.get("followup.permis.title"), width, p.ink);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float h = f.look.px(28);
    float r = h * 0.5f;
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), p.accentSoft, r);
    float filled = static_cast<float>(pr.fraction) * width;
    if (filled > 0)
        dl->AddRectFilled(pos, ImVec2(pos.x + std::max(filled, h), pos.y + h),
                          pr.minReached ? p.accent : p.header, r);
    // The 20 h mark: where the Permis Citoyen can be granted.
    float mark = pos.x + static_cast<float>(pr.minFraction) * width;
    dl->AddLine(ImVec2(mark, pos.y - f.look.px(4)), ImVec2(mark, pos.y + h + f.look.px(4)), p.ink,
                f.look.px(3));
    if (p.highContrast) dl->AddRect(pos, ImVec2(pos.x + width, pos.y + h), p.ink, r, 0, f.look.px(2));
    ImGui::Dummy(ImVec2(width, h + f.look.px(6)));
    text(f, f.look.fonts.body, f.s.format("followup.permis.progress", {{"done", hoursText(pr.done)}}), width,
         p.ink);
    std::string note = pr.maxReached ? f.s.get("followup.permis.max_reached")
                       : pr.minReached
                           ? f.s.get("followup.permis.min_reached")
                           : f.s.format("followup.permis.to_min", {{"n", hoursText(pr.hoursToMin)}});
    text(f, f.look.fonts.body, note, width, p.inkSoft);
    return ImGui::GetCursorScreenPos().y - start.y;
}

HoursIntent drawHoursEntry(AgentFrame& f, const HoursEntryVm& vm) {
    HoursIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("followup.hours.title"), w, p.ink);
    gap(f);
    const ImVec2 key(f.look.px(120), f.look.px(64));
    if (followup::button(f, f.s.get("followup.hours.less"), key, ButtonKind::Secondary))
        intent.kind = HoursIntent::Kind::Less;
    ImGui::SameLine();
    centredText(f, f.look.fonts.huge, f.s.format("followup.hours.amount", {{"n", hoursText(vm.hours)}}),
                ImVec2(f.look.px(220), key.y));
    ImGui::SameLine();
    if (followup::button(f, f.s.get("followup.hours.more"), key, ButtonKind::Secondary))
        intent.kind = HoursIntent::Kind::More;
    gap(f);
    if (followup::button(f, f.s.get("followup.hours.earlier"), ImVec2(0, key.y), ButtonKind::Secondary))
        intent.kind = HoursIntent::Kind::EarlierDay;
    ImGui::SameLine();
    centredText(f, f.look.fonts.bold, f.s.format("followup.hours.on", {{"date", vm.doneOn}}),
                ImVec2(f.look.px(300), key.y));
    ImGui::SameLine();
    if (followup::button(f, f.s.get("followup.hours.later"), ImVec2(0, key.y), ButtonKind::Secondary))
        intent.kind = HoursIntent::Kind::LaterDay;
    gap(f);
    if (!vm.problem.empty()) text(f, f.look.fonts.bold, vm.problem, w, p.accent);
    if (vm.permisCitoyen) {
        drawPermisProgress(f, permisProgress(vm.hoursBefore + vm.hours), std::min(w, f.look.px(640)));
        gap(f);
    }
    int tapped =
        buttonRow(f, {f.s.get("followup.hours.save"), f.s.get("followup.cancel")}, ButtonKind::Primary, w);
    if (tapped == 0) intent.kind = HoursIntent::Kind::Save;
    if (tapped == 1) intent.kind = HoursIntent::Kind::Cancel;
    return intent;
}

} // namespace comptoir::ui
