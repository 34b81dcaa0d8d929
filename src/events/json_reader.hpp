#pragma once
// A small strict JSON reader for flat objects: reads one object member by member, keeping
// numbers as their literal text and strings as views into the input (or into a scratch buffer
// when they had escapes). Nested values are validated and returned as their raw text.
// Malformed JSON throws ValidationError("json", ...) naming the byte offset.

#include <cstddef>
#include <string>
#include <string_view>

namespace pitboss::events::detail {

/// The JSON type of a value.
enum class JsonKind : unsigned char { kString, kNumber, kTrue, kFalse, kNull, kObject, kArray };

/// "string", "number", "boolean", "null", "object", "array".
[[nodiscard]] std::string_view kind_name(JsonKind kind) noexcept;

/// One value: a string's decoded UTF-8 content, a number's literal, or the raw text of a
/// literal, object or array.
struct JsonValue {
    JsonKind kind = JsonKind::kNull;
    std::string_view text;
};

/// Reads the members of one JSON object. Views stay valid while the input and the scratch
/// buffer live and the buffer is not reused by another reader.
class JsonObjectReader {
public:
    /// Starts on `text`, which must hold one object and nothing else but whitespace;
    /// `scratch` receives unescaped strings (it is grown to the input's size).
    JsonObjectReader(std::string_view text, std::string& scratch);

    /// The next member, or false after the closing brace (then the rest was checked to be
    /// whitespace).
    bool next(std::string_view& key, JsonValue& value);

private:
    [[noreturn]] void fail(std::string_view problem) const;
    [[noreturn]] void fail_expected(std::string_view what) const;
    void skip_whitespace() noexcept;
    void expect(char c, std::string_view what);
    JsonValue read_value(int depth);
    std::string_view read_string();
    std::string_view read_escaped_string(const char* start);
    void decode_escape();
    unsigned read_hex4();
    void check_utf8_sequence();
    std::string_view read_number();
    std::string_view read_literal(std::string_view word);
    std::string_view read_container(char open, char close, int depth);

    const char* begin_;
    const char* pos_;
    const char* end_;
    char* out_;
    bool first_ = true;
    bool done_ = false;
};

}  // namespace pitboss::events::detail
