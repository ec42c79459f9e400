#pragma once
/// @brief Test support: the real kiosk session, headless, on a fresh database in a temp folder.

#include "comptoir/app/script.hpp"
#include "comptoir/app/session.hpp"
#include "comptoir/app/startup.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "temp_dir.hpp"

#include <functional>
#include <imgui.h>
#include <memory>
#include <sstream>

namespace comptoir::test {

/// The first agent's PIN in a connected harness; the offline one has the demo agent.
inline constexpr const char* kAgentPin = "73910462";

/// From the welcome screen to the detail of one offer of the demo catalogue.
inline const std::string kOpenCollecte = R"(
tap "Découvrir les offres"
tap "Chercher une offre"
type collecte noel
tap "Grande collecte de Noël au supermarché"
)";

/// ... then to the consent screen of an interest in it (Camille, 06 12 34 56 78, morning, a message).
inline const std::string kToConsent = kOpenCollecte + R"(expect "Ça m'intéresse"
tap "Ça m'intéresse"
type Camille
tap "Continuer"
type 06 12 34 56 78
tap "Continuer"
tap "Le matin"
type Je suis libre le samedi
tap "Continuer"
expect "Vos informations : ce que nous en faisons"
)";

struct KioskHarness {
    TempDir dir;
    KioskConfig config;
    std::unique_ptr<store::OpenedDatabase> opened;
    Strings strings;
    std::unique_ptr<platform::Surface> surface;
    std::unique_ptr<app::KioskSession> session;

    /// `pixels` false: frames are laid out, never rasterised (tests that only measure the layout).
    explicit KioskHarness(platform::Size size = {1280, 800}, int idleSeconds = 90,
                          const std::function<void(KioskConfig&)>& tweak = {}, bool pixels = true) {
        config.dataDir = dir.file("data");
        config.catalogueSeed = sourcePath("assets/catalogue/demo.json");
        config.idleSeconds = idleSeconds;
        config.width = size.width;
        config.height = size.height;
        if (tweak) tweak(config);
        resolvePaths(config, "");
        if (!config.serverUrl.empty()) {
            // A connected kiosk starts only once its first agent exists (comptoir-kiosk agent add).
            auto first = app::openDatabase(config);
            (void)store::createFirstAgent(first.db, "Marie", kAgentPin, store::PinCost::minimum());
        }
        opened =
            std::make_unique<store::OpenedDatabase>(app::prepareDatabase(config, store::PinCost::minimum()));
        std::string error;
        if (!strings.load(sourcePath("assets/i18n"), "fr", error)) throw std::runtime_error(error);
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        surface = platform::openOffscreen(size, error, pixels);
        if (!surface) throw std::runtime_error(error);
        startSession();
    }
    /// A fresh session on the same database, as after a restart of the kiosk.
    void startSession() {
        session.reset();
        session = std::make_unique<app::KioskSession>(config, opened->db, strings, *surface,
                                                      store::loadCatalogue(opened->db));
        session->agent().setPinCost(store::PinCost::minimum());
    }
    ~KioskHarness() {
        session.reset();
        surface.reset();
        ImGui::DestroyContext();
    }
    /// Runs script lines; returns "" when every line passed, else "line N: why".
    std::string run(const std::string& script) {
        std::istringstream in(script);
        auto r = app::runScript(*session, in);
        return r.ok ? std::string() : "line " + std::to_string(r.line) + ": " + r.message + " (" + r.text + ")";
    }
#ifdef COMPTOIR_LOCALE_DIR
    /// Offers the visitor screens in English, Spanish, Arabic and Ukrainian besides French.
    void addLanguages() {
        for (const char* lang : {"en", "es", "ar", "uk"}) {
            Strings s;
            std::string err;
            if (!s.load(sourcePath("assets/i18n"), COMPTOIR_LOCALE_DIR, lang, err))
                throw std::runtime_error(err);
            session->addLanguage(std::move(s));
        }
    }
#endif
    std::int64_t count(const char* table) {
        return store::queryInt(opened->db, std::string("SELECT COUNT(*) FROM ") + table);
    }
};

} // namespace comptoir::test
