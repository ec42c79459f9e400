#pragma once
/// @brief Tiny helpers for benchmark programs: timing, percentiles, the output line format.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace comptoir::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

/// CPU time of the whole process (every thread), in ms. On a shared machine the wall time also
/// counts waiting for a core; this counts only the work.
inline double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// p in [0, 100]; nearest-rank percentile.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(rank, v.size() - 1)];
}

/// The one output format of scripts/bench: "<metric> <value> <unit>".
inline void report(const char* metric, double value, const char* unit) {
    std::printf("%s %.3f %s\n", metric, value, unit);
    std::fflush(stdout);
}

} // namespace comptoir::bench
