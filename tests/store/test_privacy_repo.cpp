#include "comptoir/domain/ids.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/privacy_repo.hpp"
#include "comptoir/store/sync_state.hpp"
#include "fixture_key.hpp"
#include "followup_fixture.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace comptoir;
using namespace comptoir::store;
using test::FollowUpFixture;

namespace {
Strings french() {
    Strings s;
    std::string error;
    if (!s.load(test::sourcePath("assets/i18n"), "fr", error)) throw std::runtime_error(error);
    return s;
}
std::string bytesOf(const std::string& path) {
    return std::filesystem::exists(path) ? test::readFile(path) : std::string();
}
bool contains(const std::string& hay, const std::vector<unsigned char>& needle) {
    return !needle.empty() && hay.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}
} // namespace

TEST_CASE("a visitor is found by the reference code however it is typed") {
    FollowUpFixture f;
    auto r = f.interest(f.openOffer().id);
    auto found = findByReference(f.db, r.reference);
    REQUIRE(found);
    CHECK(found->id == r.id);
    CHECK(found->kind == RecordKind::Interest);
    std::string sloppy = r.reference;
    sloppy.erase(3, 1);
    for (auto& c : sloppy)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(findByReference(f.db, " " + sloppy.substr(0, 3) + " " + sloppy.substr(3))->id == r.id);
    CHECK_FALSE(findByReference(f.db, "ZZZ-ZZZ").has_value());
    CHECK_FALSE(findByReference(f.db, "'; DROP TABLE interest; --").has_value());
    CHECK(normaliseReference("abc1234").empty());
}

TEST_CASE("a privacy export holds what the kiosk keeps, in readable French, and is audited") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto r = f.interest(offer.id, "Gaëlle", "0639980042");
    auto n = fu.propose(f.kAgent, r.id, offer.id, false, "2026-12-03");
    REQUIRE(fu.changeStatus(f.kAgent, n.id, IntroStatus::Accepted, "", "2026-12-03").ok());
    REQUIRE(fu.setNotes(f.kAgent, n.id, "Rappeler Gaëlle le soir").ok());
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    auto strings = french();
    auto path =
        exportVisitorData(f.db, f.pk, *sk, strings, f.kAgent, r.reference, f.dir.file("exports"), "20261203");
    auto text = test::readFile(path);
    CHECK(text.find("inscription " + r.reference) != std::string::npos);
    CHECK(text.find("Prénom : Gaëlle") != std::string::npos);
    CHECK(text.find("Téléphone : 0639980042") != std::string::npos);
    CHECK(text.find("Petit mot : Je suis libre le mardi") != std::string::npos);
    CHECK(text.find("Acceptée") != std::string::npos);
    CHECK(text.find("Rappeler Gaëlle le soir") != std::string::npos);
    CHECK(text.find("privacy.") == std::string::npos); // every sentence found in the catalogue
    auto audit = recentAudit(f.db, 1);
    CHECK(audit.front().action == "privacy.export");
    CHECK(audit.front().subject == r.reference);
    CHECK_THROWS_AS(exportVisitorData(f.db, f.pk, *sk, strings, f.kAgent, "ZZZ-ZZZ", f.dir.file("x"), "1"),
                    std::runtime_error);
}

TEST_CASE("a call-back's privacy export holds each call tried, its outcome and its note; after the "
          "erasure, the outcomes without the contact or the notes") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    CallbackDraft asked;
    asked.contact = {"Sacha", "0639980003", "", ""};
    asked.recontactAfter = "2026-12-01";
    asked.offerId = offer.id;
    asked.offerTitle = "Trier les dons";
    auto cb = f.visitors().recordCallback(asked);
    REQUIRE(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoAnswer, "2026-12-07",
                                "Messagerie de Sacha pleine", "2026-12-03")
                .ok());
    REQUIRE(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoLongerWishes, "", "", "2026-12-07").ok());
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    auto strings = french();
    auto text = test::readFile(
        exportVisitorData(f.db, f.pk, *sk, strings, f.kAgent, cb.reference, f.dir.file("exports"), "1"));
    CHECK(text.find("Type : Demande à être recontacté·e") != std::string::npos);
    CHECK(text.find("Offre choisie : Trier les dons (" + offer.id + ")") != std::string::npos);
    CHECK(text.find("Téléphone : 0639980003") != std::string::npos);
    CHECK(text.find("Ce qu'a donné l'appel :") != std::string::npos);
    CHECK(text.find("Ce qu'a donné l'appel :\n  " + nowUtcIso8601().substr(0, 10) + " — ") !=
          std::string::npos);
    CHECK(text.find(" — Pas de réponse (Rappeler le 2026-12-07)\n") != std::string::npos);
    CHECK(text.find(" — Ne souhaite plus\nNotes de l'agent : Messagerie de Sacha pleine\n") !=
          std::string::npos);
    CHECK(text.find("privacy.") == std::string::npos);
    CHECK(text.find("callback.") == std::string::npos);

    REQUIRE(eraseVisitor(f.db, "kiosk-test", f.kAgent, cb.reference).ok);
    auto after = test::readFile(
        exportVisitorData(f.db, f.pk, *sk, strings, f.kAgent, cb.reference, f.dir.file("exports"), "2"));
    CHECK(after.find("Effacées à votre demande.") != std::string::npos);
    CHECK(after.find("Pas de réponse") != std::string::npos); // what was done stays, without personal data
    for (const char* gone : {"Sacha", "0639980003", "Notes de l'agent"})
        CHECK(after.find(gone) == std::string::npos);
}

