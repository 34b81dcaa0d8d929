#pragma once
// Help texts of `pitboss`, built from the command table.

#include <ostream>

#include "cli/commands.hpp"

namespace pitboss::cli {

/// The overview: usage line, commands, global options, exit codes.
void print_usage(std::ostream& out);
/// One command's usage line and help text.
void print_command_help(std::ostream& out, const Command& command);
/// "player show ID", "audit export [--from TIME] [--to TIME]".
[[nodiscard]] std::string synopsis(const Command& command);

}  // namespace pitboss::cli
