#pragma once
/// @brief Test support: a temporary folder removed at the end of the test, and file helpers.

#include <filesystem>
#include <string>

namespace comptoir::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

  private:
    std::filesystem::path m_path;
};

[[nodiscard]] std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);
[[nodiscard]] std::string sourcePath(const std::string& relative);
[[nodiscard]] std::string binaryPath(const std::string& relative);

/// Runs a shell command; returns its exit code and fills `output` with stdout+stderr.
int runCommand(const std::string& command, std::string& output);

} // namespace comptoir::test
