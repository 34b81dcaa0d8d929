// QR codes as SVG: the document decodes back to a module grid of a valid QR size, with the
// finder, separator and timing patterns every QR code has.

#include "pitboss/access/qr_code.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

using Grid = std::vector<std::vector<bool>>;

// The modules of the SVG (quiet zone included), from its viewBox and its "M x,y h n v1 h-n z"
// runs; the path must hold nothing else, and every run must lie inside the code.
Grid decode(const std::string& svg) {
    // Plain parsing: libstdc++'s std::regex recurses per character and overflows the stack on
    // the long path of a large code.
    std::smatch box;
    const std::string head = svg.substr(0, svg.find('>'));
    REQUIRE(std::regex_search(head, box, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
    REQUIRE(box[1] == box[2]);
    const auto size = static_cast<std::size_t>(std::stoul(box[1]));
    Grid grid(size, std::vector<bool>(size, false));
    const auto d_at = svg.find(" d=\"");
    REQUIRE(d_at != std::string::npos);
    const auto d_end = svg.find('"', d_at + 4);
    REQUIRE(d_end != std::string::npos);
    const std::string d = svg.substr(d_at + 4, d_end - d_at - 4);
    std::size_t pos = 0;
    // Reads the digits at pos, then expects `after`.
    const auto number = [&](std::string_view after) {
        const std::size_t start = pos;
        while (pos < d.size() && d[pos] >= '0' && d[pos] <= '9') ++pos;
        REQUIRE(pos > start);
        const auto value = static_cast<std::size_t>(std::stoul(d.substr(start, pos - start)));
        REQUIRE(d.compare(pos, after.size(), after) == 0);
        pos += after.size();
        return value;
    };
    while (pos < d.size()) {
        REQUIRE(d[pos] == 'M');
        ++pos;
        const std::size_t x = number(",");
        const std::size_t y = number("h");
        const std::size_t n = number("v1h-");
        REQUIRE(number("z") == n);
        REQUIRE(y < size);
        REQUIRE(x + n <= size);
        for (std::size_t i = 0; i < n; ++i) grid[y][x + i] = true;
    }
    return grid;
}

// The 7x7 finder pattern with its top-left module at (x, y): a dark ring, a light ring, a dark
// 3x3 centre.
bool finder_at(const Grid& g, std::size_t x, std::size_t y) {
    for (std::size_t dy = 0; dy < 7; ++dy) {
        for (std::size_t dx = 0; dx < 7; ++dx) {
            const bool ring = dx == 0 || dx == 6 || dy == 0 || dy == 6;
            const bool centre = dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4;
            if (g[y + dy][x + dx] != (ring || centre)) return false;
        }
    }
    return true;
}

TEST_CASE("access: qr_code_svg draws a structurally valid QR code", "[access]") {
    const std::string uri =
        "otpauth://totp/pitboss:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=pitboss&"
        "algorithm=SHA1&digits=6&period=30";
    const std::string svg = qr_code_svg(uri);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    const Grid g = decode(svg);
    const std::size_t quiet = 4;
    const std::size_t width = g.size() - 2 * quiet;
    REQUIRE((width - 17) % 4 == 0);
    const std::size_t version = (width - 17) / 4;
    // 117 bytes at level M need version 7 (106 bytes fit version 6, 122 version 7).
    REQUIRE(uri.size() == 117);
    CHECK(version == 7);

    for (std::size_t i = 0; i < g.size(); ++i) {  // the quiet zone is light
        for (std::size_t q = 0; q < quiet; ++q) {
            CHECK_FALSE(g[i][q]);
            CHECK_FALSE(g[q][i]);
            CHECK_FALSE(g[i][g.size() - 1 - q]);
            CHECK_FALSE(g[g.size() - 1 - q][i]);
        }
    }
    CHECK(finder_at(g, quiet, quiet));
    CHECK(finder_at(g, quiet + width - 7, quiet));
    CHECK(finder_at(g, quiet, quiet + width - 7));
    CHECK_FALSE(finder_at(g, quiet + width - 7, quiet + width - 7));
    for (std::size_t i = 8; i < width - 8; ++i) {  // timing patterns alternate
        CHECK(g[quiet + 6][quiet + i] == (i % 2 == 0));
        CHECK(g[quiet + i][quiet + 6] == (i % 2 == 0));
    }
    CHECK(g[quiet + 4 * version + 9][quiet + 8]);  // the dark module
}

TEST_CASE("access: qr_code_svg grows with the text and refuses what cannot be encoded",
          "[access]") {
    const auto width = [](const std::string& text) { return decode(qr_code_svg(text)).size(); };
    CHECK(width("a") == 21 + 8);  // version 1
    CHECK(width(std::string(500, 'x')) > width(std::string(100, 'x')));
    CHECK(qr_code_svg("same text") == qr_code_svg("same text"));
    CHECK_THROWS_AS(qr_code_svg(""), ValidationError);
    CHECK_THROWS_AS(qr_code_svg(std::string("a\0b", 3)), ValidationError);
    CHECK_THROWS_AS(qr_code_svg(std::string(3000, 'x')), ValidationError);
}

}  // namespace
}  // namespace pitboss::access
