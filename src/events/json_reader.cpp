#include "events/json_reader.hpp"

#include <cstring>

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {

namespace {

/// Deeper nesting (only ever inside values of unknown keys) is refused, bounding the recursion.
constexpr int kMaxDepth = 64;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

unsigned char byte_at(const char* p) noexcept { return static_cast<unsigned char>(*p); }

/// Bytes that end the fast scan of a string: quote, backslash, control and non-ASCII bytes.
bool is_plain_string_byte(unsigned char b) noexcept {
    return b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
}

void append_utf8(char*& out, unsigned code_point) noexcept {
    const auto put = [&out](unsigned bits) { *out++ = static_cast<char>(bits); };
    if (code_point < 0x80) {
        put(code_point);
    } else if (code_point < 0x800) {
        put(0xC0 | (code_point >> 6));
        put(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        put(0xE0 | (code_point >> 12));
        put(0x80 | ((code_point >> 6) & 0x3F));
        put(0x80 | (code_point & 0x3F));
    } else {
        put(0xF0 | (code_point >> 18));
        put(0x80 | ((code_point >> 12) & 0x3F));
        put(0x80 | ((code_point >> 6) & 0x3F));
        put(0x80 | (code_point & 0x3F));
    }
}

}  // namespace

std::string_view kind_name(JsonKind kind) noexcept {
    switch (kind) {
        case JsonKind::kString:
            return "string";
        case JsonKind::kNumber:
            return "number";
        case JsonKind::kTrue:
        case JsonKind::kFalse:
            return "boolean";
        case JsonKind::kNull:
            return "null";
        case JsonKind::kObject:
            return "object";
        case JsonKind::kArray:
            return "array";
    }
    return "value";
}

JsonObjectReader::JsonObjectReader(std::string_view text, std::string& scratch)
    : begin_(text.data()), pos_(text.data()), end_(text.data() + text.size()) {
    // Unescaping never lengthens a string, so the input's size bounds everything written.
    if (scratch.size() < text.size()) scratch.resize(text.size());
    out_ = scratch.data();
    skip_whitespace();
    expect('{', "'{' starting an event object");
}

bool JsonObjectReader::next(std::string_view& key, JsonValue& value) {
    if (done_) return false;
    skip_whitespace();
    if (pos_ == end_) fail("unexpected end of input inside the object");
    if (*pos_ == '}' && first_) {
        ++pos_;
    } else {
        if (!first_) {
            if (*pos_ == '}') {
                ++pos_;
                done_ = true;
            } else {
                expect(',', "',' or '}'");
                skip_whitespace();
            }
        }
        if (!done_) {
            first_ = false;
            if (pos_ == end_ || *pos_ != '"') fail_expected("a string key");
            ++pos_;
            key = read_string();
            skip_whitespace();
            expect(':', "':' after a key");
            skip_whitespace();
            value = read_value(1);
            return true;
        }
    }
    done_ = true;
    skip_whitespace();
    if (pos_ != end_) fail("unexpected characters after the object");
    return false;
}

void JsonObjectReader::fail(std::string_view problem) const {
    throw ValidationError("json",
                          std::string(problem) + " at byte " + std::to_string(pos_ - begin_));
}

void JsonObjectReader::fail_expected(std::string_view what) const {
    if (pos_ == end_) fail("unexpected end of input, expected " + std::string(what));
    fail("expected " + std::string(what));
}

void JsonObjectReader::skip_whitespace() noexcept {
    while (pos_ != end_ && (*pos_ == ' ' || *pos_ == '\t' || *pos_ == '\n' || *pos_ == '\r')) {
        ++pos_;
    }
}

void JsonObjectReader::expect(char c, std::string_view what) {
    if (pos_ == end_ || *pos_ != c) fail_expected(what);
    ++pos_;
}

JsonValue JsonObjectReader::read_value(int depth) {
    if (pos_ == end_) fail("unexpected end of input, expected a value");
    switch (*pos_) {
        case '"':
            ++pos_;
            return {JsonKind::kString, read_string()};
        case 't':
            return {JsonKind::kTrue, read_literal("true")};
        case 'f':
            return {JsonKind::kFalse, read_literal("false")};
        case 'n':
            return {JsonKind::kNull, read_literal("null")};
        case '{':
            return {JsonKind::kObject, read_container('{', '}', depth)};
        case '[':
            return {JsonKind::kArray, read_container('[', ']', depth)};
        default:
            if (*pos_ == '-' || is_digit(*pos_)) return {JsonKind::kNumber, read_number()};
            fail("expected a value");
    }
}

std::string_view JsonObjectReader::read_string() {
    const char* start = pos_;
    for (;;) {
        while (pos_ != end_ && is_plain_string_byte(byte_at(pos_))) ++pos_;
        if (pos_ == end_) fail("unexpected end of input inside a string");
        const unsigned char b = byte_at(pos_);
        if (b == '"') {
            const std::string_view text(start, static_cast<std::size_t>(pos_ - start));
            ++pos_;
            return text;
        }
        if (b == '\\') return read_escaped_string(start);
        if (b < 0x20) fail("control character in a string (escape it)");
        check_utf8_sequence();
    }
}

std::string_view JsonObjectReader::read_escaped_string(const char* start) {
    char* const first = out_;
    std::memcpy(out_, start, static_cast<std::size_t>(pos_ - start));
    out_ += pos_ - start;
    for (;;) {
        if (pos_ == end_) fail("unexpected end of input inside a string");
        const unsigned char b = byte_at(pos_);
        if (b == '"') {
            ++pos_;
            return {first, static_cast<std::size_t>(out_ - first)};
        }
        if (b == '\\') {
            decode_escape();
        } else if (b < 0x20) {
            fail("control character in a string (escape it)");
        } else if (b < 0x80) {
            *out_++ = *pos_++;
        } else {
            const char* sequence = pos_;
            check_utf8_sequence();
            std::memcpy(out_, sequence, static_cast<std::size_t>(pos_ - sequence));
            out_ += pos_ - sequence;
        }
    }
}

void JsonObjectReader::decode_escape() {
    ++pos_;  // the backslash
    if (pos_ == end_) fail("unexpected end of input inside an escape");
    const char c = *pos_++;
    switch (c) {
        case '"':
            *out_++ = '"';
            return;
        case '\\':
            *out_++ = '\\';
            return;
        case '/':
            *out_++ = '/';
            return;
        case 'b':
            *out_++ = '\b';
            return;
        case 'f':
            *out_++ = '\f';
            return;
        case 'n':
            *out_++ = '\n';
            return;
        case 'r':
            *out_++ = '\r';
            return;
        case 't':
            *out_++ = '\t';
            return;
        case 'u':
            break;
        default:
            --pos_;
            fail("invalid escape in a string");
    }
    unsigned code_point = read_hex4();
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) fail("unpaired low surrogate escape");
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
        if (end_ - pos_ < 2 || pos_[0] != '\\' || pos_[1] != 'u') {
            fail("high surrogate escape not followed by a low surrogate");
        }
        pos_ += 2;
        const unsigned low = read_hex4();
        if (low < 0xDC00 || low > 0xDFFF)
            fail("high surrogate escape not followed by a low surrogate");
        code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out_, code_point);
}

