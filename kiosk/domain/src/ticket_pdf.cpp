#include "comptoir/domain/ticket_pdf.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>
#include <zlib.h>

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

int ticketTextWidthPx(int widthMm, float fontPx) {
    if (!isReceiptWidth(widthMm) || !(fontPx > 0) || fontPx > 1000) return 0;
    const double usable = (widthMm - 2 * kMarginMm) * kPointsPerMm;
    return static_cast<int>(usable / kFontSize * fontPx);
}

std::string ticketPdf(const std::string& ticketText, int widthMm, const TicketImage& image) {
    if (!isReceiptWidth(widthMm)) return {};
    const bool drawn = image.width > 0 && image.height > 0;
    if (drawn &&
        (image.width > 4096 || image.height > 8192 ||
         image.grey.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height)))
        return {};
    const QrMatrix qr = encodeQr(ticketText);
    if (qr.size == 0) return {};
    const double pageW = widthMm * kPointsPerMm;
    const double margin = kMarginMm * kPointsPerMm;
    const double usable = pageW - 2 * margin;
    // Helvetica averages about half an em per letter; 0.56 em keeps capitals inside the paper.
    const auto maxChars = static_cast<std::size_t>(usable / (kFontSize * 0.56));

    std::vector<std::string> lines; // in WinAnsi
    std::size_t start = 0;
    const std::string ansi = toWinAnsi(ticketText);
    // Every letter has its WinAnsi code: the text can be laid under the picture for search and copy.
    const bool ansiComplete =
        std::count(ansi.begin(), ansi.end(), '?') == std::count(ticketText.begin(), ticketText.end(), '?');
    const auto fits = [maxChars](const std::string& l) { return utf8Length(l) <= maxChars; };
    while (start <= ticketText.size()) {
        std::size_t nl = ticketText.find('\n', start);
        for (const auto& l : wrapWords(
                 ticketText.substr(start, nl == std::string::npos ? std::string::npos : nl - start), fits))
            lines.push_back(toWinAnsi(l));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    // the QR code as wide as the paper allows, up to 45 mm, quiet zone included
    const int span = qr.size + 2 * kQrQuietZone;
    const double qrSide = std::min(usable, 45.0 * kPointsPerMm);
    const double module = qrSide / span;
    const double textH =
        drawn ? usable / image.width * image.height : static_cast<double>(lines.size()) * kLeading;
    const double pageH = margin * 2 + textH + 4 + qrSide;

    std::string content;
    if (drawn)
        content += "q " + num(usable) + " 0 0 " + num(textH) + " " + num(margin) + " " +
                   num(pageH - margin - textH) + " cm /Im1 Do Q\n";
    if (!drawn || ansiComplete) {
        // Over the picture the text is invisible (render mode 3), there only to be found and copied.
        const double leading =
            drawn ? std::min(kLeading, textH / static_cast<double>(std::max<std::size_t>(lines.size(), 1)))
                  : kLeading;
        content += "BT /F1 " + num(kFontSize) + " Tf " + num(leading) + " TL " + (drawn ? "3 Tr " : "") +
                   num(margin) + " " + num(pageH - margin - kFontSize) + " Td\n";
        for (const auto& l : lines)
            content += pdfString(l) + " Tj T*\n";
        content += "ET\n";
    }
    content += "0 g\n";
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

    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(pageW) + " " + num(pageH) +
            "] /Resources << /Font << /F1 4 0 R >>" + (drawn ? " /XObject << /Im1 6 0 R >>" : "") +
            " >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
    };
    if (drawn) {
        // The picture of the text, grey levels, deflated (a receipt of text compresses tenfold).
        uLongf packedSize = compressBound(static_cast<uLong>(image.grey.size()));
        std::string packed(packedSize, '\0');
        if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize, image.grey.data(),
                      static_cast<uLong>(image.grey.size()), 6) != Z_OK)
            return {};
        packed.resize(packedSize);
        objects.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(image.width) +
                          " /Height " + std::to_string(image.height) +
                          " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length " +
                          std::to_string(packed.size()) + " >>\nstream\n" + packed + "\nendstream");
    }
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
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
