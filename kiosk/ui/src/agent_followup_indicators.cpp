// Agent follow-up: the pilotage indicators, headline figures and a bar + line chart drawn with
// Dear ImGui's draw lists (no plotting library in Debian 12).
#include "agent_followup_draw.hpp"

#include <algorithm>
#include <cmath>

namespace comptoir::ui {

using namespace followup;

IndicatorsVm buildIndicatorsVm(const Indicators& ind, std::size_t periods) {
    IndicatorsVm vm;
    vm.period = ind.period;
    std::vector<const IndicatorRow*> all;
    for (const auto& r : ind.rows) {
        if (r.dimension != Dimension::All) continue;
        if (r.period.empty())
            vm.now = r;
        else
            all.push_back(&r);
    }
    std::size_t first = all.size() > periods ? all.size() - periods : 0;
    for (std::size_t i = first; i < all.size(); ++i) {
        vm.labels.push_back(all[i]->period);
        vm.participations.push_back(all[i]->participations);
        vm.hours.push_back(all[i]->hours);
    }
    if (!all.empty()) vm.latest = *all.back();
    return vm;
}

namespace {
/// A round maximum for a scale: 1, 2, 5, 10, 20, 50…
double niceMax(double v) {
    if (v <= 0) return 1;
    double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (v <= m * p) return m * p;
    return 10 * p;
}
} // namespace

void drawBarLineChart(ImDrawList* dl, const Look& look, ImVec2 pos, ImVec2 size,
                      const std::vector<std::string>& labels, const std::vector<double>& bars,
                      const std::vector<double>& line) {
    const Palette& p = look.palette;
    ImFont* small = look.fonts.small;
    float labelH = small->FontSize + look.px(8);
    float axisW = look.px(48);
    ImVec2 plotMin(pos.x + axisW, pos.y + look.px(8));
    ImVec2 plotMax(pos.x + size.x - axisW, pos.y + size.y - labelH);
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.surface, look.px(12));
    std::size_t n = std::min(labels.size(), std::min(bars.size(), line.size()));
    double barMax = niceMax(n ? *std::max_element(bars.begin(), bars.begin() + static_cast<long>(n)) : 0);
    double lineMax = niceMax(n ? *std::max_element(line.begin(), line.begin() + static_cast<long>(n)) : 0);
    // Grid lines with both scales: bars on the left, the line on the right.
    for (int g = 0; g <= 4; ++g) {
        float y = plotMax.y - (plotMax.y - plotMin.y) * static_cast<float>(g) / 4.0f;
        dl->AddLine(ImVec2(plotMin.x, y), ImVec2(plotMax.x, y), p.outline, look.px(1));
        std::string left = frenchDecimal(barMax * g / 4, 1);
        std::string right = frenchDecimal(lineMax * g / 4, 1);
        ImVec2 lw = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, left.c_str());
        (void)addText(dl, false, small, ImVec2(plotMin.x - lw.x - look.px(6), y - lw.y * 0.5f), p.accent,
                      left);
        (void)addText(dl, false, small, ImVec2(plotMax.x + look.px(6), y - lw.y * 0.5f), p.ink, right);
    }
    if (n == 0) return;
    float slot = (plotMax.x - plotMin.x) / static_cast<float>(n);
    float barW = std::max(look.px(4), slot * 0.6f);
    std::vector<ImVec2> points;
    for (std::size_t i = 0; i < n; ++i) {
        float cx = plotMin.x + slot * (static_cast<float>(i) + 0.5f);
        float bh = static_cast<float>(bars[i] / barMax) * (plotMax.y - plotMin.y);
        dl->AddRectFilled(ImVec2(cx - barW * 0.5f, plotMax.y - bh), ImVec2(cx + barW * 0.5f, plotMax.y),
                          p.accent, look.px(4), ImDrawFlags_RoundCornersTop);
        float ly = plotMax.y - static_cast<float>(line[i] / lineMax) * (plotMax.y - plotMin.y);
        points.emplace_back(cx, ly);
        // Labels thin out when they would overlap.
        std::size_t every =
            std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(look.px(90) / std::max(slot, 1.0f))));
        if (i % every == 0) {
            ImVec2 tw = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, labels[i].c_str());
            (void)addText(dl, false, small, ImVec2(cx - tw.x * 0.5f, plotMax.y + look.px(4)), p.inkSoft,
                          labels[i]);
        }
    }
    dl->AddPolyline(points.data(), static_cast<int>(points.size()), p.ink, ImDrawFlags_None, look.px(3));
    for (const auto& pt : points) {
        dl->AddCircleFilled(pt, look.px(6), p.ink);
        dl->AddCircleFilled(pt, look.px(3), p.surface);
    }
}

