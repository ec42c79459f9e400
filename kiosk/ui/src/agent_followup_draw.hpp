#pragma once
// Small drawing helpers shared by the agent follow-up screens (not a public header).

#include "comptoir/ui/agent_followup.hpp"

#include <imgui.h>
#include <string>

namespace comptoir::ui::followup {

/// Text at the cursor, wrapped to `width`, recorded for scripted `expect`; returns its height.
float text(AgentFrame& f, ImFont* font, const std::string& s, float width, ImU32 colour);
/// Room between blocks.
void gap(AgentFrame& f, float designPixels = 16);
/// Width available from the cursor to the window's right margin.
float available(AgentFrame& f);
/// A row of buttons; returns the index tapped, or -1.
int buttonRow(AgentFrame& f, const std::vector<std::string>& labels, ButtonKind kind, float width);

} // namespace comptoir::ui::followup
