#pragma once
/// @brief `comptoir-kiosk agent add|enable|disable|list`: managing agents on the machine.
///
/// PINs are typed on the terminal with echo off, twice for a new one; never read from the
/// environment or a file. When standard input is not a terminal (tests, a provisioning pipe),
/// each PIN is the next line of standard input.

#include <iosfwd>
#include <string>
#include <vector>

namespace comptoir::app {

/// Runs `agent ...` (args after "agent"); returns the exit code (0 done, 1 refused, 2 usage or
/// configuration). Messages go to `out` (stdout) and `err` (stderr).
int runAgentCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                    std::ostream& err);

[[nodiscard]] const char* agentUsage();

} // namespace comptoir::app
