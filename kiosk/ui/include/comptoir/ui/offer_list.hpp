#pragma once
/// @brief The offer list screen: view-model, its builder, and its draw function.

#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <optional>
#include <string>
#include <vector>

namespace comptoir::ui {

struct OfferCardVm {
    std::string id;
    std::string title;
    std::string organisation; ///< "avec Épicerie solidaire…"
    std::string neighbourhood;
    std::string when;
    std::string duration;
    std::string themeId;
    std::string pictogram;
    std::vector<std::string> badges;
    bool full = false;
};

struct OfferListVm {
    std::string siteName;
    std::string tagline;
    std::string heading;
    std::string countText;
    std::string emptyText;
    std::string restartLabel;
    std::vector<OfferCardVm> cards;
};

/// Published offers only, in catalogue order, every text already in the visitor's language.
[[nodiscard]] OfferListVm buildOfferListVm(const Catalogue& catalogue, const Strings& s, const std::string& siteName);

struct OfferListIntent {
    std::optional<std::string> openOffer;
    bool restart = false;
};

/// What the screen keeps between frames (besides Dear ImGui's own scroll position).
struct OfferListState {
    bool scrollToTop = false; ///< consumed by the next draw
};

/// Draws the whole screen into the current full-screen window.
[[nodiscard]] OfferListIntent drawOfferList(const OfferListVm& vm, OfferListState& state, const Look& look,
                                            WidgetRegistry& reg);

/// The header band shared by every visitor screen; returns its height.
float drawHeader(const Look& look, const std::string& title, const std::string& tagline);

} // namespace comptoir::ui
