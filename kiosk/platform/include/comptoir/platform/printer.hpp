#pragma once
/// @brief Sends a document to a CUPS print queue (libcups), with bounded waits. Blocking: call it
/// off the UI thread.

#include <string>

namespace comptoir::platform {

struct PrintResult {
    bool ok = false;
    int jobId = 0;
    std::string error; ///< for the journal (no personal data in it); the visitor reads a kind sentence
};

/// Prints `pdf` (a PDF document) on `queue` of the CUPS server the environment names
/// (CUPS_SERVER, else the local scheduler). Gives up after about `timeoutSeconds` of silence.
[[nodiscard]] PrintResult printPdf(const std::string& queue, const std::string& pdf, const std::string& title,
                                   double timeoutSeconds = 10.0);

} // namespace comptoir::platform
