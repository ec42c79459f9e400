// comptoir-kiosk: the touch kiosk of the Comptoir Citoyen. Only wiring lives here.
#include "comptoir/app/agent_cli.hpp"
#include "comptoir/app/kiosk_app.hpp"
#include "comptoir/app/options.hpp"

#include <cstdio>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    auto started = std::chrono::steady_clock::now();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "agent") {
        try {
            return comptoir::app::runAgentCommand({args.begin() + 1, args.end()}, std::cin, std::cout,
                                                  std::cerr);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "comptoir-kiosk agent: %s\n", e.what());
            return 1;
        }
    }
    auto parsed = comptoir::app::parseOptions(args);
    if (!parsed.options) {
        std::fprintf(stderr, "comptoir-kiosk: %s\n%s", parsed.error.c_str(), comptoir::app::usage());
        return 2;
    }
    if (parsed.options->help) {
        std::fputs(comptoir::app::usage(), stdout);
        return 0;
    }
    try {
        return comptoir::app::runKiosk(*parsed.options, started);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "comptoir-kiosk: %s\n", e.what());
        return 1;
    }
}
