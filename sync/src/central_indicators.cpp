// Indicators across kiosks: the query, CSV and JSON, the HTML page with its SVG charts, and the
// page's accounts. The figures are computeIndicators()'s (kiosk/domain), never recomputed here.
#include "comptoir/sync/central_indicators.hpp"

#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/domain/when.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <stdexcept>
#include <tuple>

namespace comptoir::sync::central {

using nlohmann::json;

// [SECTION] query

bool applyBy(std::string_view word, IndicatorQuery& q) {
    if (word == "week")
        q.period = Period::Week;
    else if (word == "month")
        q.period = Period::Month;
    else if (word == "theme")
        q.groupings.insert(Dimension::Theme);
    else if (word == "neighbourhood")
        q.groupings.insert(Dimension::Neighbourhood);
    else if (word == "kiosk")
        q.groupings.insert(Dimension::Kiosk);
    else
        return false;
    return true;
}

namespace {
bool isRangeDate(const std::string& d) {
    return isIsoDate(d) && d >= "2020-01-01" && d <= "2100-12-31";
}
} // namespace

RangeProblem rangeProblem(const DayRange& r) {
    if (!r.from.empty() && !isRangeDate(r.from)) return RangeProblem::BadFrom;
    if (!r.to.empty() && !isRangeDate(r.to)) return RangeProblem::BadTo;
    if (!r.from.empty() && !r.to.empty() && r.from > r.to) return RangeProblem::Order;
    return RangeProblem::None;
}

PageQuery parsePageQuery(const QueryParams& params, const std::string& today) {
    PageQuery out;
    auto refuse = [&](std::string why) {
        out.problem = std::move(why);
        return out;
    };
    if (params.size() > kMaxIndicatorParams) return refuse("too_many");
    std::string from, to;
    for (const auto& [name, value] : params) {
        if (value.size() > kMaxIndicatorParamBytes) return refuse("too_long");
        if (name == "period") {
            if (value != "week" && value != "month") return refuse("period");
            out.query.period = value == "week" ? Period::Week : Period::Month;
        } else if (name == "by") {
            if (!value.empty() && (value == "week" || value == "month" || !applyBy(value, out.query)))
                return refuse("by");
        } else if (name == "from") {
            from = value;
        } else if (name == "to") {
            to = value;
        } else {
            return refuse("unknown");
        }
    }
    // Without a range: the last 12 periods up to `to`, so the charts stay readable.
    if (to.empty()) to = today;
    if (from.empty() && isRangeDate(to)) {
        if (out.query.period == Period::Week) {
            from = addDays(to, -(isoWeekday(to) - 1) - 7 * 11); // the Monday 11 weeks before to's week
        } else {
            from = to.substr(0, 8) + "01";
            for (int i = 0; i < 11; ++i)
                from = addDays(from, -1).substr(0, 8) + "01";
        }
    }
    out.query.range = {from, to};
    switch (rangeProblem(out.query.range)) {
    case RangeProblem::None:
        break;
    case RangeProblem::BadFrom:
    case RangeProblem::BadTo:
        return refuse("date");
    case RangeProblem::Order:
        return refuse("order");
    }
    return out;
}

// [SECTION] report, CSV and JSON

std::string IndicatorReport::label(Dimension d, const std::string& key) const {
    if (d == Dimension::Theme || d == Dimension::Neighbourhood) {
        const auto& m = d == Dimension::Theme ? names.themes : names.neighbourhoods;
        auto it = m.find(key);
        return it == m.end() ? key : it->second;
    }
    return key;
}

namespace {
void keepAsked(Indicators& ind, const IndicatorQuery& q) {
    std::erase_if(ind.rows, [&](const IndicatorRow& r) {
        return r.dimension != Dimension::All && q.groupings.count(r.dimension) == 0;
    });
}
const char* periodName(Period p) {
    return p == Period::Week ? "week" : p == Period::Month ? "month" : "total";
}
} // namespace

IndicatorReport computeReport(CentralStorage& storage, const IndicatorQuery& query) {
    IndicatorReport r;
    r.query = query;
    auto input = storage.indicatorInput();
    r.names = storage.catalogueNames();
    const Period periods[] = {query.period, Period::Total};
    auto both = computeIndicators(input, periods, query.range);
    r.byPeriod = std::move(both[0]);
    r.total = std::move(both[1]);
    keepAsked(r.byPeriod, query);
    keepAsked(r.total, query);
    r.generatedAt = nowUtcIso8601();
    return r;
}

std::string reportCsv(const IndicatorReport& report) {
    return csvDocument(indicatorLines(
        report.byPeriod, [&](Dimension d, const std::string& key) { return report.label(d, key); }));
}

std::string reportJson(const IndicatorReport& report) {
    json rows = json::array();
    for (const auto& r : report.byPeriod.rows) {
        bool now = r.period.empty();
        json row = {
            {"period", now ? json(nullptr) : json(r.period)},
            {"group", toString(r.dimension)},
            {"key", r.key},
            {"label", r.dimension == Dimension::All ? std::string() : report.label(r.dimension, r.key)},
            {"partner_organisations", r.partnerOrganisations}};
        if (now) {
            row["open_offers"] = r.openOffers;
        } else {
            row["participations"] = r.participations;
            row["citizens_engaged"] = r.citizensEngaged;
            row["citizens_ready"] = r.citizensReady;
            row["hours"] = r.hours;
            row["no_shows"] = r.noShows;
            row["no_show_base"] = r.noShowBase;
            row["feedback_count"] = r.feedbackCount;
            row["feedback_average"] = r.feedbackCount ? json(r.feedbackAverage()) : json(nullptr);
        }
        rows.push_back(std::move(row));
    }
    json doc = {{"format", "comptoir-indicators"},
                {"format_version", 1},
                {"generated_at", report.generatedAt},
                {"period", periodName(report.query.period)},
                {"from", report.query.range.from.empty() ? json(nullptr) : json(report.query.range.from)},
                {"to", report.query.range.to.empty() ? json(nullptr) : json(report.query.range.to)},
                {"rows", std::move(rows)}};
    // Names are the CCAS's own catalogue text: kept as is, invalid UTF-8 replaced.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// [SECTION] HTML page

namespace {

std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// "1 234" with a narrow no-break space between thousands, French style.
std::string frenchInt(long long v) {
    std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += "\u202F";
        out += digits[i];
    }
    return v < 0 ? "-" + out : out;
}

std::string frenchDateText(const std::string& d, const Strings& w) {
    if (!isIsoDate(d)) return d;
    int month = std::stoi(d.substr(5, 2));
    int day = std::stoi(d.substr(8, 2));
    return (day == 1 ? w.get("central.indicators.first_day") : std::to_string(day)) + " " +
           w.get("central.indicators.month_long." + std::to_string(month)) + " " + d.substr(0, 4);
}

/// "nov. 2026" or "sem. 45 · 2026" under a bar.
std::string periodLabel(const std::string& p, const Strings& w) {
    if (p.size() == 7 && p[4] == '-')
        return w.get("central.indicators.month_short." + std::to_string(std::stoi(p.substr(5, 2)))) + " " +
               p.substr(0, 4);
    if (p.size() == 8 && p[5] == 'W')
        return w.format("central.indicators.week_short", {{"n", p.substr(6)}, {"year", p.substr(0, 4)}});
    return p;
}

/// Every period of the range in order, even those with nothing in them (a chart with gaps
/// would mislead). Bounded: a range longer than 10 years is not drawn period by period.
std::vector<std::string> periodsOf(const IndicatorQuery& q, const Indicators& ind) {
    std::vector<std::string> out;
    if (q.range.from.empty() || q.range.to.empty()) {
        for (const auto& r : ind.rows)
            if (!r.period.empty() && r.dimension == Dimension::All) out.push_back(r.period);
        return out;
    }
    std::string d = q.range.from;
    for (int guard = 0; !d.empty() && d <= q.range.to && guard < 4000; ++guard) {
        std::string p = q.period == Period::Week ? isoWeek(d) : yearMonth(d);
        if (out.empty() || out.back() != p) out.push_back(p);
        if (q.period == Period::Week) {
            d = addDays(d, 7);
        } else {
            // The 28th plus 4 days is always in the next month.
            std::string next = addDays(d.substr(0, 8) + "28", 4);
            d = next.empty() ? next : next.substr(0, 8) + "01";
        }
    }
    // The last week may start after `to` minus 7: make sure to's own period is there.
    std::string last = q.period == Period::Week ? isoWeek(q.range.to) : yearMonth(q.range.to);
    if (!out.empty() && out.back() != last) out.push_back(last);
    return out;
}

struct Series {
    std::string name, colour;
    std::vector<double> values;
    bool decimal = false;
};

std::string number(double v, bool decimal) {
    return decimal ? frenchDecimal(v, 1) : frenchInt(std::llround(v));
}

/// A bar chart as inline SVG: one group of bars per period, the value above each bar, the
/// period below. Sizes are in the viewBox: the browser scales it to the column.
std::string barChart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<Series>& series) {
    // About the size the card shows it at (so 16 px in the viewBox reads as 16 px on screen).
    const double width = 440, height = 250, left = 8, right = 8, top = 40, bottom = 36;
    const double plotW = width - left - right, plotH = height - top - bottom;
    double max = 0;
    for (const auto& s : series)
        for (double v : s.values)
            max = std::max(max, v);
    std::size_t n = std::max<std::size_t>(labels.size(), 1);
    double slot = plotW / static_cast<double>(n);
    double barW = std::min(56.0, slot * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1)));
    char buf[256];
    std::string svg = "<svg class=\"chart\" id=\"" + esc(id) +
                      "\" viewBox=\"0 0 440 250\" role=\"img\" aria-label=\"" + esc(title) +
                      "\" xmlns=\"http://www.w3.org/2000/svg\">";
    svg += "<title>" + esc(title) + "</title>";
    // Legend when there are several series.
    if (series.size() > 1) {
        double x = left;
        for (const auto& s : series) {
            std::snprintf(buf, sizeof buf,
                          "<rect x=\"%.1f\" y=\"4\" width=\"16\" height=\"16\" rx=\"4\" fill=\"%s\"/>", x,
                          s.colour.c_str());
            svg += buf;
            std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"18\" class=\"legend\">", x + 22);
            svg += buf + esc(s.name) + "</text>";
            x += 36 + 8.0 * static_cast<double>(utf8Length(s.name));
        }
    }
    std::snprintf(buf, sizeof buf, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>",
                  left, top + plotH, left + plotW, top + plotH);
    svg += buf;
    bool labelEvery = n <= 12;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        double groupX =
            left + slot * static_cast<double>(i) + (slot - barW * static_cast<double>(series.size())) / 2;
        for (std::size_t k = 0; k < series.size(); ++k) {
            double v = i < series[k].values.size() ? series[k].values[i] : 0;
            double h = max > 0 ? plotH * v / max : 0;
            if (v > 0) h = std::max(h, 2.0);
            double x = groupX + barW * static_cast<double>(k);
            std::snprintf(buf, sizeof buf,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" fill=\"%s\"/>",
                          x + 1, top + plotH - h, barW - 2, h, series[k].colour.c_str());
            svg += buf;
            if (labelEvery || v > 0) {
                std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">", x + barW / 2,
                              top + plotH - h - 6);
                svg += buf + number(v, series[k].decimal) + "</text>";
            }
        }
        if (labelEvery || i % ((n + 5) / 6) == 0) {
            std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" class=\"period\">",
                          left + slot * (static_cast<double>(i) + 0.5), top + plotH + 24);
            svg += buf + esc(labels[i]) + "</text>";
        }
    }
    svg += "</svg>";
    return svg;
}

