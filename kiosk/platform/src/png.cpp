#include "comptoir/platform/platform.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_image.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop

#include <cstdio>
#include <filesystem>

namespace comptoir::platform {

bool writePng(const std::string& path, int width, int height, const std::uint8_t* rgba, int stride,
              std::string& error) {
    // Write next to the target then rename, so a reader never sees half a file.
    std::string tmp = path + ".tmp";
    if (!stbi_write_png(tmp.c_str(), width, height, 4, rgba, stride)) {
        error = "cannot write " + tmp;
        return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        error = "cannot rename to " + path + ": " + ec.message();
        return false;
    }
    return true;
}

bool readPng(const std::string& path, int& width, int& height, std::vector<std::uint8_t>& rgba, std::string& error) {
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &width, &height, &channels, 4);
    if (!data) {
        error = std::string("cannot read ") + path + ": " + stbi_failure_reason();
        return false;
    }
    rgba.assign(data, data + static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    stbi_image_free(data);
    return true;
}

} // namespace comptoir::platform
