#include "cli/cli.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::cli {
namespace {

constexpr std::string_view kDefaultDatabase = "sqlite://pitboss.db";
constexpr std::array<std::string_view, 4> kGlobalOptions = {"db", "now", "json", "help"};

bool starts_with_path(const std::vector<std::string>& words, const Command& command) {
    return words.size() >= command.path.size() &&
           std::equal(command.path.begin(), command.path.end(), words.begin());
}

// "audit" alone, or "audit frobnicate": name the subcommands the group has.
[[noreturn]] void fail_unknown(const std::vector<std::string>& words) {
    std::string choices;
    for (const Command& command : commands()) {
        if (command.path.size() > 1 && command.path[0] == words[0]) {
            choices += (choices.empty() ? "" : ", ") + std::string(command.path[1]);
        }
    }
    if (choices.empty()) throw UsageError("unknown command '" + words[0] + "'");
    if (words.size() == 1) throw UsageError(words[0] + ": expected a subcommand: " + choices);
    throw UsageError(words[0] + ": unknown subcommand '" + words[1] + "' (expected " + choices +
                     ")");
}

const Command& resolve(const std::vector<std::string>& words) {
    for (const Command& command : commands()) {
        if (starts_with_path(words, command)) return command;
    }
    fail_unknown(words);
}

void check_options(const Command& command, const ParsedArgs& args) {
    for (const auto& [name, value] : args.options) {
        const bool global =
            std::find(kGlobalOptions.begin(), kGlobalOptions.end(), name) != kGlobalOptions.end();
        const bool own = std::find(command.options.begin(), command.options.end(), name) !=
                         command.options.end();
        if (!global && !own) {
            throw UsageError(synopsis(command) + ": does not take --" + name);
        }
    }
}

std::vector<std::string> arguments_of(const Command& command,
                                      const std::vector<std::string>& words) {
    std::vector<std::string> arguments(words.begin() + static_cast<long>(command.path.size()),
                                       words.end());
    if (arguments.size() != command.argument_count) {
        const std::string path = synopsis(command);
        if (arguments.size() < command.argument_count) {
            throw UsageError(path + ": missing " + std::string(command.argument_synopsis));
        }
        throw UsageError(path + ": unexpected argument '" + arguments[command.argument_count] +
                         "'");
    }
    return arguments;
}

std::string database_url(const ParsedArgs& args) {
    if (auto db = args.value("db")) {
        if (db->empty()) throw UsageError("--db: empty URL");
        return *db;
    }
    if (const char* env = std::getenv("PITBOSS_DB"); env != nullptr && *env != '\0') return env;
    return std::string(kDefaultDatabase);
}

int show_help(const std::vector<std::string>& topic, std::ostream& out) {
    if (topic.empty()) {
        print_usage(out);
    } else {
        print_command_help(out, resolve(topic));
    }
    return kExitOk;
}

int dispatch(const ParsedArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
    const auto& words = args.words;
    if (words.empty()) {
        if (args.has("help")) return show_help({}, out);
        throw UsageError("missing command");
    }
    if (words[0] == "help") return show_help({words.begin() + 1, words.end()}, out);
    const Command& command = resolve(words);
    if (args.has("help")) return show_help(words, out);
    check_options(command, args);
    Invocation call{database_url(args),
                    std::nullopt,
                    args.has("json"),
                    args,
                    arguments_of(command, words),
                    in,
                    out,
                    err};
    if (auto now = args.value("now")) call.now = timestamp_option("now", *now);
    return command.run(call);
}

}  // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err) {
    try {
        return dispatch(parse_args(args), in, out, err);
    } catch (const UsageError& e) {
        err << "pitboss: " << e.what() << "\nTry 'pitboss --help'.\n";
        return kExitUsage;
    } catch (const ValidationError& e) {
        err << "pitboss: " << e.what() << '\n';
        return kExitUsage;
    } catch (const NotFoundError& e) {
        err << "pitboss: " << e.what() << '\n';
        return kExitUsage;
    } catch (const IntegrityError& e) {
        err << "pitboss: integrity failure: " << e.what() << '\n';
        return kExitIntegrity;
    } catch (const Error& e) {
        err << "pitboss: " << to_string(e.code()) << ": " << e.what() << '\n';
        return kExitFailure;
    } catch (const std::exception& e) {
        err << "pitboss: " << e.what() << '\n';
        return kExitFailure;
    }
}

}  // namespace pitboss::cli
