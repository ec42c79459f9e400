// comptoir-bench-office: the CCAS's export of 100,000 registrations sealed to the office key.
//   comptoir-bench-office CATALOGUE_10K.json WORK_DIR   (the catalogue is not used)
#include "bench_util.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/private_files.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/sync/office_export.hpp"
#include "comptoir/sync/office_key.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <thread>

using namespace comptoir;
using namespace comptoir::bench;
using namespace comptoir::sync::central;

namespace {

constexpr std::size_t kRecords = 100'000;
constexpr std::size_t kBatch = 1000;

/// One batch of `interest.registered` events as a kiosk with an office key would send them.
std::vector<sync::WireEvent> batch(const store::SealingKeys& keys, std::size_t first) {
    std::vector<sync::WireEvent> out;
    for (std::size_t i = first; i < first + kBatch; ++i) {
        store::InterestDraft d;
        d.offerId = "off-" + std::to_string(i % 500);
        d.offerTitle = "Offre de démonstration";
        char phone[16];
        // 06 39 98 xx xx: the range kept for fiction, so no real person is ever called.
        std::snprintf(phone, sizeof phone, "063998%04u", static_cast<unsigned>(i % 10000));
        d.contact = {"Camille", phone, "", ""};
        d.preferredMoment = "any";
        auto r = store::prepareInterest(d, keys, "bench");
        nlohmann::json p{{"interest_id", r.id},       {"reference", r.reference},
                         {"offer_id", d.offerId},     {"offer_title", d.offerTitle},
                         {"preferred_moment", "any"}, {"consent_version", r.consentVersion},
                         {"created_at", r.createdAt}, {"personal_sealed", store::toBase64(r.personalSealed)}};
        sync::WireEvent e{r.eventId, "interest.registered", 1, r.createdAt, "bench", p.dump(), p};
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-office CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
    spdlog::set_level(spdlog::level::warn);
    const std::string work = argv[2];
    std::filesystem::create_directories(work);
    std::filesystem::remove(work + "/central.db");
    std::filesystem::remove(work + "/office.key");
    const std::string passphrase = "une phrase de banc d'essai";
    auto info = createOfficeKeyFile(work + "/office.key", passphrase, officeKeyCost());
    store::PublicKey kiosk{};
    std::vector<unsigned char> kioskSecret(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(kiosk.data(), kioskSecret.data());
    store::SealingKeys keys{kiosk, decodePublicKey(info.publicKey)};

    auto storage = openSqliteStorage(work + "/central.db");
    (void)storage->createKioskToken("bench");
    // Sealing is the slow part of the setup: batches are made on two threads, ingested in order.
    for (std::size_t first = 0; first < kRecords; first += 2 * kBatch) {
        std::vector<sync::WireEvent> second;
        std::thread other([&] { second = batch(keys, first + kBatch); });
        auto one = batch(keys, first);
        other.join();
        for (auto* events : {&one, &second})
            for (const auto& r : storage->ingest("bench", *events))
                if (r.status != sync::EventStatus::Accepted) {
                    std::fprintf(stderr, "event refused: %s\n", r.reason.c_str());
                    return 1;
                }
    }

    // What the CCAS waits for: the passphrase derivation, opening every record, the file written.
    auto t0 = Clock::now();
    std::clock_t c0 = std::clock();
    auto office = openOfficeKeys(work + "/office.key", passphrase);
    std::ostringstream text;
    auto counts = exportRecords(*storage, text, ExportFormat::Csv, &office);
    store::writePrivateFileDurably(work + "/export.csv", text.str());
    double s = msSince(t0) / 1000.0;
    // On a shared machine the wall time mostly counts waiting for a core; the CPU time (all threads) does
    // not.
    std::fprintf(stderr, "export_open_100k: %.2f s of CPU\n",
                 static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    if (counts.opened != kRecords) {
        std::fprintf(stderr, "only %zu of %zu records opened\n", counts.opened, kRecords);
        return 1;
    }
    report("export_open_100k_s", s, "s");
    return 0;
}
