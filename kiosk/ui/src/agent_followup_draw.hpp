#pragma once
// Small drawing helpers shared by the agent follow-up screens (not a public header).

#include "comptoir/ui/agent_followup.hpp"

#include <imgui.h>
#include <optional>
#include <string>

namespace comptoir::ui::followup {

/// Text at the cursor, wrapped to `width`, recorded for scripted `expect`; returns its height.
float text(AgentFrame& f, ImFont* font, const std::string& s, float width, ImU32 colour);
/// Room between blocks.
void gap(AgentFrame& f, float designPixels = 16);
/// Width available from the cursor to the window's right margin.
float available(AgentFrame& f);
/// A typed text's box at the cursor, `lines` high: wrapped when more than one line, the end of
/// the text in view when it grows past the box.
void textBox(AgentFrame& f, const std::string& typed, float width, int lines);
/// The on-screen keyboard from the cursor down, in the room left; the key tapped, if any.
std::optional<KeyPress> keyboardBelow(AgentFrame& f, KeyboardLayout layout, KeyboardState& keyboard,
                                      float width);
/// A row of buttons; returns the index tapped, or -1.
int buttonRow(AgentFrame& f, const std::vector<std::string>& labels, ButtonKind kind, float width);

} // namespace comptoir::ui::followup
