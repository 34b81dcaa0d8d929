#include "audit/text_checks.hpp"

#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::audit::detail {
namespace {

constexpr std::size_t kMaxLabelBytes = 256;

/// Length of the UTF-8 sequence that `lead` starts, 0 when it cannot start one.
std::size_t sequence_length(unsigned char lead) noexcept {
    if (lead < 0x80) return 1;
    if (lead >= 0xc2 && lead <= 0xdf) return 2;
    if (lead >= 0xe0 && lead <= 0xef) return 3;
    if (lead >= 0xf0 && lead <= 0xf4) return 4;
    return 0;
}

/// Allowed range of the second byte after `lead` (tighter than 80-BF for E0, ED, F0, F4).
bool second_byte_ok(unsigned char lead, unsigned char second) noexcept {
    switch (lead) {
        case 0xe0:
            return second >= 0xa0 && second <= 0xbf;  // no overlong 3-byte forms
        case 0xed:
            return second >= 0x80 && second <= 0x9f;  // no UTF-16 surrogates
        case 0xf0:
            return second >= 0x90 && second <= 0xbf;  // no overlong 4-byte forms
        case 0xf4:
            return second >= 0x80 && second <= 0x8f;  // nothing past U+10FFFF
        default:
            return second >= 0x80 && second <= 0xbf;
    }
}

bool is_continuation(unsigned char byte) noexcept { return (byte & 0xc0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = sequence_length(lead);
        if (length == 0 || i + length > text.size()) return false;
        if (length > 1 && !second_byte_ok(lead, static_cast<unsigned char>(text[i + 1]))) {
            return false;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if (!is_continuation(static_cast<unsigned char>(text[i + k]))) return false;
        }
        i += length;
    }
    return true;
}

void check_label(std::string_view text, const char* field) {
    if (text.empty()) throw ValidationError(field, "must not be empty");
    if (text.size() > kMaxLabelBytes) {
        throw ValidationError(field,
                              "must be at most " + std::to_string(kMaxLabelBytes) + " bytes");
    }
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            throw ValidationError(field, "must not contain control characters");
        }
    }
    if (!is_valid_utf8(text)) throw ValidationError(field, "must be valid UTF-8");
}

}  // namespace pitboss::audit::detail
