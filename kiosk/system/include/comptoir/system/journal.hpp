#pragma once
/// @brief Logging for the kiosk's programs: the systemd journal, with priorities and structured
/// fields, when stderr is the journal (a systemd unit); stderr lines otherwise (the dev tree).
/// Fields carry ids only (kiosk, event type, reference code): never a name, phone or e-mail.

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

namespace comptoir::system {

/// Makes `name` (e.g. "comptoir-kiosk") the default logger, on the journal or stderr (see
/// stderrIsJournal); the level comes from $COMPTOIR_LOG (debug, info, warn…). Idempotent.
void setupLogging(const std::string& name);

/// True when systemd connected stderr to the journal ($JOURNAL_STREAM names stderr's device and
/// inode), so lines sent natively are not also written twice.
[[nodiscard]] bool stderrIsJournal();

/// The kiosk id added to every later journal entry as COMPTOIR_KIOSK_ID.
void setLogKioskId(const std::string& kioskId);

/// Extra journal fields for the log lines of this thread while the object lives, e.g.
/// `LogFields f({{"EVENT", "interest.registered"}, {"REFERENCE", code}});` → COMPTOIR_EVENT=…,
/// COMPTOIR_REFERENCE=…. Names are upper-case letters, digits and '_'; others are dropped.
class LogFields {
  public:
    explicit LogFields(std::vector<std::pair<std::string, std::string>> fields);
    ~LogFields();
    LogFields(const LogFields&) = delete;
    LogFields& operator=(const LogFields&) = delete;

  private:
    std::size_t m_count = 0;
};

/// The journal entry for one log line: MESSAGE, PRIORITY (syslog levels), SYSLOG_IDENTIFIER,
/// COMPTOIR_KIOSK_ID when set, then this thread's LogFields. Exposed for tests.
[[nodiscard]] std::vector<std::string>
journalFields(spdlog::level::level_enum level, const std::string& message, const std::string& identifier);

} // namespace comptoir::system
