// The printed take-away ticket: the PDF rendered back to pixels (pdftoppm) and its QR code read by
// libzbar; then the whole kiosk prints it through a throwaway cupsd whose queue's backend writes
// each job to a file. Starts external programs: registered in the non-sanitizer build only.
#include "comptoir/domain/ticket_pdf.hpp"
#include "comptoir/platform/printer.hpp"
#include "comptoir/ui/ticket_text.hpp"
#include "kiosk_harness.hpp"
#include "qr_decode.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
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

// The same ticket in Arabic and in Ukrainian (fictional text; the labels as the catalogues say them).
const std::string kTicketAr = "Comptoir Citoyen d'Angers\nGrande collecte de Noël au supermarché\n"
                              "متى: الجمعة 4 ديسمبر، 14 – 18\nأين: Supermarché, place de l'Europe\n"
                              "رمزكم: GZT-AAU";
const std::string kTicketUk = "Comptoir Citoyen d'Angers\nGrande collecte de Noël au supermarché\n"
                              "Коли: п’ятниця, 4 грудня, 14:00 – 18:00\nДе: Supermarché, place de l'Europe\n"
                              "Ваш код: GZT-AAU";

struct Grey {
    int width = 0, height = 0;
    std::string pixels;
    [[nodiscard]] int at(int x, int y) const {
        return static_cast<unsigned char>(
            pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                   static_cast<std::size_t>(x)]);
    }
};

/// A binary PGM (P5, maxval 255) as pdftoppm -gray writes it.
Grey readPgm(const std::string& path) {
    Grey g;
    std::string bytes = test::readFile(path);
    std::size_t pos = 0;
    auto token = [&] {
        while (pos < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[pos])))
            ++pos;
        std::size_t start = pos;
        while (pos < bytes.size() && !std::isspace(static_cast<unsigned char>(bytes[pos])))
            ++pos;
        return bytes.substr(start, pos - start);
    };
    REQUIRE(token() == "P5");
    g.width = std::stoi(token());
    g.height = std::stoi(token());
    REQUIRE(token() == "255");
    g.pixels = bytes.substr(pos + 1);
    REQUIRE(g.pixels.size() == static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
    return g;
}

/// Mean difference (0–255) between the text picture and the page pdftoppm drew from the PDF at
/// the picture's own resolution, the picture's top-left corner at the paper's 4 mm margin;
/// compared by blocks of 8 × 8 pixels (about 1 mm), since pdftoppm resamples the picture.
double meanDifference(const TicketImage& img, const Grey& page, double dpi) {
    constexpr int kBlock = 8;
    const int off = static_cast<int>(std::lround(4.0 / 25.4 * dpi));
    double sum = 0;
    long n = 0;
    for (int by = 0; by + kBlock <= img.height && by + kBlock + off <= page.height; by += kBlock)
        for (int bx = 0; bx + kBlock <= img.width && bx + kBlock + off <= page.width; bx += kBlock, ++n) {
            long ours = 0, printed = 0;
            for (int y = by; y < by + kBlock; ++y)
                for (int x = bx; x < bx + kBlock; ++x) {
                    ours += img.grey[static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) +
                                     static_cast<std::size_t>(x)];
                    printed += page.at(x + off, y + off);
                }
            sum += std::abs(static_cast<double>(ours - printed)) / (kBlock * kBlock);
        }
    return n == 0 ? 255.0 : sum / static_cast<double>(n);
}

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
    // Drawn with the kiosk's fonts, the French ticket's text can still be found and copied.
    const std::string drawn = ui::printableTicketPdf(kTicket, 80, false);
    REQUIRE(drawn.find("/Subtype /Image") != std::string::npos);
    test::writeFile(dir.file("fr.pdf"), drawn);
    std::string text;
    REQUIRE(test::runCommand("pdftotext '" + dir.file("fr.pdf") + "' - 2>&1", text) == 0);
    CHECK(text.find("Grande collecte de Noël au supermarché") != std::string::npos);
    CHECK(text.find("Votre code : GZT-AAU") != std::string::npos);
    auto codes = pdfQrCodes(dir, drawn);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0] == kTicket);
    // A picture that does not hold its pixels is refused, never read past its end.
    TicketImage bad{10, 10, std::vector<std::uint8_t>(50, 0)};
    CHECK(ticketPdf(kTicket, 58, bad).empty());
}

