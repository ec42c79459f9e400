#pragma once
/// @brief Arabic's size beside Latin, per text role (ui/theme.cpp, ui/ticket_text.cpp).

namespace comptoir::ui {

/// How much larger Noto Sans Arabic is drawn than Noto Sans at one pixel size, per role: at the
/// same size its letters' bodies are far smaller than Latin ones, and the smaller the text the
/// more the dots and joins need (docs/languages.md).
inline constexpr float kArabicScaleSmall = 1.55f;
inline constexpr float kArabicScaleBody = 1.4f;
inline constexpr float kArabicScaleBold = 1.3f;
inline constexpr float kArabicScaleTitle = 1.25f;

} // namespace comptoir::ui
