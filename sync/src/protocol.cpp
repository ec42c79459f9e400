#include "comptoir/sync/protocol.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/untrusted_json.hpp"

#include <unordered_map>
#include <unordered_set>

namespace comptoir::sync {

using nlohmann::json;

namespace {

/// Outside JSON, depth-checked first; discarded when too deep or not JSON.
json parseOrDiscard(std::string_view body) {
    return parseUntrustedJson(body).value;
}

bool isText(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string();
}

/// "interest.registered": lower-case words joined by dots (or underscores), short.
bool isEventType(std::string_view t) {
    if (t.empty() || t.size() > 64) return false;
    for (char c : t)
        if (!((c >= 'a' && c <= 'z') || c == '.' || c == '_')) return false;
    return true;
}

std::string excerpt(std::string_view body) {
    std::string s(body.substr(0, 120));
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return s;
}

} // namespace

// [SECTION] event batches

std::size_t encodedSize(const store::OutboxEvent& e) {
    // Fixed keys and punctuation, plus the variable fields (escaping rarely adds much).
    return 110 + e.eventId.size() + e.type.size() + e.occurredAt.size() + e.kioskId.size() + e.payload.size();
}

std::string encodeBatch(const std::string& kioskId, const std::vector<store::OutboxEvent>& events) {
    std::string out;
    std::size_t total = 64;
    for (const auto& e : events) total += encodedSize(e);
    out.reserve(total);
    out += R"({"protocol":1,"kiosk_id":)";
    out += json(kioskId).dump();
    out += R"(,"events":[)";
    bool first = true;
    for (const auto& e : events) {
        if (!first) out += ',';
        first = false;
        out += R"({"event_id":)";
        out += json(e.eventId).dump();
        out += R"(,"type":)";
        out += json(e.type).dump();
        out += R"(,"schema_version":)";
        out += std::to_string(e.schemaVersion);
        out += R"(,"occurred_at":)";
        out += json(e.occurredAt).dump();
        out += R"(,"kiosk_id":)";
        out += json(e.kioskId).dump();
        // The outbox guarantees json_valid(payload): spliced as is, no parse and dump per event.
        out += R"(,"payload":)";
        out += e.payload;
        out += '}';
    }
    out += "]}";
    return out;
}

BatchParse parseBatch(std::string_view body) {
    BatchParse r;
    auto parsed = parseUntrustedJson(body);
    if (!parsed.ok() || !parsed.value.is_object()) {
        r.malformed = true;
        r.error = parsed.tooDeep ? parsed.error : "the body is not a JSON object";
        return r;
    }
    json& doc = parsed.value;
    auto pv = doc.find("protocol");
    if (pv == doc.end() || !pv->is_number_integer() || pv->get<int>() != kProtocolVersion) {
        r.error = "unsupported or missing protocol version (this server speaks 1)";
        return r;
    }
    if (!isText(doc, "kiosk_id") || !isKioskId(doc["kiosk_id"].get<std::string>())) {
        r.error = std::string("missing or invalid kiosk_id (") + kKioskIdRule + ")";
        return r;
    }
    r.kioskId = doc["kiosk_id"].get<std::string>();
    auto evs = doc.find("events");
    if (evs == doc.end() || !evs->is_array()) {
        r.error = "missing events array";
        return r;
    }
    if (evs->size() > kMaxBatchEvents) {
        r.error = "more than " + std::to_string(kMaxBatchEvents) + " events in one batch";
        return r;
    }
    std::unordered_set<std::string> seen;
    r.events.reserve(evs->size());
    for (auto& e : *evs) {
        std::string id = e.is_object() && isText(e, "event_id") ? e["event_id"].get<std::string>() : std::string();
        auto fail = [&](const std::string& why) {
            r.error = why;
            r.badEventId = id;
            r.events.clear();
            return r;
        };
        if (!e.is_object()) return fail("an event is not an object");
        if (!isUuid(id)) return fail("event_id is not a UUID in lower case");
        if (!seen.insert(id).second) return fail("event_id appears twice in the batch");
        if (!isText(e, "type") || !isEventType(e["type"].get<std::string>()))
            return fail("missing or invalid type");
        auto sv = e.find("schema_version");
        if (sv == e.end() || !sv->is_number_integer() || sv->get<std::int64_t>() < 1 || sv->get<std::int64_t>() > 1000)
            return fail("missing or invalid schema_version");
        if (!isText(e, "occurred_at") || !timestampMs(e["occurred_at"].get<std::string>()))
            return fail("missing or invalid occurred_at (a UTC time written YYYY-MM-DDTHH:MM:SS.mmmZ)");
        if (!isText(e, "kiosk_id") || !isKioskId(e["kiosk_id"].get<std::string>()))
            return fail("missing or invalid kiosk_id");
        auto p = e.find("payload");
        if (p == e.end() || !p->is_object()) return fail("payload is not an object");
        r.events.push_back(WireEvent{id, e["type"].get<std::string>(), sv->get<int>(),
                                     e["occurred_at"].get<std::string>(), e["kiosk_id"].get<std::string>(), p->dump(),
                                     std::move(*p)});
    }
    r.ok = true;
    return r;
}

const char* toString(EventStatus s) {
    switch (s) {
    case EventStatus::Accepted: return "accepted";
    case EventStatus::Duplicate: return "duplicate";
    case EventStatus::Rejected: return "rejected";
    }
    return "rejected";
}

std::string encodeBatchAnswer(const std::vector<EventResult>& results) {
    json arr = json::array();
    for (const auto& r : results) {
        json one = {{"event_id", r.eventId}, {"status", toString(r.status)}};
        if (r.status == EventStatus::Rejected) one["reason"] = r.reason;
        arr.push_back(std::move(one));
    }
    return json{{"protocol", kProtocolVersion}, {"results", std::move(arr)}}.dump();
}

BatchAnswerParse parseBatchAnswer(std::string_view body) {
    BatchAnswerParse r;
    json doc = parseOrDiscard(body);
    if (doc.is_discarded() || !doc.is_object()) {
        r.error = "the answer is not a JSON object: " + excerpt(body);
        return r;
    }
    auto res = doc.find("results");
    if (res == doc.end() || !res->is_array()) {
        r.error = "the answer has no results array";
        return r;
    }
    for (const auto& e : *res) {
        if (!e.is_object() || !isText(e, "event_id") || !isText(e, "status")) {
            r.error = "a result lacks event_id or status";
            r.results.clear();
            return r;
        }
        EventResult one;
        one.eventId = e["event_id"].get<std::string>();
        std::string st = e["status"].get<std::string>();
        if (st == "accepted") one.status = EventStatus::Accepted;
        else if (st == "duplicate") one.status = EventStatus::Duplicate;
        else if (st == "rejected") {
            one.status = EventStatus::Rejected;
            one.reason = isText(e, "reason") ? e["reason"].get<std::string>() : "rejected without a reason";
        } else {
            r.error = "unknown result status '" + excerpt(st) + "'";
            r.results.clear();
            return r;
        }
        r.results.push_back(std::move(one));
    }
    r.ok = true;
    return r;
}

bool isKioskMismatchReason(std::string_view reason) {
    return reason.find("kiosk_id") != std::string_view::npos && reason.find("token") != std::string_view::npos;
}

// [SECTION] errors

std::string encodeError(std::string_view code, std::string_view message, std::string_view eventId) {
    json err = {{"code", code}, {"message", message}};
    if (!eventId.empty()) err["event_id"] = eventId;
    return json{{"error", std::move(err)}}.dump();
}

ErrorBody parseError(std::string_view body) {
    ErrorBody r;
    json doc = parseOrDiscard(body);
    if (doc.is_object()) {
        auto e = doc.find("error");
        if (e != doc.end() && e->is_object()) {
            if (isText(*e, "code")) r.code = (*e)["code"].get<std::string>();
            if (isText(*e, "message")) r.message = (*e)["message"].get<std::string>();
            if (isText(*e, "event_id")) r.eventId = (*e)["event_id"].get<std::string>();
            return r;
        }
    }
    r.message = excerpt(body);
    return r;
}

// [SECTION] catalogue

namespace {

bool readIdList(const json& deleted, const char* key, std::vector<std::string>& out) {
    auto it = deleted.find(key);
    if (it == deleted.end()) return true;
    if (!it->is_array()) return false;
    for (const auto& v : *it) {
        if (!v.is_string()) return false;
        out.push_back(v.get<std::string>());
    }
    return true;
}

bool readEntries(const json& doc, const char* key, json& out) {
    auto it = doc.find(key);
    if (it == doc.end()) return true;
    if (!it->is_array()) return false;
    for (const auto& e : *it)
        if (!e.is_object() || !isText(e, "id")) return false;
    out = *it;
    return true;
}

} // namespace

DeltaParse parseCatalogueDelta(std::string_view body) {
    DeltaParse r;
    auto parsed = parseUntrustedJson(body);
    if (!parsed.ok() || !parsed.value.is_object()) {
        r.error = parsed.tooDeep ? "the catalogue answer is refused: " + parsed.error
                                 : "the catalogue answer is not valid JSON";
        return r;
    }
    json& doc = parsed.value;
    // json::value() throws when the field has another type: outside input is checked by hand.
    auto format = doc.find("format");
    if (format == doc.end() || !format->is_string() || format->get<std::string>() != "comptoir-catalogue-delta") {
        r.error = "the answer is not a catalogue delta (field 'format')";
        return r;
    }
    auto& d = r.delta;
    auto num = [&](const char* key, std::int64_t& out) {
        auto it = doc.find(key);
        if (it == doc.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) return false;
        out = it->get<std::int64_t>();
        return true;
    };
    std::int64_t formatVersion = 0;
    if (!num("format_version", formatVersion) || formatVersion != 1 || !num("since", d.since) ||
        !num("catalogue_version", d.version)) {
        r.error = "missing or invalid format_version, since or catalogue_version";
        return r;
    }
    auto full = doc.find("full");
    if (full == doc.end() || !full->is_boolean() || !isText(doc, "catalogue_id")) {
        r.error = "missing full or catalogue_id";
        return r;
    }
    d.full = full->get<bool>();
    d.catalogueId = doc["catalogue_id"].get<std::string>();
    if (auto w = doc.find("withdraw_all"); w != doc.end()) {
        if (!w->is_boolean()) {
            r.error = "'withdraw_all' must be true or false";
            return r;
        }
        d.withdrawAll = w->get<bool>();
    }
    if (!readEntries(doc, "themes", d.themes) || !readEntries(doc, "neighbourhoods", d.neighbourhoods) ||
        !readEntries(doc, "organisations", d.organisations) || !readEntries(doc, "offers", d.offers)) {
        r.error = "an entry list is not an array of objects with an id";
        return r;
    }
    if (auto del = doc.find("deleted"); del != doc.end()) {
        if (!del->is_object() || !readIdList(*del, "themes", d.deletedThemes) ||
            !readIdList(*del, "neighbourhoods", d.deletedNeighbourhoods) ||
            !readIdList(*del, "organisations", d.deletedOrganisations) ||
            !readIdList(*del, "offers", d.deletedOffers)) {
            r.error = "'deleted' must hold lists of ids";
            return r;
        }
    }
    if (auto media = doc.find("media"); media != doc.end()) {
        if (!media->is_array()) {
            r.error = "'media' must be a list";
            return r;
        }
        for (const auto& m : *media) {
            if (!m.is_object() || !isText(m, "sha256") || !isSha256Hex(m["sha256"].get<std::string>()) ||
                !m.contains("size") || !m["size"].is_number_integer() || m["size"].get<std::int64_t>() < 0) {
                r.error = "a media entry lacks a valid sha256 or size";
                return r;
            }
            d.media.push_back(MediaRef{m["sha256"].get<std::string>(), m["size"].get<std::int64_t>(),
                                       isText(m, "content_type") ? m["content_type"].get<std::string>() : ""});
        }
    }
    if (d.version < d.since && !d.full) {
        r.error = "catalogue_version is older than since";
        return r;
    }
    r.ok = true;
    return r;
}

namespace {

/// Replaces or appends entries by id, then removes deleted ids.
void applyEntries(json& list, const json& upserts, const std::vector<std::string>& deleted) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < list.size(); ++i) index[list[i].value("id", "")] = i;
    for (const auto& e : upserts) {
        auto id = e["id"].get<std::string>();
        if (auto it = index.find(id); it != index.end()) list[it->second] = e;
        else {
            index[id] = list.size();
            list.push_back(e);
        }
    }
    if (deleted.empty()) return;
    std::unordered_set<std::string> gone(deleted.begin(), deleted.end());
    json kept = json::array();
    for (auto& e : list)
        if (!gone.count(e.value("id", ""))) kept.push_back(std::move(e));
    list = std::move(kept);
}