TEST_CASE("Arabic and Ukrainian tickets are drawn with real glyphs, not '?'") {
    const int widthPx = ticketTextWidthPx(58, ui::kTicketFontPx);
    REQUIRE(widthPx > 300);
    for (const auto* t : {&kTicket, &kTicketAr, &kTicketUk}) {
        INFO(*t);
        const TicketImage img = ui::ticketTextImage(*t, widthPx, ui::kTicketFontPx, t == &kTicketAr);
        REQUIRE(img.width == widthPx);
        CHECK(img.missingGlyphs == 0); // every letter found in Noto Sans or Noto Sans Arabic
        // The same number of '?' in place of each letter draws another picture.
        std::string marks;
        for (char ch : *t)
            if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) marks += ch == '\n' || ch == ' ' ? ch : '?';
        const TicketImage q = ui::ticketTextImage(marks, widthPx, ui::kTicketFontPx, t == &kTicketAr);
        REQUIRE(q.grey.size() <= img.grey.size());
        std::size_t same = 0;
        for (std::size_t i = 0; i < q.grey.size(); ++i)
            same += q.grey[i] == img.grey[i];
        CHECK(same < q.grey.size() * 97 / 100);
    }
    // Arabic is laid out from the right: the last column holds ink, the first ones none.
    const TicketImage ar = ui::ticketTextImage("متى: الجمعة", widthPx, ui::kTicketFontPx, true);
    auto inkInColumns = [&](int from, int to) {
        int ink = 0;
        for (int y = 0; y < ar.height; ++y)
            for (int x = from; x < to; ++x)
                ink += ar.grey[static_cast<std::size_t>(y * ar.width + x)] < 128;
        return ink;
    };
    CHECK(inkInColumns(ar.width - 40, ar.width) > 0);
    CHECK(inkInColumns(0, 40) == 0);
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

    // Arabic and Ukrainian: the printed page, drawn back by pdftoppm, is the text as the kiosk draws it.
    const int widthPx = ticketTextWidthPx(58, ui::kTicketFontPx);
    const double dpi = 72.0 * widthPx / ((58 - 8) * 72.0 / 25.4);
    for (const auto* t : {&kTicketAr, &kTicketUk}) {
        const bool rtl = t == &kTicketAr;
        INFO((rtl ? "ar" : "uk"));
        const std::string drawn = ui::printableTicketPdf(*t, 58, rtl);
        auto job = platform::printPdf("ticket", drawn, "Comptoir");
        REQUIRE(job.ok);
        const std::string printed = cups.job(job.jobId);
        REQUIRE(printed == drawn);
        test::writeFile(cups.dir.file("p.pdf"), printed);
        std::string out;
        REQUIRE(test::runCommand("pdftoppm -gray -r " + std::to_string(dpi) + " -singlefile '" +
                                     cups.dir.file("p.pdf") + "' '" + cups.dir.file("p") + "' 2>&1",
                                 out) == 0);
        const Grey page = readPgm(cups.dir.file("p.pgm"));
        const TicketImage expected = ui::ticketTextImage(*t, widthPx, ui::kTicketFontPx, rtl);
        const double close = meanDifference(expected, page, dpi);
        // ... and not the Helvetica ticket, whose Arabic and Cyrillic letters were '?'
        test::writeFile(cups.dir.file("h.pdf"), ticketPdf(*t, 58));
        REQUIRE(test::runCommand("pdftoppm -gray -r " + std::to_string(dpi) + " -singlefile '" +
                                     cups.dir.file("h.pdf") + "' '" + cups.dir.file("h") + "' 2>&1",
                                 out) == 0);
        const double helvetica = meanDifference(expected, readPgm(cups.dir.file("h.pgm")), dpi);
        CAPTURE(close, helvetica);
        CHECK(close < 6.0);
        CHECK(helvetica > 3 * close);
    }

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
