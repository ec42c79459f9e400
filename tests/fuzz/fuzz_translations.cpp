// libFuzzer target: compiled translation catalogues (.mo) and their Plural-Forms rule are read
// from files a translator or a package provides. Property: never crash; a rule accepted always
// picks a form it declares; a catalogue refused leaves plain French and says why.
#include "comptoir/domain/i18n.hpp"

#include <cstdint>
#include <string_view>

namespace {
constexpr std::string_view kFrench = R"({"@plural_forms":"nplurals=2; plural=(n > 1);",
  "button.back":"Retour","offers.count":["{n} offre","{n} offres"],"idle.question":"Vous êtes toujours là ?"})";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        comptoir::PluralForms rule;
        if (rule.parse(rest))
            for (unsigned long long n : {0ULL, 1ULL, 2ULL, 5ULL, 11ULL, 101ULL, 1000000ULL, ~0ULL})
                if (rule.index(n) >= rule.count()) __builtin_trap();
        return 0;
    }
    comptoir::Strings s;
    std::string error;
    if (s.loadMo(kFrench, rest, error)) {
        if (s.get("button.back").empty()) __builtin_trap();
        for (long long n : {0LL, 1LL, 2LL, 7LL, 12LL, 100LL}) (void)s.plural("offers.count", n);
    } else {
        if (error.empty() || s.get("button.back") != "Retour") __builtin_trap();
    }
    return 0;
}
