#pragma once
/// @brief Readiness and the watchdog for systemd (sd_notify): READY=1 once the kiosk shows its
/// first screen, WATCHDOG=1 only while frames really progress, so a frozen kiosk is restarted.
/// Without $NOTIFY_SOCKET (the dev tree, tests) every call does nothing.

#include <chrono>
#include <string>

namespace comptoir::system {

class Notifier {
  public:
    /// Reads $NOTIFY_SOCKET and $WATCHDOG_USEC. The kiosk runs as cage's child, so systemd's
    /// WATCHDOG_PID names cage, not us: it is not checked (the unit says NotifyAccess=all).
    Notifier();

    [[nodiscard]] bool active() const { return m_active; }
    /// Zero when systemd expects no watchdog pings.
    [[nodiscard]] std::chrono::microseconds watchdogInterval() const { return m_interval; }
    /// How long the UI loop may sleep and still ping in time (half the interval); zero: no limit.
    [[nodiscard]] std::chrono::milliseconds maxSleep() const;

    void ready(const std::string& status);
    /// One ping after a frame was drawn; sent at most every quarter interval.
    void framed(std::chrono::steady_clock::time_point now);
    void stopping();

  private:
    void send(const std::string& message);
    bool m_active = false;
    std::chrono::microseconds m_interval{0};
    std::chrono::steady_clock::time_point m_lastPing{};
};

} // namespace comptoir::system
