#include "cli/help.hpp"

#include <iomanip>
#include <string>

namespace pitboss::cli {
namespace {

std::string_view metavar(std::string_view option) {
    if (option == "from" || option == "to" || option == "now") return "TIME";
    if (option == "db") return "URL";
    if (option == "after") return "ID";
    return "N";
}

std::string path_of(const Command& command) {
    std::string path;
    for (const auto word : command.path) {
        if (!path.empty()) path += ' ';
        path += word;
    }
    return path;
}

}  // namespace

std::string synopsis(const Command& command) {
    std::string text = path_of(command);
    if (!command.argument_synopsis.empty()) text += " " + std::string(command.argument_synopsis);
    for (const auto option : command.options) {
        text += " [--" + std::string(option);
        if (option != "profiles") text += " " + std::string(metavar(option));
        text += "]";
    }
    return text;
}

void print_usage(std::ostream& out) {
    out << "pitboss - the casino back office from the command line\n\n"
           "usage: pitboss [--db URL] [--now TIME] [--json] COMMAND [ARGS]\n\n"
           "commands:\n";
    for (const Command& command : commands()) {
        if (command.hidden) continue;
        out << "  " << std::left << std::setw(42) << synopsis(command) << command.summary << '\n';
    }
    out << "  " << std::left << std::setw(42) << "help [COMMAND]"
        << "show help for a command\n\n"
           "global options:\n"
           "  --db URL     sqlite:///abs/path.db, sqlite://relative/path.db, sqlite::memory:,\n"
           "               postgresql://user@host/db (default: $PITBOSS_DB, else\n"
           "               sqlite://pitboss.db in the current directory)\n"
           "  --now TIME   run with a clock stopped at TIME (RFC 3339, e.g. 2026-01-01T00:00:00Z)\n"
           "  --json       machine-readable output\n"
           "  -h, --help   show help (after a command: that command's help)\n\n"
           "pitboss is a local administrative tool for whoever can open the database: it acts as\n"
           "the system actor \"bootstrap\" and every change it makes is audited under that "
           "name.\n\n"
           "exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 integrity failure\n";
}

void print_command_help(std::ostream& out, const Command& command) {
    out << "usage: pitboss [--db URL] [--now TIME] [--json] " << synopsis(command) << "\n\n"
        << command.help;
}

}  // namespace pitboss::cli
