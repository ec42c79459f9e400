#pragma once
/// @brief The offer list screen: view-model, its builder, and its draw function.

#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::ui {

struct OfferCardVm {
    std::string id;
    std::uint32_t offerIndex = 0; ///< position of the offer in Catalogue::offers
    std::string title;
    std::string organisation; ///< "avec Épicerie solidaire…"
    std::string neighbourhood;
    std::string when;
    std::string duration;
    std::string themeId;
    std::string pictogram;
    std::vector<std::string> badges;
    bool full = false;
    bool permisCitoyen = false; ///< its badge names a word "Mots difficiles" explains
};

/// Cards for the published offers, in catalogue order, every text in the visitor's language.
[[nodiscard]] std::vector<OfferCardVm> buildOfferCards(const Catalogue& catalogue, const Strings& s);

/// Scroll state of a card list: Dear ImGui keeps the offset, we keep the finger's inertia.
struct OfferListState {
    bool scrollToTop = false; ///< consumed by the next draw
    float velocity = 0;       ///< px/s after a fling; decays to 0
    bool dragging = false;
    float dragTravel = 0; ///< how far the finger moved since it went down: a drag is not a tap
    float lastMouseY = 0;
    float scrollBy = 0; ///< consumed by the next draw: a page down asked by a button ("Plus bas")
};

/// Opens a child window of `size` at the cursor that scrolls by dragging with inertia (and by the
/// mouse wheel for agents), honouring `state.scrollToTop`. Close it with ImGui::EndChild().
/// Returns false while the current gesture is a drag, so that releasing it over a button is not a tap.
bool beginTouchScroll(const char* id, ImVec2 size, OfferListState& state, const Look& look, float dt,
                      bool& animating);

/// Draws cards (all of them, or only `indices` when given) in a scrolling, drag-to-scroll list
/// of the given size at the cursor. Returns the id of the offer tapped, if any.
/// `animating` is set while inertia still moves the list (the main loop keeps drawing then).
[[nodiscard]] std::optional<std::string> drawCardList(const std::vector<OfferCardVm>& cards,
                                                      const std::vector<std::uint32_t>* indices,
                                                      OfferListState& state, const Look& look,
                                                      WidgetRegistry& reg, ImVec2 size, float dt,
                                                      bool& animating);

/// The same, as one compact row per offer (title, where, when): for the search screen, where the
/// keyboard leaves room for a few lines only.
[[nodiscard]] std::optional<std::string> drawCompactList(const std::vector<OfferCardVm>& cards,
                                                         const std::vector<std::uint32_t>& indices,
                                                         OfferListState& state, const Look& look,
                                                         WidgetRegistry& reg, ImVec2 size, float dt,
                                                         bool& animating);

/// The header band shared by every visitor screen; returns its height. The title and tagline are
/// left out when they would run past `textRight` (window x) or below `textBottom` (window y; 0:
/// the band's height), e.g. with the largest text size: see headerTaglineFits.
float drawHeader(const Look& look, const std::string& title, const std::string& tagline,
                 float textRight = FLT_MAX, float height = 0, float textBottom = 0);
/// True when drawHeader has room for `tagline` beside its title, left of `textRight` and above
/// `textBottom` (window coordinates); else the caller lays it out elsewhere, never drops it.
[[nodiscard]] bool headerTaglineFits(const Look& look, const std::string& title, const std::string& tagline,
                                     float textRight, float textBottom);
/// The header's title alone, left of `textRight` (window coordinates), when it fits there.
bool drawHeaderTitle(const Look& look, const std::string& title, float textRight);

} // namespace comptoir::ui
