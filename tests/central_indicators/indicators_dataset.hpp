#pragma once
/// @brief A known dataset for the indicators across kiosks: two kiosks' events fed through the
/// real storage's ingest (validation and folding included), and a small catalogue. Every figure
/// the tests check is counted by hand in the comment below. All people are fictional; contact
/// details travel sealed (base64 here), as kiosks send them.
///
/// Catalogue (from the demo one): off-0001 (org-panier-doutre, solidarite, doutre, 4 places, 2
/// left), off-0002 (org-table-ouverte, solidarite, centre-ville; marked full on site by kiosk B),
/// off-0003 (org-table-ouverte, solidarite, monplaisir, 14 left), off-0006 (org-veilleurs-du-soir,
/// 1 place left, taken by nB2), off-0008 (paused). Open now: off-0001 and off-0003 (2 offers, 2
/// organisations).
///
/// | record | kiosk | offer | created | status at the end | hours |
/// | --- | --- | --- | --- | --- | --- |
/// | rA1 → nA1 | A | off-0001 | 5 Oct → 7 Oct | started | 3.5 (16 Oct), 2 (2 Nov) |
/// | rA2 → nA2 | A | off-0001 | 6 Oct → 8 Oct | no_show | |
/// | rA3 → nA3 | A | off-0002 | 2 Nov → 4 Nov | accepted | |
/// | rA4 (erased) | A | off-0006 | 3 Nov | — | |
/// | rB1 → nB1 | B | off-0002 | 20 Oct → 21 Oct | completed | 4 (25 Oct) |
/// | rB2 → nB2 | B | off-0006 | 10 Nov → 11 Nov | accepted | |
/// | rB3 | B | off-0002 | 15 Nov | — | |
/// Feedback: A 5 Oct (4), A 2 Nov (3), B 10 Nov (2).
///
/// October: participations 2 (nA1, nB1), engaged 2, ready 1 (rA2), hours 7.5, no-shows 1 of 3,
/// partners 2, feedback 1 (4). November: participations 2 (nA3, nB2), engaged 0, ready 3 (rA3,
/// rB2, rB3), hours 2, partners 2, feedback 2 (2.5). Whole range: participations 4, engaged 2,
/// ready 4, hours 9.5, no-show rate 33.3 %, feedback 3 (3.0). Kiosk A: participations 2, engaged
/// 1, ready 2, hours 5.5, no-shows 1 of 2; kiosk B: participations 2, engaged 1, ready 2, hours 4.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/sync/central.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace comptoir::test {

inline constexpr const char* kKioskA = "angers-centre";
inline constexpr const char* kKioskB = "angers-monplaisir";

/// Sends one event through the storage's ingest; throws unless it is accepted.
inline void feed(sync::central::CentralStorage& s, const std::string& kiosk, const std::string& type,
                 const std::string& occurredAt, const nlohmann::json& payload) {
    sync::WireEvent e{newUuidV7(), type, 1, occurredAt, kiosk, payload.dump(), payload};
    auto r = s.ingest(kiosk, {e});
    if (r.size() != 1 || r[0].status != sync::EventStatus::Accepted)
        throw std::runtime_error("event refused: " + type + ": " + (r.empty() ? std::string() : r[0].reason));
}

inline std::string at(const std::string& day, const char* time = "10:00:00.000") {
    return day + "T" + time + "Z";
}

/// Registers an interest; returns its id.
inline std::string registration(sync::central::CentralStorage& s, const std::string& kiosk,
                                const std::string& offer, const std::string& day) {
    static int serial = 0;
    std::string id = newUuidV7();
    feed(s, kiosk, "interest.registered", at(day),
         {{"interest_id", id},
          {"reference", "REF-" + std::to_string(++serial)},
          {"offer_id", offer},
          {"offer_title", "Une mission"},
          {"preferred_moment", "any"},
          {"consent_version", 1},
          {"created_at", at(day)},
          {"personal_sealed", "c2NlbGzDqSBwb3VyIGxlIGtpb3NxdWU="}});
    return id;
}

inline nlohmann::json introduction(const std::string& id, const std::string& interest,
                                   const std::string& offer, const std::string& organisation,
                                   const char* status, const std::string& when) {
    return {{"introduction_id", id}, {"interest_id", interest},
            {"offer_id", offer},     {"organisation_id", organisation},
            {"status", status},      {"reason", ""},
            {"next_action_on", ""},  {"updated_at", when}};
}

