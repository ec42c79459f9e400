// What every central storage backend shares: event validation, catalogue delta and import plan,
// CSV cells, kiosk tokens (central_rules.hpp).
#include "central_rules.hpp"

#include "comptoir/domain/config.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"

#include <array>
#include <cctype>
#include <set>
#include <sodium.h>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace comptoir::sync::central::rules {

using nlohmann::json;

namespace {

// Field rules (docs/sync-protocol.md, "Validation"). Every field a kiosk sends is checked for
// type, form and range before anything is written.
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kEarliestMs = 1'577'836'800'000; ///< 2020-01-01: no kiosk wrote anything before
constexpr std::int64_t kMaxAheadMs = kDayMs;            ///< a kiosk clock a day fast is tolerated, no more
constexpr std::size_t kMaxSealedBytes = 64 * 1024;

std::string named(const char* key) {
    return std::string("field '") + key + "'";
}

const json& field(const json& p, const char* key) {
    auto it = p.find(key);
    if (it == p.end()) throw Invalid{std::string("missing field '") + key + "'"};
    return *it;
}

enum class Lines { One, Several };

/// Bounded UTF-8 text without control characters (line breaks only where a person types
/// several lines); NUL and the like make no sense in any field.
std::string text(const json& p, const char* key, std::size_t maxChars, bool allowEmpty = false,
                 Lines lines = Lines::One) {
    const auto& v = field(p, key);
    if (!v.is_string()) throw Invalid{named(key) + " must be text"};
    auto s = v.get<std::string>();
    if (!allowEmpty && s.empty()) throw Invalid{named(key) + " is empty"};
    if (!isValidUtf8(s) || utf8Length(s) > maxChars)
        throw Invalid{named(key) + " is longer than " + std::to_string(maxChars) + " characters"};
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        bool lineBreak = lines == Lines::Several && (c == '\n' || c == '\r' || c == '\t');
        if ((u < 0x20 || u == 0x7F) && !lineBreak) throw Invalid{named(key) + " holds a control character"};
    }
    return s;
}
std::string uuid(const json& p, const char* key) {
    auto v = text(p, key, 36);
    if (!isUuid(v)) throw Invalid{named(key) + " must be a UUID in lower case"};
    return v;
}
std::string catalogueId(const json& p, const char* key) {
    auto v = text(p, key, 40);
    if (!isCatalogueId(v)) throw Invalid{named(key) + " must be a catalogue id (a-z, 0-9, '-')"};
    return v;
}
/// A catalogue offer id, or a kiosk's local one-off offer ("local-" + UUID).
std::string offerId(const json& p) {
    auto v = text(p, "offer_id", 64);
    for (char c : v)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            throw Invalid{"field 'offer_id' may only use a-z, 0-9 and '-'"};
    return v;
}
std::string reference(const json& p) {
    auto v = text(p, "reference", 16);
    for (char c : v)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            throw Invalid{"field 'reference' may only use A-Z, 0-9 and '-'"};
    return v;
}
} // namespace

void checkTimestamp(const std::string& v, const char* key) {
    auto ms = timestampMs(v);
    if (!ms) throw Invalid{named(key) + " must be a UTC time written YYYY-MM-DDTHH:MM:SS.mmmZ"};
    if (*ms < kEarliestMs || *ms > static_cast<std::int64_t>(nowUnixMs()) + kMaxAheadMs)
        throw Invalid{named(key) + " is before 2020 or more than a day ahead of the server's clock"};
}
namespace {

std::string timestamp(const json& p, const char* key) {
    auto v = text(p, key, 24);
    checkTimestamp(v, key);
    return v;
}
/// A calendar date from 2020 up to `maxDaysAhead` days after today.
std::string date(const json& p, const char* key, std::int64_t maxDaysAhead) {
    auto v = text(p, key, 10);
    auto days = dateDays(v);
    if (!days) throw Invalid{named(key) + " must be a date written YYYY-MM-DD"};
    std::int64_t today = static_cast<std::int64_t>(nowUnixMs()) / kDayMs;
    if (*days < kEarliestMs / kDayMs || *days > today + maxDaysAhead)
        throw Invalid{named(key) + " is before 2020 or too far ahead"};
    return v;
}
std::int64_t integer(const json& p, const char* key, std::int64_t lo, std::int64_t hi) {
    const auto& v = field(p, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
        throw Invalid{named(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                      std::to_string(hi)};
    return v.get<std::int64_t>();
}
std::string oneOf(const json& p, const char* key, std::initializer_list<const char*> allowed,
                  bool allowEmpty = false) {
    auto v = text(p, key, 32, allowEmpty);
    if (allowEmpty && v.empty()) return v;
    for (const char* a : allowed)
        if (v == a) return v;
    throw Invalid{named(key) + " has an unknown value"};
}
std::string sealedBlob(const json& p) {
    // Empty when the visitor's data was erased on the kiosk before this event was sent.
    auto v = text(p, "personal_sealed", kMaxSealedBytes, true);
    // Stored as is (the server cannot open it); only its shape is checked.
    for (char c : v)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '-' ||
              c == '_'))
            throw Invalid{"field 'personal_sealed' is not base64"};
    return v;
}

} // namespace

