// The `pitboss` command; see cli/cli.hpp.

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    // Only iostreams are used: unsynchronised streams read and write large inputs much faster.
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const int code = pitboss::cli::run(args, std::cin, std::cout, std::cerr);
    std::cout.flush();
    return std::cout ? code : 1;
}
