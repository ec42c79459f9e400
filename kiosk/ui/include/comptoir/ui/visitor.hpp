#pragma once
/// @brief The visitor journey: its state (a plain struct), and one draw function per screen.
///
/// Screens mutate only UI state (which screen, which field, which chips); anything with an effect
/// outside the UI — recording, feedback, a new look — is returned as an Effect for the app.

#include "comptoir/domain/guided.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/search.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/ui/keyboard.hpp"
#include "comptoir/ui/offer_list.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace comptoir::ui {

enum class Screen {
    Welcome,
    GuidedThemes,  ///< "Je ne sais pas quoi choisir": what you like (guided_screens.cpp)
    GuidedWhen,    ///< when you are free
    GuidedHow,     ///< how: alone, together, outdoors, sitting, with children
    GuidedOften,   ///< how often
    GuidedResults, ///< ranked suggestions, each with why it fits
    Offers,
    Search,
    Detail,
    FirstName,
    Contact,
    Moment,
    Message,
    CallbackWhen,
    Consent,
    Saving,     ///< the record is being written, off the UI thread
    SaveFailed, ///< the database refused it: what happens now, "Réessayer"
    Declined,
    Confirmation,
    Feedback,
    Goodbye,
    Words, ///< "Mots difficiles": the few necessary terms explained (words_screen.cpp); "Retour" goes back
};

enum class Purpose { Interest, Callback };

/// What the visitor chose in the filter panel: the domain search's own filters and order.
struct Filters {
    SearchFilters search;
    SearchSort sort;
    bool operator==(const Filters&) const = default;
};

struct FormState {
    std::string firstName;
    std::string phone;
    std::string email;
    std::string message;
    bool emailMode = false;
    std::string moment;         ///< morning, afternoon, evening, any
    std::string recontactAfter; ///< YYYY-MM-DD
    int recontactChoice = -1;
    bool consentTicked = false;
    std::string problem; ///< kind message shown under the field
};

/// Where the visitor's printed ticket stands (a receipt printer is configured).
enum class PrintState { None, Printing, Printed, Failed };

/// Everything one visitor did. reset() wipes it (idle timeout, "Recommencer").
struct VisitorState {
    Screen screen = Screen::Welcome;
    std::vector<Screen> history;
    Purpose purpose = Purpose::Interest;
    std::string offerId;
    Filters filters;
    std::string query;
    bool filtersOpen = false;
    FormState form;
    KeyboardState keyboard;
    std::string confirmedName;
    std::string reference;
    bool confirmedByEmail = false;       ///< on Confirmation: the visitor gave an e-mail and no phone
    std::string confirmedRecontactAfter; ///< on Confirmation of a call-back: the date chosen
    bool saveKept = false; ///< on SaveFailed: the record waits in the save spool, safe from a restart
    bool feedbackGiven = false;
    bool languageMenuOpen = false; ///< the list of languages shows over the screen
    bool restartAsked = false;     ///< "Tout effacer et recommencer ?" shows over a half-filled form
    GuidedAnswers guided;                     ///< the guided choice's answers so far
    std::optional<GuidedResult> guidedResult; ///< computed by the app when GuidedResults shows
    PrintState print = PrintState::None;
    // results of the current query + filters, computed by the app (indices into cards)
    std::vector<std::uint32_t> results;
    bool resultsDirty = true;
    OfferListState list;
    OfferListState filtersScroll;
    OfferListState detailScroll;
    OfferListState guidedScroll; ///< the themes of the guided choice, when they need more than a screen
    OfferListState wordsScroll;
    /// The word "Mots difficiles" opens on (words.<id>), outlined; empty: none in particular.
    std::string wordsFocus;
    bool wordsJump = false;       ///< scroll the focused word into view on the next frame
    OfferListState messageScroll; ///< the message field, when a long message is read back
    /// A screen's content above its bottom bar (consent, confirmation, choices, forms), when large
    /// text or a small screen makes it taller than the room; starts at the top on each screen.
    OfferListState screenScroll;
    Screen screenScrollOf = Screen::Welcome;
    std::size_t messageShown = 0; ///< the message length last drawn: typing brings the end into view
    float scrollVelocity = 0;

    /// Something typed in the form that "Recommencer" would wipe.
    [[nodiscard]] bool formStarted() const;
    void go(Screen next);
    void back();
    /// Overwrites every typed character before releasing it, then returns to the welcome screen.
    void reset();
};