Invalid alreadyUsed(const char* key) {
    return Invalid{named(key) + ": this id is already used by another record"};
}

Folded parseEvent(const WireEvent& e) {
    checkTimestamp(e.occurredAt, "occurred_at");
    const json& p = e.payloadJson;
    // The agent who made a change (kiosks from agent mode on): a pseudonymous id, never a name;
    // checked, then kept in the event log only. Older kiosks do not send it.
    if (p.is_object() && p.contains("agent_id") && !isCatalogueId(text(p, "agent_id", 40)))
        throw Invalid{named("agent_id") + " must be an agent's id (a-z, 0-9, '-'), never a name"};
    auto onlyVersion1 = [&] {
        if (e.schemaVersion != 1)
            throw Invalid{"schema_version " + std::to_string(e.schemaVersion) + " of " + e.type +
                          " is not known to this server"};
    };
    if (e.type == "interest.registered") {
        onlyVersion1();
        Registration r;
        r.id = uuid(p, "interest_id");
        r.reference = reference(p);
        // A kiosk's local one-off offer ("local-" + UUID) is registered for too.
        r.offerId = offerId(p);
        r.offerTitle = text(p, "offer_title", 200);
        if (p.contains("preferred_moment"))
            r.preferredMoment =
                oneOf(p, "preferred_moment", {"morning", "afternoon", "evening", "any"}, true);
        r.consentVersion = integer(p, "consent_version", 1, 1000);
        r.createdAt = timestamp(p, "created_at");
        r.sealed = sealedBlob(p);
        return r;
    }
    if (e.type == "callback.requested") {
        onlyVersion1();
        Callback c;
        c.id = uuid(p, "callback_id");
        c.reference = reference(p);
        c.recontactAfter = date(p, "recontact_after", 3 * 366);
        // Optional (kiosks before it do not send them): the full offer the call-back was asked
        // from. Checked like an interest's; kept in the stored event.
        if (p.contains("offer_id")) {
            (void)offerId(p);
            (void)text(p, "offer_title", 200);
        }
        c.consentVersion = integer(p, "consent_version", 1, 1000);
        c.createdAt = timestamp(p, "created_at");
        c.sealed = sealedBlob(p);
        return c;
    }
    if (e.type == "feedback.given") {
        // Version 2 (unlinkable: random id, the day only, no context) and version 1 from older
        // kiosks (context and time). A version 2 feedback keeps its day as created_at and no
        // context, so the indicators count both alike.
        if (e.schemaVersion != 1 && e.schemaVersion != 2) onlyVersion1();
        const bool v1 = e.schemaVersion == 1;
        Feedback f;
        f.id = uuid(p, "feedback_id");
        if (v1) f.context = oneOf(p, "context", {"after_registration", "leaving"});
        f.score = integer(p, "score", 1, 4);
        f.createdAt = v1 ? timestamp(p, "created_at") : date(p, "given_on", 1);
        return f;
    }
    if (e.type == "introduction.updated" || e.type == "introduction.created") {
        onlyVersion1();
        Introduction i;
        i.id = uuid(p, "introduction_id");
        i.interestId = uuid(p, "interest_id");
        i.organisationId = catalogueId(p, "organisation_id");
        i.status = oneOf(p, "status",
                         {"waiting", "proposed", "sent", "accepted", "started", "completed", "declined",
                          "cancelled", "no_show"});
        if (p.contains("reason")) i.reason = text(p, "reason", 1000, true, Lines::Several);
        i.updatedAt = timestamp(p, "updated_at");
        if (p.contains("offer_id")) i.offerId = offerId(p);
        return i;
    }
    if (e.type == "hours.logged") {
        onlyVersion1();
        Hours h;
        h.id = uuid(p, "hours_id");
        h.introductionId = uuid(p, "introduction_id");
        const auto& v = field(p, "hours");
        if (!v.is_number() || !(v.get<double>() > 0 && v.get<double>() <= 24))
            throw Invalid{"field 'hours' must be a number above 0 and at most 24"};
        h.hours = v.get<double>();
        h.doneOn = date(p, "done_on", 1);
        return h;
    }
    if (e.type == "offer.state_changed") {
        onlyVersion1();
        // Folded into offer_state for the indicators' open offers; the catalogue the CCAS
        // publishes stays its own call.
        OfferState o;
        o.offerId = offerId(p);
        o.state = oneOf(p, "state", {"full", "closed", "open"});
        o.changedAt = timestamp(p, "changed_at");
        return o;
    }
    if (e.type == "offer.added_locally") {
        onlyVersion1();
        (void)offerId(p);
        (void)timestamp(p, "created_at");
        if (!field(p, "offer").is_object()) throw Invalid{"field 'offer' must be an object"};
        return EventOnly{};
    }
    if (e.type == "callback.followed_up") {
        onlyVersion1();
        CallbackFollowUp c;
        c.callbackId = uuid(p, "callback_id");
        (void)reference(p);
        c.outcome =
            oneOf(p, "outcome", {"introduction_proposed", "no_longer_wishes", "no_answer", "wrong_number"});
        // "Rappeler le …" names the day to call again; the other outcomes end the call-back.
        if (c.outcome == "no_answer")
            c.nextCallOn = date(p, "next_call_on", 3 * 366);
        else if (p.contains("next_call_on") && !text(p, "next_call_on", 10, true).empty())
            throw Invalid{named("next_call_on") + " is only for the outcome no_answer"};
        c.followedUpAt = timestamp(p, "followed_up_at");
        return c;
    }
    if (e.type == "visitor.erased") {
        onlyVersion1();
        Erasure x;
        x.interest = oneOf(p, "record_kind", {"interest", "callback"}) == "interest";
        x.recordId = uuid(p, "record_id");
        (void)reference(p);
        (void)timestamp(p, "erased_at");
        return x;
    }
    throw Invalid{"unknown event type '" + e.type + "'"};
}

