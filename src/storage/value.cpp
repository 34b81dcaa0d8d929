#include "pitboss/storage/value.hpp"

#include <algorithm>

#include "storage/conversions.hpp"

namespace pitboss::storage {
namespace {

std::string_view kind_of(const Value& value) {
    switch (value.index()) {
        case 0:
            return "NULL";
        case 1:
            return "integer";
        case 2:
            return "real";
        default:
            return "text";
    }
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
        return lower(x) == lower(y);
    });
}

}  // namespace

const Value& Row::at(std::size_t i) const {
    if (i >= values_.size()) detail::throw_bad_column(i, values_.size());
    return values_[i];
}

const Value& Row::at(std::string_view name) const { return values_[index_of(name)]; }

bool Row::is_null(std::size_t i) const { return std::holds_alternative<Null>(at(i)); }

std::int64_t Row::int64(std::size_t i) const {
    const Value& value = at(i);
    if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
    if (const auto* text = std::get_if<std::string>(&value)) {
        if (auto parsed = detail::parse_int64(*text)) return *parsed;
    }
    detail::throw_type_mismatch(name_of(i), i, "integer", kind_of(value));
}

double Row::real(std::size_t i) const {
    const Value& value = at(i);
    if (const auto* number = std::get_if<double>(&value)) return *number;
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        return static_cast<double>(*integer);
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
        if (auto parsed = detail::parse_real(*text)) return *parsed;
    }
    detail::throw_type_mismatch(name_of(i), i, "real", kind_of(value));
}

std::string Row::text(std::size_t i) const {
    const Value& value = at(i);
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    detail::throw_type_mismatch(name_of(i), i, "text", kind_of(value));
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return text(i);
}

std::optional<Timestamp> Row::opt_timestamp(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return timestamp(i);
}

std::size_t Row::index_of(std::string_view name) const {
    if (names_) {
        const auto& names = *names_;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == name) return i;
        }
        // PostgreSQL folds unquoted identifiers to lower case; SQLite keeps them as written.
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (equal_ignoring_case(names[i], name)) return i;
        }
    }
    throw StorageError("no column named '" + std::string(name) + "' in the result");
}

std::string_view Row::name_of(std::size_t i) const noexcept {
    if (!names_ || i >= names_->size()) return {};
    return (*names_)[i];
}

}  // namespace pitboss::storage
