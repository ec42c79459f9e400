#include "comptoir/app/script.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <imgui.h>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

namespace comptoir::app {

namespace {

constexpr double kFrame = 1.0 / 60.0;

/// Reads a "quoted string" or a bare word from `rest`.
bool readQuoted(std::string rest, std::string& out) {
    auto b = rest.find_first_not_of(" \t");
    if (b == std::string::npos) return false;
    rest = rest.substr(b);
    if (rest.front() == '"') {
        auto e = rest.rfind('"');
        if (e == 0) return false;
        out = rest.substr(1, e - 1);
        return true;
    }
    auto e = rest.find_last_not_of(" \t\r");
    out = rest.substr(0, e + 1);
    return !out.empty();
}

void settle(KioskSession& s, int frames = 2) {
    for (int i = 0; i < frames; ++i)
        s.frame(kFrame);
}

/// A save runs on the writer's thread, a PIN check on its own, in real time: wait for the answer
/// (without letting the script's virtual time run) so that the next line sees "Merci", the
/// agent's screen or the failure, on any machine.
void awaitSave(KioskSession& s) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((s.awaitingSaveAnswer() || s.recordWriter().busy() || s.printing()) &&
           std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (s.saveState() == SaveState::Saving || s.state().print == ui::PrintState::Printing) settle(s, 1);
    while (s.agent().pinCheckRunning() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (s.agent().checkingPin()) settle(s, 1); // the frame that sees the answer applies it
}

std::vector<std::string> codePoints(const std::string& text) {
    std::vector<std::string> out;
    for (size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

} // namespace

void tapPoint(KioskSession& s, float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = true;
    s.frame(kFrame);
    io.MouseDown[0] = false;
    s.frame(kFrame);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX); // a finger leaves the screen: nothing stays hovered
    s.frame(kFrame);
}

namespace {
bool tapWidget(KioskSession& s, const std::string& label, bool key) {
    // "PREFIX*": a row whose label ends with something a script cannot know (a reference code).
    bool prefix = !key && label.size() > 1 && label.back() == '*';
    auto lookup = [&]() -> const ui::WidgetRecord* {
        if (!prefix) return key ? s.registry().findKey(label) : s.registry().find(label);
        for (const auto& w : s.registry().widgets())
            if (w.tappable && w.label.compare(0, label.size() - 1, label, 0, label.size() - 1) == 0)
                return &w;
        return nullptr;
    };
    const auto* w = lookup();
    if (!w) {
        settle(s, 1);
        w = lookup();
    }
    if (!w) return false;
    tapPoint(s, (w->min.x + w->max.x) * 0.5f, (w->min.y + w->max.y) * 0.5f);
    return true;
}
bool tapKey(KioskSession& s, const std::string& label) {
    return tapWidget(s, label, true);
}

using Toggles = std::vector<std::pair<std::string, std::string>>;

/// Taps `label` on the page shown, else through up to `depth` page keys (a capital from the
/// "123" page takes two: "ABC", then "Maj"); a page that does not lead to it is left again.
bool tapThroughPages(KioskSession& s, const std::string& label, const Toggles& toggles, int depth) {
    if (tapKey(s, label)) return true;
    if (depth == 0) return false;
    for (const auto& [toggle, undo] : toggles) {
        if (!s.registry().findKey(toggle)) continue;
        (void)tapKey(s, toggle);
        if (tapThroughPages(s, label, toggles, depth - 1)) return true;
        (void)tapKey(s, undo);
    }
    return false;
}
} // namespace

bool tapLabel(KioskSession& s, const std::string& label) {
    return tapWidget(s, label, false);
}

bool typeText(KioskSession& s, const std::string& text, std::string& error) {
    // The keyboard's own keys are named in the display language ("Espace", "Space", "مسافة").
    const Strings& k = s.visitorStrings();
    const std::string space = k.get("key.space"), shift = k.get("key.shift"), digits = k.get("key.digits"),
                      letters = k.get("key.letters");
    // Keys that change what the keyboard shows, each with the key that undoes it.
    const Toggles toggles = {{shift, shift}, {digits, letters}, {letters, digits}};
    for (const auto& ch : codePoints(text)) {
        std::string label = ch == " " ? space : ch;
        if (tapKey(s, label)) continue;
        // The phone keypad has no space key: it groups the digits itself, so a space is skipped.
        if (ch == " " && s.registry().findKey("0") && !s.registry().findKey(shift) &&
            !s.registry().findKey(letters))
            continue;
        if (!tapThroughPages(s, label, toggles, 2)) {
            error = "no key \"" + label + "\" on the on-screen keyboard";
            return false;
        }
    }
    return true;
}

void secretGesture(KioskSession& s) {
    for (int i = 0; i < 3; ++i)
        tapPoint(s, 12, 12); // three taps in the top-left corner, well within 2 s
}

bool pressKey(KioskSession& s, const std::string& name) {
    static const std::pair<const char*, ImGuiKey_> keys[] = {{"Enter", ImGuiKey_Enter},
                                                             {"Tab", ImGuiKey_Tab},
                                                             {"Backspace", ImGuiKey_Backspace},
                                                             {"Escape", ImGuiKey_Escape}};
    std::string keyName = name;
    bool shift = keyName.rfind("Shift+", 0) == 0;
    if (shift) keyName = keyName.substr(6);
    for (const auto& [label, key] : keys) {
        if (keyName != label) continue;
        ImGuiIO& io = ImGui::GetIO();
        // Headless there is no SDL backend to fill the key map: give each key a slot of its own.
        if (io.KeyMap[key] < 0) io.KeyMap[key] = 256 + key;
        io.KeyShift = shift;
        io.KeysDown[io.KeyMap[key]] = true;
        s.frame(kFrame);
        io.KeysDown[io.KeyMap[key]] = false;
        io.KeyShift = false;
        s.frame(kFrame);
        return true;
    }
    return false;
}

void typeOnKeyboard(KioskSession& s, const std::string& text) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    settle(s, 2);
}

void waitSeconds(KioskSession& s, double seconds) {
    // Half-second steps: coarse enough to be quick, fine enough for a 1 s countdown.
    while (seconds > 0) {
        double step = std::min(seconds, 0.5);
        s.frame(step);
        seconds -= step;
    }
    settle(s, 1);
}

namespace {
/// The process's peak resident memory (VmHWM) in MiB; -1 when /proc cannot say.
double peakResidentMiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    return -1;
}

/// Starts the peak over from the memory in use now (Linux: "5" to clear_refs), so that a
/// benchmark leaves out a deliberate spike such as the PIN check's Argon2id.
bool resetPeakResident() {
    std::ofstream refs("/proc/self/clear_refs");
    refs << "5";
    refs.flush();
    return static_cast<bool>(refs);
}

/// "@key" names a sentence of the translation catalogue, in the display language: one script
/// walks the screens in every language.
std::string resolveLabel(const KioskSession& s, const std::string& label) {
    return label.size() > 1 && label.front() == '@' ? s.visitorStrings().get(label.substr(1)) : label;
}
} // namespace

ScriptResult runScript(KioskSession& s, std::istream& in) {
    ScriptResult r;
    std::string line;
    settle(s);
    awaitSave(s); // an answer still coming from an earlier line (a save, a PIN check)
    while (std::getline(in, line)) {
        ++r.line;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto b = line.find_first_not_of(" \t");
        if (b == std::string::npos || line[b] == '#') continue;
        r.text = line;
        std::istringstream ls(line.substr(b));
        std::string cmd;
        ls >> cmd;
        std::string rest;
        std::getline(ls, rest);
        auto fail = [&](const std::string& why) {
            r.ok = false;
            r.message = why;
            return r;
        };
        if (cmd == "tap") {
            std::istringstream nums(rest);
            float x = 0, y = 0;
            if (nums >> x >> y) {
                tapPoint(s, x, y);
                continue;
            }
            std::string label;
            if (!readQuoted(rest, label)) return fail("tap needs \"LABEL\" or X Y");
            label = resolveLabel(s, label);
            if (!tapLabel(s, label)) return fail("no widget labelled \"" + label + "\" on screen");
        } else if (cmd == "drag") {
            std::istringstream nums(rest);
            float x1, y1, x2, y2, ms;
            if (!(nums >> x1 >> y1 >> x2 >> y2 >> ms) || ms < 0) return fail("drag needs X1 Y1 X2 Y2 MS");
            ImGuiIO& io = ImGui::GetIO();
            int steps = std::max(2, static_cast<int>(ms / 1000.0f / static_cast<float>(kFrame)));
            for (int i = 0; i <= steps; ++i) {
                float t = static_cast<float>(i) / static_cast<float>(steps);
                io.MousePos = ImVec2(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t);
                io.MouseDown[0] = true;
                s.frame(kFrame);
            }
            io.MouseDown[0] = false;
            s.frame(kFrame);
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            s.frame(kFrame);
        } else if (cmd == "type") {
            std::string text = rest.substr(std::min(rest.size(), rest.find_first_not_of(' ')));
            if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
                text = text.substr(1, text.size() - 2);
            std::string error;
            if (!typeText(s, text, error)) return fail(error);
        } else if (cmd == "language") {
            std::string code;
            if (!readQuoted(rest, code)) return fail("language needs a code such as ar");
            s.setLanguage(code);
            settle(s, 1);
            if (s.language() != code) return fail("language " + code + " is not offered");
        } else if (cmd == "gesture") {
            secretGesture(s);
        } else if (cmd == "press") {
            std::string key;
            if (!readQuoted(rest, key) || !pressKey(s, key))
                return fail("press needs Enter, Tab, Shift+Tab, Backspace or Escape");
        } else if (cmd == "keys") {
            std::string text;
            if (!readQuoted(rest, text)) return fail("keys needs TEXT");
            typeOnKeyboard(s, text);
        } else if (cmd == "absent") {
            std::string label;
            if (!readQuoted(rest, label)) return fail("absent needs \"LABEL\"");
            label = resolveLabel(s, label);
            settle(s, 1);
            if (s.registry().find(label)) return fail("\"" + label + "\" is on screen, it should not be");
        } else if (cmd == "clock") {
            std::string hhmm;
            auto minute = readQuoted(rest, hhmm) ? parseClockTime(hhmm) : std::nullopt;
            if (!minute) return fail("clock needs a time such as 21:30");
            s.setTimeOfDay(*minute);
            settle(s, 1);
        } else if (cmd == "wait") {
            char* end = nullptr;
            double secs = std::strtod(rest.c_str(), &end);
            if (end == rest.c_str() || secs < 0 || secs > 86400) return fail("wait needs SECONDS");
            waitSeconds(s, secs);
        } else if (cmd == "expect") {
            std::string label;
            if (!readQuoted(rest, label)) return fail("expect needs \"LABEL\"");
            label = resolveLabel(s, label);
            settle(s, 1);
            if (!s.registry().find(label))
                return fail("expected \"" + label + "\" on screen, it is not there");
        } else if (cmd == "peak-memory") {
            std::istringstream words(rest);
            std::string what, metric;
            words >> what >> metric;
            if (what == "reset") {
                if (!resetPeakResident()) return fail("cannot reset the peak memory (/proc/self/clear_refs)");
            } else if (what == "print" && !metric.empty()) {
                double mib = peakResidentMiB();
                if (mib < 0) return fail("cannot read the peak memory (/proc/self/status)");
                std::printf("%s %.1f MB\n", metric.c_str(), mib);
                std::fflush(stdout);
            } else {
                return fail("peak-memory needs reset or print METRIC");
            }
        } else if (cmd == "screenshot") {
            std::string file;
            if (!readQuoted(rest, file)) return fail("screenshot needs FILE");
            settle(s, 1);
            std::string error;
            if (!s.surface().savePng(file, error)) return fail(error);
        } else {
            return fail("unknown command '" + cmd + "'");
        }
        awaitSave(s);
    }
    r.ok = true;
    return r;
}

} // namespace comptoir::app
