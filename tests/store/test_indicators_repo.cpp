#include "comptoir/domain/ids.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "followup_fixture.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace comptoir;
using namespace comptoir::store;
using test::FollowUpFixture;

TEST_CASE("indicators read from the store count what the follow-up recorded") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto a = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, "2026-12-03");
    auto b =
        fu.propose(f.kAgent, f.interest(offer.id, "Loïc", "0639980043").id, offer.id, false, "2026-12-03");
    (void)f.interest(offer.id, "Yanis", "0639980044"); // registered, not introduced yet: ready to engage
    for (const auto& id : {a.id, b.id})
        REQUIRE(fu.changeStatus(f.kAgent, id, IntroStatus::Accepted, "", "2026-12-03").ok());
    REQUIRE(fu.changeStatus(f.kAgent, a.id, IntroStatus::Started, "", "2026-12-03").ok());
    REQUIRE(fu.changeStatus(f.kAgent, b.id, IntroStatus::NoShow, "forgot", "2026-12-03").ok());
    std::string today = nowUtcIso8601().substr(0, 10);
    REQUIRE(fu.logHours(f.kAgent, a.id, 3, today, today).ok());
    (void)f.visitors().recordFeedback(4); // held for its day's end, counted already
    (void)f.visitors().recordFeedback(2);

    auto input = loadIndicatorInput(f.db);
    int openBefore = 0;
    for (const auto& o : input.offers)
        openBefore += o.open;
    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Closed).ok);
    input = loadIndicatorInput(f.db);
    int openAfter = 0;
    for (const auto& o : input.offers)
        openAfter += o.open;
    CHECK(openAfter == openBefore - 1);

    auto ind = computeIndicators(input, Period::Month);
    const auto* month = ind.find(yearMonth(today), Dimension::All);
    REQUIRE(month);
    CHECK(month->participations == 1); // started; the no-show is not a participation
    CHECK(month->citizensEngaged == 1);
    CHECK(month->citizensReady == 2); // the no-show's registration and Yanis's
    CHECK(month->hours == Approx(3));
    CHECK(month->noShows == 1);
    CHECK(month->noShowRate() == Approx(0.5));
    CHECK(month->feedbackCount == 2);
    CHECK(month->feedbackAverage() == Approx(3));
    CHECK(ind.find(yearMonth(today), Dimension::Theme, offer.themeId)->participations == 1);
}

TEST_CASE("the indicators CSV lands in the export folder, BOM and CRLF, names from the catalogue") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    (void)fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, "2026-12-03");
    std::string dir = f.dir.file("cle-usb/comptoir");
    auto path = exportIndicatorsCsv(f.db, f.kAgent, Period::Week, dir, "20261203-101500");
    CHECK(path == dir + "/indicateurs-semaines-20261203-101500.csv");
    auto text = test::readFile(path);
    REQUIRE(text.rfind("\xEF\xBB\xBF"
                       "Période;Regroupement;Valeur;",
                       0) == 0);
    CHECK(text.find("\r\n") != std::string::npos);
    CHECK(text.find("\n\n") == std::string::npos);
    std::string themeName;
    for (const auto& t : f.catalogue.themes)
        if (t.id == offer.themeId) themeName = t.name;
    CHECK(text.find(";Thème;" + themeName + ";") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(path + ".partial"));
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'indicators.export'") == 1);
    // a folder that cannot be made is a plain refusal, not a crash
    test::writeFile(f.dir.file("plain-file"), "x");
    CHECK_THROWS_AS(exportIndicatorsCsv(f.db, f.kAgent, Period::Month, f.dir.file("plain-file/sub"), "x"),
                    std::runtime_error);
}

TEST_CASE("the indicators' input is compact: registrations no introduction names are folded, ids and days "
          "short, the figures those of one row per record") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto engaged = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, "2026-12-03");
    REQUIRE(fu.changeStatus(f.kAgent, engaged.id, IntroStatus::Accepted, "", "2026-12-03").ok());
    REQUIRE(fu.changeStatus(f.kAgent, engaged.id, IntroStatus::Started, "", "2026-12-03").ok());
    // 3,000 registrations over 10 days and 3 offers, none introduced; every tenth closed.
    f.db.exec("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999) "
              "INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, consent_version, "
              "created_at, status) SELECT 'bulk-' || i, printf('B%06d', i), '" +
                  offer.id +
                  "', 'x', (SELECT MAX(id) FROM personal), 1, printf('2026-11-%02dT1%d:00:00.000Z', "
                  "1 + i % 10, i % 3), CASE WHEN i % 10 = 3 THEN 'closed' ELSE 'new' END FROM n",
              "bulk registrations");
    auto input = loadIndicatorInput(f.db);
    CHECK(input.interests.size() <= 1 + 10 * 2); // one per day and state, the introduced one apart
    for (const auto& r : input.interests) {
        CHECK(r.id.size() <= 15); // held inside the std::string, no allocation
        CHECK(r.createdOn.size() == 10);
    }
    auto ind = computeIndicators(input, Period::Month);
    const auto* nov = ind.find("2026-11", Dimension::All);
    REQUIRE(nov);
    CHECK(nov->citizensReady == 2700);
    const auto* now = ind.find(nowUtcIso8601().substr(0, 7), Dimension::All); // the introduction's month
    REQUIRE(now);
    CHECK(now->citizensEngaged == 1);
}
