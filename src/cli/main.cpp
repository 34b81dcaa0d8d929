// The `pitboss` command; see cli/cli.hpp.

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const int code = pitboss::cli::run(args, std::cout, std::cerr);
    std::cout.flush();
    return std::cout ? code : 1;
}
