#include "comptoir/domain/indicators.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace comptoir;
using S = IntroStatus;

namespace {
/// A small known dataset; every figure below is counted by hand from it.
IndicatorInput dataset() {
    IndicatorInput in;
    in.offers = {{"o1", "A", "solidarite", "doutre", true},
                 {"o2", "B", "culture", "centre", true},
                 {"o3", "A", "culture", "doutre", false}};
    in.interests = {
        {"i1", "o1", "2026-11-02T10:00:00.000Z", false}, {"i2", "o1", "2026-11-03T10:00:00.000Z", false},
        {"i3", "o2", "2026-11-10T10:00:00.000Z", false}, {"i4", "o2", "2026-12-01T10:00:00.000Z", false},
        {"i5", "o3", "2026-12-02T10:00:00.000Z", true},  {"i6", "o1", "2026-12-02T11:00:00.000Z", false}};
    in.introductions = {{"n1", "i1", "o1", "A", "2026-11-03T09:00:00.000Z", S::Completed},
                        {"n2", "i2", "o1", "A", "2026-11-04T09:00:00.000Z", S::NoShow},
                        {"n3", "i3", "o2", "B", "2026-11-12T09:00:00.000Z", S::Started},
                        {"n4", "i1", "o2", "B", "2026-11-20T09:00:00.000Z", S::Accepted},
                        {"n5", "i4", "o2", "B", "2026-12-01T09:00:00.000Z", S::Declined},
                        {"n6", "i6", "o1", "A", "2026-12-02T09:00:00.000Z", S::Proposed}};
    in.hours = {{"n1", "2026-11-05", 3.5}, {"n1", "2026-11-12", 2}, {"n3", "2026-12-01", 4}};
    in.feedback = {
        {"2026-11-02T12:00:00.000Z", 4}, {"2026-11-30T12:00:00.000Z", 3}, {"2026-12-01T12:00:00.000Z", 1}};
    return in;
}

/// Reads CSV text as a French spreadsheet does: BOM, `;` between cells, quotes, CRLF lines.
std::vector<std::vector<std::string>> openAsSpreadsheet(const std::string& text, bool& bom, bool& crlfOnly) {
    bom = text.rfind("\xEF\xBB\xBF", 0) == 0;
    std::string body = bom ? text.substr(3) : text;
    crlfOnly = true;
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (quoted) {
            if (c == '"' && i + 1 < body.size() && body[i + 1] == '"') {
                rows.back().back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                rows.back().back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ';') {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') {
            rows.emplace_back(1);
            ++i;
        } else if (c == '\n') {
            crlfOnly = false;
        } else {
            rows.back().back() += c;
        }
    }
    if (rows.back().size() == 1 && rows.back().front().empty()) rows.pop_back();
    return rows;
}
} // namespace

TEST_CASE("indicators per month on a known dataset, exact numbers") {
    auto ind = computeIndicators(dataset(), Period::Month);
    const auto* now = ind.find("", Dimension::All);
    REQUIRE(now);
    CHECK(now->openOffers == 2);
    CHECK(now->partnerOrganisations == 2);
    REQUIRE(ind.find("", Dimension::Theme, "culture"));
    CHECK(ind.find("", Dimension::Theme, "culture")->openOffers == 1);

    const auto* nov = ind.find("2026-11", Dimension::All);
    REQUIRE(nov);
    CHECK(nov->partnerOrganisations == 2);
    CHECK(nov->participations == 3);
    CHECK(nov->citizensEngaged == 2);
    CHECK(nov->citizensReady == 1);
    CHECK(nov->hours == Approx(5.5));
    CHECK(nov->noShows == 1);
    CHECK(nov->noShowBase == 3);
    CHECK(nov->noShowRate() == Approx(1.0 / 3));
    CHECK(nov->feedbackCount == 2);
    CHECK(nov->feedbackAverage() == Approx(3.5));

    const auto* dec = ind.find("2026-12", Dimension::All);
    REQUIRE(dec);
    CHECK(dec->partnerOrganisations == 2);
    CHECK(dec->participations == 0);
    CHECK(dec->citizensEngaged == 0);
    CHECK(dec->citizensReady == 2); // i4 and i6; i5 is closed
    CHECK(dec->hours == Approx(4));
    CHECK(dec->noShowBase == 0);
    CHECK(dec->feedbackCount == 1);

    const auto* culture = ind.find("2026-11", Dimension::Theme, "culture");
    REQUIRE(culture);
    CHECK(culture->participations == 2);
    CHECK(culture->citizensEngaged == 1);
    CHECK(culture->partnerOrganisations == 1);
    CHECK(culture->hours == 0);
    CHECK(culture->feedbackCount == 0); // feedback has no theme: in the All rows only
    CHECK(ind.find("2026-12", Dimension::Theme, "culture")->hours == Approx(4));
    CHECK(ind.find("2026-12", Dimension::Theme, "culture")->citizensReady == 1);

    const auto* doutre = ind.find("2026-11", Dimension::Neighbourhood, "doutre");
    REQUIRE(doutre);
    CHECK(doutre->participations == 1);
    CHECK(doutre->noShowRate() == Approx(0.5));
    CHECK(doutre->hours == Approx(5.5));
    CHECK(doutre->citizensReady == 1);
}

