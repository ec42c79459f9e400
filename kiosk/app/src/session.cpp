#include "comptoir/app/session.hpp"

#include "comptoir/store/offers_onsite.hpp"

#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/guided.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/ui/ticket_text.hpp"
#include "comptoir/domain/search.hpp"
#include "comptoir/domain/speech_text.hpp"
#include "comptoir/domain/ticket_pdf.hpp"
#include "comptoir/platform/printer.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/system/journal.hpp"
#include "comptoir/ui/pause.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <imgui.h>
#include <malloc.h>
#include <spdlog/spdlog.h>

namespace comptoir::app {

namespace {
/// The backlight at night, as a fraction of its maximum.
constexpr double kNightBacklight = 0.1;
} // namespace

/// The search index over the published offers; its entries are the card indices.
struct KioskSession::Search {
    SearchIndex index;
    std::vector<SearchHit> hits; ///< reused between keystrokes: no allocation while typing
};

/// The guided choice's index over the published offers.
struct KioskSession::Guided {
    GuidedIndex index;
};

KioskSession::KioskSession(const KioskConfig& config, store::Database& db, const Strings& strings,
                           platform::Surface& surface, Catalogue catalogue, bool audio,
                           std::unique_ptr<RecordWriter> writer)
    : m_config(config), m_db(db), m_strings(strings), m_visitorStrings(&strings), m_surface(surface),
      m_catalogue(std::move(catalogue)), m_speech(audio), m_guided(std::make_unique<Guided>()),
      m_search(std::make_unique<Search>()),
      m_writer(writer ? std::move(writer) : std::make_unique<RecordWriter>(recordWriterOptions(config))),
      m_agent(std::make_unique<AgentMode>(m_config, db, strings)) {
    m_languageChoices.push_back({"fr", strings.get("language.name.fr")});
    adoptCatalogue(std::move(m_catalogue));
    try {
        m_sealingKey =
            store::kioskSealingKeys(m_db, m_config); // read once: sealing never waits for the database
    } catch (const std::exception& e) {
        spdlog::error("cannot read the sealing key yet: {}", e.what());
    }
    m_appliedLook.textSize = -1; // force the first applyLook()
    applyLook();
}

KioskSession::~KioskSession() = default;

void KioskSession::adoptCatalogue(Catalogue catalogue) {
    m_catalogue = std::move(catalogue);
    // The old cards and indices go before the new ones are built: never two of each in memory.
    m_data = ui::VisitorCatalogue{};
    m_search->index = SearchIndex();
    m_guided->index = GuidedIndex();
    m_data = ui::buildVisitorCatalogue(m_catalogue, *m_visitorStrings, m_config.siteName);
    m_search->index = SearchIndex(m_catalogue);
    m_guided->index = GuidedIndex(m_catalogue);
    // Tiles count what a visitor can still join: open, with places, not already past.
    countOpenOffers();
    m_state.resultsDirty = true;
}

void KioskSession::freeVisitorCatalogue() {
    m_catalogue = Catalogue{};
    m_data = ui::VisitorCatalogue{};
    m_search->index = SearchIndex();
    m_guided->index = GuidedIndex();
    m_pendingCatalogue.reset(); // a pull meanwhile is in the database: read from there later
    m_state.resultsDirty = true;
    m_catalogueStale = true;
    m_visitorCatalogueFreed = true;
    ::malloc_trim(0); // thousands of small strings: their pages go back only when asked
}

void KioskSession::countOpenOffers() {
    auto open = m_search->index.openOffersPerTheme(localTime("%Y-%m-%d"));
    for (std::size_t i = 0; i < m_data.themes.size() && i < open.size(); ++i)
        m_data.themes[i].openOffers = static_cast<int>(open[i]);
}

void KioskSession::addLanguage(Strings strings) {
    const std::string code = strings.language();
    if (code == "fr" || std::any_of(m_otherLanguages.begin(), m_otherLanguages.end(),
                                    [&](const auto& s) { return s->language() == code; }))
        return;
    // Each language is named in itself ("العربية"), the same in every catalogue: French holds the names.
    m_languageChoices.push_back({code, m_strings.get("language.name." + code)});
    m_otherLanguages.push_back(std::make_unique<Strings>(std::move(strings)));
}

void KioskSession::setLanguage(const std::string& code) {
    const Strings* next = code == "fr" ? &m_strings : nullptr;
    for (const auto& s : m_otherLanguages)
        if (s->language() == code) next = s.get();
    if (!next || next == m_visitorStrings) return;
    m_visitorStrings = next;
    m_look.rtl = isRightToLeft(code);
    m_speech.stop(); // what was being read was in the other language
    // Cards carry translated words (when, how long, badges): prepared again, same order, so
    // the results and the scroll position stay valid.
    m_data = ui::buildVisitorCatalogue(m_catalogue, *m_visitorStrings, m_config.siteName);
    countOpenOffers();
}

void KioskSession::setRecordWriter(std::unique_ptr<RecordWriter> writer) {
    if (writer && m_saveTicket == 0) m_writer = std::move(writer);
}

void KioskSession::offerCatalogue(Catalogue catalogue) {
    m_pendingCatalogue = std::move(catalogue);
}

bool KioskSession::atRest() const {
    return m_state.screen == ui::Screen::Welcome && !m_idlePrompt && !m_agent->open() && m_saveTicket == 0 &&
           m_lookChoice == ui::LookChoice{};
}

void KioskSession::applyLook() {
    if (m_lookChoice == m_appliedLook) return;
    m_look.palette = m_lookChoice.highContrast ? ui::highContrastPalette() : ui::warmPalette();
    float base = ui::displayScale(m_surface.size().width, m_surface.size().height, m_config.scale);
    m_look.scale = base * ui::textScale(m_lookChoice.textSize);
    m_look.baseScale = base;
    // Contrast alone changes colours only: the fonts (slow to build) stay.
    if (m_lookChoice.textSize != m_appliedLook.textSize) {
        std::string error;
        if (!ui::loadFonts(m_look, error)) throw std::runtime_error(error);
        m_surface.reloadFonts();
    }
    ui::applyStyle(m_look);
    ImU32 bg = m_look.palette.background;
    m_surface.setClearColour(static_cast<std::uint8_t>(bg & 0xFF),
                             static_cast<std::uint8_t>((bg >> 8) & 0xFF),
                             static_cast<std::uint8_t>((bg >> 16) & 0xFF));
    m_appliedLook = m_lookChoice;
}

void KioskSession::recomputeResults() {
    m_search->index.search(m_state.query, m_state.filters.search, m_state.filters.sort, localTime("%Y-%m-%d"),
                           m_search->hits);
    m_state.results.clear();
    m_state.results.reserve(m_search->hits.size());
    for (const auto& hit : m_search->hits)
        m_state.results.push_back(hit.entry);
    m_state.resultsDirty = false;
}

std::string KioskSession::displayLanguage() const {
    // The visitor's pick from the language button (French for each new visitor); read-aloud
    // follows it.
    return language();
}

void KioskSession::startPrint(const std::string& ticket) {
    if (m_config.printerQueue.empty() || printing()) return; // one ticket at a time
    m_state.print = ui::PrintState::Printing;
    // The ticket carries no personal data; the journal still only says whether it went through.
    // Drawn with the screens' fonts and text order: Arabic and Ukrainian print as they show.
    m_print = std::async(std::launch::async, [queue = m_config.printerQueue, width = m_config.printerWidthMm,
                                              rtl = m_look.rtl, ticket]() {
        const std::string pdf = ui::printableTicketPdf(ticket, width, rtl);
        if (pdf.empty()) {
            spdlog::error("take-away ticket: could not be laid out");
            return false;
        }
        auto r = platform::printPdf(queue, pdf, "Comptoir");
        if (!r.ok) spdlog::warn("take-away ticket not printed on '{}': {}", queue, r.error);
        else spdlog::info("take-away ticket sent to '{}' (job {})", queue, r.jobId);
        return r.ok;
    });
}

void KioskSession::pollPrint() {
    if (!m_print.valid() || printing()) return;
    const bool ok = m_print.get();
    // After a restart the answer belongs to the previous visitor: not shown to the next one.
    if (m_state.print == ui::PrintState::Printing)
        m_state.print = ok ? ui::PrintState::Printed : ui::PrintState::Failed;
}

void KioskSession::restart() {
    m_speech.stop();
    m_state.reset();
    m_lookChoice = ui::LookChoice{};
    setLanguage("fr"); // each visitor starts in French
    m_speechChoice = ui::SpeechChoice{}; // the next visitor starts silent, at normal volume
    m_speech.setVolume(m_speechChoice.volume);
    m_spokenScreen.clear();
    m_spokenProblem.clear();
    m_reading = ui::Readable{};
    m_idlePrompt = false;
    // A save still on its way finishes (or waits in the spool) without the visitor: its result
    // is not shown to the next one.
    m_pendingRecord.reset();
    if (m_saveTicket != 0) m_writer->forget(m_saveTicket);
    m_saveTicket = 0;
    m_saveState = SaveState::Idle;
}

void KioskSession::submit() {
    auto& form = m_state.form;
    // The contact step already dropped any half-typed field: what is left is what was checked.
    ContactDetails contact{form.firstName, form.phone, form.email, form.message};
    auto problem = validateContact(contact);
    bool atCounter = m_agent->assisting() && m_agent->atCounter(); // "passera au Comptoir"
    if (problem != ContactProblem::None && !(atCounter && problem == ContactProblem::NoWayToReach)) {
        form.problem = m_visitorStrings->get("form.problem.no_way");
        return;
    }
    try {
        if (!m_sealingKey) m_sealingKey = store::kioskSealingKeys(m_db, m_config);
        if (m_state.purpose == ui::Purpose::Interest) {
            const Offer* o = m_data.offer(m_state.offerId);
            store::InterestDraft d;
            d.offerId = m_state.offerId;
            d.offerTitle = o ? o->title : std::string();
            d.contact = contact;
            d.preferredMoment = form.moment.empty() ? "any" : form.moment;
            d.assistedBy = m_agent->assistingAgentId();
            d.atCounter = atCounter;
            m_pendingRecord = store::prepareInterest(d, *m_sealingKey, m_config.kioskId);
        } else {
            store::CallbackDraft cb;
            cb.contact = contact;
            cb.recontactAfter = form.recontactAfter;
            cb.assistedBy = m_agent->assistingAgentId();
            if (const Offer* o = m_data.offer(m_state.offerId)) { // asked from a full offer: keep it
                cb.offerId = o->id;
                cb.offerTitle = o->title;
            }
            m_pendingRecord = store::prepareCallback(cb, *m_sealingKey, m_config.kioskId);
        }
    } catch (const std::exception& e) {
        // Nothing could be sealed (no key readable): say so on the consent screen.
        spdlog::error("preparing a visitor record failed: {}", e.what());
        form.problem = m_visitorStrings->get("error.save_failed");
        return;
    }
    startSave();
}

void KioskSession::startSave() {
    if (!m_pendingRecord || m_saveState == SaveState::Saving) return;
    m_saveTicket = m_writer->save(*m_pendingRecord);
    m_saveState = SaveState::Saving;
    if (m_state.screen == ui::Screen::Consent)
        m_state.go(ui::Screen::Saving);
    else
        m_state.screen = ui::Screen::Saving;
}

void KioskSession::pollSave() {
    if (m_saveTicket == 0) return;
    auto r = m_writer->takeResult(m_saveTicket);
    if (!r) return;
    m_saveTicket = 0;
    m_saveState = r->state;
    if (r->state == SaveState::Failed) {
        m_state.saveKept = r->kept;
        m_state.screen = ui::Screen::SaveFailed;
        return;
    }
    // Committed durably: only now may the screen say thank you. The journal entry carries the
    // event type and reference code as fields (never the visitor's name or contact).
    const bool interest = m_state.purpose == ui::Purpose::Interest;
    system::LogFields fields({{"EVENT", interest ? "interest.registered" : "callback.requested"},
                              {"REFERENCE", r->recorded.reference}});
    spdlog::info("{} recorded (ref {})", interest ? "interest" : "call-back request", r->recorded.reference);
    m_pendingRecord.reset();
    auto purpose = m_state.purpose;
    auto name = m_state.form.firstName;
    bool byEmail = m_state.form.phone.empty() && !m_state.form.email.empty();
    auto recontactAfter = m_state.form.recontactAfter;
    auto filters = m_state.filters;
    auto offerId = m_state.offerId; // the take-away ticket tells which offer (not personal)
    m_state.reset(); // the typed fields are no longer needed on this screen
    m_state.purpose = purpose;
    m_state.confirmedName = name;
    m_state.reference = r->recorded.reference;
    m_state.confirmedByEmail = byEmail;
    m_state.confirmedRecontactAfter = recontactAfter;
    m_state.filters = filters;
    m_state.offerId = offerId;
    m_state.screen = ui::Screen::Confirmation;
    if (onRecorded) onRecorded();
}

void KioskSession::readAloud(const ui::Readable& readable) {
    std::vector<std::string> parts;
    parts.reserve(readable.parts.size());
    for (const auto& p : readable.parts)
        parts.push_back(textForSpeech(p.text));
    m_reading = readable;
    if (parts.empty()) return;
    m_speech.say(std::move(parts), displayLanguage());
}

/// The sentence being read, outlined where it is on screen (EN 301 549 asks to follow along).
void KioskSession::highlightReading() {
    if (!m_speechChoice.on) return;
    const int part = m_speech.currentPart();
    if (part < 0 || static_cast<std::size_t>(part) >= m_reading.parts.size()) return;
    const auto& r = m_reading.parts[static_cast<std::size_t>(part)];
    const float pad = m_look.px(6);
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const ImVec2 a(r.min.x - pad, r.min.y - pad), b(r.max.x + pad, r.max.y + pad);
    dl->AddRectFilled(a, b, IM_COL32(255, 214, 90, 60), m_look.px(10));
    dl->AddRect(a, b, m_look.palette.accent, m_look.px(10), 0, m_look.px(4));
}

// [SECTION] night

void KioskSession::setTimeOfDay(int minuteOfDay) {
    m_fakeMinute = ((minuteOfDay % 1440) + 1440) % 1440;
    m_fakeSetAt = m_clock;
}

void KioskSession::setBacklight(std::unique_ptr<system::Backlight> backlight) {
    m_backlight = std::move(backlight);
    if (m_night && m_backlight) (void)m_backlight->dim(kNightBacklight);
}

double KioskSession::secondsOfDay() const {
    if (m_fakeMinute) return std::fmod(*m_fakeMinute * 60.0 + (m_clock - m_fakeSetAt), 86400.0);
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm); // the schedule is the site's local time
    return tm.tm_hour * 3600.0 + tm.tm_min * 60.0 + tm.tm_sec;
}