IndicatorsIntent drawIndicators(AgentFrame& f, const IndicatorsVm& vm) {
    IndicatorsIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("indicators.title"), w, p.ink);
    gap(f, 8);
    int tapped = buttonRow(f,
                           {f.s.get("indicators.by_week"), f.s.get("indicators.by_month"),
                            f.s.get("indicators.export"), f.s.get("followup.back")},
                           ButtonKind::Secondary, w);
    if (tapped == 0) intent.kind = IndicatorsIntent::Kind::ByWeek;
    if (tapped == 1) intent.kind = IndicatorsIntent::Kind::ByMonth;
    if (tapped == 2) intent.kind = IndicatorsIntent::Kind::Export;
    if (tapped == 3) intent.kind = IndicatorsIntent::Kind::Back;
    if (!vm.message.empty()) text(f, f.look.fonts.body, vm.message, w, p.inkSoft);
    gap(f);

    // Headline tiles: the four numbers the CCAS steers with, then the follow-up's own.
    struct Tile {
        std::string label, value;
    };
    const IndicatorRow& r = vm.latest;
    std::vector<Tile> tiles = {
        {f.s.get("indicators.partners"), std::to_string(vm.now.partnerOrganisations)},
        {f.s.get("indicators.open_offers"), std::to_string(vm.now.openOffers)},
        {f.s.get("indicators.participations"), std::to_string(r.participations)},
        {f.s.get("indicators.engaged"), std::to_string(r.citizensEngaged)},
        {f.s.get("indicators.ready"), std::to_string(r.citizensReady)},
        {f.s.get("indicators.hours"), frenchDecimal(r.hours, 1)},
        {f.s.get("indicators.no_show_rate"),
         r.noShowBase ? frenchDecimal(r.noShowRate() * 100, 0) + " %" : "—"},
        {f.s.get("indicators.feedback"), r.feedbackCount ? frenchDecimal(r.feedbackAverage(), 1) : "—"},
    };
    const int perRow = 4;
    float spacing = f.look.px(12);
    float tileW = (w - spacing * (perRow - 1)) / perRow;
    float tileH = f.look.px(96);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        float x = origin.x + static_cast<float>(i % perRow) * (tileW + spacing);
        float y = origin.y + static_cast<float>(i / perRow) * (tileH + spacing);
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + tileW, y + tileH), p.surface, f.look.px(12));
        if (p.highContrast) dl->AddRect(ImVec2(x, y), ImVec2(x + tileW, y + tileH), p.ink, f.look.px(12));
        ImFont* big = f.look.fonts.title;
        (void)addText(dl, false, big, ImVec2(x + f.look.px(14), y + f.look.px(10)), p.ink, tiles[i].value);
        (void)addText(dl, false, f.look.fonts.small,
                      ImVec2(x + f.look.px(14), y + tileH - f.look.fonts.small->FontSize - f.look.px(12)),
                      p.inkSoft, tiles[i].label);
        f.reg.recordText(tiles[i].label + " " + tiles[i].value, ImVec2(x, y), ImVec2(x + tileW, y + tileH));
    }
    std::size_t rows = (tiles.size() + perRow - 1) / perRow;
    ImGui::Dummy(ImVec2(w, static_cast<float>(rows) * (tileH + spacing)));
    gap(f, 4);
    text(f, f.look.fonts.small,
         f.s.get("indicators.chart.bars") + "   ·   " + f.s.get("indicators.chart.line"), w, p.inkSoft);
    float chartH = std::max(f.look.px(200), ImGui::GetContentRegionAvail().y - f.look.px(8));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    drawBarLineChart(dl, f.look, pos, ImVec2(w, chartH), vm.labels, vm.participations, vm.hours);
    ImGui::Dummy(ImVec2(w, chartH));
    return intent;
}

} // namespace comptoir::ui
