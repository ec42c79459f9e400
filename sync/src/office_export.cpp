// The office export: registrations and call-backs with their contact details opened (or not).
#include "comptoir/sync/office_export.hpp"

#include "comptoir/domain/untrusted_json.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

namespace comptoir::sync::central {

namespace {

using nlohmann::json;

/// Records opened together on a few threads, then written in order: memory stays bounded.
constexpr std::size_t kChunk = 4096;

enum class Status { Opened, Sealed, KioskOnly, Erased, Unreadable };

const char* statusName(Status s) {
    switch (s) {
    case Status::Opened:
        return "opened";
    case Status::Sealed:
        return "sealed";
    case Status::KioskOnly:
        return "kiosk_only";
    case Status::Erased:
        return "erased";
    case Status::Unreadable:
        return "unreadable";
    }
    return "unreadable";
}

struct Row {
    SealedRecord record;
    Status status = Status::Sealed;
    std::string sealedBy; ///< key ids, space-separated; "v1" for a blob older than key ids
    std::string firstName, phone, email, message;
    ~Row() {
        for (auto* s : {&firstName, &phone, &email, &message})
            store::wipe(*s);
    }
    Row() = default;
    Row(Row&&) = default;
    Row& operator=(Row&&) = default;
};

void open(Row& row, const OfficeKeys* keys) {
    const std::string& b64 = row.record.personalSealed;
    if (b64.empty()) {
        row.status = Status::Erased;
        return;
    }
    auto blob = store::fromBase64(b64);
    if (!blob) {
        row.status = Status::Unreadable;
        return;
    }
    auto ids = store::sealedKeyIds(*blob);
    for (const auto& id : ids)
        row.sealedBy += (row.sealedBy.empty() ? "" : " ") + store::keyIdHex(id);
    if (ids.empty()) row.sealedBy = "v1";
    if (!keys) {
        row.status = Status::Sealed;
        return;
    }
    bool ours = std::any_of(ids.begin(), ids.end(), [&](const store::KeyId& id) {
        return std::any_of(keys->keys().begin(), keys->keys().end(),
                           [&](const auto& k) { return k.id == id; });
    });
    if (!ours) {
        row.status = Status::KioskOnly;
        return;
    }
    auto text = keys->open(*blob);
    if (!text) {
        row.status = Status::Unreadable;
        return;
    }
    auto parsed = parseUntrustedJson(*text, 2);
    store::wipe(*text);
    if (!parsed.ok() || !parsed.value.is_object()) {
        row.status = Status::Unreadable;
        return;
    }
    auto field = [&](const char* key) {
        auto it = parsed.value.find(key);
        return it != parsed.value.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    row.firstName = field("first_name");
    row.phone = field("phone");
    row.email = field("email");
    row.message = field("message");
    row.status = Status::Opened;
}

void openAll(std::vector<Row>& rows, const OfficeKeys* keys) {
    // Each record costs one X25519 exchange: spread them over the cores.
    std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    if (!keys || rows.size() < 64) threads = 1;
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::size_t i = t; i < rows.size(); i += threads)
                open(rows[i], keys);
        });
    for (std::size_t i = 0; i < rows.size(); i += threads)
        open(rows[i], keys);
    for (auto& th : pool)
        th.join();
}

const char* const kColumns[] = {
    "kind",        "record_id",        "kiosk_id",        "reference",       "created_at",     "offer_id",
    "offer_title", "preferred_moment", "recontact_after", "consent_version", "first_name",     "phone",
    "email",       "message",          "contact_status",  "sealed_by",       "personal_sealed"};

std::vector<std::string> cells(const Row& r) {
    const auto& c = r.record;
    return {c.kind, c.recordId, c.kioskId, c.reference, c.createdAt, c.offerId, c.offerTitle,
            c.preferredMoment, c.recontactAfter, std::to_string(c.consentVersion), r.firstName, r.phone,
            r.email, r.message, statusName(r.status), r.sealedBy,
            // The blob only where it was not opened: an opened export holds no ciphertext to carry around.
            r.status == Status::Opened || r.status == Status::Erased ? std::string() : c.personalSealed};
}

void writeRow(std::ostream& out, const Row& r, ExportFormat format, bool first) {
    auto values = cells(r);
    if (format == ExportFormat::Csv) {
        for (std::size_t i = 0; i < values.size(); ++i)
            out << (i ? ";" : "") << csvCell(values[i], ';');
        out << "\r\n";
        return;
    }
    json j = json::object();
    for (std::size_t i = 0; i < values.size(); ++i)
        j[kColumns[i]] = values[i];
    j["consent_version"] = r.record.consentVersion;
    out << (first ? "\n" : ",\n") << j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

ExportCounts exportRecords(CentralStorage& storage, std::ostream& out, ExportFormat format,
                           const OfficeKeys* keys) {
    ExportCounts counts;
    if (format == ExportFormat::Csv) {
        out << "\xEF\xBB\xBF"; // the BOM tells a spreadsheet this is UTF-8
        for (std::size_t i = 0; i < std::size(kColumns); ++i)
            out << (i ? ";" : "") << kColumns[i];
        out << "\r\n";
    } else {
        out << R"({"format":"comptoir-registrations-export","version":1,"records":[)";
    }
    std::vector<Row> rows;
    rows.reserve(kChunk);
    auto flush = [&] {
        openAll(rows, keys);
        for (const auto& r : rows) {
            writeRow(out, r, format, counts.records == 0);
            ++counts.records;
            switch (r.status) {
            case Status::Opened:
                ++counts.opened;
                break;
            case Status::Sealed:
                ++counts.sealed;
                break;
            case Status::KioskOnly:
                ++counts.kioskOnly;
                break;
            case Status::Erased:
                ++counts.erased;
                break;
            case Status::Unreadable:
                ++counts.unreadable;
                break;
            }
        }
        rows.clear();
    };
    storage.forEachSealedRecord([&](const SealedRecord& rec) {
        rows.emplace_back().record = rec;
        if (rows.size() == kChunk) flush();
    });
    flush();
    if (format == ExportFormat::Json) out << "\n]}\n";
    return counts;
}

} // namespace comptoir::sync::central
