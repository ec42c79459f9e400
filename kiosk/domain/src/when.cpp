#include "comptoir/domain/when.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace comptoir {

std::string frenchTime(const std::string& hhmm) {
    if (hhmm.size() != 5) return hhmm;
    int h = std::atoi(hhmm.substr(0, 2).c_str());
    std::string m = hhmm.substr(3, 2);
    return std::to_string(h) + " h" + (m == "00" ? "" : " " + m);
}

std::string frenchDuration(double hours, const Strings& s) {
    // Whole minutes: "2 h 30", never "2.5 h"; under an hour, "45 min".
    long long minutes = std::llround(std::max(0.0, hours) * 60.0);
    long long h = minutes / 60, m = minutes % 60;
    if (h == 0) return s.format("duration.minutes", {{"m", std::to_string(m)}});
    if (m == 0) return s.format("duration.hours", {{"h", std::to_string(h)}});
    char mm[8];
    std::snprintf(mm, sizeof mm, "%02lld", m);
    return s.format("duration.hours_minutes", {{"h", std::to_string(h)}, {"mm", mm}});
}

std::string frenchDate(const std::string& date, const Strings& s) {
    if (date.size() < 10) return date;
    int day = std::atoi(date.substr(8, 2).c_str()), month = std::atoi(date.substr(5, 2).c_str());
    if (month < 1 || month > 12 || day < 1 || day > 31) return date;
    return (day == 1 ? s.get("date.first") : std::to_string(day)) + " " +
           s.get("month." + std::to_string(month));
}

int isoWeekday(const std::string& date) {
    if (date.size() < 10) return 0;
    using namespace std::chrono;
    year_month_day ymd{year{std::atoi(date.substr(0, 4).c_str())},
                       month{static_cast<unsigned>(std::atoi(date.substr(5, 2).c_str()))},
                       day{static_cast<unsigned>(std::atoi(date.substr(8, 2).c_str()))}};
    if (!ymd.ok()) return 0;
    return static_cast<int>(weekday{sys_days{ymd}}.iso_encoding());
}

namespace {

/// "samedi 5 décembre, 9 h – 12 h", followed by "(et N autres dates)" when `others` > 0.
std::string dateText(const DateRange& d, const Strings& s, long long others) {
    int wd = isoWeekday(d.start);
    return s.plural(others > 0 ? "when.date_more" : "when.date", others,
                    {{"weekday", wd ? s.get("weekday." + std::to_string(wd)) : std::string()},
                     {"day", std::to_string(std::atoi(d.start.substr(8, 2).c_str()))},
                     {"month", s.get("month." + std::to_string(std::atoi(d.start.substr(5, 2).c_str())))},
                     {"start", frenchTime(d.start.substr(11, 5))},
                     {"end", frenchTime(d.end.substr(11, 5))}});
}

/// "Chaque semaine, le mercredi de 14 h à 17 h".
std::string slotText(const Offer& o, const TimeSlot& sl, const Strings& s) {
    std::string freq = o.frequency == "monthly"       ? s.get("offer.every_month")
                       : o.frequency == "fortnightly" ? s.get("offer.every_fortnight")
                                                      : s.get("offer.every_week");
    return s.format("when.slot", {{"frequency", freq},
                                  {"weekday", s.get("weekday." + std::to_string(sl.weekday))},
                                  {"start", frenchTime(sl.start)},
                                  {"end", frenchTime(sl.end)}});
}

} // namespace

std::string describeWhen(const Offer& o, const Strings& s) {
    if (o.rhythm == Rhythm::OneOff && !o.dates.empty())
        return dateText(o.dates.front(), s, static_cast<long long>(o.dates.size()) - 1);
    if (o.rhythm == Rhythm::Regular && !o.slots.empty()) return slotText(o, o.slots.front(), s);
    // The publishing platform's own words ("2 heures par semaine") say more than "to be agreed".
    if (!o.schedule.empty()) return s.format("when.schedule", {{"schedule", o.schedule}});
    return s.get("offer.to_be_agreed");
}

std::vector<std::string> describeEachWhen(const Offer& o, const Strings& s, std::size_t maxLines) {
    std::vector<std::string> out;
    const std::size_t count = o.rhythm == Rhythm::OneOff    ? o.dates.size()
                              : o.rhythm == Rhythm::Regular ? o.slots.size()
                                                            : 0;
    if (count == 0 || maxLines == 0) return {describeWhen(o, s)};
    // A long list ends with how many more there are rather than pushing the rest of the offer away.
    const std::size_t shown = count <= maxLines ? count : maxLines - 1;
    for (std::size_t i = 0; i < shown; ++i)
        out.push_back(o.rhythm == Rhythm::OneOff ? dateText(o.dates[i], s, 0) : slotText(o, o.slots[i], s));
    if (shown < count) out.push_back(s.plural("when.more", static_cast<long long>(count - shown)));
    return out;
}

std::string describeDuration(const Offer& o, const Strings& s) {
    bool total = o.rhythm == Rhythm::Regular && o.durationHours >= 10;
    return s.format(total ? "offer.duration_total" : "offer.duration_hours",
                    {{"duration", frenchDuration(o.durationHours, s)}});
}

} // namespace comptoir
