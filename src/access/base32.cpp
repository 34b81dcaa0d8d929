#include "access/base32.hpp"

#include <array>

#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kInvalid = -1;

constexpr std::array<int, 256> make_decode_table() {
    std::array<int, 256> table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        const auto upper = static_cast<std::size_t>(static_cast<unsigned char>(kAlphabet[i]));
        table[upper] = static_cast<int>(i);
        if (upper >= 'A' && upper <= 'Z') table[upper + ('a' - 'A')] = static_cast<int>(i);
    }
    return table;
}

constexpr std::array<int, 256> kDecode = make_decode_table();

// Unpadded lengths modulo 8 that a whole number of bytes can produce (RFC 4648 section 6).
bool is_valid_unpadded_length(std::size_t length) noexcept {
    const std::size_t rest = length % 8;
    return rest == 0 || rest == 2 || rest == 4 || rest == 5 || rest == 7;
}

std::string_view strip_padding(std::string_view text, std::string_view field) {
    const std::size_t end = text.find_last_not_of('=');
    const std::size_t data_length = end == std::string_view::npos ? 0 : end + 1;
    const std::size_t padding = text.size() - data_length;
    if (padding == 0) return text;
    // Padding fills the last 8-character group; the data length is checked by the caller.
    if (text.size() % 8 != 0 || padding >= 8) {
        throw ValidationError(std::string(field), "malformed Base32 padding");
    }
    return text.substr(0, data_length);
}

}  // namespace

std::string base32_encode(std::span<const std::uint8_t> data, bool pad) {
    std::string out;
    out.reserve((data.size() + 4) / 5 * 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const std::uint8_t byte : data) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(kAlphabet[(buffer >> bits) & 0x1F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
    if (pad) {
        while (out.size() % 8 != 0) out.push_back('=');
    }
    return out;
}

std::vector<std::uint8_t> base32_decode(std::string_view text, std::string_view field) {
    const std::string_view data = strip_padding(text, field);
    if (!is_valid_unpadded_length(data.size())) {
        throw ValidationError(std::string(field), "impossible Base32 length");
    }
    std::vector<std::uint8_t> out;
    out.reserve(data.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : data) {
        const int value = kDecode[static_cast<unsigned char>(c)];
        if (value == kInvalid) {
            throw ValidationError(std::string(field), "character outside the Base32 alphabet");
        }
        buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(buffer >> bits));
        }
    }
    if ((buffer & ((1U << bits) - 1)) != 0) {
        throw ValidationError(std::string(field), "non-zero trailing Base32 bits");
    }
    return out;
}

}  // namespace pitboss::access