double KioskSession::secondsUntilNightChange() const {
    const NightSchedule& n = m_config.night;
    if (!n.set()) return 3600;
    double now = secondsOfDay();
    int minute = static_cast<int>(now / 60);
    // At night, awake: the screen dims once nobody has touched it for the idle delay.
    if (!m_night && n.contains(minute)) return std::max(0.05, m_lastInput + m_config.idleSeconds - m_clock);
    return std::max(0.05, n.minutesUntilChange(minute) * 60.0 - std::fmod(now, 60.0));
}

void KioskSession::setNight(bool on) {
    if (on == m_night) return;
    m_night = on;
    if (on) {
        spdlog::info("night: the screen dims until the morning or a touch");
        if (m_backlight) (void)m_backlight->dim(kNightBacklight);
    } else {
        spdlog::info("night: the screen wakes");
        if (m_backlight) m_backlight->restore();
    }
}

/// The night screen takes the whole frame while the kiosk sleeps. It falls asleep at night hours
/// on the untouched welcome screen, after the visitor idle delay; any touch wakes it (that touch
/// is not also a tap on the welcome screen: it lands on the night screen), and so does the morning.
/// Returns true when it drew this frame.
bool KioskSession::nightFrame(bool touched) {
    const bool nightHours =
        m_config.night.set() && m_config.night.contains(static_cast<int>(secondsOfDay() / 60));
    if (!m_night) {
        const bool untouched = m_clock - m_lastInput >= m_config.idleSeconds;
        if (!nightHours || !untouched || touched || !atRest() || m_speechChoice != ui::SpeechChoice{})
            return false;
        restart(); // the next visitor finds French, normal text, silence
        setNight(true);
    } else if (!nightHours) {
        setNight(false); // the morning: the welcome screen comes back by itself
        return false;
    } else if (touched) {
        setNight(false);
        m_lastInput = m_clock;
    }
    ui::drawNight(m_look, *m_visitorStrings);
    m_surface.endFrame();
    return true;
}

