#pragma once
// `pitboss`: parses the command line, runs one command, maps errors to exit codes.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace pitboss::cli {

/// Runs the command line `args` (without the program name), reading standard input from `in`.
/// Returns the exit code: 0 ok, 2 bad usage or input (ValidationError, NotFoundError),
/// 3 integrity failure, 1 anything else. Errors go to `err` with a message naming the problem.
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err);

}  // namespace pitboss::cli