std::string newKioskToken(const std::string& kioskId) {
    if (!isKioskId(kioskId)) throw std::invalid_argument(std::string("the kiosk id ") + kKioskIdRule);
    std::array<unsigned char, 32> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::array<char, 64> b64{};
    sodium_bin2base64(b64.data(), b64.size(), raw.data(), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return b64.data();
}

void checkImportAllowed(const Catalogue& catalogue, const CatalogueImportOptions& options) {
    // Emptying every kiosk must be a decision, never the side effect of a wrong file.
    if (catalogue.offers.empty() && !options.withdrawAll)
        throw CatalogueImportRefused(
            "the catalogue has no offers: importing it would withdraw every offer from "
            "every kiosk; give --withdraw-all if that is the intent");
    if (!catalogue.offers.empty() && options.withdrawAll)
        throw CatalogueImportRefused("--withdraw-all is for an empty catalogue, and this one has offers");
}

json catalogueDocument(const Catalogue& catalogue) {
    return json::parse(serialiseCatalogue(catalogue));
}

ImportStep planImport(const json& entries, const std::map<std::string, StoredEntity>& before) {
    ImportStep step;
    std::set<std::string> present;
    std::int64_t position = 0;
    for (const auto& entry : entries) {
        std::string id = entry["id"].get<std::string>();
        std::string body = entry.dump();
        present.insert(id);
        auto it = before.find(id);
        if (it != before.end() && !it->second.deleted && it->second.body == body) {
            step.moves.emplace_back(id, position++);
            continue;
        }
        step.upserts.push_back({id, std::move(body), position++});
    }
    for (const auto& [id, stored] : before)
        if (!stored.deleted && !present.count(id)) step.removals.push_back(id);
    return step;
}

std::string deltaDocument(const DeltaRows& rows) {
    const bool full = fullDelta(rows.since, rows.current);
    std::string out = R"({"format":"comptoir-catalogue-delta","format_version":1,"since":)";
    out += std::to_string(full ? 0 : rows.since);
    out += R"(,"catalogue_version":)" + std::to_string(rows.current);
    out += R"(,"full":)";
    out += full ? "true" : "false";
    out += R"(,"catalogue_id":)" + json(rows.catalogueId).dump();
    // Only a deliberate `catalogue import --withdraw-all` lets kiosks accept an empty catalogue.
    if (rows.withdrawAll) out += R"(,"withdraw_all":true)";
    std::size_t k = 0;
    for (const char* kind : kKinds) {
        out += ",\"" + std::string(kind) + "\":[";
        bool first = true;
        if (k < rows.bodies.size())
            for (const auto& body : rows.bodies[k]) {
                if (!first) out += ',';
                first = false;
                out += body;
            }
        out += ']';
        ++k;
    }
    json deleted = json::object();
    if (!full) {
        k = 0;
        for (const char* kind : kKinds) {
            json ids = json::array();
            if (k < rows.deleted.size())
                for (const auto& id : rows.deleted[k])
                    ids.push_back(id);
            deleted[kind] = std::move(ids);
            ++k;
        }
    }
    out += ",\"deleted\":" + deleted.dump();
    json media = json::array();
    for (const auto& m : rows.media)
        media.push_back({{"sha256", m.sha256}, {"size", m.size}, {"content_type", m.contentType}});
    out += ",\"media\":" + media.dump() + "}";
    return out;
}

const std::vector<Table>& centralTables() {
    static const std::vector<Table> tables = {
        {"meta", {"key", "value"}},
        {"kiosk", {"kiosk_id", "token_sha256", "created_at", "revoked_at"}},
        {"event",
         {"event_id", "kiosk_id", "type", "schema_version", "occurred_at", "received_at", "payload"}},
        {"registration",
         {"interest_id", "kiosk_id", "reference", "offer_id", "offer_title", "preferred_moment",
          "consent_version", "created_at", "personal_sealed", "event_id"}},
        {"callback",
         {"callback_id", "kiosk_id", "reference", "recontact_after", "consent_version", "created_at",
          "personal_sealed", "event_id", "outcome", "next_call_on", "followed_up_at"}},
        {"feedback", {"feedback_id", "kiosk_id", "context", "score", "created_at"}},
        {"introduction",
         {"introduction_id", "kiosk_id", "interest_id", "organisation_id", "status", "reason", "updated_at",
          "offer_id", "created_at"}},
        {"hours", {"hours_id", "kiosk_id", "introduction_id", "hours", "done_on"}},
        {"cat_entity", {"kind", "id", "version", "position", "deleted", "body"}},
        {"media", {"sha256", "content_type", "data", "version"}, "data"},
        {"offer_state", {"offer_id", "state", "changed_at", "kiosk_id"}},
        {"admin_user", {"name", "password_hash", "created_at"}},
    };
    return tables;
}

IndicatorInput readIndicatorInput(const Query& query) {
    IndicatorInput in;
    std::unordered_map<std::string, int> taken;
    query("SELECT offer_id, COUNT(*) FROM introduction WHERE status IN ('accepted', 'started') GROUP BY "
          "offer_id",
          [&](const Row& r) { taken[r.text(0)] = static_cast<int>(r.int64(1)); });
    std::unordered_map<std::string, std::string> onSite;
    query("SELECT offer_id, state FROM offer_state", [&](const Row& r) { onSite[r.text(0)] = r.text(1); });
    query("SELECT body FROM cat_entity WHERE kind = 'offers' AND deleted = 0", [&](const Row& r) {
        // Bodies were validated at import; a field that is missing counts as "not open".
        auto o = json::parse(r.text(0), nullptr, false);
        if (!o.is_object()) return;
        auto str = [&](const char* k) {
            return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : "";
        };
        auto num = [&](const char* k) {
            return o.contains(k) && o[k].is_number_integer() ? o[k].get<int>() : 0;
        };
        OfferStatus status = OfferStatus::Paused;
        bool known = parseOfferStatus(str("status"), status);
        std::string id = str("id");
        auto t = taken.find(id);
        auto st = onSite.find(id);
        bool markedShut = st != onSite.end() && (st->second == "full" || st->second == "closed");
        bool open = known && isOpenOffer(status, o.value("registration_open", false), num("places_wanted"),
                                         num("places_left"), t == taken.end() ? 0 : t->second, markedShut);
        in.offers.push_back({id, str("organisation"), str("theme"), str("neighbourhood"), open});
    });
    // Dates cut to the day (all the indicators use).
    query("SELECT interest_id, offer_id, substr(created_at, 1, 10), CASE WHEN personal_sealed = '' THEN 1 "
          "ELSE 0 "
          "END, kiosk_id FROM registration",
          [&](const Row& r) {
              in.interests.push_back({r.text(0), r.text(1), r.text(2), r.int64(3) != 0, r.text(4)});
          });
    query(
        "SELECT introduction_id, interest_id, offer_id, organisation_id, substr(created_at, 1, 10), status, "
        "kiosk_id FROM introduction",
        [&](const Row& r) {
            IndicatorIntroduction n{
                r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), IntroStatus::Proposed, r.text(6)};
            // "sent" from older kiosks stays "proposed", the default.
            (void)parseIntroStatus(r.text(5), n.status);
            in.introductions.push_back(std::move(n));
        });
    query("SELECT introduction_id, done_on, hours, kiosk_id FROM hours", [&](const Row& r) {
        in.hours.push_back({r.text(0), r.text(1), r.real(2), r.text(3)});
    });
    query("SELECT substr(created_at, 1, 10), score, kiosk_id FROM feedback", [&](const Row& r) {
        in.feedback.push_back({r.text(0), static_cast<int>(r.int64(1)), r.text(2)});
    });
    return in;
}