TEST_CASE("indicators per ISO week") {
    auto ind = computeIndicators(dataset(), Period::Week);
    const auto* w45 = ind.find("2026-W45", Dimension::All);
    REQUIRE(w45);
    CHECK(w45->participations == 1);
    CHECK(w45->noShows == 1);
    CHECK(w45->noShowBase == 2);
    CHECK(w45->hours == Approx(3.5));
    // rows come "now" first, then in period order
    CHECK(ind.rows.front().period.empty());
    std::string last;
    for (const auto& r : ind.rows) {
        if (r.period.empty()) continue;
        CHECK(r.period >= last);
        last = r.period;
    }
}

TEST_CASE("the CSV opens in a French spreadsheet as columns, formulas neutralised") {
    auto ind = computeIndicators(dataset(), Period::Month);
    auto label = [](Dimension d, const std::string& id) -> std::string {
        if (id == "culture") return "=HYPERLINK(\"http://example.org\";\"Culture\")";
        if (id == "solidarite")
            return "\xEF\xBC\x8B"
                   "Solidarité"; // full-width plus
        if (id == "centre") return "-Centre; ville";
        return d == Dimension::Neighbourhood ? "Doutre" : id;
    };
    bool bom = false, crlf = false;
    auto rows = openAsSpreadsheet(csvDocument(indicatorLines(ind, label)), bom, crlf);
    CHECK(bom);
    CHECK(crlf);
    REQUIRE(rows.size() == ind.rows.size() + 1);
    for (const auto& r : rows)
        CHECK(r.size() == 13);
    CHECK(rows[0][0] == "Période");
    CHECK(rows[0][6] == "Citoyens engagés");
    std::vector<std::string> nov;
    for (const auto& r : rows)
        if (r[0] == "2026-11" && r[1] == "Tout") nov = r;
    CHECK(nov == std::vector<std::string>{"2026-11", "Tout", "", "2", "", "3", "2", "1", "5,5", "1", "33,3",
                                          "2", "3,5"});
    bool sawCulture = false, sawSolidarite = false, sawCentre = false;
    for (const auto& r : rows) {
        sawCulture |= r[2] == "'=HYPERLINK(\"http://example.org\";\"Culture\")";
        sawSolidarite |= r[2] == "'\xEF\xBC\x8BSolidarité";
        sawCentre |= r[2] == "'-Centre; ville";
    }
    CHECK(sawCulture);
    CHECK(sawSolidarite);
    CHECK(sawCentre);
}

TEST_CASE("cells and numbers for a French spreadsheet") {
    CHECK(csvCell("Épicerie") == "Épicerie");
    CHECK(csvCell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csvCell("\tx") == "'\tx");
    CHECK(csvCell("\rx") == "\"'\rx\"");
    CHECK(csvCell("\xEF\xBC\x9D"
                  "1+1") == "'\xEF\xBC\x9D"
                            "1+1");
    CHECK(csvCell("\xEF\xBC\xA0x") == "'\xEF\xBC\xA0x");
    CHECK(csvCell("a \"b\"") == "\"a \"\"b\"\"\"");
    CHECK(frenchDecimal(5.5) == "5,5");
    CHECK(frenchDecimal(4) == "4");
    CHECK(frenchDecimal(33.3333, 1) == "33,3");
    CHECK(frenchDecimal(0.126, 2) == "0,13");
}