unsigned JsonObjectReader::read_hex4() {
    if (end_ - pos_ < 4) fail("unexpected end of input inside a \\u escape");
    unsigned value = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
        const char c = *pos_;
        unsigned digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<unsigned>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<unsigned>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            digit = static_cast<unsigned>(c - 'A' + 10);
        } else {
            fail("invalid hex digit in a \\u escape");
        }
        value = value * 16 + digit;
    }
    return value;
}

// Well-formed UTF-8 per Unicode table 3-7: no overlong forms, no surrogates, <= U+10FFFF.
void JsonObjectReader::check_utf8_sequence() {
    const unsigned char lead = byte_at(pos_);
    int continuation = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation = 2;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation = 3;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        fail("invalid UTF-8 in a string");
    }
    if (end_ - pos_ <= continuation) fail("invalid UTF-8 in a string (truncated sequence)");
    for (int i = 1; i <= continuation; ++i) {
        const unsigned char b = byte_at(pos_ + i);
        const unsigned char min = i == 1 ? low : 0x80;
        const unsigned char max = i == 1 ? high : 0xBF;
        if (b < min || b > max) fail("invalid UTF-8 in a string");
    }
    pos_ += continuation + 1;
}

std::string_view JsonObjectReader::read_number() {
    const char* start = pos_;
    if (*pos_ == '-') ++pos_;
    if (pos_ == end_ || !is_digit(*pos_)) fail("invalid number: a digit must follow '-'");
    if (*pos_ == '0') {
        ++pos_;
        if (pos_ != end_ && is_digit(*pos_)) fail("invalid number: leading zero");
    } else {
        while (pos_ != end_ && is_digit(*pos_)) ++pos_;
    }
    if (pos_ != end_ && *pos_ == '.') {
        ++pos_;
        if (pos_ == end_ || !is_digit(*pos_)) fail("invalid number: a digit must follow '.'");
        while (pos_ != end_ && is_digit(*pos_)) ++pos_;
    }
    if (pos_ != end_ && (*pos_ == 'e' || *pos_ == 'E')) {
        ++pos_;
        if (pos_ != end_ && (*pos_ == '+' || *pos_ == '-')) ++pos_;
        if (pos_ == end_ || !is_digit(*pos_))
            fail("invalid number: a digit must follow the exponent");
        while (pos_ != end_ && is_digit(*pos_)) ++pos_;
    }
    return {start, static_cast<std::size_t>(pos_ - start)};
}

std::string_view JsonObjectReader::read_literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - pos_) < word.size() ||
        std::memcmp(pos_, word.data(), word.size()) != 0) {
        fail("expected a value");
    }
    const char* start = pos_;
    pos_ += word.size();
    return {start, word.size()};
}

std::string_view JsonObjectReader::read_container(char open, char close, int depth) {
    if (depth >= kMaxDepth) fail("values nested too deeply");
    const char* start = pos_;
    ++pos_;  // the opening bracket
    skip_whitespace();
    if (pos_ != end_ && *pos_ == close) {
        ++pos_;
        return {start, static_cast<std::size_t>(pos_ - start)};
    }
    for (;;) {
        if (open == '{') {
            if (pos_ == end_ || *pos_ != '"') fail_expected("a string key");
            ++pos_;
            (void)read_string();
            skip_whitespace();
            expect(':', "':' after a key");
            skip_whitespace();
        }
        (void)read_value(depth + 1);
        skip_whitespace();
        if (pos_ != end_ && *pos_ == close) {
            ++pos_;
            return {start, static_cast<std::size_t>(pos_ - start)};
        }
        expect(',', open == '{' ? "',' or '}'" : "',' or ']'");
        skip_whitespace();
    }
}

}  // namespace pitboss::events::detail
