#pragma once
// Tokens of the segment rule language. Columns are 1-based byte offsets into the rule text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pitboss::segments::detail {

struct Token {
    enum class Kind {
        kIdent,     // field, function or keyword (keywords are matched case-insensitively)
        kString,    // "..." or '...'; text holds the unescaped value
        kNumber,    // -?digits[.digits]; mantissa / 10^scale
        kDate,      // YYYY-MM-DD; days since 1970-01-01
        kDuration,  // digits followed by d or w; days
        kLParen,
        kRParen,
        kComma,
        kOp,  // = == != <> < <= > >=; text holds the canonical spelling
        kEnd,
    };
    Kind kind = Kind::kEnd;
    std::size_t column = 0;
    std::string text;  // as written (unescaped for strings, canonical for operators)
    std::int64_t mantissa = 0;
    int scale = 0;
    std::int64_t days = 0;
};

/// Splits `text` into tokens ending with kEnd; throws RuleError for unterminated strings, bad
/// numbers, dates and durations, and unexpected characters.
[[nodiscard]] std::vector<Token> tokenize(std::string_view text);

/// Lower-case ASCII copy, for keyword matching.
[[nodiscard]] std::string lower(std::string_view text);

}  // namespace pitboss::segments::detail