TEST_CASE("indicators by kiosk, and over a range of days, with the same definitions") {
    auto in = dataset();
    // Two kiosks: i1, i2 (and their introductions, hours) at kiosk-a; the rest at kiosk-b.
    for (auto& r : in.interests)
        r.kioskId = r.id == "i1" || r.id == "i2" ? "kiosk-a" : "kiosk-b";
    for (auto& n : in.introductions)
        n.kioskId = n.interestId == "i1" || n.interestId == "i2" ? "kiosk-a" : "kiosk-b";
    for (auto& h : in.hours)
        h.kioskId = h.introductionId == "n1" ? "kiosk-a" : "kiosk-b";
    in.feedback[0].kioskId = "kiosk-a";
    in.feedback[1].kioskId = "kiosk-b";
    in.feedback[2].kioskId = "kiosk-b";

    auto ind = computeIndicators(in, Period::Month);
    // Kiosk ids change nothing in the All rows.
    auto plain = computeIndicators(dataset(), Period::Month);
    CHECK(ind.find("2026-11", Dimension::All)->participations ==
          plain.find("2026-11", Dimension::All)->participations);
    CHECK(ind.find("2026-11", Dimension::All)->citizensEngaged == 2);
    CHECK_FALSE(plain.find("2026-11", Dimension::Kiosk, "kiosk-a"));

    const auto* a = ind.find("2026-11", Dimension::Kiosk, "kiosk-a");
    REQUIRE(a);
    CHECK(a->participations == 2); // n1 completed, n4 accepted (i1's second introduction)
    CHECK(a->citizensEngaged == 1);
    CHECK(a->noShows == 1);
    CHECK(a->noShowBase == 2);
    CHECK(a->hours == Approx(5.5));
    CHECK(a->citizensReady == 1); // i2, whose only introduction was a no-show; i1 is engaged
    CHECK(a->feedbackCount == 1);
    const auto* b = ind.find("2026-11", Dimension::Kiosk, "kiosk-b");
    REQUIRE(b);
    CHECK(b->participations == 1);
    CHECK(b->citizensEngaged == 1);
    CHECK(b->feedbackAverage() == Approx(3));
    CHECK_FALSE(ind.find("", Dimension::Kiosk, "kiosk-a")); // offers belong to no kiosk

    // December only: November's records count nowhere; the "now" rows do not move.
    auto dec = computeIndicators(in, Period::Month, DayRange{"2026-12-01", "2026-12-31"});
    CHECK_FALSE(dec.find("2026-11", Dimension::All));
    REQUIRE(dec.find("2026-12", Dimension::All));
    CHECK(dec.find("2026-12", Dimension::All)->citizensReady == 2);
    CHECK(dec.find("2026-12", Dimension::All)->hours == Approx(4));
    CHECK(dec.find("", Dimension::All)->openOffers == 2);
    // A range cut inside a month: only its days count.
    auto early = computeIndicators(in, Period::Month, DayRange{"2026-11-01", "2026-11-04"});
    CHECK(early.find("2026-11", Dimension::All)->participations == 1); // n1 (n2 was a no-show)
    CHECK(early.find("2026-11", Dimension::All)->hours == Approx(0));  // done on the 5th and 12th
    CHECK(early.find("2026-11", Dimension::All)->feedbackCount == 1);
    CHECK_FALSE(early.find("2026-12", Dimension::All));
    // i1 (2 Nov) was engaged by an introduction of 3 Nov, outside this range: still not "ready".
    auto first = computeIndicators(in, Period::Month, DayRange{"2026-11-01", "2026-11-02"});
    REQUIRE(first.find("2026-11", Dimension::All));
    CHECK(first.find("2026-11", Dimension::All)->citizensReady == 0);
    CHECK(first.find("2026-11", Dimension::All)->feedbackCount == 1);

    // The whole range as one period: a citizen engaged in two months counts once.
    auto total = computeIndicators(in, Period::Total);
    const auto* all = total.find("total", Dimension::All);
    REQUIRE(all);
    CHECK(all->participations == 3);
    CHECK(all->citizensEngaged == 2);
    CHECK(all->citizensReady == 3); // i2, i4, i6
    CHECK(all->hours == Approx(9.5));
    CHECK(all->feedbackCount == 3);
    CHECK(total.find("total", Dimension::Kiosk, "kiosk-b")->citizensReady == 2);
}

TEST_CASE("registrations folded into one row (a kiosk's compact input) count as many as they stand for") {
    // The dataset with i4 and i6 (ready in December) folded with two more of the same day and offer.
    IndicatorInput folded = dataset();
    folded.interests.push_back({"", "o2", "2026-12-01", false, {}, 3});
    folded.interests.push_back({"", "o3", "2026-12-02", true, {}, 5}); // closed: never ready
    auto ind = computeIndicators(folded, Period::Month);
    const auto* dec = ind.find("2026-12", Dimension::All);
    REQUIRE(dec);
    CHECK(dec->citizensReady == 2 + 3);
    CHECK(ind.find("2026-12", Dimension::Theme, "culture")->citizensReady == 1 + 3);
    CHECK(dec->citizensEngaged ==
          computeIndicators(dataset(), Period::Month).find("2026-12", Dimension::All)->citizensEngaged);
}
