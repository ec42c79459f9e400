// comptoir-bench-central-indicators: the indicators across kiosks over 1,000,000 events.
//   comptoir-bench-central-indicators CATALOGUE_10K.json WORK_DIR
// The events go through the real storage's ingest (validated and folded, as kiosks' batches
// are): 300,000 registrations, 300,000 introductions created and 150,000 updated, 150,000 hour
// entries and 100,000 opinions from 20 kiosks over two years. The figure is the median of 3
// computations of every indicator by month with every grouping (kiosk, theme, neighbourhood)
// plus the whole range, as `GET /indicators?by=…` and `comptoir-central indicators` do.
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/central_indicators.hpp"

#include <ctime>
#include <filesystem>

using namespace comptoir;
using namespace comptoir::bench;
using namespace comptoir::sync::central;
using nlohmann::json;

namespace {

constexpr std::size_t kRegistrations = 300'000, kUpdates = 150'000, kHours = 150'000, kFeedback = 100'000;
constexpr int kKiosks = 20;

std::string dayOf(std::size_t i) {
    // 600 days of months of 28 days from January 2025 to October 2026: never in the future.
    std::size_t d = i % 600;
    int year = 2025 + static_cast<int>(d / 336);
    int month = 1 + static_cast<int>((d % 336) / 28);
    int day = 1 + static_cast<int>(d % 28);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-central-indicators CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    std::string text;
    if (!readWholeFile(argv[1], text)) return 1;
    auto parsed = parseCatalogue(text);
    if (!parsed.ok) return 1;
    const auto& offers = parsed.catalogue.offers;
    std::filesystem::create_directories(argv[2]);
    std::string path = std::string(argv[2]) + "/central.db";
    const auto expected = static_cast<std::int64_t>(2 * kRegistrations + kUpdates + kHours + kFeedback);
    {
        // A database left by an earlier run in WORK_DIR is measured again as is (ingesting takes
        // minutes); scripts/bench always starts from an empty folder.
        std::error_code ec;
        if (std::filesystem::exists(path, ec) && openSqliteStorage(path)->eventCount() != expected)
            std::filesystem::remove(path);
    }
    bool reuse = std::filesystem::exists(path);
    auto storage = openSqliteStorage(path);
    if (!reuse) (void)storage->importCatalogue(parsed.catalogue);

    if (!reuse) {
        // Each kiosk's events in batches of 500, as its pushes would bring them.
        std::vector<std::vector<sync::WireEvent>> pending(kKiosks);
        std::size_t events = 0;
        auto send = [&](std::size_t kiosk, std::string type, const std::string& when, json payload) {
            auto& batch = pending[kiosk];
            std::string k = "kiosk-" + std::to_string(kiosk);
            batch.push_back({newUuidV7(), std::move(type), 1, when, k, payload.dump(), std::move(payload)});
            if (batch.size() == 500) {
                for (const auto& r : storage->ingest(k, batch))
                    if (r.status != sync::EventStatus::Accepted) {
                        std::fprintf(stderr, "event refused: %s\n", r.reason.c_str());
                        std::exit(1);
                    }
                events += batch.size();
                batch.clear();
            }
        };
        auto flush = [&] {
            for (std::size_t k = 0; k < pending.size(); ++k) {
                if (pending[k].empty()) continue;
                (void)storage->ingest("kiosk-" + std::to_string(k), pending[k]);
                events += pending[k].size();
                pending[k].clear();
            }
        };
        std::vector<std::string> interests(kRegistrations), intros(kRegistrations);
        for (std::size_t i = 0; i < kRegistrations; ++i) {
            const Offer& o = offers[i % offers.size()];
            interests[i] = newUuidV7();
            std::string when = dayOf(i) + "T10:00:00.000Z";
            send(i % kKiosks, "interest.registered", when,
                 {{"interest_id", interests[i]},
                  {"reference", "B" + std::to_string(i)},
                  {"offer_id", o.id},
                  {"offer_title", "Mission"},
                  {"preferred_moment", "any"},
                  {"consent_version", 1},
                  {"created_at", when},
                  {"personal_sealed", "c2NlbGzDqSBwb3VyIGxlIGtpb3NxdWUgZXQgbGUgYnVyZWF1IGR1IENDQVM="}});
        }
        flush();
        static const char* kStatuses[] = {"proposed",  "accepted", "started",
                                          "completed", "declined", "no_show"};
        auto introduction = [&](std::size_t i, const char* status, const std::string& when) {
            const Offer& o = offers[i % offers.size()];
            return json{{"introduction_id", intros[i]},
                        {"interest_id", interests[i]},
                        {"offer_id", o.id},
                        {"organisation_id", o.organisationId},
                        {"status", status},
                        {"reason", ""},
                        {"next_action_on", ""},
                        {"updated_at", when}};
        };
        for (std::size_t i = 0; i < kRegistrations; ++i) {
            intros[i] = newUuidV7();
            std::string when = dayOf(i + 2) + "T11:00:00.000Z";
            send(i % kKiosks, "introduction.created", when, introduction(i, "proposed", when));
        }
        flush();
        for (std::size_t i = 0; i < kUpdates; ++i) {
            std::string when = dayOf(i + 9) + "T12:00:00.000Z";
            send(i % kKiosks, "introduction.updated", when, introduction(i, kStatuses[1 + i % 5], when));
        }
        flush();
        for (std::size_t i = 0; i < kHours; ++i) {
            std::string day = dayOf(i + 12);
            send(i % kKiosks, "hours.logged", day + "T18:00:00.000Z",
                 {{"hours_id", newUuidV7()},
                  {"introduction_id", intros[i]},
                  {"hours", 1.0 + static_cast<double>(i % 4)},
                  {"done_on", day},
                  {"created_at", day + "T18:00:00.000Z"}});
        }
        for (std::size_t i = 0; i < kFeedback; ++i) {
            std::string when = dayOf(i) + "T09:00:00.000Z";
            send(i % kKiosks, "feedback.given", when,
                 {{"feedback_id", newUuidV7()},
                  {"context", "leaving"},
                  {"score", 1 + static_cast<int>(i % 4)},
                  {"created_at", when}});
        }
        flush();
        if (static_cast<std::int64_t>(events) != expected) return 1;
    }

    IndicatorQuery query;
    query.groupings = {Dimension::Theme, Dimension::Neighbourhood, Dimension::Kiosk};
    // Wall time, and the process's CPU time: on a machine shared with builds the first follows
    // the load, the second what the computation costs.
    auto cpuMs = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_nsec) / 1e6;
    };
    std::vector<double> samples, cpu;
    std::size_t rows = 0;
    for (int run = 0; run < 3; ++run) {
        auto t0 = Clock::now();
        double c0 = cpuMs();
        auto r = computeReport(*storage, query);
        samples.push_back(msSince(t0));
        cpu.push_back(cpuMs() - c0);
        rows = r.byPeriod.rows.size() + r.total.rows.size();
    }
    if (rows == 0) return 1;
    report("central_indicators_1m_ms", percentile(samples, 50), "ms");
    report("central_indicators_1m_cpu_ms", percentile(cpu, 50), "ms");
    return 0;
}
