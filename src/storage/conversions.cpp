#include "storage/conversions.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "pitboss/core/error.hpp"

namespace pitboss::storage::detail {

std::optional<std::int64_t> parse_int64(std::string_view text) noexcept {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::optional<double> parse_real(std::string_view text) noexcept {
    // PostgreSQL spells the special values this way in its text protocol.
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

void throw_type_mismatch(std::string_view name, std::size_t index, std::string_view expected,
                         std::string_view found) {
    std::string column = name.empty() ? "#" + std::to_string(index) : "'" + std::string(name) + "'";
    throw StorageError("column " + column + ": expected " + std::string(expected) + ", found " +
                       std::string(found));
}

void throw_bad_column(std::size_t index, std::size_t count) {
    throw StorageError("column #" + std::to_string(index) + " does not exist (the result has " +
                       std::to_string(count) + " columns)");
}

std::string sql_head(std::string_view sql) {
    constexpr int kWords = 4;
    constexpr std::size_t kMaxLength = 60;
    std::string head;
    int words = 0;
    bool in_space = true;
    for (char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && !in_space && ++words == kWords) break;
        if (!space) {
            if (in_space && !head.empty()) head += ' ';
            head += c;
        }
        in_space = space;
        if (head.size() >= kMaxLength) return head + "...";
    }
    return head;
}

}  // namespace pitboss::storage::detail