CatalogueNames readCatalogueNames(const Query& query) {
    CatalogueNames names;
    query("SELECT kind, body FROM cat_entity WHERE kind IN ('themes', 'neighbourhoods') AND deleted = 0",
          [&](const Row& r) {
              auto o = json::parse(r.text(1), nullptr, false);
              if (!o.is_object() || !o.contains("id") || !o["id"].is_string() || !o.contains("name") ||
                  !o["name"].is_string())
                  return;
              (r.text(0) == "themes" ? names.themes : names.neighbourhoods)[o["id"].get<std::string>()] =
                  o["name"].get<std::string>();
          });
    return names;
}

void readSealedRecords(const Query& query, const char* collate,
                       const std::function<void(const SealedRecord&)>& visit) {
    const std::string c = collate;
    SealedRecord rec;
    rec.kind = "interest";
    query("SELECT interest_id, kiosk_id, reference, created_at, offer_id, offer_title, preferred_moment, "
          "consent_version, personal_sealed FROM registration ORDER BY created_at" +
              c + ", interest_id" + c,
          [&](const Row& r) {
              rec.recordId = r.text(0);
              rec.kioskId = r.text(1);
              rec.reference = r.text(2);
              rec.createdAt = r.text(3);
              rec.offerId = r.text(4);
              rec.offerTitle = r.text(5);
              rec.preferredMoment = r.text(6);
              rec.consentVersion = r.int64(7);
              rec.personalSealed = r.text(8);
              visit(rec);
          });
    rec = SealedRecord{};
    rec.kind = "callback";
    query("SELECT callback_id, kiosk_id, reference, created_at, recontact_after, consent_version, "
          "personal_sealed "
          "FROM callback ORDER BY created_at" +
              c + ", callback_id" + c,
          [&](const Row& r) {
              rec.recordId = r.text(0);
              rec.kioskId = r.text(1);
              rec.reference = r.text(2);
              rec.createdAt = r.text(3);
              rec.recontactAfter = r.text(4);
              rec.consentVersion = r.int64(5);
              rec.personalSealed = r.text(6);
              visit(rec);
          });
}

} // namespace comptoir::sync::central::rules

namespace comptoir::sync::central {

std::string csvCell(const std::string& v, char separator) {
    std::string cell = v;
    // A spreadsheet would run a cell starting with these as a formula (OWASP "CSV injection"),
    // including the full-width forms that some spreadsheets fold to ASCII.
    static constexpr std::string_view kFormulaStarts[] = {"=",  "+",      "-",      "@",      "\t",    "\r",
                                                          "\n", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"};
    for (auto start : kFormulaStarts)
        if (cell.compare(0, start.size(), start) == 0) {
            cell.insert(cell.begin(), '\'');
            break;
        }
    const char special[] = {separator, '"', '\r', '\n', '\0'};
    if (cell.find_first_of(special) == std::string::npos) return cell;
    std::string q = "\"";
    for (char c : cell) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

} // namespace comptoir::sync::central
