#include "comptoir/system/notify.hpp"

#include <cstdlib>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace comptoir::system {

Notifier::Notifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    m_active = socket && *socket;
    if (!m_active) return;
    if (const char* usec = std::getenv("WATCHDOG_USEC"); usec && *usec) {
        char* end = nullptr;
        unsigned long long v = std::strtoull(usec, &end, 10);
        // Bounded: below 1 s or above a day is a mistake in the unit, not a watchdog to honour.
        if (end && *end == '\0' && v >= 1'000'000ULL && v <= 86'400'000'000ULL)
            m_interval = std::chrono::microseconds(v);
        else
            spdlog::warn("watchdog: WATCHDOG_USEC={} ignored (1 s to 1 day expected)", usec);
    }
}

std::chrono::milliseconds Notifier::maxSleep() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_interval / 2);
}

void Notifier::send(const std::string& message) {
    if (!m_active) return;
    if (int rc = sd_notify(0, message.c_str()); rc < 0) spdlog::warn("sd_notify failed: error {}", -rc);
}

void Notifier::ready(const std::string& status) {
    send("READY=1\nSTATUS=" + status);
}

void Notifier::framed(std::chrono::steady_clock::time_point now) {
    if (!m_active || m_interval.count() == 0) return;
    if (m_lastPing.time_since_epoch().count() != 0 && now - m_lastPing < m_interval / 4) return;
    m_lastPing = now;
    send("WATCHDOG=1");
}

void Notifier::stopping() {
    send("STOPPING=1");
}

} // namespace comptoir::system
