#include "comptoir/domain/text.hpp"
#include "comptoir/ui/visitor.hpp"

#include <algorithm>
#include <unordered_map>

namespace comptoir::ui {

namespace {
/// Overwrites a string's bytes before releasing them, so typed data does not linger in memory.
void wipe(std::string& s) {
    std::fill(s.begin(), s.end(), '\0');
    s.clear();
    s.shrink_to_fit();
}
} // namespace

void VisitorState::go(Screen next) {
    if (next == screen) return;
    history.push_back(screen);
    screen = next;
    form.problem.clear();
}

bool VisitorState::formStarted() const {
    return !form.firstName.empty() || !form.phone.empty() || !form.email.empty() || !form.message.empty();
}

void VisitorState::back() {
    if (history.empty()) {
        screen = Screen::Welcome;
        return;
    }
    screen = history.back();
    history.pop_back();
    form.problem.clear();
}

void VisitorState::reset() {
    wipe(form.firstName);
    wipe(form.phone);
    wipe(form.email);
    wipe(form.message);
    wipe(query);
    wipe(confirmedName);
    wipe(reference);
    *this = VisitorState{};
}

float textScale(int textSize) { return textSize <= 0 ? 1.0f : textSize == 1 ? 1.25f : 1.5f; }

const Offer* VisitorCatalogue::offer(const std::string& id) const {
    const OfferCardVm* c = card(id);
    return c && catalogue ? &catalogue->offers[c->offerIndex] : nullptr;
}

const OfferCardVm* VisitorCatalogue::card(const std::string& id) const {
    auto it = cardById.find(id);
    return it == cardById.end() ? nullptr : &cards[it->second];
}

VisitorCatalogue buildVisitorCatalogue(const Catalogue& c, const Strings& s, const std::string&) {
    VisitorCatalogue v;
    v.catalogue = &c;
    v.cards = buildOfferCards(c, s);
    v.cardById.reserve(v.cards.size());
    for (std::uint32_t i = 0; i < v.cards.size(); ++i) v.cardById.emplace(v.cards[i].id, i);
    std::unordered_map<std::string, int> open;
    for (const auto& o : c.offers)
        if (o.status == OfferStatus::Published && o.registrationOpen && o.placesLeft > 0) ++open[o.themeId];
    for (const auto& t : c.themes) v.themes.push_back({t.id, t.name, t.pictogram, open[t.id]});
    return v;
}

} // namespace comptoir::ui