inline sync::central::CatalogueImportSummary importTestCatalogue(sync::central::CentralStorage& s) {
    auto parsed = parseCatalogue(readFile(sourcePath("assets/catalogue/demo.json")));
    if (!parsed.ok) throw std::runtime_error("demo catalogue unreadable");
    auto& offers = parsed.catalogue.offers;
    std::erase_if(offers, [](const Offer& o) {
        return o.id != "off-0001" && o.id != "off-0002" && o.id != "off-0003" && o.id != "off-0006" &&
               o.id != "off-0008";
    });
    for (auto& o : offers)
        if (o.id == "off-0008") o.status = OfferStatus::Paused;
    return s.importCatalogue(parsed.catalogue);
}

/// The whole dataset of the comment above, fed in an order that is not the kiosks' (an update
/// before its introduction's creation) to show the fold does not depend on it.
inline void feedKnownDataset(sync::central::CentralStorage& s) {
    (void)importTestCatalogue(s);
    const std::string a = kKioskA, b = kKioskB;
    auto rA1 = registration(s, a, "off-0001", "2026-10-05");
    auto rA2 = registration(s, a, "off-0001", "2026-10-06");
    auto rA3 = registration(s, a, "off-0002", "2026-11-02");
    auto rA4 = registration(s, a, "off-0006", "2026-11-03");
    auto rB1 = registration(s, b, "off-0002", "2026-10-20");
    auto rB2 = registration(s, b, "off-0006", "2026-11-10");
    (void)registration(s, b, "off-0002", "2026-11-15");

    std::string nA1 = newUuidV7(), nA2 = newUuidV7(), nA3 = newUuidV7(), nB1 = newUuidV7(), nB2 = newUuidV7();
    // nA1's latest update arrives first; its creation (7 Oct) and an older update come after.
    feed(s, a, "introduction.updated", at("2026-10-15"),
         introduction(nA1, rA1, "off-0001", "org-panier-doutre", "started", at("2026-10-15")));
    feed(s, a, "introduction.created", at("2026-10-07"),
         introduction(nA1, rA1, "off-0001", "org-panier-doutre", "proposed", at("2026-10-07")));
    feed(s, a, "introduction.updated", at("2026-10-10"),
         introduction(nA1, rA1, "off-0001", "org-panier-doutre", "accepted", at("2026-10-10")));
    feed(s, a, "introduction.created", at("2026-10-08"),
         introduction(nA2, rA2, "off-0001", "org-panier-doutre", "proposed", at("2026-10-08")));
    feed(s, a, "introduction.updated", at("2026-10-20"),
         introduction(nA2, rA2, "off-0001", "org-panier-doutre", "no_show", at("2026-10-20")));
    feed(s, a, "introduction.created", at("2026-11-04"),
         introduction(nA3, rA3, "off-0002", "org-table-ouverte", "accepted", at("2026-11-04")));
    feed(s, b, "introduction.created", at("2026-10-21"),
         introduction(nB1, rB1, "off-0002", "org-table-ouverte", "proposed", at("2026-10-21")));
    feed(s, b, "introduction.updated", at("2026-11-05"),
         introduction(nB1, rB1, "off-0002", "org-table-ouverte", "completed", at("2026-11-05")));
    feed(s, b, "introduction.created", at("2026-11-11"),
         introduction(nB2, rB2, "off-0006", "org-veilleurs-du-soir", "accepted", at("2026-11-11")));

    auto hours = [&](const std::string& kiosk, const std::string& intro, double h, const std::string& day) {
        feed(s, kiosk, "hours.logged", at(day, "18:00:00.000"),
             {{"hours_id", newUuidV7()},
              {"introduction_id", intro},
              {"hours", h},
              {"done_on", day},
              {"created_at", at(day, "18:00:00.000")}});
    };
    hours(a, nA1, 3.5, "2026-10-16");
    hours(a, nA1, 2, "2026-11-02");
    hours(b, nB1, 4, "2026-10-25");

    auto opinion = [&](const std::string& kiosk, int score, const std::string& day) {
        feed(s, kiosk, "feedback.given", at(day, "11:00:00.000"),
             {{"feedback_id", newUuidV7()},
              {"context", "leaving"},
              {"score", score},
              {"created_at", at(day, "11:00:00.000")}});
    };
    opinion(a, 4, "2026-10-05");
    opinion(a, 3, "2026-11-02");
    opinion(b, 2, "2026-11-10");

    feed(s, a, "visitor.erased", at("2026-11-20"),
         {{"record_kind", "interest"},
          {"record_id", rA4},
          {"reference", "REF-ERASED"},
          {"erased_at", at("2026-11-20")}});
    feed(s, b, "offer.state_changed", at("2026-11-20"),
         {{"offer_id", "off-0002"}, {"state", "full"}, {"changed_at", at("2026-11-20")}});
}

} // namespace comptoir::test