TEST_CASE("erasure removes every local trace, from the file and its WAL, and queues the erasure event") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto kept = f.interest(offer.id, "Noé", "0639980077");
    auto r = f.interest(offer.id, "Gaëlle", "0639980042");
    auto n = fu.propose(f.kAgent, r.id, offer.id, false, "2026-12-03");
    REQUIRE(fu.setNotes(f.kAgent, n.id, "Gaëlle, 06 39 98 00 42, préfère le soir").ok());
    // the first registration's event is already sent, the notes' and the second's are not
    (void)recordAnswers(f.db, {{r.eventId, EventAnswer::Outcome::Accepted, "", 200}},
                        "2026-12-03T10:00:00.000Z");

    // what an attacker with the disk could look for: the sealed blobs and their base64 copies
    std::vector<unsigned char> personalBlob, notesBlob;
    {
        auto s = f.db.prepare(
            "SELECT p.sealed FROM personal p JOIN interest i ON i.personal_id = p.id WHERE i.id = ?1");
        s.bind(1, r.id);
        REQUIRE(s.step());
        personalBlob = s.blob(0);
        auto t = f.db.prepare("SELECT notes_sealed FROM introduction WHERE id = ?1");
        t.bind(1, n.id);
        REQUIRE(t.step());
        notesBlob = t.blob(0);
    }
    std::string base64 = toBase64(personalBlob);
    auto everything = [&] { return bytesOf(f.path) + bytesOf(f.path + "-wal"); };
    REQUIRE(contains(everything(), personalBlob));
    REQUIRE(everything().find(base64) != std::string::npos);

    auto e = eraseVisitor(f.db, "kiosk-test", f.kAgent, r.reference);
    REQUIRE(e.ok);
    CHECK(e.walTruncated);
    CHECK(e.outboxCopiesBlanked == 1);
    auto bytes = everything();
    CHECK_FALSE(contains(bytes, personalBlob));
    CHECK_FALSE(contains(bytes, notesBlob));
    CHECK(bytes.find(base64) == std::string::npos);
    for (const char* clear : {"Gaëlle", "0639980042", "06 39 98 00 42"})
        CHECK(bytes.find(clear) == std::string::npos);

    auto found = findByReference(f.db, r.reference);
    REQUIRE(found);
    CHECK(found->erased);
    CHECK(found->personalPurged);
    CHECK_FALSE(loadIntroduction(f.db, n.id)->hasNotes);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE type = 'visitor.erased' AND sent_at IS NULL AND "
                         "json_extract(payload, '$.record_id') = '" +
                             r.id + "'") == 1);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'privacy.erase' AND subject = '" +
                             r.reference + "'") == 1);
    // the other visitor is untouched, and the outbox stays immutable for everything else
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    CHECK(findByReference(f.db, kept.reference)->personalPurged == false);
    CHECK_THROWS_AS(f.db.exec("UPDATE outbox SET payload = json_set(payload, '$.personal_sealed', '') WHERE "
                              "json_extract(payload, '$.reference') = '" +
                                  kept.reference + "'",
                              "tamper"),
                    DbError);
    CHECK(eraseVisitor(f.db, "kiosk-test", f.kAgent, r.reference).problem == "already_erased");
    CHECK(eraseVisitor(f.db, "kiosk-test", f.kAgent, "ZZZ-ZZZ").problem == "unknown_reference");
}
