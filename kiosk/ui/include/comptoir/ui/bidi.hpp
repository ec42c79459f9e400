#pragma once
/// @brief Right-to-left text for a Dear ImGui that only draws left to right, one glyph per code point.
///
/// How Arabic is drawn (docs/languages.md): a right-to-left screen is laid out as usual, left to
/// right, then the whole frame is mirrored (platform::mirrorDrawData) — rows, buttons and
/// alignment come out from the right, and each glyph quad keeps its own orientation. Text is
/// prepared for that mirror: GNU FriBidi reorders it as a right-to-left paragraph (numbers and
/// Latin words stay left to right inside it) and joins Arabic letters into their presentation
/// forms (initial, medial, final, lam-alef), then the visual line is reversed so that the mirror
/// puts it back. Wrapped text is cut into lines in reading order first, then each line is prepared.

#include <imgui.h>
#include <string>
#include <string_view>

namespace comptoir::ui {

/// The visual order of one line, Arabic letters joined (as the reader sees it, left to right on
/// the screen): a right-to-left paragraph when the line holds a right-to-left letter, else left
/// to right ("A+" stays "A+"). Empty in, empty out; invalid UTF-8 is returned as is.
[[nodiscard]] std::string visualRtlLine(std::string_view logical);
/// What to draw left to right on a screen that will be mirrored: visualRtlLine, reversed.
[[nodiscard]] std::string mirroredLine(std::string_view logical);
/// True when the text holds a right-to-left letter (Hebrew, Arabic and their presentation forms).
[[nodiscard]] bool hasRtl(std::string_view text);

/// The line to hand to Dear ImGui: `text` itself on a left-to-right screen, its mirroredLine
/// (cached, bounded) on a right-to-left one. Valid until the next call with a new text fills the
/// cache past its bound — use it at once.
[[nodiscard]] const char* shown(bool rtl, const std::string& text);

/// AddText with wrapping that keeps the reading order on a right-to-left screen (lines cut from
/// the logical text, each one prepared). wrapWidth 0: one line; fontSize 0: the font's own.
/// Returns the height drawn. The kiosk's one way to draw text: the text is recorded, where visible, in the
/// frame's WidgetRegistry (widgets.hpp), so that a script's `expect` finds every text on screen.
float addText(ImDrawList* dl, bool rtl, ImFont* font, ImVec2 pos, ImU32 colour, const std::string& text,
              float wrapWidth = 0, const ImVec4* clip = nullptr, float fontSize = 0);
/// The size addText gives `text` (the same lines on a right-to-left screen, where cutting the
/// mirrored line instead would give other lines): width of the widest line, height of them all.
[[nodiscard]] ImVec2 measureText(bool rtl, ImFont* font, const std::string& text, float wrapWidth = 0,
                                 float fontSize = 0);
/// addText with the block centred on `centreX` (its width as Dear ImGui wraps it at wrapWidth).
/// Returns the height drawn.
float addCentredText(ImDrawList* dl, bool rtl, ImFont* font, float centreX, float y, ImU32 colour,
                     const std::string& text, float wrapWidth = 0);
/// addText at the cursor as one layout item, in the current font and text colour (what
/// ImGui::TextUnformatted would draw, recorded like any text): the cursor moves on below it.
void textItem(bool rtl, const std::string& text, float wrapWidth = 0);

} // namespace comptoir::ui