std::unordered_set<std::string> idsOf(const json& list) {
    std::unordered_set<std::string> out;
    for (const auto& e : list) out.insert(e["id"].get<std::string>());
    return out;
}

template <class T> std::vector<T> onlyIds(const std::vector<T>& all, const std::unordered_set<std::string>& ids) {
    std::vector<T> out;
    for (const auto& e : all)
        if (ids.count(e.id)) out.push_back(e);
    return out;
}

} // namespace

MergeResult mergeCatalogueDelta(const Catalogue& local, const CatalogueDelta& delta) {
    MergeResult r;
    json merged;
    if (delta.full) {
        merged = {{"format", "comptoir-catalogue"}, {"format_version", 1}, {"themes", json::array()},
                  {"neighbourhoods", json::array()}, {"organisations", json::array()}, {"offers", json::array()}};
    } else {
        merged = json::parse(serialiseCatalogue(local));
    }
    merged["catalogue_version"] = delta.version;
    applyEntries(merged["themes"], delta.themes, delta.deletedThemes);
    applyEntries(merged["neighbourhoods"], delta.neighbourhoods, delta.deletedNeighbourhoods);
    applyEntries(merged["organisations"], delta.organisations, delta.deletedOrganisations);
    applyEntries(merged["offers"], delta.offers, delta.deletedOffers);

    auto parsed = parseCatalogue(merged.dump());
    if (!parsed.ok) {
        r.error = "the merged catalogue is unusable: " + parsed.error;
        return r;
    }
    if (!parsed.issues.empty()) {
        const auto& first = parsed.issues.front();
        r.error = "the catalogue would be inconsistent: " + first.entry + ": " + first.reason;
        if (parsed.issues.size() > 1) r.error += " (and " + std::to_string(parsed.issues.size() - 1) + " more)";
        return r;
    }
    r.dropped = std::move(parsed.dropped);
    r.offersAfter = parsed.catalogue.offers.size();
    auto& swap = r.swap;
    swap.replaceAll = delta.full;
    if (delta.full) {
        swap.upserts = std::move(parsed.catalogue);
        r.offersChanged = swap.upserts.offers.size();
    } else {
        const Catalogue& c = parsed.catalogue;
        swap.upserts.version = c.version;
        // Theme positions come from their order in the list, so a changed theme rewrites them all.
        if (!delta.themes.empty()) swap.upserts.themes = c.themes;
        swap.upserts.neighbourhoods = onlyIds(c.neighbourhoods, idsOf(delta.neighbourhoods));
        swap.upserts.organisations = onlyIds(c.organisations, idsOf(delta.organisations));
        swap.upserts.offers = onlyIds(c.offers, idsOf(delta.offers));
        swap.deletedOffers = delta.deletedOffers;
        swap.deletedOrganisations = delta.deletedOrganisations;
        swap.deletedThemes = delta.deletedThemes;
        swap.deletedNeighbourhoods = delta.deletedNeighbourhoods;
        r.offersChanged = swap.upserts.offers.size() + swap.deletedOffers.size();
    }
    r.ok = true;
    return r;
}

} // namespace comptoir::sync
