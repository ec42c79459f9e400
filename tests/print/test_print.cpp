// The printed take-away ticket: the PDF rendered back to pixels (pdftoppm) and its QR code read by
// libzbar; then the whole kiosk prints it through a throwaway cupsd whose queue's backend writes
// each job to a file. Starts external programs: registered in the non-sanitizer build only.
#include "comptoir/domain/ticket_pdf.hpp"
#include "comptoir/platform/printer.hpp"
#include "kiosk_harness.hpp"
#include "qr_decode.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace comptoir;
namespace fs = std::filesystem;

namespace {

const std::string kTicket = "Comptoir Citoyen d'Angers\nGrande collecte de Noël au supermarché\n"
                            "Quand : vendredi 4 décembre, 14 h – 18 h\nOù : Supermarché, place de l'Europe · "
                            "Monplaisir\nContact : La Table Ouverte, 02 41 00 11 02\nVotre code : GZT-AAU";

/// A cupsd of its own in a temp folder: own socket, own spool, and a queue "ticket" whose backend
/// (a shell script) copies each job to out/job-N.out.
struct ThrowawayCups {
    test::TempDir dir;
    pid_t pid = -1;
    std::string socket;

    ThrowawayCups() {
        const fs::path root = dir.path();
        for (const char* d :
             {"spool", "cache", "state", "tmp", "log", "out", "bin/backend", "bin/daemon", "bin/filter"})
            fs::create_directories(root / d);
        socket = (root / "cups.sock").string();
        test::writeFile(dir.file("cupsd.conf"),
                        "Listen " + socket +
                            "\nLogLevel warn\n<Location />\n  Order allow,deny\n"
                            "  Allow all\n</Location>\n<Location /admin>\n  Order allow,deny\n"
                            "  Allow all\n</Location>\n");
        const std::string r = root.string();
        test::writeFile(dir.file("cups-files.conf"),
                        "ServerRoot " + r + "\nServerBin " + r + "/bin\nRequestRoot " + r +
                            "/spool\nCacheDir " + r + "/cache\nStateDir " + r + "/state\nTempDir " + r +
                            "/tmp\nErrorLog " + r + "/log/error_log\nAccessLog " + r +
                            "/log/access_log\n"
                            "PageLog " +
                            r + "/log/page_log\n");
        // cupsd runs backends through its cups-exec helper, found under ServerBin.
        fs::copy_file("/usr/lib/cups/daemon/cups-exec", root / "bin/daemon/cups-exec");
        const std::string backend = dir.file("bin/backend/capture");
        test::writeFile(
            backend,
            "#!/bin/sh\n[ $# -eq 0 ] && { echo 'direct capture \"Unknown\" \"capture\"'; exit 0; }\n"
            "out=${DEVICE_URI#capture:}\n"
            "if [ -n \"$6\" ]; then cat \"$6\" > \"$out/job-$1.tmp\"; else cat > \"$out/job-$1.tmp\"; fi\n"
            "mv \"$out/job-$1.tmp\" \"$out/job-$1.out\"\n");
        // A backend only root may change runs as root; cupsd refuses group- or world-writable ones.
        ::chmod(backend.c_str(), 0700);
        for (const char* d : {"", "bin", "bin/backend", "bin/daemon", "bin/filter"})
            ::chmod((root / d).c_str(), 0755);
        pid = ::fork();
        if (pid == 0) {
            ::execlp("cupsd", "cupsd", "-f", "-c", dir.file("cupsd.conf").c_str(), "-s",
                     dir.file("cups-files.conf").c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 300 && !fs::exists(socket); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ::setenv("CUPS_SERVER", socket.c_str(), 1);
    }
    ~ThrowawayCups() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
        ::unsetenv("CUPS_SERVER");
    }
    [[nodiscard]] bool addQueue(const std::string& name) {
        std::string out;
        return test::runCommand("CUPS_SERVER='" + socket + "' lpadmin -p " + name +
                                    " -E -v capture:" + dir.file("out") + " 2>&1",
                                out) == 0;
    }
    /// The job's bytes once the backend wrote them (waits up to a minute: a slow machine is fine).
    [[nodiscard]] std::string job(int id) const {
        const std::string path = dir.file("out/job-" + std::to_string(id) + ".out");
        for (int i = 0; i < 1200 && !fs::exists(path); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return fs::exists(path) ? test::readFile(path) : std::string();
    }
};

std::vector<std::string> pdfQrCodes(const test::TempDir& dir, const std::string& pdf) {
    test::writeFile(dir.file("t.pdf"), pdf);
    std::string out;
    REQUIRE(test::runCommand("pdftoppm -r 200 -png -singlefile '" + dir.file("t.pdf") + "' '" +
                                 dir.file("t") + "' 2>&1",
                             out) == 0);
    return test::decodeQrPng(dir.file("t.png"));
}

} // namespace

TEST_CASE("the ticket PDF is one receipt-wide page whose QR code reads back the ticket") {
    test::TempDir dir;
    for (int width : {58, 80}) {
        std::string pdf = ticketPdf(kTicket, width);
        REQUIRE(pdf.rfind("%PDF-1.4", 0) == 0);
        // 58 mm = 164.41 pt, 80 mm = 226.77 pt
        CHECK(pdf.find(width == 58 ? "/MediaBox [0 0 164.41 " : "/MediaBox [0 0 226.77 ") !=
              std::string::npos);
        auto codes = pdfQrCodes(dir, pdf);
        REQUIRE(codes.size() == 1);
        CHECK(codes[0] == kTicket);
    }
    CHECK(ticketPdf(kTicket, 100).empty());
    CHECK(ticketPdf("", 58).empty());
}

TEST_CASE("a ticket sent to a CUPS queue arrives as the same PDF; a missing queue is an error, not a crash") {
    ThrowawayCups cups;
    REQUIRE(fs::exists(cups.socket));
    REQUIRE(cups.addQueue("ticket"));
    const std::string pdf = ticketPdf(kTicket, 58);
    auto r = platform::printPdf("ticket", pdf, "Comptoir");
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(cups.job(r.jobId) == pdf);

    auto missing = platform::printPdf("no-such-queue", pdf, "Comptoir");
    CHECK_FALSE(missing.ok);
    CHECK_FALSE(missing.error.empty());
}

TEST_CASE(
    "Imprimer on the confirmation prints the ticket of the QR code; a dead printer gets a kind message") {
    ThrowawayCups cups;
    REQUIRE(cups.addQueue("ticket"));
    test::KioskHarness k({1280, 800}, 90, [](KioskConfig& c) {
        c.printerQueue = "ticket";
        c.printerWidthMm = 58;
    });
    REQUIRE(k.run(test::kToConsent + R"(tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
tap "Imprimer"
expect "C'est imprimé. Prenez votre ticket."
absent "Imprimer"
)") == "");
    std::string pdf = cups.job(1);
    REQUIRE_FALSE(pdf.empty());
    auto codes = pdfQrCodes(cups.dir, pdf);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].find("Votre code : " + k.session->state().reference) != std::string::npos);
    CHECK(codes[0].find("Camille") == std::string::npos);

    // The printer goes away: the visitor reads what to do instead, and may try again.
    REQUIRE(k.run(R"(tap "Terminer"
tap "Très bien"
tap "Retour à l'accueil"
)") == "");
    ::kill(cups.pid, SIGTERM);
    ::waitpid(cups.pid, nullptr, 0);
    cups.pid = -1;
    REQUIRE(k.run(test::kToConsent + R"(tap "J'ai compris et je suis d'accord"
tap "Valider"
tap "Imprimer"
expect "L'imprimante ne répond pas. Prenez le code en photo, ou demandez à l'accueil."
expect "Imprimer"
)") == "");
}

TEST_CASE("without a printer configured there is no Imprimer button") {
    test::KioskHarness k;
    REQUIRE(k.run(test::kToConsent + R"(tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
absent "Imprimer"
)") == "");
}
