#pragma once
// Small text-output helpers shared by the command handlers.

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace pitboss::cli {

/// Rows of "key: value" with the values aligned in one column.
using Fields = std::vector<std::pair<std::string, std::string>>;

/// Prints "key:" padded so the values line up.
void print_fields(std::ostream& out, const Fields& rows);

/// A table: a header row, then rows, columns padded to their widest cell (the last column is
/// not padded).
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

/// The value, or "-" when absent.
[[nodiscard]] std::string or_dash(const std::optional<std::string>& value);

}  // namespace pitboss::cli
