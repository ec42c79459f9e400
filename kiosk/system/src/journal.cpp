#include "comptoir/system/journal.hpp"

#include <cstdlib>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
// Without this, sd_journal_sendv stamps every entry with CODE_FILE/CODE_LINE/CODE_FUNC of the
// sink itself (journal.cpp, sink_it_), which tells a reader of `journalctl -o verbose` nothing.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

namespace comptoir::system {

namespace {

std::mutex g_kioskIdMutex;
std::string g_kioskId;
thread_local std::vector<std::pair<std::string, std::string>> t_fields;

bool validFieldName(const std::string& name) {
    if (name.empty() || name.size() > 48) return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

int syslogPriority(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
        return LOG_DEBUG;
    case spdlog::level::info:
        return LOG_INFO;
    case spdlog::level::warn:
        return LOG_WARNING;
    case spdlog::level::err:
        return LOG_ERR;
    case spdlog::level::critical:
        return LOG_CRIT;
    default:
        return LOG_INFO;
    }
}

/// Sends each line natively to the journal; a failure to log never stops the kiosk.
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit JournalSink(std::string identifier) : m_identifier(std::move(identifier)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        auto fields =
            journalFields(msg.level, std::string(msg.payload.data(), msg.payload.size()), m_identifier);
        std::vector<iovec> iov;
        iov.reserve(fields.size());
        for (auto& f : fields)
            iov.push_back({f.data(), f.size()});
        (void)sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    }
    void flush_() override {}

  private:
    std::string m_identifier;
};

} // namespace

bool stderrIsJournal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (!stream || !*stream) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
    struct stat st {};
    if (fstat(2, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == dev &&
           static_cast<unsigned long long>(st.st_ino) == ino;
}

void setupLogging(const std::string& name) {
    static std::once_flag once;
    std::call_once(once, [&] {
        std::shared_ptr<spdlog::logger> logger;
        if (stderrIsJournal()) {
            logger = std::make_shared<spdlog::logger>(name, std::make_shared<JournalSink>(name));
            logger->set_pattern("%v"); // the journal stamps time, priority and identifier itself
        } else {
            logger = spdlog::stderr_color_mt(name);
            logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
        }
        spdlog::set_default_logger(logger);
        if (const char* lvl = std::getenv("COMPTOIR_LOG")) spdlog::set_level(spdlog::level::from_str(lvl));
    });
}

void setLogKioskId(const std::string& kioskId) {
    std::lock_guard lock(g_kioskIdMutex);
    g_kioskId = kioskId;
}

LogFields::LogFields(std::vector<std::pair<std::string, std::string>> fields) {
    for (auto& f : fields)
        if (validFieldName(f.first)) {
            t_fields.push_back(std::move(f));
            ++m_count;
        }
}

LogFields::~LogFields() {
    t_fields.resize(t_fields.size() - m_count);
}

std::vector<std::string> journalFields(spdlog::level::level_enum level, const std::string& message,
                                       const std::string& identifier) {
    std::vector<std::string> out;
    out.push_back("MESSAGE=" + message);
    out.push_back("PRIORITY=" + std::to_string(syslogPriority(level)));
    out.push_back("SYSLOG_IDENTIFIER=" + identifier);
    {
        std::lock_guard lock(g_kioskIdMutex);
        if (!g_kioskId.empty()) out.push_back("COMPTOIR_KIOSK_ID=" + g_kioskId);
    }
    for (const auto& [name, value] : t_fields)
        out.push_back("COMPTOIR_" + name + "=" + value);
    return out;
}

} // namespace comptoir::system
