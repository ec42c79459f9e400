#include "comptoir/system/backlight.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <spdlog/spdlog.h>

namespace fs = std::filesystem;

namespace comptoir::system {

namespace {

/// A whole number from a sysfs attribute; -1 when it cannot be read.
long readLevel(const fs::path& file) {
    std::ifstream in(file);
    long v = -1;
    if (!(in >> v) || v < 0) return -1;
    return v;
}

bool writeLevel(const std::string& file, long level) {
    std::ofstream out(file, std::ios::trunc);
    if (!out) return false;
    out << level << '\n';
    out.flush();
    return static_cast<bool>(out);
}

} // namespace

Backlight::Backlight(std::string root) : m_root(std::move(root)) {}

Backlight::~Backlight() {
    restore();
}

bool Backlight::dim(double fraction) {
    if (dimmed()) return true;
    std::error_code ec;
    fs::directory_iterator it(m_root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        fs::path brightness = it->path() / "brightness";
        long max = readLevel(it->path() / "max_brightness"), now = readLevel(brightness);
        if (max <= 0 || now < 0) continue;
        long low = std::clamp(std::lround(static_cast<double>(max) * fraction), 1L, std::max(now, 1L));
        if (low >= now) continue;
        if (!writeLevel(brightness.string(), low)) continue; // not ours to change: the dim screen is enough
        m_saved.push_back({brightness.string(), now});
    }
    if (dimmed()) spdlog::info("night: backlight lowered ({} screen(s))", m_saved.size());
    return dimmed();
}

void Backlight::restore() {
    for (const auto& s : m_saved)
        if (!writeLevel(s.file, s.level)) spdlog::warn("night: backlight {} could not be put back", s.file);
    m_saved.clear();
}

} // namespace comptoir::system
