#include "comptoir/platform/printer.hpp"

#include <cups/cups.h>
#include <memory>

namespace comptoir::platform {

PrintResult printPdf(const std::string& queue, const std::string& pdf, const std::string& title,
                     double timeoutSeconds) {
    PrintResult r;
    if (queue.empty() || pdf.empty()) {
        r.error = "no queue or empty document";
        return r;
    }
    // An own connection (not CUPS_HTTP_DEFAULT) so that the connect and every read are bounded: a
    // printer server that hangs must not keep the ticket "printing" forever.
    int cancel = 0;
    std::unique_ptr<http_t, decltype(&httpClose)> http(
        httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1,
                     static_cast<int>(timeoutSeconds * 1000), &cancel),
        &httpClose);
    if (!http) {
        r.error = std::string("cannot reach the print server: ") + cupsLastErrorString();
        return r;
    }
    httpSetTimeout(http.get(), timeoutSeconds, nullptr, nullptr);
    const int job = cupsCreateJob(http.get(), queue.c_str(), title.c_str(), 0, nullptr);
    if (job == 0) {
        r.error = std::string("the queue refused the job: ") + cupsLastErrorString();
        return r;
    }
    if (cupsStartDocument(http.get(), queue.c_str(), job, "ticket.pdf", CUPS_FORMAT_PDF, 1) !=
            HTTP_STATUS_CONTINUE ||
        cupsWriteRequestData(http.get(), pdf.data(), pdf.size()) != HTTP_STATUS_CONTINUE) {
        r.error = std::string("sending the ticket failed: ") + cupsLastErrorString();
        (void)cupsFinishDocument(http.get(), queue.c_str());
        (void)cupsCancelJob2(http.get(), queue.c_str(), job, 0);
        return r;
    }
    if (cupsFinishDocument(http.get(), queue.c_str()) > IPP_STATUS_OK_CONFLICTING) {
        r.error = std::string("the queue did not accept the ticket: ") + cupsLastErrorString();
        return r;
    }
    r.ok = true;
    r.jobId = job;
    return r;
}

} // namespace comptoir::platform