bool KioskSession::animating() const {
    return m_state.scrollVelocity > 0 || m_agent->animating();
}

double KioskSession::secondsUntilTimer() const {
    if (m_saveTicket != 0 || printing()) return 0.05; // look for the writer's or printer's answer soon
    if (m_speech.speaking()) return 0.25;               // move the highlight along what is being read
    if (m_agent->open()) return m_agent->secondsUntilTimer(m_clock);
    bool idleApplies = m_state.screen != ui::Screen::Welcome || m_lookChoice != ui::LookChoice{} ||
                       m_speechChoice != ui::SpeechChoice{};
    if (!idleApplies && !m_idlePrompt) return std::min(3600.0, secondsUntilNightChange());
    double idleAt = m_lastInput + m_config.idleSeconds;
    if (m_clock < idleAt) return idleAt - m_clock;
    return 1.0 - std::fmod(m_clock - idleAt, 1.0); // the countdown ticks once a second
}

/// Agent mode takes the whole frame while it is open; the corner gesture opens it. Returns true
/// when it drew this frame.
bool KioskSession::agentFrame(ui::ScreenContext& ctx, bool hadInput) {
    ImGuiIO& io = ImGui::GetIO();
    ImVec2 pressed = io.MouseClickedPos[0];
    if (m_surface.mirrored()) pressed.x = io.DisplaySize.x - pressed.x; // the corner where the finger was
    if (!m_agent->open() && io.MouseClicked[0] && m_agent->notePress(pressed, io.DisplaySize, m_clock))
        restart(); // whatever a visitor had begun is gone before any agent screen shows
    if (m_agent->takeJourneyReset()) restart(); // assisting starts or ends on a fresh journey
    if (!m_agent->showsAgentScreen()) {
        if (m_agent->assisting())
            m_agent->typeForVisitor(m_state); // a physical keyboard types for the visitor
        return false;
    }
    if (m_lookChoice != ui::LookChoice{}) restart();
    m_agent->draw(ctx, m_clock, hadInput);
    if (m_agent->loggedIn() && !m_agent->assisting() && (!m_visitorCatalogueFreed || m_pendingCatalogue))
        freeVisitorCatalogue(); // read again when a visitor screen shows (below, in frame())
    ImGui::End();
    m_surface.endFrame();
    if (m_agent->takeCatalogueChanged()) m_catalogueStale = true;
    if (m_agent->takeClosed()) {
        restart(); // the next visitor sees the welcome screen and nothing an agent typed
        m_lastInput = m_clock;
    }
    applyLook();
    return true;
}

