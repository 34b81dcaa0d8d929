#pragma once
/// @file
/// Typed parameters and result rows, the same on every backend.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pitboss/core/error.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::storage {

/// SQL NULL.
struct Null {
    /// NULLs compare equal here (unlike SQL), so values can be compared in tests.
    friend bool operator==(Null, Null) noexcept = default;
};

/// One SQL value: NULL, 64-bit integer, double (never for money), or text.
/// Timestamps are stored as integer Unix milliseconds; booleans as 0/1.
using Value = std::variant<Null, std::int64_t, double, std::string>;

/// Builds a parameter list from C++ values: integers, bool, double, strings, Timestamp,
/// std::optional<T> (empty → NULL) and Null.
class Params {
public:
    Params() = default;
    /// Binds `values` in order, each as add() would.
    template <class... Ts>
    explicit Params(Ts&&... values) {
        values_.reserve(sizeof...(Ts));
        (add(std::forward<Ts>(values)), ...);
    }
    /// Appends one value for the next placeholder; returns *this for chaining.
    ///@{
    Params& add(Null) {
        values_.emplace_back(Null{});
        return *this;
    }
    Params& add(bool v) {
        values_.emplace_back(std::int64_t{v ? 1 : 0});
        return *this;
    }
    Params& add(int v) {
        values_.emplace_back(std::int64_t{v});
        return *this;
    }
    Params& add(long v) {
        values_.emplace_back(std::int64_t{v});
        return *this;
    }
    Params& add(long long v) {
        values_.emplace_back(std::int64_t{v});
        return *this;
    }
    Params& add(unsigned v) {
        values_.emplace_back(std::int64_t{v});
        return *this;
    }
    Params& add(double v) {
        values_.emplace_back(v);
        return *this;
    }
    Params& add(std::string v) {
        values_.emplace_back(std::move(v));
        return *this;
    }
    Params& add(std::string_view v) {
        values_.emplace_back(std::string(v));
        return *this;
    }
    Params& add(const char* v) {
        values_.emplace_back(std::string(v));
        return *this;
    }
    Params& add(Timestamp t) {
        values_.emplace_back(to_unix_millis(t));
        return *this;
    }
    Params& add(Value v) {
        values_.push_back(std::move(v));
        return *this;
    }
    template <class T>
    Params& add(const std::optional<T>& v) {
        return v ? add(*v) : add(Null{});
    }
    ///@}
    /// The values in placeholder order.
    [[nodiscard]] const std::vector<Value>& values() const noexcept { return values_; }
    /// Number of values bound so far.
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    /// Empties the list so a buffer can be reused for the next statement.
    void clear() noexcept { values_.clear(); }

private:
    std::vector<Value> values_;
};

/// One result row, materialised; columns by position (fast) or by name.
class Row {
public:
    /// A row sharing its column names with the other rows of the same result.
    Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
        : names_(std::move(names)), values_(std::move(values)) {}

    /// Number of columns.
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    /// True when column `i` is SQL NULL.
    [[nodiscard]] bool is_null(std::size_t i) const;
    /// The raw value of column `i`, for callers that handle every type themselves.
    [[nodiscard]] const Value& at(std::size_t i) const;
    /// The raw value of a named column (slower than by position).
    [[nodiscard]] const Value& at(std::string_view name) const;
    /// Integer column (also accepts integer text from text-protocol backends).
    [[nodiscard]] std::int64_t int64(std::size_t i) const;
    /// Floating-point column (never money).
    [[nodiscard]] double real(std::size_t i) const;
    /// Text column.
    [[nodiscard]] std::string text(std::size_t i) const;
    /// A boolean stored as 0/1.
    [[nodiscard]] bool boolean(std::size_t i) const { return int64(i) != 0; }
    /// A time stored as Unix milliseconds.
    [[nodiscard]] Timestamp timestamp(std::size_t i) const { return from_unix_millis(int64(i)); }
    /// Nullable integer column; nullopt for NULL.
    [[nodiscard]] std::optional<std::int64_t> opt_int64(std::size_t i) const;
    /// Nullable text column; nullopt for NULL.
    [[nodiscard]] std::optional<std::string> opt_text(std::size_t i) const;
    /// Nullable time column (Unix milliseconds); nullopt for NULL.
    [[nodiscard]] std::optional<Timestamp> opt_timestamp(std::size_t i) const;
    /// Column position by name; throws StorageError when absent.
    [[nodiscard]] std::size_t index_of(std::string_view name) const;

private:
    [[nodiscard]] std::string_view name_of(std::size_t i) const noexcept;

    std::shared_ptr<const std::vector<std::string>> names_;
    std::vector<Value> values_;
};

}  // namespace pitboss::storage
