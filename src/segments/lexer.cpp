#include "segments/lexer.hpp"

#include <limits>

#include "pitboss/core/error.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/segments/rule.hpp"

namespace pitboss::segments::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

[[noreturn]] void fail(std::size_t column, const std::string& problem,
                       const std::string& hint = "") {
    throw RuleError(column, problem + " at column " + std::to_string(column) +
                                (hint.empty() ? "" : "; " + hint));
}

// Shows a lexeme in a message: printable ASCII only, at most 24 characters.
std::string shown(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 24)) {
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    return out;
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (true) {
            skip_space();
            if (pos_ >= text_.size()) {
                out.push_back(Token{Token::Kind::kEnd, pos_ + 1, "", 0, 0, 0});
                return out;
            }
            out.push_back(next());
        }
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    Token simple(Token::Kind kind, std::size_t length, std::string spelling) {
        Token t{kind, pos_ + 1, std::move(spelling), 0, 0, 0};
        pos_ += length;
        return t;
    }

    Token next() {
        const char c = text_[pos_];
        const char n = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        switch (c) {
            case '(':
                return simple(Token::Kind::kLParen, 1, "(");
            case ')':
                return simple(Token::Kind::kRParen, 1, ")");
            case ',':
                return simple(Token::Kind::kComma, 1, ",");
            case '=':
                return simple(Token::Kind::kOp, n == '=' ? 2 : 1, "=");
            case '!':
                if (n == '=') return simple(Token::Kind::kOp, 2, "!=");
                break;
            case '<':
                if (n == '=') return simple(Token::Kind::kOp, 2, "<=");
                if (n == '>') return simple(Token::Kind::kOp, 2, "!=");
                return simple(Token::Kind::kOp, 1, "<");
            case '>':
                if (n == '=') return simple(Token::Kind::kOp, 2, ">=");
                return simple(Token::Kind::kOp, 1, ">");
            case '"':
            case '\'':
                return string_literal(c);
            default:
                break;
        }
        if (is_digit(c) || (c == '-' && is_digit(n))) return number();
        if (is_ident_start(c)) {
            const std::size_t start = pos_;
            while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
            return Token{Token::Kind::kIdent,
                         start + 1,
                         std::string(text_.substr(start, pos_ - start)),
                         0,
                         0,
                         0};
        }
        if (c == '-') fail(pos_ + 1, "'-' must start a number");
        fail(pos_ + 1, "unexpected character '" + shown(text_.substr(pos_, 1)) + "'");
    }

    Token string_literal(char quote) {
        const std::size_t start = pos_;
        ++pos_;
        std::string value;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == quote) {
                ++pos_;
                return Token{Token::Kind::kString, start + 1, std::move(value), 0, 0, 0};
            }
            if (c == '\\') {
                if (pos_ + 1 >= text_.size()) break;
                const char e = text_[pos_ + 1];
                if (e != '\\' && e != '"' && e != '\'') {
                    fail(pos_ + 1, "unknown escape '\\" + shown(text_.substr(pos_ + 1, 1)) + "'",
                         "only \\\\, \\\" and \\' are allowed");
                }
                value += e;
                pos_ += 2;
                continue;
            }
            value += c;
            ++pos_;
        }
        fail(start + 1, "unterminated string");
    }

    Token number() {
        const std::size_t start = pos_;
        const bool negative = text_[pos_] == '-';
        if (negative) ++pos_;
        const std::size_t digits_start = pos_;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
        // A date: exactly YYYY-MM-DD.
        if (!negative && pos_ - digits_start == 4 && pos_ < text_.size() && text_[pos_] == '-') {
            return date(start);
        }
        int scale = 0;
        bool has_point = false;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            has_point = true;
            ++pos_;
            const std::size_t frac_start = pos_;
            while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
            if (pos_ == frac_start) {
                fail(start + 1,
                     "malformed number '" + shown(text_.substr(start, pos_ - start)) + "'",
                     "write digits after the decimal point");
            }
            if (pos_ - frac_start > 18) fail(start + 1, "too many decimals in number");
            scale = static_cast<int>(pos_ - frac_start);
        }
        // Mantissa: every digit, exactly.
        std::int64_t mantissa = 0;
        for (std::size_t i = digits_start; i < pos_; ++i) {
            if (text_[i] == '.') continue;
            const int d = text_[i] - '0';
            if (mantissa > (std::numeric_limits<std::int64_t>::max() - d) / 10) {
                fail(start + 1,
                     "number '" + shown(text_.substr(start, pos_ - start)) + "' is too large");
            }
            mantissa = mantissa * 10 + d;
        }
        if (negative) mantissa = -mantissa;
        if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
            const std::size_t unit_start = pos_;
            while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
            const std::string_view unit = text_.substr(unit_start, pos_ - unit_start);
            const std::string lexeme = shown(text_.substr(start, pos_ - start));
            if (has_point || negative || (unit != "d" && unit != "w")) {
                fail(start + 1, "bad duration '" + lexeme + "'",
                     "durations are whole days (30d) or weeks (2w)");
            }
            const std::int64_t factor = unit == "w" ? 7 : 1;
            if (mantissa > std::numeric_limits<std::int32_t>::max() / factor) {
                fail(start + 1, "duration '" + lexeme + "' is too large");
            }
            Token t{Token::Kind::kDuration, start + 1, std::string(lexeme), 0, 0, 0};
            t.days = mantissa * factor;
            return t;
        }
        Token t{Token::Kind::kNumber,
                start + 1,
                std::string(text_.substr(start, pos_ - start)),
                mantissa,
                scale,
                0};
        return t;
    }

    Token date(std::size_t start) {
        // pos_ is at the first '-'.
        const auto two_digits = [&](std::size_t at) {
            return at + 1 < text_.size() && is_digit(text_[at]) && is_digit(text_[at + 1]);
        };
        const bool shape = two_digits(pos_ + 1) && pos_ + 3 < text_.size() &&
                           text_[pos_ + 3] == '-' && two_digits(pos_ + 4) &&
                           (pos_ + 6 >= text_.size() || !is_ident_char(text_[pos_ + 6]));
        std::size_t end = pos_;
        while (end < text_.size() && (is_ident_char(text_[end]) || text_[end] == '-')) ++end;
        const std::string lexeme(text_.substr(start, (shape ? pos_ + 6 : end) - start));
        if (!shape) fail(start + 1, "malformed date '" + shown(lexeme) + "'", "write YYYY-MM-DD");
        pos_ += 6;
        Date d;
        try {
            d = parse_date(lexeme);
        } catch (const ValidationError&) {
            fail(start + 1, "invalid date '" + lexeme + "'");
        }
        Token t{Token::Kind::kDate, start + 1, lexeme, 0, 0, 0};
        t.days = std::chrono::sys_days(d).time_since_epoch().count();
        return t;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) { return Lexer(text).run(); }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace pitboss::segments::detail
