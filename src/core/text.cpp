#include "core/text.hpp"

namespace pitboss::detail {

namespace {

void append_escaped(std::string& out, char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\') {
        out += c;
        return;
    }
    constexpr std::string_view kHex = "0123456789abcdef";
    out += "\\x";
    out += kHex[byte >> 4U];
    out += kHex[byte & 0x0fU];
}

}  // namespace

std::string quote_for_message(std::string_view text, std::size_t max_chars) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < max_chars; ++i) append_escaped(out, text[i]);
    out += text.size() > max_chars ? "\"..." : "\"";
    return out;
}

std::string shorten_for_message(std::string_view text, std::size_t max_chars) {
    if (text.size() <= max_chars) return std::string(text);
    return std::string(text.substr(0, max_chars)) + "...";
}

}  // namespace pitboss::detail
