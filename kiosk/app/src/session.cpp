#include "comptoir/app/session.hpp"

#include "comptoir/store/offers_onsite.hpp"

#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/ticket_pdf.hpp"
#include "comptoir/platform/printer.hpp"
#include "comptoir/domain/search.hpp"
#include "comptoir/domain/speech_text.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <imgui.h>
#include <spdlog/spdlog.h>

namespace comptoir::app {

/// The search index over the published offers; its entries are the card indices.
struct KioskSession::Search {
    SearchIndex index;
    std::vector<SearchHit> hits; ///< reused between keystrokes: no allocation while typing
};

KioskSession::KioskSession(const KioskConfig& config, store::Database& db, const Strings& strings,
                           platform::Surface& surface, Catalogue catalogue, bool audio,
                           std::unique_ptr<RecordWriter> writer)
    : m_config(config), m_db(db), m_strings(strings), m_surface(surface), m_catalogue(std::move(catalogue)),
      m_speech(audio), m_search(std::make_unique<Search>()),
      m_writer(writer ? std::move(writer) : std::make_unique<RecordWriter>(recordWriterOptions(config))),
      m_agent(std::make_unique<AgentMode>(m_config, db, strings)) {
    adoptCatalogue(std::move(m_catalogue));
    try {
        m_sealingKey = store::Keyring::publicKey(m_db); // read once: sealing never waits for the database
    } catch (const std::exception& e) {
        spdlog::error("cannot read the sealing key yet: {}", e.what());
    }
    m_appliedLook.textSize = -1; // force the first applyLook()
    applyLook();
}

KioskSession::~KioskSession() = default;

void KioskSession::adoptCatalogue(Catalogue catalogue) {
    m_catalogue = std::move(catalogue);
    m_data = ui::buildVisitorCatalogue(m_catalogue, m_strings, m_config.siteName);
    m_search->index = SearchIndex(m_catalogue);
    // Tiles count what a visitor can still join: open, with places, not already past.
    auto open = m_search->index.openOffersPerTheme(localTime("%Y-%m-%d"));
    for (std::size_t i = 0; i < m_data.themes.size() && i < open.size(); ++i)
        m_data.themes[i].openOffers = static_cast<int>(open[i]);
    m_state.resultsDirty = true;
}

void KioskSession::setRecordWriter(std::unique_ptr<RecordWriter> writer) {
    if (writer && m_saveTicket == 0) m_writer = std::move(writer);
}

void KioskSession::offerCatalogue(Catalogue catalogue) {
    m_pendingCatalogue = std::move(catalogue);
}

void KioskSession::applyLook() {
    if (m_lookChoice == m_appliedLook) return;
    m_look.palette = m_lookChoice.highContrast ? ui::highContrastPalette() : ui::warmPalette();
    float base = static_cast<float>(m_surface.size().height) / 800.0f * static_cast<float>(m_config.scale);
    m_look.scale = base * ui::textScale(m_lookChoice.textSize);
    m_look.baseScale = base;
    std::string error;
    if (!ui::loadFonts(m_look, error)) throw std::runtime_error(error);
    m_surface.reloadFonts();
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

void KioskSession::startPrint(const std::string& ticket) {
    if (m_config.printerQueue.empty() || printing()) return; // one ticket at a time
    m_state.print = ui::PrintState::Printing;
    // The ticket carries no personal data; the journal still only says whether it went through.
    m_print = std::async(std::launch::async, [queue = m_config.printerQueue, width = m_config.printerWidthMm,
                                              ticket]() {
        const std::string pdf = ticketPdf(ticket, width);
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
        form.problem = m_strings.get("form.problem.no_way");
        return;
    }
    try {
        if (!m_sealingKey) m_sealingKey = store::Keyring::publicKey(m_db);
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
            store::CallbackDraft cb{contact, form.recontactAfter};
            cb.assistedBy = m_agent->assistingAgentId();
            m_pendingRecord = store::prepareCallback(cb, *m_sealingKey, m_config.kioskId);
        }
    } catch (const std::exception& e) {
        // Nothing could be sealed (no key readable): say so on the consent screen.
        spdlog::error("preparing a visitor record failed: {}", e.what());
        form.problem = m_strings.get("error.save_failed");
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
    // Committed durably: only now may the screen say thank you.
    spdlog::info("{} recorded (ref {})",
                 m_state.purpose == ui::Purpose::Interest ? "interest" : "call-back request",
                 r->recorded.reference);
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

bool KioskSession::animating() const { return m_state.scrollVelocity > 0 || m_agent->animating(); }

double KioskSession::secondsUntilTimer() const {
    if (m_saveTicket != 0 || printing()) return 0.05; // look for the writer's or printer's answer soon
    if (m_agent->open()) return m_agent->secondsUntilTimer(m_clock);
    bool idleApplies = m_state.screen != ui::Screen::Welcome || m_lookChoice != ui::LookChoice{};
    if (!idleApplies && !m_idlePrompt) return 3600;
    double idleAt = m_lastInput + m_config.idleSeconds;
    if (m_clock < idleAt) return idleAt - m_clock;
    return 1.0 - std::fmod(m_clock - idleAt, 1.0); // the countdown ticks once a second
}

/// Agent mode takes the whole frame while it is open; the corner gesture opens it. Returns true
/// when it drew this frame.
bool KioskSession::agentFrame(ui::ScreenContext& ctx, bool hadInput) {
    ImGuiIO& io = ImGui::GetIO();
    if (!m_agent->open() && io.MouseClicked[0] &&
        m_agent->notePress(io.MouseClickedPos[0], io.DisplaySize, m_clock))
        restart(); // whatever a visitor had begun is gone before any agent screen shows
    if (m_agent->takeJourneyReset()) restart(); // assisting starts or ends on a fresh journey
    if (!m_agent->showsAgentScreen()) {
        if (m_agent->assisting()) m_agent->typeForVisitor(m_state); // a physical keyboard types for the visitor
        return false;
    }
    if (m_lookChoice != ui::LookChoice{}) restart();
    m_agent->draw(ctx, m_clock, hadInput);
    ImGui::End();
    m_surface.endFrame();
    if (m_agent->takeCatalogueChanged()) offerCatalogue(store::shownCatalogue(m_db));
    if (m_agent->takeClosed()) {
        restart(); // the next visitor sees the welcome screen and nothing an agent typed
        m_lastInput = m_clock;
    }
    applyLook();
    return true;
}

void KioskSession::frame(double dt) {
    m_clock += dt;
    if (m_pendingCatalogue && m_state.screen == ui::Screen::Welcome && !m_idlePrompt) {
        spdlog::info("catalogue version {} now shown ({} offers)", m_pendingCatalogue->version,
                     m_pendingCatalogue->offers.size());
        adoptCatalogue(std::move(*m_pendingCatalogue));
        m_pendingCatalogue.reset();
    }
    pollSave();
    pollPrint();
    if (m_state.resultsDirty) recomputeResults();
    m_surface.beginFrame(dt);
    m_registry.beginFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (io.MouseDown[0] || io.MouseClicked[0]) {
        m_lastInput = m_clock;
        m_idlePrompt = false;
    }
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ui::ScreenContext ctx{m_look, m_strings, m_registry, m_data, m_lookChoice, m_config.siteName, m_config.callbackDays,
                          m_config.retentionDays, localTime("%Y-%m-%d"), static_cast<float>(dt),
                          !m_config.printerQueue.empty()};
    bool keyDown = !io.InputQueueCharacters.empty();
    for (bool down : io.KeysDown) keyDown = keyDown || down;
    if (agentFrame(ctx, io.MouseDown[0] || io.MouseClicked[0] || keyDown)) return;
    ui::Effect fx;
    bool idleReset = false;
    double idleFor = m_clock - m_lastInput;
    bool idleApplies = (m_state.screen != ui::Screen::Welcome || m_lookChoice != ui::LookChoice{}) &&
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
    if (m_agent->assisting()) m_agent->drawAssistBar(ctx, m_state, m_clock, io.MouseDown[0] || io.MouseClicked[0]);
    m_surface.endFrame();
    if (m_agent->takeClosed()) restart(); // the agent's delay ran out while assisting

    if (idleReset) {
        spdlog::info("idle timeout: back to the welcome screen, visitor data cleared");
        restart();
    }
    if (!fx.speak.empty()) m_speech.say(textForSpeech(fx.speak), m_config.languages.front());
    if (fx.submit) submit();
    if (fx.retrySave) startSave();
    if (!fx.print.empty()) startPrint(fx.print);
    if (fx.feedbackScore > 0)
        m_writer->saveFeedback(m_state.reference.empty() ? "leaving" : "after_registration",
                               fx.feedbackScore);
    if (fx.restart) restart();
    applyLook(); // fonts are rebuilt between frames, never inside one
}

} // namespace comptoir::app
