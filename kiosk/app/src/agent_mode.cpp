// Agent mode inside the kiosk session.
//
// [SECTION] dates in plain French
// [SECTION] state
// [SECTION] gesture, opening, closing
// [SECTION] PIN pad
// [SECTION] shell and sections

#include "comptoir/app/agent_mode.hpp"

#include "agent_followup_glue.hpp"

#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/agent_inbox.hpp"
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/worker.hpp"
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <future>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace comptoir::app {

// [SECTION] dates in plain French --------------------------------------------

namespace {

std::string frenchDate(std::int32_t ymd, const Strings& s) {
    if (ymd <= 0) return "?";
    return std::to_string(ymd % 100) + " " + s.get("month." + std::to_string(ymd / 100 % 100)) + " " +
           std::to_string(ymd / 10000);
}

/// "2026-12-03T08:04:07Z" (UTC) → "3 décembre 2026 à 9 h 04" in local time.
std::string frenchDateTime(const std::string& iso, const Strings& s) {
    std::tm tm{};
    if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return s.get("agent.sync.never");
    std::time_t t = timegm(&tm);
    std::tm local{};
    localtime_r(&t, &local);
    char hm[16];
    std::snprintf(hm, sizeof hm, "%d h %02d", local.tm_hour, local.tm_min);
    std::int32_t ymd = (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
    return s.format("agent.date.at", {{"date", frenchDate(ymd, s)}, {"time", hm}});
}

std::string isoOf(std::chrono::system_clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::int32_t todayYmd() {
    std::string t = localTime("%Y%m%d");
    return static_cast<std::int32_t>(std::strtol(t.c_str(), nullptr, 10));
}

/// The sync's last error, in words an agent can act on (the technical tail stays in the journal).
std::string plainSyncError(const std::string& error, const Strings& s) {
    if (error.empty()) return {};
    for (const char* kind : {"unreachable", "refused", "failed"})
        if (error.find(kind) != std::string::npos) return s.get(std::string("agent.sync.error.") + kind);
    return s.get("agent.sync.error.failed");
}

std::string lowerAscii(std::string text) {
    for (auto& ch : text)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
}

std::string digitsOf(const std::string& text) {
    std::string d;
    for (char ch : text)
        if (ch >= '0' && ch <= '9') d += ch;
    return d;
}

} // namespace

// [SECTION] state ------------------------------------------------------------

struct AgentMode::Impl {
    const KioskConfig& config;
    store::Database& db;
    const Strings& strings;

    // the gesture
    std::vector<double> cornerTaps;
    // the pad
    bool padOpen = false;
    ui::PinPadState pad;
    ui::KeyFocus focus;
    // the session
    std::optional<store::AgentInfo> agent;
    std::optional<store::SecretKey> key;
    store::PublicKey publicKey{};
    double lastInput = 0;
    ui::AgentSection section = ui::AgentSection::Inbox;
    // data, refreshed on demand
    std::int64_t waiting = 0, dead = 0;
    double countsAt = -1000;
    store::Inbox inbox;
    bool inboxLoaded = false;
    std::vector<std::uint32_t> shown; ///< indices into inbox.items after the search
    std::string searchNote;
    ContactBook contacts; ///< opened with the agent's key, wiped at logout
    ui::InboxState inboxState;
    ui::OfferListState syncScroll;
    std::string syncMessage;
    ui::AgentsState agentsState;
    IntroductionsPanel intros;
    IndicatorsPanel indicators;
    PrivacyPanel privacy;
    OffersPanel offers;
    store::PinCost pinCost = store::PinCost::agent();
    /// The PIN check under way: the derivation runs on its own thread, the pad keeps drawing.
    struct PinCheck {
        store::PinAttempt attempt;
        std::future<std::optional<store::SecretKey>> key;
    };
    std::optional<PinCheck> check;

    Impl(const KioskConfig& c, store::Database& d, const Strings& s) : config(c), db(d), strings(s) {}

    void wipeSession() {
        contacts.wipe();
        store::wipe(pad.digits);
        store::wipe(inboxState.query);
        store::wipe(agentsState.pin);
        store::wipe(agentsState.pinAgain);
        key.reset(); // sodium_free wipes the secret key
        agent.reset();
        pad = ui::PinPadState{};
        inboxState = ui::InboxState{};
        agentsState = ui::AgentsState{};
        intros.reset();
        indicators.reset();
        privacy.reset();
        offers.reset();
        syncScroll = ui::OfferListState{};
        syncMessage.clear();
        inbox = store::Inbox{};
        inboxLoaded = false;
        shown.clear();
        shown.shrink_to_fit();
        searchNote.clear();
        section = ui::AgentSection::Inbox;
        focus = ui::KeyFocus{};
        padOpen = false;
        // What agent mode read (an inbox of 100,000 rows, the indicators' rows) goes back to the
        // system before the visitors' catalogue is read again: logout's peak stays the kiosk's own.
        ::malloc_trim(0);
    }

    void refreshCounts(double clock, bool force) {
        if (!force && clock - countsAt < 5) return;
        countsAt = clock;
        std::int64_t before = waiting;
        waiting = store::pendingCount(db);
        if (waiting != before) inboxLoaded = false; // something was recorded: the inbox may have grown
        dead = store::deadLetterCount(db);
    }

    const ContactBook::Contact* contact(std::int64_t personalId) {
        return contacts.open(db, publicKey, key ? &*key : nullptr, personalId);
    }
};

AgentMode::AgentMode(const KioskConfig& config, store::Database& db, const Strings& strings)
    : m_impl(std::make_unique<Impl>(config, db, strings)),
      m_startUnix(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {}

AgentMode::~AgentMode() {
    abandonPinCheck();
    m_impl->wipeSession();
}

void AgentMode::abandonPinCheck() {
    auto& I = *m_impl;
    if (!I.check) return;
    // Rare (Annuler or the idle delay within the half second of a check): wait for the thread,
    // drop whatever it opened. The attempt stays counted as wrong, as if the power had been cut.
    try {
        auto key = I.check->key.get();
        key.reset();
        store::Transaction tx(I.db);
        store::appendAudit(I.db, std::nullopt, "login.abandoned", I.check->attempt.agentId,
                           store::AuditOutcome::Refused);
        tx.commit();
    } catch (const std::exception& e) {
        spdlog::error("agent mode: an abandoned PIN check failed: {}", e.what());
    }
    I.check.reset();
    I.pad.checking = false;
}

bool AgentMode::checkingPin() const {
    return m_impl->check.has_value();
}

bool AgentMode::pinCheckRunning() const {
    const auto& c = m_impl->check;
    return c && c->key.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
}

void AgentMode::setPinCost(store::PinCost cost) {
    m_impl->pinCost = cost;
}

bool AgentMode::open() const {
    return m_impl->padOpen || m_impl->agent.has_value();
}
bool AgentMode::showsAgentScreen() const {
    return open() && !assisting();
}
bool AgentMode::loggedIn() const {
    return m_impl->agent.has_value();
}

// [SECTION] gesture, opening, closing -----------------------------------------

bool AgentMode::notePress(ImVec2 pos, ImVec2 display, double clock) {
    auto& I = *m_impl;
    if (open()) return false;
    // The top-left corner of the header (the logo: decoration, never a button for visitors).
    float corner = std::max(80.0f, display.y * 0.12f);
    if (pos.x > corner || pos.y > corner) {
        I.cornerTaps.clear();
        return false;
    }
    I.cornerTaps.push_back(clock);
    while (!I.cornerTaps.empty() && clock - I.cornerTaps.front() > 2.0)
        I.cornerTaps.erase(I.cornerTaps.begin());
    if (I.cornerTaps.size() < 3) return false;
    I.cornerTaps.clear();
    I.padOpen = true;
    I.lastInput = clock;
    spdlog::info("agent mode: PIN pad opened");
    return true;
}

void AgentMode::close(std::string_view why) {
    auto& I = *m_impl;
    abandonPinCheck();
    if (!open()) return;
    if (I.agent) {
        try {
            store::recordLogout(I.db, I.agent->id, why);
        } catch (const std::exception& e) {
            spdlog::error("agent mode: cannot record the logout: {}", e.what());
        }
        spdlog::info("agent mode: session closed ({})", why);
    }
    I.wipeSession();
    m_assisting = false;
    m_atCounter = false;
    m_closed = true;
}

double AgentMode::secondsUntilTimer(double clock) const {
    if (!open()) return 3600;
    double left = m_impl->lastInput + m_impl->config.agentIdleSeconds - clock;
    // the pad's lock counts down once a second
    return std::max(0.0, m_impl->agent ? left : std::min(left, 1.0));
}

// [SECTION] PIN pad ----------------------------------------------------------

namespace {
std::string padMessage(const store::LoginResult& r, const Strings& s) {
    using O = store::LoginResult::Outcome;
    switch (r.outcome) {
    case O::Ok:
        return {};
    case O::Disabled:
    case O::Unknown:
        return s.get("agent.pad.disabled");
    case O::Locked:
        return {};
    case O::WrongPin: {
        if (r.lock.failures == 0) return {}; // just locked: the lock message says it
        int left = store::kMaxPinFailures - r.lock.failures;
        return left == 1 ? s.get("agent.pad.wrong_one")
                         : s.format("agent.pad.wrong", {{"n", std::to_string(left)}});
    }
    }
    return {};
}
} // namespace

void AgentMode::draw(ui::ScreenContext& ctx, double clock, bool hadInput) {
    auto& I = *m_impl;
    m_animating = false;
    if (hadInput) I.lastInput = clock;
    if (open() && clock - I.lastInput >= I.config.agentIdleSeconds) {
        close(I.agent ? "logout.idle" : "pad.idle");
        return;
    }
    // Unix time for the pad's lock: the session's clock from the real start time, unless a test
    // injects its own.
    std::int64_t now = m_wallClock ? m_wallClock() : m_startUnix + static_cast<std::int64_t>(clock);
    if (!I.agent) {
        ui::PinPadVm vm;
        for (const auto& a : store::listAgents(I.db))
            if (a.active) vm.agents.push_back({a.id, a.name});
        if (vm.agents.size() == 1 && I.pad.agentId.empty()) {
            I.pad.agentId = vm.agents.front().id;
            I.pad.agentName = vm.agents.front().name;
        }
        auto lock = store::padLock(I.db);
        vm.lockSecondsLeft = lock.lockedUntil > now ? static_cast<int>(lock.lockedUntil - now) : 0;
        if (I.check && I.check->key.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            finishPinCheck(clock);
            lock = store::padLock(I.db);
            vm.lockSecondsLeft = lock.lockedUntil > now ? static_cast<int>(lock.lockedUntil - now) : 0;
        }
        // A fifth attempt under way already counts (and locks) in the database: the pad says
        // "Vérification…" until its answer, not the lock a right PIN will lift.
        if (I.check) vm.lockSecondsLeft = 0;
        if (!I.agent) {
            auto in = ui::drawPinPad(I.pad, vm, ctx, I.focus);
            if (in.cancel) {
                close("pad.cancel");
                return;
            }
            // One check at a time: the pad ignores Valider while "Vérification…" shows.
            if (in.submit && vm.lockSecondsLeft == 0 && !I.check) startPinCheck(now);
            m_animating = I.check.has_value() || vm.lockSecondsLeft > 0;
            return;
        }
    }
    drawShell(ctx, clock);
}

void AgentMode::startPinCheck(std::int64_t now) {
    auto& I = *m_impl;
    I.pad.message.clear();
    try {
        store::PinAttempt attempt = store::beginLogin(I.db, I.pad.agentId, now);
        if (attempt.refused) {
            store::wipe(I.pad.digits);
            I.pad.message = padMessage(store::finishLogin(I.db, attempt, std::nullopt), I.strings);
            return;
        }
        // The thread gets its own copies of the wrap and the PIN, and no database: the
        // connection stays on this thread.
        auto task = [wrap = *attempt.wrap, pin = I.pad.digits]() mutable {
            auto key = store::unwrapSecret(wrap, pin);
            store::wipe(pin);
            return key;
        };
        store::wipe(I.pad.digits);
        I.check.emplace(Impl::PinCheck{std::move(attempt), std::async(std::launch::async, std::move(task))});
        I.pad.checking = true;
    } catch (const std::exception& e) {
        store::wipe(I.pad.digits);
        I.pad.message = I.strings.get("agent.pad.failed");
        spdlog::error("agent mode: the PIN check failed: {}", e.what());
    }
}

void AgentMode::finishPinCheck(double clock) {
    auto& I = *m_impl;
    Impl::PinCheck check = std::move(*I.check);
    I.check.reset();
    I.pad.checking = false;
    try {
        auto r = store::finishLogin(I.db, check.attempt, check.key.get());
        I.pad.message = padMessage(r, I.strings);
        if (r.outcome == store::LoginResult::Outcome::Ok) {
            I.agent = store::findAgent(I.db, check.attempt.agentId);
            I.key.emplace(std::move(*r.key));
            I.publicKey = store::Keyring::publicKey(I.db);
            I.padOpen = false;
            I.lastInput = clock;
            I.refreshCounts(clock, true);
            spdlog::info("agent mode: agent {} logged in", I.agent->id);
            // The heap freed while starting and logging in goes back to the system (glibc keeps it
            // otherwise): agent mode works within 64 MB, and this is its baseline.
            ::malloc_trim(0);
        } else {
            spdlog::info("agent mode: PIN refused");
        }
    } catch (const std::exception& e) {
        I.pad.message = I.strings.get("agent.pad.failed");
        spdlog::error("agent mode: the PIN check failed: {}", e.what());
    }
}

// [SECTION] shell and sections ---------------------------------------------

void AgentMode::drawShell(ui::ScreenContext& ctx, double clock) {
    auto& I = *m_impl;
    I.refreshCounts(clock, false);
    ui::PhysicalKeys keys = ui::readPhysicalKeys();
    // In a form, Tab and Enter move between its fields; elsewhere they drive the focus ring.
    ui::PhysicalKeys ringKeys = keys;
    if (I.section == ui::AgentSection::Agents && I.agentsState.form != ui::AgentsState::Form::None)
        ringKeys.tab = ringKeys.shiftTab = ringKeys.enter = false;
    if (I.section == ui::AgentSection::Privacy) ringKeys.enter = false; // Enter looks the code up
    if ((I.section == ui::AgentSection::Introductions && I.intros.editingText()) ||
        (I.section == ui::AgentSection::Offers && I.offers.editingText()))
        ringKeys.tab = ringKeys.shiftTab = ringKeys.enter = false;
    I.focus.beginFrame(ringKeys);
    ctx.focus = &I.focus; // every section's buttons join the ring (the follow-up screens too)
    if (keys.escape) {
        close("logout");
        return;
    }
    ui::AgentShellVm vm{I.agent->name, I.waiting, I.dead, m_fullscreen};
    ImVec2 cmin, cmax;
    auto in = ui::drawAgentShell(I.section, vm, ctx, I.focus, cmin, cmax);
    bool animating = false;
    switch (I.section) {
    case ui::AgentSection::Inbox:
        drawInbox(ctx, keys, animating);
        break;
    case ui::AgentSection::Sync:
        drawSync(ctx, animating);
        break;
    case ui::AgentSection::Agents:
        drawAgents(ctx, keys, animating);
        break;
    case ui::AgentSection::Introductions:
        if (I.intros.draw(
                ctx, cmin, cmax,
                {I.db, I.publicKey, I.config.kioskId, I.agent->id, I.key ? &*I.key : nullptr, &I.contacts},
                keys) &&
            !in.go)
            in.go = ui::AgentSection::Inbox; // "Retour" on a record opened from the inbox
        break;
    case ui::AgentSection::Indicators:
        if (I.indicators.draw(ctx, cmin, cmax, {I.db, I.publicKey, I.config.kioskId, I.agent->id},
                              I.config.exportDir) &&
            !in.go)
            in.go = ui::AgentSection::Inbox; // "Retour" goes back to the inbox
        break;
    case ui::AgentSection::Privacy:
        if (!I.key) break; // never without a login, which unlocks it
        I.privacy.draw(ctx, cmin, cmax, {I.db, I.publicKey, I.config.kioskId, I.agent->id}, *I.key, keys,
                       I.config.exportDir);
        break;
    case ui::AgentSection::Offers:
        I.offers.draw(ctx, cmin, cmax, {I.db, I.publicKey, I.config.kioskId, I.agent->id}, keys);
        if (I.offers.takeChanged()) m_catalogueChanged = true;
        break;
    }
    m_animating = animating;
    if (in.go && *in.go != I.section) {
        I.section = *in.go;
        I.indicators.invalidate();
        I.intros.reset(); // the section opens on its list
        I.offers.reset(); // a half-written local offer is dropped when the agent leaves
        I.refreshCounts(clock, true);
        if (I.section == ui::AgentSection::Inbox) I.inboxLoaded = false;
    }
    if (in.quit) {
        appendAudit("kiosk.quit");
        m_quit = true;
    }
    if (in.toggleFullscreen) {
        appendAudit(m_fullscreen ? "kiosk.leave_fullscreen" : "kiosk.fullscreen");
        m_toggleFullscreen = true;
    }
    if (in.assist) {
        appendAudit("assist.start");
        m_assisting = true;
        m_atCounter = false;
        m_journeyReset = true;
    }
    if (in.logout) close("logout");
}

// [SECTION] assisted registration --------------------------------------------

bool AgentMode::assisting() const {
    return m_assisting && m_impl->agent.has_value();
}

std::optional<std::string> AgentMode::assistingAgentId() const {
    if (!assisting()) return std::nullopt;
    return m_impl->agent->id;
}

void AgentMode::typeForVisitor(ui::VisitorState& st) {
    ui::PhysicalKeys keys = ui::readPhysicalKeys();
    if (keys.text.empty() && !keys.backspace) return;
    auto type = [&](std::string& field, std::size_t max) {
        // One code point at a time: a frame may bring more than one key's worth of text.
        (void)ui::typeInto(field, keys, max);
        st.form.problem.clear();
    };
    switch (st.screen) {
    case ui::Screen::FirstName:
        type(st.form.firstName, kMaxFirstName);
        break;
    case ui::Screen::Contact:
        type(st.form.emailMode ? st.form.email : st.form.phone,
             st.form.emailMode ? kMaxEmail : kMaxPhoneTyped);
        break;
    case ui::Screen::Message:
        type(st.form.message, kMaxMessage);
        break;
    case ui::Screen::Search:
        type(st.query, 60);
        st.resultsDirty = true;
        break;
    default:
        break;
    }
}

void AgentMode::drawAssistBar(ui::ScreenContext& ctx, ui::VisitorState& st, double clock, bool hadInput) {
    auto& I = *m_impl;
    if (hadInput) I.lastInput = clock;
    if (clock - I.lastInput >= I.config.agentIdleSeconds) {
        m_assisting = false;
        close("logout.idle");
        return;
    }
    if (st.screen == ui::Screen::Welcome || st.screen == ui::Screen::FirstName) m_atCounter = false;
    const ui::Look& L = ctx.look;
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    float h = L.fx(48), pad = L.fx(8);
    ImFont* f = L.fonts.bold;
    ImFont* small = L.fonts.small;
    auto widthOf = [&](ImFont* font, const std::string& t) {
        return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, t.c_str()).x;
    };
    std::string banner = I.strings.format("agent.assist.banner", {{"name", I.agent->name}});
    std::string backLabel = I.strings.get("agent.assist.back");
    std::string counterLabel = I.strings.get("agent.assist.at_counter");
    bool offerCounter = st.screen == ui::Screen::Contact && st.purpose == ui::Purpose::Interest;
    // The band sits over the header's left part (logo and site name), clear of the visitor's
    // buttons on the right; with little room the sentence goes, the buttons stay.
    float buttons =
        widthOf(f, backLabel) + L.px(28) + (offerCounter ? widthOf(f, counterLabel) + L.px(38) : 0);
    float room = ds.x * 0.55f;
    bool showBanner = pad * 3 + widthOf(small, banner) + buttons <= room;
    float bandW = pad * (showBanner ? 3 : 2) + (showBanner ? widthOf(small, banner) + pad : 0) + buttons;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(bandW, h + 2 * pad));
    ImGui::SetNextWindowBgAlpha(0.0f);
    ImGui::Begin("assist", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(bandW, h + 2 * pad), L.palette.ink, L.px(12),
                      ImDrawFlags_RoundCornersBottomRight);
    float x = pad;
    if (showBanner) {
        ImVec2 at(x + pad, pad + (h - small->FontSize) * 0.5f);
        (void)ui::addText(dl, false, small, at, L.palette.background, banner);
        x += widthOf(small, banner) + 2 * pad;
    }
    auto button = [&](const std::string& label) {
        float w = widthOf(f, label) + L.px(28);
        ImGui::SetCursorScreenPos(ImVec2(x, pad));
        x += w + L.px(10);
        return ui::bigButton(L, ctx.reg, label, ImVec2(w, h), ui::ButtonKind::Secondary);
    };
    bool back = button(backLabel);
    bool counter = offerCounter && button(counterLabel);
    ImGui::End();
    if (counter) {
        // Neither phone nor e-mail: the person will come back to the counter.
        m_atCounter = true;
        st.form.phone.clear();
        st.form.email.clear();
        st.form.problem.clear();
        st.keyboard = ui::KeyboardState{};
        st.go(ui::Screen::Moment);
    }
    if (back) {
        appendAudit("assist.end");
        I.inboxLoaded = false;
        m_assisting = false;
        m_atCounter = false;
        m_journeyReset = true;
    }
}

void AgentMode::appendAudit(std::string_view action, std::string_view subject) {
    auto& I = *m_impl;
    try {
        store::Transaction tx(I.db);
        store::appendAudit(I.db, I.agent ? std::optional<std::string>(I.agent->id) : std::nullopt, action,
                           subject);
        tx.commit();
    } catch (const std::exception& e) {
        spdlog::error("agent mode: cannot write the audit trail: {}", e.what());
    }
}

void AgentMode::drawInbox(ui::ScreenContext& ctx, const ui::PhysicalKeys& keys, bool& animating) {
    auto& I = *m_impl;
    if (!I.inboxLoaded) {
        // The old one goes first: two inboxes of 100,000 rows never sit in memory together.
        I.inbox = store::Inbox{};
        I.shown = {};
        I.inbox = store::loadInbox(I.db, todayYmd());
        I.inboxLoaded = true;
        filterInbox();
    }
    const Strings& s = I.strings;
    ui::InboxVm vm;
    vm.rows = I.shown.size();
    vm.total = I.inbox.items.size();
    vm.searchNote = I.searchNote;
    std::int32_t today = todayYmd();
    vm.row = [&](std::size_t i) {
        const auto& item = I.inbox.items[I.shown[i]];
        ui::InboxRowVm r;
        r.reference = item.reference.data();
        const std::string& detail =
            item.detail < I.inbox.details.size() ? I.inbox.details[item.detail] : std::string();
        switch (item.kind) {
        case store::InboxItemKind::Callback:
            r.kind = ui::InboxKind::Callback;
            r.what = s.get("agent.inbox.callback");
            r.when = s.format("agent.inbox.call_from", {{"date", frenchDate(item.due, s)}}) + ", " +
                     s.format("agent.inbox.asked_on", {{"date", frenchDate(item.asked, s)}});
            r.overdue = item.due < today;
            break;
        case store::InboxItemKind::Introduction:
            r.kind = ui::InboxKind::Introduction;
            r.what = s.format(
                "agent.inbox.introduction",
                {{"status", s.has("agent.intro." + detail) ? s.get("agent.intro." + detail) : detail}});
            r.when = s.format("agent.inbox.since", {{"date", frenchDate(item.asked, s)}});
            r.overdue = item.due < today;
            break;
        case store::InboxItemKind::Interest:
            r.kind = ui::InboxKind::Interest;
            r.what = s.format("agent.inbox.interest", {{"offer", detail}});
            r.when = s.format("agent.inbox.asked_on", {{"date", frenchDate(item.asked, s)}});
            break;
        }
        if (const auto* c = I.contact(item.personalId)) {
            r.name = c->firstName;
            r.phone = item.atCounter ? s.get("agent.inbox.at_counter") : phoneInPairs(c->reach);
        }
        return r;
    };
    auto in = ui::drawInbox(I.inboxState, vm, ctx, I.focus, keys, animating);
    if (in.queryChanged) {
        filterInbox();
        I.inboxState.scroll.scrollToTop = true;
    }
    if (in.opened && *in.opened < I.shown.size()) {
        const auto& item = I.inbox.items[I.shown[*in.opened]];
        std::string id = store::inboxRecordId(I.db, item);
        if (id.empty()) {
            I.inboxLoaded = false; // gone meanwhile (erased, purged): read the inbox again
        } else {
            if (item.kind == store::InboxItemKind::Introduction) I.intros.openIntroduction(id);
            if (item.kind == store::InboxItemKind::Interest) I.intros.openInterest(id);
            if (item.kind == store::InboxItemKind::Callback) I.intros.openCallback(id);
            I.section = ui::AgentSection::Introductions;
            I.focus.focused = -1; // the record's screen starts with nothing focused, as a fresh one
        }
    }
}

void AgentMode::filterInbox() {
    auto& I = *m_impl;
    I.shown.clear();
    I.searchNote.clear();
    const std::string query = lowerAscii(I.inboxState.query);
    const std::string qDigits = digitsOf(query);
    if (query.empty()) {
        I.shown.resize(I.inbox.items.size());
        for (std::uint32_t i = 0; i < I.shown.size(); ++i)
            I.shown[i] = i;
        return;
    }
    // A reference code needs no key; names and phones are opened for the first rows only, so
    // that a search never freezes the screen on a huge backlog.
    constexpr std::size_t kOpenAtMost = 5000;
    for (std::uint32_t i = 0; i < I.inbox.items.size(); ++i) {
        const auto& item = I.inbox.items[i];
        std::string ref = lowerAscii(item.reference.data());
        bool match = ref.find(query) != std::string::npos;
        if (!match && i < kOpenAtMost) {
            if (const auto* c = I.contact(item.personalId)) {
                match = lowerAscii(c->firstName).find(query) != std::string::npos ||
                        (qDigits.size() >= 2 &&
                         qDigits.size() == query.size() - std::count(query.begin(), query.end(), ' ') &&
                         digitsOf(c->reach).find(qDigits) != std::string::npos) ||
                        lowerAscii(c->reach).find(query) != std::string::npos;
            }
        }
        if (match) I.shown.push_back(i);
    }
    if (I.inbox.items.size() > kOpenAtMost)
        I.searchNote = I.strings.format("agent.inbox.names_limited", {{"n", std::to_string(kOpenAtMost)}});
}

void AgentMode::drawSync(ui::ScreenContext& ctx, bool& animating) {
    auto& I = *m_impl;
    const Strings& s = I.strings;
    ui::SyncHealthVm vm;
    vm.configured = m_worker != nullptr;
    vm.officeKey = !I.config.officePublicKey.empty(); // validated when the configuration was read
    vm.waiting = I.waiting;
    vm.lastPush = frenchDateTime(store::syncState(I.db, "push.last_success_at").value_or(""), s);
    vm.lastPull = frenchDateTime(store::syncState(I.db, "pull.last_success_at").value_or(""), s);
    vm.state = s.get("agent.sync.state.idle");
    if (m_worker) {
        auto st = m_worker->status();
        vm.state = s.get(std::string("agent.sync.state.") + sync::toString(st.state));
        vm.lastError = plainSyncError(st.lastError, s);
        if (st.lastSuccess) vm.lastPull = frenchDateTime(isoOf(*st.lastSuccess), s);
    }
    if (!I.syncMessage.empty()) vm.state = I.syncMessage;
    for (const auto& d : store::deadLetters(I.db, 500))
        vm.deadLetters.push_back({d.eventId, d.type, frenchDateTime(d.failedAt, s), d.reason});
    auto in = ui::drawSyncHealth(vm, I.syncScroll, ctx, I.focus, animating);
    if (in.syncNow && m_worker) {
        m_worker->nudge();
        appendAudit("sync.now");
        I.syncMessage = s.get("agent.sync.asked");
    }
    if (in.retry) {
        try {
            if (store::retryDeadLetter(I.db, *in.retry)) {
                appendAudit("deadletter.retry", *in.retry);
                if (m_worker) m_worker->nudge();
                I.syncMessage = s.get("agent.sync.retried");
            }
        } catch (const std::exception& e) {
            spdlog::error("agent mode: sending a refused event again failed: {}", e.what());
        }
        I.refreshCounts(0, true);
    }
}

void AgentMode::drawAgents(ui::ScreenContext& ctx, const ui::PhysicalKeys& keys, bool& animating) {
    auto& I = *m_impl;
    const Strings& s = I.strings;
    std::vector<ui::AgentRowVm> rows;
    for (const auto& a : store::listAgents(I.db))
        rows.push_back({a.id, a.name, a.active, a.demo, a.id == I.agent->id});
    auto& st = I.agentsState;
    auto in = ui::drawAgents(st, rows, ctx, I.focus, keys, animating);
    if (in.disable) {
        try {
            auto a = store::findAgent(I.db, *in.disable);
            store::disableAgent(I.db, I.agent->id, *in.disable);
            st.message = s.format("agent.agents.disabled_done", {{"name", a ? a->name : std::string()}});
        } catch (const store::AgentError& e) {
            spdlog::warn("agent mode: agent not disabled: {}", e.what());
            st.message = s.get("agent.agents.last");
        }
    }
    if (!in.submit) return;
    bool adding = st.form == ui::AgentsState::Form::Add;
    auto problem = store::checkAgentPin(st.pin);
    std::string message;
    if (adding && st.name.empty())
        message = s.get("agent.agents.name_missing");
    else if (adding && store::findAgentByName(I.db, st.name))
        message = s.get("agent.agents.exists");
    else if (problem == store::PinProblem::TooShort || problem == store::PinProblem::NotDigits)
        message = s.get("agent.agents.pin_short");
    else if (problem != store::PinProblem::None)
        message = s.get("agent.agents.pin_easy");
    else if (st.pin != st.pinAgain)
        message = s.get("agent.agents.pin_differ");
    if (message.empty()) {
        try {
            if (adding) {
                auto a = store::addAgent(I.db, *I.key, I.agent->id, st.name, st.pin, I.pinCost);
                message = s.format("agent.agents.added", {{"name", a.name}});
            } else {
                store::enableAgent(I.db, *I.key, I.agent->id, st.targetId, st.pin, I.pinCost);
                message = s.format("agent.agents.enabled", {{"name", st.targetName}});
            }
            store::wipe(st.pin);
            store::wipe(st.pinAgain);
            st = ui::AgentsState{};
        } catch (const store::AgentError& e) {
            spdlog::warn("agent mode: agent not saved: {}", e.what());
            message = s.get("agent.agents.refused_generic");
        }
    }
    if (!message.empty() && st.form != ui::AgentsState::Form::None) {
        store::wipe(st.pin);
        store::wipe(st.pinAgain);
        st.field = adding && (st.name.empty() || store::findAgentByName(I.db, st.name)) ? 0 : 1;
    }
    st.message = message;
}

} // namespace comptoir::app
