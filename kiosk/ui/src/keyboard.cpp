#include "comptoir/ui/keyboard.hpp"

#include "comptoir/ui/bidi.hpp"

#include "comptoir/domain/text.hpp"

#include <map>
#include <vector>

namespace comptoir::ui {

namespace {

enum class KeyKind { Char, Shift, Backspace, Space, ToDigits, ToLetters };

struct Key {
    std::string text;
    KeyKind kind = KeyKind::Char;
    float width = 1.0f; ///< in key units
};

using Row = std::vector<Key>;

Row chars(std::initializer_list<const char*> keys) {
    Row r;
    for (const char* k : keys) r.push_back({k});
    return r;
}

std::vector<Row> rowsFor(KeyboardLayout layout, const KeyboardState& st) {
    std::vector<Row> rows;
    if (layout == KeyboardLayout::Digits) {
        rows.push_back(chars({"1", "2", "3"}));
        rows.push_back(chars({"4", "5", "6"}));
        rows.push_back(chars({"7", "8", "9"}));
        rows.push_back({{"+"}, {"0"}, {"", KeyKind::Backspace}});
        return rows;
    }
    if ((layout == KeyboardLayout::Letters || layout == KeyboardLayout::Search) && st.digitsOnLetters) {
        rows.push_back(chars({"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}));
        rows.push_back(chars({"!", "?", ".", ",", ":", ";", "(", ")", "/", "€"}));
        Row r3 = chars({"'", "-", "«", "»", "…", "&", "+"});
        r3.push_back({"", KeyKind::Backspace, 2.0f});
        rows.push_back(r3);
        rows.push_back({{"", KeyKind::ToLetters, 2.0f}, {"", KeyKind::Space, 7.0f}});
        return rows;
    }
    if (layout == KeyboardLayout::Email) rows.push_back(chars({"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}));
    rows.push_back(chars({"a", "z", "e", "r", "t", "y", "u", "i", "o", "p"}));
    rows.push_back(chars({"q", "s", "d", "f", "g", "h", "j", "k", "l", "m"}));
    Row r3;
    r3.push_back({"", KeyKind::Shift, 1.5f});
    for (const char* k : {"w", "x", "c", "v", "b", "n"}) r3.push_back({k});
    if (layout == KeyboardLayout::Email) {
        r3.push_back({"."});
        r3.push_back({"_"});
    } else {
        r3.push_back({"'"});
        r3.push_back({"-"});
    }
    r3.push_back({"", KeyKind::Backspace, 1.5f});
    rows.push_back(r3);
    if (layout == KeyboardLayout::Email) {
        rows.push_back({{"@", KeyKind::Char, 1.5f}, {".fr", KeyKind::Char, 1.5f}, {".com", KeyKind::Char, 1.5f},
                        {"-"}, {"é"}, {"è"}, {"ç"}, {"à"}});
    } else {
        if (layout != KeyboardLayout::Search)
            rows.push_back(chars({"é", "è", "ê", "ë", "à", "â", "ç", "ù", "û", "ô", "î", "ï", "œ"}));
        rows.push_back({{"", KeyKind::ToDigits, 2.0f}, {"", KeyKind::Space, 7.0f}, {"."}, {","}});
    }
    return rows;
}

std::string labelOf(const Key& k, const KeyboardState& st, const KeyboardLabels& labels) {
    switch (k.kind) {
    case KeyKind::Shift: return labels.shift;
    case KeyKind::Backspace: return labels.backspace;
    case KeyKind::Space: return labels.space;
    case KeyKind::ToDigits: return labels.digits;
    case KeyKind::ToLetters: return labels.letters;
    case KeyKind::Char: return st.shift ? upperKey(k.text) : k.text;
    }
    return k.text;
}

float rowUnits(const Row& r) {
    float u = 0;
    for (const auto& k : r) u += k.width;
    return u;
}

float keyUnitFor(KeyboardLayout layout, const Look& look, float width) {
    // Letter keys: 10 or 13 per row, never smaller than a fingertip (48 px at 1080p ≈ 36 design px).
    float maxUnits = layout == KeyboardLayout::Digits ? 3.0f : 13.0f;
    float unit = width / maxUnits;
    if (layout == KeyboardLayout::Digits) unit = std::min(unit, look.fx(120));
    return std::max(unit, look.fx(40));
}

} // namespace

std::string upperKey(const std::string& key) {
    static const std::map<std::string, std::string> accents = {
        {"é", "É"}, {"è", "È"}, {"ê", "Ê"}, {"ë", "Ë"}, {"à", "À"}, {"â", "Â"}, {"ç", "Ç"},
        {"ù", "Ù"}, {"û", "Û"}, {"ô", "Ô"}, {"î", "Î"}, {"ï", "Ï"}, {"œ", "Œ"}};
    if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z') return std::string(1, static_cast<char>(key[0] - 32));
    if (auto it = accents.find(key); it != accents.end()) return it->second;
    return key;
}

namespace {
/// 56 design px when there is room; down to 36 (48 px at 1080p, a fingertip) when there is not.
float keyHeightFor(const Look& look, float unit, std::size_t rows, float maxHeight) {
    float keyH = std::max(look.fx(48), std::min(unit * 0.85f, look.fx(56)));
    float fit = maxHeight / static_cast<float>(rows) - look.fx(8);
    return std::max(look.fx(36), std::min(keyH, fit));
}
} // namespace

float keyboardHeight(KeyboardLayout layout, const Look& look, float width, float maxHeight) {
    KeyboardState st;
    auto rows = rowsFor(layout, st);
    float keyH = keyHeightFor(look, keyUnitFor(layout, look, width), rows.size(), maxHeight);
    return static_cast<float>(rows.size()) * (keyH + look.fx(8));
}

std::optional<KeyPress> drawKeyboard(KeyboardLayout layout, KeyboardState& st, const KeyboardLabels& labels,
                                     const Look& look, WidgetRegistry& reg, ImVec2 pos, float width, float dt,
                                     float maxHeight) {
    std::optional<KeyPress> out;
    const Palette& p = look.palette;
    auto rows = rowsFor(layout, st);
    float unit = keyUnitFor(layout, look, width);
    float keyH = keyHeightFor(look, unit, rows.size(), maxHeight);
    float gap = look.fx(8);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float totalH = static_cast<float>(rows.size()) * (keyH + gap);
    dl->AddRectFilled(ImVec2(pos.x - gap, pos.y - gap), ImVec2(pos.x + width + gap, pos.y + totalH),
                      p.highContrast ? p.background : IM_COL32(240, 228, 214, 255), look.fx(16));
    // The keyboard lies over the screen: a finger on it (on a key or between two) reaches nothing
    // beneath, whatever was laid out there.
    reg.cover(ImVec2(pos.x - gap, pos.y - gap), ImVec2(pos.x + width + gap, pos.y + totalH));
    WidgetRegistry::CoverScope own(reg);
    bool backspaceDown = false;
    for (size_t r = 0; r < rows.size(); ++r) {
        const Row& row = rows[r];
        float units = rowUnits(row);
        float rowW = units * unit;
        float x = pos.x + (width - rowW) * 0.5f;
        float y = pos.y + static_cast<float>(r) * (keyH + gap);
        for (size_t k = 0; k < row.size(); ++k) {
            const Key& key = row[k];
            std::string label = labelOf(key, st, labels);
            ImVec2 kmin(x + gap * 0.5f, y);
            ImVec2 kmax(x + key.width * unit - gap * 0.5f, y + keyH);
            if (look.rtl) { // a right-to-left frame is mirrored whole: the keys are pre-mirrored to stay
                            // AZERTY
                float a = kmin.x, b = kmax.x;
                kmin.x = 2 * pos.x + width - b;
                kmax.x = 2 * pos.x + width - a;
            }
            ImGui::SetCursorScreenPos(kmin);
            ImGui::PushID(static_cast<int>(r * 100 + k));
            bool pressed = ImGui::InvisibleButton("##key", ImVec2(kmax.x - kmin.x, kmax.y - kmin.y));
            bool held = ImGui::IsItemActive();
            ImGui::PopID();
            bool special = key.kind != KeyKind::Char;
            bool on = key.kind == KeyKind::Shift && st.shift;
            ImU32 bg = on ? p.accent : special ? (p.highContrast ? p.surface : IM_COL32(226, 208, 190, 255)) : p.surface;
            if (held) bg = p.accentSoft;
            dl->AddRectFilled(kmin, kmax, bg, look.fx(10));
            if (p.highContrast) dl->AddRect(kmin, kmax, p.ink, look.fx(10));
            ImFont* f = special || label.size() > 2 ? look.fonts.body : look.fonts.bold;
            // Keys are frame-sized: large text never makes them smaller; a name that would be
            // wider than its key ("Effacer", "Mayús", "Стерти" at ×1.5) is drawn smaller instead.
            float size = f->FontSize;
            ImVec2 ts = f->CalcTextSizeA(size, FLT_MAX, 0, shown(look.rtl, label));
            const float fit = kmax.x - kmin.x - look.fx(12);
            if (ts.x > fit && fit > 0) {
                size *= fit / ts.x;
                ts = f->CalcTextSizeA(size, FLT_MAX, 0, shown(look.rtl, label));
            }
            (void)addText(dl, look.rtl, f,
                          ImVec2((kmin.x + kmax.x - ts.x) * 0.5f, (kmin.y + kmax.y - ts.y) * 0.5f),
                          on ? p.accentInk : p.ink, label, 0, nullptr, size);
            reg.recordKey(label, kmin, kmax, ts);
            if (key.kind == KeyKind::Backspace && held) backspaceDown = true;
            if (pressed) {
                switch (key.kind) {
                case KeyKind::Char:
                    out = KeyPress{label, false};
                    st.shift = false; // one capital at a time, like a phone keyboard
                    break;
                case KeyKind::Space: out = KeyPress{" ", false}; break;
                case KeyKind::Backspace:
                    if (st.backspaceHeld < 0.5f) out = KeyPress{"", true}; // a tap; holding repeats below
                    break;
                case KeyKind::Shift: st.shift = !st.shift; break;
                case KeyKind::ToDigits: st.digitsOnLetters = true; break;
                case KeyKind::ToLetters: st.digitsOnLetters = false; break;
                }
            }
            x += key.width * unit;
        }
    }
    // Backspace repeats while held: after half a second, twelve characters a second.
    if (backspaceDown) {
        st.backspaceHeld += dt;
        if (st.backspaceHeld >= 0.5f) {
            st.repeatClock += dt;
            while (st.repeatClock >= 0.08f) {
                st.repeatClock -= 0.08f;
                out = KeyPress{"", true};
            }
        }
    } else {
        st.backspaceHeld = 0;
        st.repeatClock = 0;
    }
    return out;
}

void applyKey(std::string& field, const KeyPress& key, std::size_t maxCodePoints) {
    if (key.backspace) {
        while (!field.empty()) {
            auto c = static_cast<unsigned char>(field.back());
            field.pop_back();
            if ((c & 0xC0) != 0x80) break; // removed the lead byte: one whole code point gone
        }
        return;
    }
    std::string clean = utf8Sanitise(key.text, 16);
    if (utf8Length(field) + utf8Length(clean) > maxCodePoints) return;
    field += clean;
}

} // namespace comptoir::ui
