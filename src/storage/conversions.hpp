#pragma once
// Helpers shared by Row and the backends' cursors: strict text-to-number parsing, type-mismatch
// errors that name the column, and a short, parameter-free excerpt of a statement for messages.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pitboss::storage::detail {

/// The integer spelled by all of `text` ("-42"), or nothing.
[[nodiscard]] std::optional<std::int64_t> parse_int64(std::string_view text) noexcept;
/// The number spelled by all of `text` ("1.5", "-3", "1e9", "NaN", "Infinity"), or nothing.
[[nodiscard]] std::optional<double> parse_real(std::string_view text) noexcept;

/// Throws StorageError: column `name` (position `index`) holds `found`, not `expected`.
[[noreturn]] void throw_type_mismatch(std::string_view name, std::size_t index,
                                      std::string_view expected, std::string_view found);
/// Throws StorageError: position `index` is not a column of a `count`-column result.
[[noreturn]] void throw_bad_column(std::size_t index, std::size_t count);

/// The first few words of a statement, whitespace collapsed, for error messages.
[[nodiscard]] std::string sql_head(std::string_view sql);

}  // namespace pitboss::storage::detail
