#include "comptoir/domain/takeaway.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <memory>
#include <qrencode.h>

namespace comptoir {

namespace {

// Each value is bounded on its own so that one long catalogue field cannot push the reference
// code out of the ticket; utf8Sanitise also turns newlines into spaces (one fact per line).
constexpr std::size_t kValueCodePoints = 70;

void addLine(std::string& out, const std::string& line) {
    if (line.empty()) return;
    out += line;
    out += '\n';
}

std::string bounded(const std::string& v) {
    std::string s = utf8Sanitise(v, kValueCodePoints);
    return utf8Length(v) > kValueCodePoints ? s + "…" : s;
}

} // namespace

std::string takeawayText(const TakeawayFacts& f, const Strings& s) {
    const std::string codeLine =
        f.reference.empty() ? std::string() : s.format("takeaway.code", {{"value", bounded(f.reference)}});
    // Long facts (or a long translation) are cut so that the whole ticket scans well, but the
    // reference code always stays: it is what the visitor shows at the counter.
    const std::size_t room =
        kTakeawayMaxBytes - std::min(kTakeawayMaxBytes, codeLine.size() + 1); // + its newline
    std::string out;
    addLine(out, bounded(f.siteName));
    addLine(out, bounded(f.title));
    if (!f.when.empty()) addLine(out, s.format("takeaway.when", {{"value", bounded(f.when)}}));
    if (!f.where.empty()) addLine(out, s.format("takeaway.where", {{"value", bounded(f.where)}}));
    const std::string contact = s.join({f.organisation, f.contact});
    if (!contact.empty()) addLine(out, s.format("takeaway.contact", {{"value", bounded(contact)}}));
    // A web address cut short leads nowhere: it is on the ticket whole, or not at all.
    if (!f.onlineUrl.empty() && isWebUrl(f.onlineUrl)) {
        const std::string line = s.format("takeaway.online", {{"value", f.onlineUrl}});
        if (out.size() + line.size() + 1 <= room) addLine(out, line);
    }
    if (out.size() > room) {
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut;
        out.resize(cut);
        out += '\n';
    }
    out += codeLine;
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

QrMatrix encodeQr(const std::string& text) {
    QrMatrix m;
    if (text.empty() || text.size() > kTakeawayMaxBytes * 2) return m;
    // Byte mode keeps UTF-8 as it is; version 0 lets the encoder pick the smallest that fits.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
                          0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code || code->width <= 0) return m;
    m.size = code->width;
    m.dark.resize(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size));
    for (std::size_t i = 0; i < m.dark.size(); ++i)
        m.dark[i] = (code->data[i] & 1) != 0;
    return m;
}

} // namespace comptoir
