#pragma once
// Command-line words and options of `pitboss`, before any command runs.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/time.hpp"

namespace pitboss::cli {

/// Wrong usage or bad input on the command line; exit code 2. The message names the problem.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// argv split into positional words and options. Options may appear anywhere, as
/// `--name value` or `--name=value` (flags take no value); `--` ends the options.
struct ParsedArgs {
    std::vector<std::string> words;
    std::map<std::string, std::string, std::less<>> options;  ///< "db" -> URL, "json" -> ""

    [[nodiscard]] bool has(std::string_view name) const { return options.count(name) > 0; }
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
};

/// Splits the arguments after the program name; throws UsageError for an unknown option, a
/// missing value or a repeated option.
[[nodiscard]] ParsedArgs parse_args(const std::vector<std::string>& args);

/// An option's value as an integer in [min, max]; throws UsageError naming `--name`.
[[nodiscard]] std::int64_t integer_option(std::string_view name, std::string_view text,
                                          std::int64_t min, std::int64_t max);
/// An option's value as an RFC 3339 timestamp; throws UsageError naming `--name`.
[[nodiscard]] Timestamp timestamp_option(std::string_view name, std::string_view text);

/// True when `--name` takes a value (`--limit 10`), false for a flag (`--json`); UsageError for
/// an option no command knows.
[[nodiscard]] bool option_takes_value(std::string_view name);

}  // namespace pitboss::cli
