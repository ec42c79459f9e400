#include "comptoir/domain/ticket_pdf.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>

namespace comptoir {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kFontSize = 9.0;
constexpr double kLeading = 11.5;
constexpr double kMarginMm = 4.0;

/// UTF-8 to Windows-1252, the encoding of the standard PDF fonts; what it lacks becomes '?'.
std::string toWinAnsi(const std::string& utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        auto c = static_cast<unsigned char>(utf8[i]);
        unsigned cp = 0;
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + n > utf8.size()) n = 1;
        if (n == 1)
            cp = c < 0x80 ? c : '?';
        else {
            cp = c & (0xFF >> (n + 1));
            for (std::size_t k = 1; k < n; ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        }
        i += n;
        switch (cp) {
        case 0x2013:
            out += '\x96';
            continue; // –
        case 0x2014:
            out += '\x97';
            continue; // —
        case 0x2019:
            out += '\x92';
            continue; // ’
        case 0x2026:
            out += '\x85';
            continue; // …
        case 0x0153:
            out += '\x9C';
            continue; // œ
        case 0x0152:
            out += '\x8C';
            continue; // Œ
        case 0x20AC:
            out += '\x80';
            continue; // €
        default:
            break;
        }
        out += cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF) ? static_cast<char>(cp) : '?';
    }
    return out;
}

/// Greedy word wrap at `maxChars` characters (Helvetica's widest common letters make this safe).
std::vector<std::string> wrap(const std::string& line, std::size_t maxChars) {
    std::vector<std::string> out;
    std::string cur;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t sp = line.find(' ', start);
        std::string word = line.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
        while (word.size() > maxChars) { // a word longer than a line is cut
            if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
            out.push_back(word.substr(0, maxChars));
            word.erase(0, maxChars);
        }
        if (!cur.empty() && cur.size() + 1 + word.size() > maxChars)
            out.push_back(std::move(cur)), cur.clear();
        cur += (cur.empty() ? "" : " ") + word;
        if (sp == std::string::npos) break;
        start = sp + 1;
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string pdfString(const std::string& s) {
    std::string out = "(";
    for (char ch : s) {
        if (ch == '(' || ch == ')' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + ")";
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

bool isReceiptWidth(int mm) {
    return mm == 58 || mm == 80;
}

std::string ticketPdf(const std::string& ticketText, int widthMm) {
    if (!isReceiptWidth(widthMm)) return {};
    const QrMatrix qr = encodeQr(ticketText);
    if (qr.size == 0) return {};
    const double pageW = widthMm * kPointsPerMm;
    const double margin = kMarginMm * kPointsPerMm;
    const double usable = pageW - 2 * margin;
    // Helvetica averages about half an em per letter; 0.56 em keeps capitals inside the paper.
    const auto maxChars = static_cast<std::size_t>(usable / (kFontSize * 0.56));

    std::vector<std::string> lines;
    std::size_t start = 0;
    const std::string ansi = toWinAnsi(ticketText);
    while (start <= ansi.size()) {
        std::size_t nl = ansi.find('\n', start);
        for (auto& l :
             wrap(ansi.substr(start, nl == std::string::npos ? std::string::npos : nl - start), maxChars))
            lines.push_back(std::move(l));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    // the QR code as wide as the paper allows, up to 45 mm, quiet zone included
    const int span = qr.size + 2 * kQrQuietZone;
    const double qrSide = std::min(usable, 45.0 * kPointsPerMm);
    const double module = qrSide / span;
    const double pageH = margin * 2 + static_cast<double>(lines.size()) * kLeading + 4 + qrSide;

    std::string content = "BT /F1 " + num(kFontSize) + " Tf " + num(kLeading) + " TL " + num(margin) + " " +
                          num(pageH - margin - kFontSize) + " Td\n";
    for (const auto& l : lines)
        content += pdfString(l) + " Tj T*\n";
    content += "ET\n0 g\n";
    const double qx = (pageW - module * span) / 2 + module * kQrQuietZone;
    const double qtop = margin + module * (span - kQrQuietZone); // PDF's y grows upwards
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size;) {
            if (!qr.at(x, y)) {
                ++x;
                continue;
            }
            int end = x;
            while (end < qr.size && qr.at(end, y))
                ++end;
            content += num(qx + x * module) + " " + num(qtop - (y + 1) * module) + " " +
                       num((end - x) * module) + " " + num(module) + " re f\n";
            x = end;
        }

    const std::string objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(pageW) + " " + num(pageH) +
            "] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
    };
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < std::size(objects); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
        pdf += buf;
    }
    pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

} // namespace comptoir
