#include "pitboss/access/qr_code.hpp"

#include <qrencode.h>

#include <memory>

#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

constexpr int kQuietZone = 4;

struct QrDeleter {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

std::string qr_code_svg(std::string_view text) {
    if (text.empty() || text.find('\0') != std::string_view::npos) {
        throw ValidationError("text", "must be non-empty and hold no NUL byte");
    }
    const std::string copy(text);
    const std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M));
    if (!code) throw ValidationError("text", "does not fit in a QR code");
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    const std::string side = std::to_string(size);
    const std::string pixels = std::to_string(size * 4);
    // Appended piece by piece: GCC 12 at -O3 misreports chains of `"literal" + std::string`
    // (-Wrestrict).
    std::string svg;
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ");
    svg.append(side).append(" ").append(side).append("\" width=\"").append(pixels);
    svg.append("\" height=\"").append(pixels).append("\" shape-rendering=\"crispEdges\">\n");
    svg.append("<rect width=\"").append(side).append("\" height=\"").append(side);
    svg.append("\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"");
    // One subpath per horizontal run of dark modules: "M<x>,<y>h<run>v1h-<run>z".
    for (int y = 0; y < width; ++y) {
        const unsigned char* row = code->data + static_cast<std::ptrdiff_t>(y) * width;
        for (int x = 0; x < width;) {
            if ((row[x] & 1U) == 0) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < width && (row[x + run] & 1U) != 0) ++run;
            const std::string length = std::to_string(run);
            svg.append("M").append(std::to_string(x + kQuietZone)).append(",");
            svg.append(std::to_string(y + kQuietZone)).append("h").append(length);
            svg.append("v1h-").append(length).append("z");
            x += run;
        }
    }
    svg.append("\"/>\n</svg>\n");
    return svg;
}

}  // namespace pitboss::access
