#include "cli/help.hpp"

#include <iomanip>
#include <string>

#include "cli/args.hpp"

namespace pitboss::cli {
namespace {

std::string_view metavar(std::string_view option) {
    if (option == "from" || option == "to" || option == "now" || option == "at") return "TIME";
    if (option == "db") return "URL";
    if (option == "after" || option == "session") return "ID";
    if (option == "limit" || option == "players" || option == "seed" || option == "buckets") {
        return "N";
    }
    if (option == "body" || option == "rule" || option == "description") return "TEXT";
    if (option == "password" || option == "code" || option == "recovery-code" ||
        option == "confirm") {
        return "SECRET";
    }
    if (option == "source") return "ADDRESS";
    if (option == "members") return "IDS";
    return "NAME";
}

// One line of the command list: the synopsis, then the summary from column 44 (on a line of
// its own when the synopsis is longer).
void print_entry(std::ostream& out, const std::string& synopsis, std::string_view summary) {
    constexpr std::size_t kColumn = 42;
    out << "  " << std::left;
    if (synopsis.size() >= kColumn) {
        out << synopsis << '\n' << std::string(kColumn + 2, ' ');
    } else {
        out << std::setw(static_cast<int>(kColumn)) << synopsis;
    }
    out << summary << '\n';
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
        if (option_takes_value(option)) text += " " + std::string(metavar(option));
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
        print_entry(out, synopsis(command), command.summary);
    }
    print_entry(out, "help [COMMAND]", "show help for a command");
    out << "\n"
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
