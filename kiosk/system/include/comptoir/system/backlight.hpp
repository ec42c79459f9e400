#pragma once
/// @brief The screen's backlight (/sys/class/backlight/*/brightness): lowered at night when the
/// kiosk's user may write it (a udev rule, docs/operations.md), left alone otherwise. Never an
/// error: a kiosk without a controllable backlight just shows its dim screen.

#include <string>
#include <vector>

namespace comptoir::system {

class Backlight {
  public:
    explicit Backlight(std::string root = "/sys/class/backlight");
    Backlight(const Backlight&) = delete;
    Backlight& operator=(const Backlight&) = delete;
    /// Puts back what dim() lowered.
    ~Backlight();

    /// Lowers every writable backlight to `fraction` of its maximum (at least 1, never above
    /// its level now), remembering each level; true when at least one was lowered.
    bool dim(double fraction);
    /// Puts back the levels dim() found; nothing when nothing was lowered.
    void restore();
    [[nodiscard]] bool dimmed() const { return !m_saved.empty(); }

  private:
    struct Saved {
        std::string file;
        long level = 0;
    };
    std::string m_root;
    std::vector<Saved> m_saved;
};

} // namespace comptoir::system