/// Look settings chosen by the visitor; they survive reset() only until the welcome screen.
struct LookChoice {
    int textSize = 0; ///< 0: ×1, 1: ×1.25, 2: ×1.5
    bool highContrast = false;
    bool operator==(const LookChoice&) const = default;
};
[[nodiscard]] float textScale(int textSize);

/// Read-aloud as the visitor set it: once on, every new screen is read until the next visitor.
struct SpeechChoice {
    bool on = false;
    int volume = 1; ///< 0 soft, 1 normal, 2 loud
    bool operator==(const SpeechChoice&) const = default;
};

/// What the current screen says, in reading order, and where (to highlight what is being read).
/// Screens add visible sentences, field names and choices — never what a visitor typed.
struct Readable {
    struct Part {
        std::string text;
        ImVec2 min, max;
    };
    std::vector<Part> parts;
    bool muted = false; ///< while true, nothing is added (text on screen that must not be said)
    void add(const std::string& text, ImVec2 min, ImVec2 max) {
        if (!muted && !text.empty()) parts.push_back({text, min, max});
    }
};

/// What the catalogue gives the screens, prepared once per catalogue.
struct VisitorCatalogue {
    const Catalogue* catalogue = nullptr;
    std::vector<OfferCardVm> cards; ///< published offers, catalogue order
    struct ThemeTile {
        std::string id, name, pictogram;
        int openOffers = 0;
    };
    std::vector<ThemeTile> themes;
    std::unordered_map<std::string, std::uint32_t> cardById; ///< id → index in cards
    [[nodiscard]] const Offer* offer(const std::string& id) const;
    [[nodiscard]] const OfferCardVm* card(const std::string& id) const;
};
[[nodiscard]] VisitorCatalogue buildVisitorCatalogue(const Catalogue& c, const Strings& s,
                                                     const std::string& siteName);

struct Effect {
    bool submit = false;   ///< record the interest or call-back in state.form (consent given)
    int feedbackScore = 0; ///< 1..4 when a face was tapped
    bool lookChanged = false;
    bool restart = false;
    bool retrySave = false;  ///< "Réessayer" after a failed save
    bool readScreen = false; ///< "Écouter" or "Répéter": read the screen aloud (and keep reading)
    std::string language;    ///< a language the visitor picked ("ar"): the next frame is drawn in it
    std::string print;       ///< the take-away ticket to print, when the visitor tapped "Imprimer"
};

/// A language the visitor can pick, named in itself ("Español", "العربية").
struct LanguageChoice {
    std::string code, name;
};

struct KeyFocus;

struct ScreenContext {
    const Look& look;
    const Strings& s;
    WidgetRegistry& reg;
    const VisitorCatalogue& data;
    LookChoice& lookChoice;
    std::string siteName;
    int callbackDays = 3;
    int retentionDays = 365;
    std::string today; ///< YYYY-MM-DD, for the call-back choices
    float dt = 1.0f / 60.0f;
    bool printer = false; ///< a receipt printer is configured: the confirmation offers "Imprimer"
    const std::vector<LanguageChoice>* languages = nullptr; ///< null or one entry: no language button
    SpeechChoice* speech = nullptr; ///< null: no read-aloud controls (agent screens)
    Readable* readable = nullptr;   ///< filled while the screen draws
    bool speechUnavailable = false; ///< read-aloud is on but no voice or sound card: say so
    /// Where the header keeps room for "Mots difficiles" (window coordinates, width 0: none);
    /// set by the header, used once the screen has drawn and shows such a word.
    ImVec4 wordsSlot{0, 0, 0, 0};
    bool wordsSlotOnTitleRow = false; ///< the slot shares the site name's row (else it is lower)
    /// Where the header's text may end (window coordinates); below 0: no header this frame.
    float headerTextRight = -1;
    /// The French catalogue: offers are French in every language.
    const Strings* french = nullptr;
    /// Agent screens: the Tab ring (agent.hpp) their buttons join; null on visitor screens.
    KeyFocus* focus = nullptr;
};

/// Draws the current screen of the visitor journey into the full-screen window.
[[nodiscard]] Effect drawVisitor(VisitorState& state, ScreenContext& ctx);

/// The idle question, drawn over everything; returns true when the visitor says they are here.
[[nodiscard]] bool drawIdlePrompt(ScreenContext& ctx, int secondsLeft);

} // namespace comptoir::ui
