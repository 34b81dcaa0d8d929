#include "storage/placeholders.hpp"

namespace pitboss::storage::detail {
namespace {

bool is_identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

/// Scans a statement once, copying it and numbering the placeholders it meets.
class Rewriter {
public:
    explicit Rewriter(std::string_view sql) : sql_(sql) { out_.reserve(sql.size() + 16); }

    std::string run() && {
        while (pos_ < sql_.size()) step();
        return std::move(out_);
    }

private:
    void step() {
        const char c = sql_[pos_];
        if (c == '\'') {
            copy_quoted('\'', escape_string_prefix());
        } else if (c == '"') {
            copy_quoted('"', false);
        } else if (starts_with("--")) {
            copy_until("\n", 1);
        } else if (starts_with("/*")) {
            copy_until("*/", 2);
        } else if (c == '$' && copy_dollar_quoted()) {
            return;
        } else if (c == '?') {
            out_ += '$';
            out_ += std::to_string(++count_);
            ++pos_;
        } else {
            out_ += c;
            ++pos_;
        }
    }

    [[nodiscard]] bool starts_with(std::string_view prefix) const {
        return sql_.substr(pos_, prefix.size()) == prefix;
    }

    /// True when the quote at pos_ opens an E'...' string, where backslash escapes a quote.
    [[nodiscard]] bool escape_string_prefix() const {
        if (pos_ == 0 || (sql_[pos_ - 1] != 'E' && sql_[pos_ - 1] != 'e')) return false;
        return pos_ == 1 || !is_identifier_char(sql_[pos_ - 2]);
    }

    /// Copies a quoted run; a doubled quote stays inside it naturally (close, then reopen).
    void copy_quoted(char quote, bool backslash_escapes) {
        out_ += sql_[pos_++];
        while (pos_ < sql_.size()) {
            const char c = sql_[pos_++];
            out_ += c;
            if (backslash_escapes && c == '\\' && pos_ < sql_.size()) {
                out_ += sql_[pos_++];
            } else if (c == quote) {
                return;
            }
        }
    }

    /// Copies from pos_ through the next `terminator` (or to the end).
    void copy_until(std::string_view terminator, std::size_t skip) {
        const std::size_t end = sql_.find(terminator, pos_ + skip);
        const std::size_t stop =
            end == std::string_view::npos ? sql_.size() : end + terminator.size();
        out_.append(sql_.substr(pos_, stop - pos_));
        pos_ = stop;
    }

    /// Copies a $tag$ ... $tag$ body when one starts at pos_; false when `$` is something else
    /// (a `$1` parameter, or part of an identifier).
    bool copy_dollar_quoted() {
        if (pos_ > 0 && is_identifier_char(sql_[pos_ - 1])) return false;
        std::size_t end = pos_ + 1;
        while (end < sql_.size() && is_identifier_char(sql_[end]) &&
               !(end == pos_ + 1 && sql_[end] >= '0' && sql_[end] <= '9')) {
            ++end;
        }
        if (end >= sql_.size() || sql_[end] != '$') return false;
        const std::string_view tag = sql_.substr(pos_, end - pos_ + 1);
        copy_until(tag, tag.size());
        return true;
    }

    std::string_view sql_;
    std::string out_;
    std::size_t pos_ = 0;
    int count_ = 0;
};

}  // namespace

std::string rewrite_placeholders(std::string_view sql) { return Rewriter(sql).run(); }

}  // namespace pitboss::storage::detail
