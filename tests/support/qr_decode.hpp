#pragma once
/// @brief Test support: reads the QR codes in a picture with libzbar (tests only), as a phone would.

#include "comptoir/platform/platform.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <zbar.h>

namespace comptoir::test {

/// Every QR code zbar finds in an RGBA8 picture, as text.
inline std::vector<std::string> decodeQr(const std::vector<std::uint8_t>& rgba, int width, int height) {
    using namespace zbar; // zbar.h puts its C API in this namespace when compiled as C++
    std::vector<std::uint8_t> grey(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    for (std::size_t i = 0; i < grey.size(); ++i)
        grey[i] = static_cast<std::uint8_t>(
            (rgba[i * 4] * 299 + rgba[i * 4 + 1] * 587 + rgba[i * 4 + 2] * 114) / 1000);
    std::unique_ptr<zbar_image_scanner_t, decltype(&zbar_image_scanner_destroy)> scanner(
        zbar_image_scanner_create(), &zbar_image_scanner_destroy);
    (void)zbar_image_scanner_set_config(scanner.get(), ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    (void)zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    // The bytes as encoded (UTF-8), not zbar's guess of a character set, which takes short
    // French texts for Latin-1.
    (void)zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    std::unique_ptr<zbar_image_t, decltype(&zbar_image_destroy)> image(zbar_image_create(),
                                                                       &zbar_image_destroy);
    zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image.get(), static_cast<unsigned>(width), static_cast<unsigned>(height));
    zbar_image_set_data(image.get(), grey.data(), grey.size(), nullptr);
    std::vector<std::string> out;
    if (zbar_scan_image(scanner.get(), image.get()) <= 0) return out;
    for (const zbar_symbol_t* s = zbar_image_first_symbol(image.get()); s; s = zbar_symbol_next(s))
        out.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
    return out;
}

/// The QR codes of a PNG file; empty when the file cannot be read.
inline std::vector<std::string> decodeQrPng(const std::string& path) {
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgba;
    std::string error;
    if (!platform::readPng(path, w, h, rgba, error)) return {};
    return decodeQr(rgba, w, h);
}

} // namespace comptoir::test