const char* const kStyle = R"css(
:root { --cream:#fff8ef; --paper:#ffffff; --ink:#3b2a26; --soft:#7a625b; --terracotta:#c8553d;
        --ochre:#e9a23b; --teal:#2a7f6f; --sand:#f3e3cf; }
* { box-sizing: border-box; }
body { margin:0; background:var(--cream); color:var(--ink);
       font-family:"Noto Sans","DejaVu Sans",sans-serif; font-size:18px; line-height:1.45; }
header.band { background:linear-gradient(120deg,#c8553d,#e07a4f 60%,#e9a23b); color:#fff; padding:28px 40px 24px; }
header.band .brand { font-size:17px; letter-spacing:.06em; text-transform:uppercase; opacity:.92; }
header.band h1 { margin:6px 0 4px; font-size:38px; font-weight:700; }
header.band p { margin:0; font-size:19px; opacity:.95; }
main { padding:24px 40px 40px; max-width:1400px; margin:0 auto; }
form.filters { display:flex; flex-wrap:wrap; gap:14px 22px; align-items:center; background:var(--paper);
               border-radius:16px; padding:14px 20px; box-shadow:0 2px 8px rgba(80,40,20,.08); margin-bottom:22px; }
form.filters label { font-weight:600; }
form.filters select, form.filters input { font:inherit; padding:6px 10px; border:2px solid var(--sand);
               border-radius:10px; background:#fffdf9; color:var(--ink); }
form.filters button { font:inherit; font-weight:700; background:var(--teal); color:#fff; border:0;
               border-radius:12px; padding:8px 22px; }
.tiles { display:grid; grid-template-columns:repeat(4,1fr); gap:18px; margin-bottom:26px; }
.tile { background:var(--paper); border-radius:18px; padding:16px 20px 18px; box-shadow:0 2px 8px rgba(80,40,20,.08);
        border-top:8px solid var(--ochre); }
.tile.now { border-top-color:var(--teal); }
.tile.key { border-top-color:var(--terracotta); }
.tile .when { font-size:14px; text-transform:uppercase; letter-spacing:.05em; color:var(--soft); }
.tile .figure { font-size:46px; font-weight:700; line-height:1.1; margin:4px 0 2px; }
.tile .label { font-size:19px; font-weight:600; }
.tile .note { font-size:15px; color:var(--soft); }
.charts { display:grid; grid-template-columns:repeat(3,1fr); gap:18px; margin-bottom:26px; }
.card { background:var(--paper); border-radius:18px; padding:16px 18px; box-shadow:0 2px 8px rgba(80,40,20,.08); }
.card h2 { margin:0 0 8px; font-size:21px; }
svg.chart { width:100%; height:auto; display:block; }
svg.chart text { font-family:"Noto Sans","DejaVu Sans",sans-serif; fill:#3b2a26; }
svg.chart .value { font-size:16px; font-weight:700; text-anchor:middle; }
svg.chart .period { font-size:15px; text-anchor:middle; fill:#7a625b; }
svg.chart .legend { font-size:15px; }
svg.chart .axis { stroke:#d9c3ab; stroke-width:2; }
table { width:100%; border-collapse:collapse; font-size:17px; }
th, td { padding:8px 10px; text-align:right; border-bottom:1px solid var(--sand); }
th:first-child, td:first-child { text-align:left; }
thead th { background:var(--sand); font-weight:700; }
tbody tr:nth-child(even) { background:#fffaf3; }
section.card { margin-bottom:22px; }
p.empty { color:var(--soft); font-style:italic; }
footer { color:var(--soft); font-size:15px; padding:0 40px 30px; max-width:1400px; margin:0 auto; }
@media (max-width: 1100px) { .tiles { grid-template-columns:repeat(2,1fr); } .charts { grid-template-columns:1fr; } }
)css";

std::string head(const Strings& w, const std::string& title) {
    return "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" +
           esc(title) + " · " + esc(w.get("central.indicators.brand")) + "</title><style>" + kStyle +
           "</style></head><body>";
}

std::string tile(const char* cls, const std::string& figureId, const std::string& when,
                 const std::string& value, const std::string& label, const std::string& note) {
    return std::string("<div class=\"tile ") + cls + "\"><div class=\"when\">" + esc(when) +
           "</div><div class=\"figure\" data-figure=\"" + figureId + "\">" + value +
           "</div><div class=\"label\">" + esc(label) + "</div><div class=\"note\">" + esc(note) +
           "</div></div>";
}

std::string option(const std::string& value, const std::string& text, bool selected) {
    return "<option value=\"" + esc(value) + "\"" + (selected ? " selected" : "") + ">" + esc(text) +
           "</option>";
}

std::string rateText(const IndicatorRow& r) {
    return r.noShowBase ? frenchDecimal(r.noShowRate() * 100, 1) + "\u00A0%" : "–";
}
std::string feedbackText(const IndicatorRow& r) {
    return r.feedbackCount ? frenchDecimal(r.feedbackAverage(), 1) : "–";
}

/// The figures of one row as table cells, each tagged with what it is (the browser test reads them).
std::string figureCells(const IndicatorRow& r, const std::string& rowId) {
    auto cell = [&](const char* figure, const std::string& text) {
        return "<td data-row=\"" + esc(rowId) + "\" data-figure=\"" + figure + "\">" + text + "</td>";
    };
    return cell("partners", frenchInt(r.partnerOrganisations)) +
           cell("participations", frenchInt(r.participations)) +
           cell("engaged", frenchInt(r.citizensEngaged)) + cell("ready", frenchInt(r.citizensReady)) +
           cell("hours", frenchDecimal(r.hours, 1)) + cell("no_show_rate", rateText(r)) +
           cell("feedback", feedbackText(r));
}

std::string figureHeaders(const Strings& w, const std::string& first) {
    std::string h = "<thead><tr><th>" + esc(first) + "</th>";
    for (const char* k :
         {"partners", "participations", "engaged", "ready", "hours", "no_show_rate", "feedback_short"})
        h += "<th>" + esc(w.get(std::string("central.indicators.") + k)) + "</th>";
    return h + "</tr></thead>";
}

} // namespace

std::string messagePage(const Strings& w, const std::string& title, const std::string& text) {
    return head(w, title) + "<header class=\"band\"><div class=\"brand\">" +
           esc(w.get("central.indicators.brand")) + "</div><h1>" + esc(title) +
           "</h1></header><main><section class=\"card\"><p>" + esc(text) + "</p><p><a href=\"/indicators\">" +
           esc(w.get("central.indicators.back")) + "</a></p></section></main></body></html>\n";
}

std::string indicatorsPage(const IndicatorReport& report, const Strings& w) {
    const auto& q = report.query;
    static const IndicatorRow kEmpty{};
    const IndicatorRow* nowRow = report.byPeriod.find("", Dimension::All);
    const IndicatorRow* totalRow = report.total.find("total", Dimension::All);
    const IndicatorRow& now = nowRow ? *nowRow : kEmpty;
    const IndicatorRow& total = totalRow ? *totalRow : kEmpty;

    std::string title = w.get("central.indicators.title");
    std::string scope = q.range.from.empty()
                            ? w.get("central.indicators.scope_all")
                            : w.format("central.indicators.scope", {{"from", frenchDateText(q.range.from, w)},
                                                                    {"to", frenchDateText(q.range.to, w)}});
    std::string page = head(w, title);
    page += "<header class=\"band\"><div class=\"brand\">" + esc(w.get("central.indicators.brand")) +
            "</div><h1>" + esc(title) + "</h1><p>" + esc(scope) + "</p></header><main>";

    // The filter form: a plain GET form, works without any script.
    std::string by = q.groupings.count(Dimension::Theme)           ? "theme"
                     : q.groupings.count(Dimension::Neighbourhood) ? "neighbourhood"
                     : q.groupings.count(Dimension::Kiosk)         ? "kiosk"
                                                                   : "";
    page += "<form class=\"filters\" method=\"get\" action=\"/indicators\">";
    page += "<label for=\"period\">" + esc(w.get("central.indicators.form.period")) +
            "</label><select id=\"period\" name=\"period\">" +
            option("month", w.get("central.indicators.form.month"), q.period == Period::Month) +
            option("week", w.get("central.indicators.form.week"), q.period == Period::Week) + "</select>";
    page +=
        "<label for=\"by\">" + esc(w.get("central.indicators.form.by")) +
        "</label><select id=\"by\" name=\"by\">" +
        option("", w.get("central.indicators.form.by_none"), by.empty()) +
        option("theme", w.get("central.indicators.form.by_theme"), by == "theme") +
        option("neighbourhood", w.get("central.indicators.form.by_neighbourhood"), by == "neighbourhood") +
        option("kiosk", w.get("central.indicators.form.by_kiosk"), by == "kiosk") + "</select>";
    page += "<label for=\"from\">" + esc(w.get("central.indicators.form.from")) +
            "</label><input type=\"date\" id=\"from\" name=\"from\" value=\"" + esc(q.range.from) + "\">";
    page += "<label for=\"to\">" + esc(w.get("central.indicators.form.to")) +
            "</label><input type=\"date\" id=\"to\" name=\"to\" value=\"" + esc(q.range.to) + "\">";
    page += "<button type=\"submit\">" + esc(w.get("central.indicators.form.show")) + "</button></form>";

    // The four steering numbers first, then the others.
    std::string today = w.get("central.indicators.now"), range = w.get("central.indicators.over_range");
    page += "<section class=\"tiles\">";
    page += tile("now", "partners", today, frenchInt(now.partnerOrganisations),
                 w.get("central.indicators.partners"), w.get("central.indicators.partners_note"));
    page += tile("now", "open_offers", today, frenchInt(now.openOffers),
                 w.get("central.indicators.open_offers"), w.get("central.indicators.open_offers_note"));
    page += tile("key", "participations", range, frenchInt(total.participations),
                 w.get("central.indicators.participations"), w.get("central.indicators.participations_note"));
    page += tile("key", "engaged", range, frenchInt(total.citizensEngaged),
                 w.get("central.indicators.engaged"), w.get("central.indicators.engaged_note"));
    page += tile("key", "ready", range, frenchInt(total.citizensReady), w.get("central.indicators.ready"),
                 w.get("central.indicators.ready_note"));
    page += tile("", "hours", range, frenchDecimal(total.hours, 1), w.get("central.indicators.hours"),
                 w.get("central.indicators.hours_note"));
    page += tile("", "no_show_rate", range, rateText(total), w.get("central.indicators.no_show_rate"),
                 w.plural("central.indicators.no_show_note", total.noShows));
    page += tile("", "feedback", range, feedbackText(total), w.get("central.indicators.feedback"),
                 w.plural("central.indicators.feedback_note", total.feedbackCount));
    page += "</section>";

    // Charts: every period of the range, the last 24 when there are more.
    auto periods = periodsOf(q, report.byPeriod);
    if (periods.size() > 24) periods.erase(periods.begin(), periods.end() - 24);
    std::vector<std::string> labels;
    Series participations{w.get("central.indicators.participations"), "#c8553d", {}, false};
    Series engaged{w.get("central.indicators.engaged"), "#2a7f6f", {}, false};
    Series ready{w.get("central.indicators.ready"), "#e9a23b", {}, false};
    Series hours{w.get("central.indicators.hours"), "#b5651d", {}, true};
    for (const auto& p : periods) {
        labels.push_back(periodLabel(p, w));
        const IndicatorRow* r = report.byPeriod.find(p, Dimension::All);
        const IndicatorRow& row = r ? *r : kEmpty;
        participations.values.push_back(row.participations);
        engaged.values.push_back(row.citizensEngaged);
        ready.values.push_back(row.citizensReady);
        hours.values.push_back(row.hours);
    }
    page += "<section class=\"charts\">";
    page += "<div class=\"card\"><h2>" + esc(w.get("central.indicators.chart.participations")) + "</h2>" +
            barChart("chart-participations", w.get("central.indicators.chart.participations"), labels,
                     {participations}) +
            "</div>";
    page += "<div class=\"card\"><h2>" + esc(w.get("central.indicators.chart.citizens")) + "</h2>" +
            barChart("chart-citizens", w.get("central.indicators.chart.citizens"), labels, {engaged, ready}) +
            "</div>";
    page += "<div class=\"card\"><h2>" + esc(w.get("central.indicators.chart.hours")) + "</h2>" +
            barChart("chart-hours", w.get("central.indicators.chart.hours"), labels, {hours}) + "</div>";
    page += "</section>";

    // Period by period.
    page += "<section class=\"card\"><h2>" + esc(w.get("central.indicators.table.title")) + "</h2>";
    bool any = false;
    std::string body;
    for (const auto& r : report.byPeriod.rows) {
        if (r.period.empty() || r.dimension != Dimension::All) continue;
        any = true;
        body =
            "<tr><td>" + esc(periodLabel(r.period, w)) + "</td>" + figureCells(r, r.period) + "</tr>" + body;
    }
    if (any)
        page += "<table>" + figureHeaders(w, w.get("central.indicators.table.period")) + "<tbody>" + body +
                "</tbody></table>";
    else
        page += "<p class=\"empty\">" + esc(w.get("central.indicators.empty")) + "</p>";
    page += "</section>";

    // The grouping asked for, over the whole range.
    for (Dimension d : q.groupings) {
        std::string key = std::string("central.indicators.by_title.") + toString(d);
        page += "<section class=\"card\"><h2>" + esc(w.get(key)) + "</h2>";
        std::vector<const IndicatorRow*> rows;
        for (const auto& r : report.total.rows)
            if (r.dimension == d) rows.push_back(&r);
        std::sort(rows.begin(), rows.end(), [&](const IndicatorRow* a, const IndicatorRow* b) {
            return std::tie(b->participations, a->key) < std::tie(a->participations, b->key);
        });
        if (rows.empty()) {
            page += "<p class=\"empty\">" + esc(w.get("central.indicators.empty")) + "</p></section>";
            continue;
        }
        page += "<table>" +
                figureHeaders(w, w.get(std::string("central.indicators.by_name.") + toString(d))) + "<tbody>";
        for (const auto* r : rows)
            page += "<tr><td>" + esc(report.label(d, r->key)) + "</td>" +
                    figureCells(*r, std::string(toString(d)) + ":" + r->key) + "</tr>";
        page += "</tbody></table></section>";
    }

    page += "</main><footer><p>" + esc(w.get("central.indicators.definitions")) + "</p><p>" +
            esc(w.format("central.indicators.generated",
                         {{"date", frenchDateText(report.generatedAt.substr(0, 10), w)},
                          {"time", report.generatedAt.substr(11, 5)}})) +
            "</p></footer></body></html>\n";
    return page;
}

// [SECTION] accounts of the page

bool isAdminName(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::optional<std::string> passwordProblem(std::string_view password) {
    if (password.size() < 12) return "a password has at least 12 characters";
    if (password.size() > 1024) return "a password has at most 1024 bytes";
    if (!isValidUtf8(password)) return "a password is UTF-8 text";
    for (char c : password)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "a password holds no control character";
    return std::nullopt;
}

std::string hashAdminPassword(const std::string& password) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    std::array<char, crypto_pwhash_STRBYTES> out{};
    // OWASP's Argon2id floor (19 MiB, 2 passes): the server checks one password at a time and
    // stays small (its memory target under attack is 64 MiB).
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), 2, std::size_t{19} << 20) != 0)
        throw std::runtime_error("not enough memory to hash the password");
    return out.data();
}

AdminCheck AdminCredentials::check(const std::string& header) {
    const std::string prefix = "Basic ";
    if (sodium_init() < 0) return AdminCheck::Refused;
    if (header.size() <= prefix.size() || header.size() > 2048 ||
        header.compare(0, prefix.size(), prefix) != 0)
        return AdminCheck::Refused;
    std::string encoded = header.substr(prefix.size());
    std::string decoded(encoded.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), encoded.c_str(),
                          encoded.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return AdminCheck::Refused;
    decoded.resize(len);
    auto colon = decoded.find(':');
    if (colon == std::string::npos) return AdminCheck::Refused;
    std::string name = decoded.substr(0, colon), password = decoded.substr(colon + 1);
    sodium_memzero(decoded.data(), decoded.size());
    bool known = isAdminName(name) && !passwordProblem(password);
    auto stored = known ? m_storage.adminPasswordHash(name) : std::nullopt;

    // Remembered by a keyed hash of the credentials and of the stored hash: a changed password
    // or a removed account is not let in by the memory.
    std::string cacheId;
    auto nowTime = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_mutex);
        if (m_cacheKey.empty()) {
            m_cacheKey.resize(crypto_generichash_KEYBYTES);
            randombytes_buf(m_cacheKey.data(), m_cacheKey.size());
        }
        std::string material = name + '\n' + password + '\n' + stored.value_or("");
        std::array<unsigned char, crypto_generichash_BYTES> digest{};
        crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(material.data()),
                           material.size(), reinterpret_cast<const unsigned char*>(m_cacheKey.data()),
                           m_cacheKey.size());
        sodium_memzero(material.data(), material.size());
        cacheId.assign(reinterpret_cast<const char*>(digest.data()), digest.size());
        std::erase_if(m_recent, [&](const auto& e) { return e.second < nowTime; });
        if (stored && m_recent.count(cacheId)) {
            sodium_memzero(password.data(), password.size());
            return AdminCheck::Ok;
        }
    }

    // One Argon2id check at a time, and no queue: a second one at the same moment is told to
    // come back (429), so password guesses never hold the workers that serve kiosks.
    std::unique_lock hashing(m_hashing, std::try_to_lock);
    if (!hashing.owns_lock()) {
        sodium_memzero(password.data(), password.size());
        return AdminCheck::Busy;
    }
    bool ok = false;
    if (stored) {
        ok = crypto_pwhash_str_verify(stored->c_str(), password.data(), password.size()) == 0;
    } else {
        // The same work for an unknown name: the answer's delay does not tell which names exist.
        if (m_dummyHash.empty()) m_dummyHash = hashAdminPassword("not-a-password-of-anyone");
        volatile int ignored = crypto_pwhash_str_verify(m_dummyHash.c_str(), password.data(), password.size());
        (void)ignored;
    }
    sodium_memzero(password.data(), password.size());
    if (!ok) return AdminCheck::Refused;
    std::lock_guard lock(m_mutex);
    if (m_recent.size() < 256) m_recent.emplace(cacheId, nowTime + std::chrono::minutes(5));
    return AdminCheck::Ok;
}

} // namespace comptoir::sync::central
