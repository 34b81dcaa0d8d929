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
    template <class... Ts>
    explicit Params(Ts&&... values) {
        values_.reserve(sizeof...(Ts));
        (add(std::forward<Ts>(values)), ...);
    }
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
    /// The values in placeholder order.
    [[nodiscard]] const std::vector<Value>& values() const noexcept { return values_; }
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    void clear() noexcept { values_.clear(); }

private:
    std::vector<Value> values_;
};

/// One result row, materialised; columns by position (fast) or by name.
class Row {
public:
    Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
        : names_(std::move(names)), values_(std::move(values)) {}

    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    [[nodiscard]] bool is_null(std::size_t i) const;
    [[nodiscard]] const Value& at(std::size_t i) const;
    [[nodiscard]] const Value& at(std::string_view name) const;
    /// Integer column (also accepts integer text from text-protocol backends).
    [[nodiscard]] std::int64_t int64(std::size_t i) const;
    [[nodiscard]] double real(std::size_t i) const;
    [[nodiscard]] std::string text(std::size_t i) const;
    [[nodiscard]] bool boolean(std::size_t i) const { return int64(i) != 0; }
    [[nodiscard]] Timestamp timestamp(std::size_t i) const { return from_unix_millis(int64(i)); }
    [[nodiscard]] std::optional<std::int64_t> opt_int64(std::size_t i) const;
    [[nodiscard]] std::optional<std::string> opt_text(std::size_t i) const;
    [[nodiscard]] std::optional<Timestamp> opt_timestamp(std::size_t i) const;
    /// Column position by name; throws StorageError when absent.
    [[nodiscard]] std::size_t index_of(std::string_view name) const;

private:
    [[nodiscard]] std::string_view name_of(std::size_t i) const noexcept;

    std::shared_ptr<const std::vector<std::string>> names_;
    std::vector<Value> values_;
};

}  // namespace pitboss::storage