void KioskSession::frame(double dt) {
    m_clock += dt;
    // Visitor screens show when agent mode is closed, and while an agent registers someone.
    const bool visitorSide = !m_agent->open() || m_agent->assisting();
    if (m_catalogueStale && visitorSide && m_state.screen == ui::Screen::Welcome && !m_idlePrompt) {
        m_catalogueStale = false;
        m_visitorCatalogueFreed = false;
        m_pendingCatalogue = store::shownCatalogue(m_db); // the newest: a pull meanwhile is in it too
    }
    if (m_pendingCatalogue && visitorSide && m_state.screen == ui::Screen::Welcome && !m_idlePrompt) {
        spdlog::info("catalogue version {} now shown ({} offers)", m_pendingCatalogue->version,
                     m_pendingCatalogue->offers.size());
        adoptCatalogue(std::move(*m_pendingCatalogue));
        m_pendingCatalogue.reset();
    }
    pollSave();
    pollPrint();
    if (m_state.resultsDirty) recomputeResults();
    // Right to left: the frame is drawn, then mirrored whole. Agent screens stay French.
    m_surface.setMirrored(m_look.rtl && !m_agent->showsAgentScreen());
    if (m_state.screen == ui::Screen::GuidedResults && !m_state.guidedResult)
        m_state.guidedResult = m_guided->index.suggest(m_state.guided, localTime("%Y-%m-%d"));
    m_surface.beginFrame(dt);
    m_registry.beginFrame();
    m_readable = ui::Readable{};
    ImGuiIO& io = ImGui::GetIO();
    if (nightFrame(io.MouseDown[0] || io.MouseClicked[0])) return;
    if (io.MouseDown[0] || io.MouseClicked[0]) {
        m_lastInput = m_clock;
        m_idlePrompt = false;
    }
    // EN 301 549 §5.1: any touch stops the speech; "Répéter" (this same touch) starts it again.
    if (io.MouseClicked[0]) m_speech.stop();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ui::ScreenContext ctx{m_look,
                          *m_visitorStrings,
                          m_registry,
                          m_data,
                          m_lookChoice,
                          m_config.siteName,
                          m_config.callbackDays,
                          m_config.retentionDays,
                          localTime("%Y-%m-%d"),
                          static_cast<float>(dt)};
    ctx.printer = !m_config.printerQueue.empty();
    ctx.languages = &m_languageChoices;
    ctx.speech = &m_speechChoice;
    ctx.readable = &m_readable;
    ctx.french = &m_strings;
    ctx.speechUnavailable = m_speech.status() == platform::SpeechStatus::NoVoice ||
                            m_speech.status() == platform::SpeechStatus::NoAudio;
    // Which screen is drawn now: a new one is read aloud when read-aloud is on.
    std::string drawn =
        std::to_string(static_cast<int>(m_state.screen)) + (m_state.filtersOpen ? "+filters" : "");
    if (m_state.screen == ui::Screen::Detail) drawn += "+" + m_state.offerId;
    bool keyDown = !io.InputQueueCharacters.empty();
    for (bool down : io.KeysDown)
        keyDown = keyDown || down;
    if (agentFrame(ctx, io.MouseDown[0] || io.MouseClicked[0] || keyDown)) return;
    ui::Effect fx;
    bool idleReset = false;
    double idleFor = m_clock - m_lastInput;
    // Read-aloud left on is a visit under way too: the next visitor must not inherit it.
    bool idleApplies = (m_state.screen != ui::Screen::Welcome || m_lookChoice != ui::LookChoice{} ||
                        m_speechChoice != ui::SpeechChoice{}) &&
                       !m_agent->assisting(); // an agent at the screen has their own delay
    if (idleApplies && idleFor >= m_config.idleSeconds) {
        // The page stays visible but frozen under the question; only the answer is tappable.
        ImGui::BeginDisabled();
        (void)ui::drawVisitor(m_state, ctx);
        ImGui::EndDisabled();
        ImGui::End();
        int left =
            static_cast<int>(std::ceil(m_config.idleSeconds + m_config.idleCountdownSeconds - idleFor));
        m_idlePrompt = true;
        m_readable = ui::Readable{}; // only the question is read, not the page under it
        drawn = "idle";
        if (left <= 0)
            idleReset = true;
        else if (ui::drawIdlePrompt(ctx, left)) {
            m_lastInput = m_clock;
            m_idlePrompt = false;
        }
    } else {
        m_idlePrompt = false;
        fx = ui::drawVisitor(m_state, ctx);
        ImGui::End();
    }
    if (m_agent->assisting())
        m_agent->drawAssistBar(ctx, m_state, m_clock, io.MouseDown[0] || io.MouseClicked[0]);
    if (fx.readScreen) {
        m_speech.setVolume(m_speechChoice.volume);
        readAloud(m_readable);
        m_spokenScreen = drawn;
    } else if (m_speechChoice.on && !idleReset) {
        // On for the whole visit: each new screen is read as it appears, a kind message once.
        const std::string& problem = m_state.form.problem;
        if (drawn != m_spokenScreen) {
            readAloud(m_readable);
            m_spokenScreen = drawn;
            m_spokenProblem = problem;
        } else if (!problem.empty() && problem != m_spokenProblem) {
            ui::Readable only;
            for (const auto& part : m_readable.parts)
                if (part.text == problem) only.parts.push_back(part);
            // Set by a tap after its line was drawn: it is on screen, and read, from the next frame.
            if (!only.parts.empty()) {
                readAloud(only);
                m_spokenProblem = problem;
            }
        } else if (problem.empty()) {
            m_spokenProblem.clear();
        }
    }
    if (m_spokenScreen == drawn) highlightReading();
    m_surface.endFrame();
    // Scripts and tests find widgets where the screen shows them.
    if (m_surface.mirrored()) m_registry.mirrorX(io.DisplaySize.x);
    if (m_agent->takeClosed()) restart(); // the agent's delay ran out while assisting

    if (idleReset) {
        spdlog::info("idle timeout: back to the welcome screen, visitor data cleared");
        restart();
    }
    if (!fx.language.empty()) setLanguage(fx.language);
    if (fx.submit) submit();
    if (fx.retrySave) startSave();
    if (!fx.print.empty()) startPrint(fx.print);
    // No context (after a registration or not): it would help tie the answer to the visitor.
    if (fx.feedbackScore > 0) m_writer->saveFeedback(fx.feedbackScore);
    if (fx.restart) restart();
    applyLook(); // fonts are rebuilt between frames, never inside one
}

} // namespace comptoir::app
