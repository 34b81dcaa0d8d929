#pragma once
// The commands of `pitboss`: a table of small handlers, each translating one command line into
// library calls and printing the answer. They decide nothing.

#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.hpp"
#include "cli/format.hpp"
#include "pitboss/backoffice.hpp"
#include "pitboss/events/aggregates.hpp"

namespace pitboss::cli {

/// Exit codes: 0 success, 2 bad usage or input, 3 integrity failure, 1 anything else.
enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitIntegrity = 3 };

/// The name the CLI acts under. `pitboss` is a local administrative tool for whoever can open
/// the database anyway, so it runs as the seeded system actor "bootstrap" (role admin); every
/// change it makes is audited under "system:bootstrap".
inline constexpr std::string_view kCliActor = "bootstrap";

/// What a handler receives: global options resolved, its own options and arguments.
struct Invocation {
    std::string db_url;                  ///< --db, else $PITBOSS_DB, else sqlite://pitboss.db
    std::optional<Timestamp> now;        ///< --now: a manual clock stopped at this instant
    bool json = false;                   ///< --json: machine-readable output
    const ParsedArgs& args;              ///< every option given (for command options)
    std::vector<std::string> arguments;  ///< positional words after the command's name
    std::istream& in;                    ///< standard input ("-" as a file argument)
    std::ostream& out;
    std::ostream& err;

    /// pitboss::open options: a ManualClock at --now when given, else the system clock.
    [[nodiscard]] Options open_options() const;
    /// Opens the back office at db_url (applying pending migrations).
    [[nodiscard]] Backoffice open_backoffice() const;
};

/// One command: its words, what it accepts, its help, and its handler.
struct Command {
    std::vector<std::string_view> path = {};     ///< e.g. {"audit", "export"}
    std::string_view argument_synopsis = {};     ///< e.g. "ID"; empty when none
    std::size_t argument_count = 0;              ///< positional arguments after the path
    std::vector<std::string_view> options = {};  ///< command options, besides --db --now --json
    std::string_view summary = {};               ///< one line for the command list
    std::string_view help = {};                  ///< the detailed help text
    int (*run)(const Invocation&) = nullptr;
    bool hidden = false;  ///< a tool for tests and benchmarks, left out of `pitboss --help`
};

/// The key figures of `player show`: deposits, withdrawals, turnover, GGR/NGR, activity.
[[nodiscard]] Fields aggregate_fields(const events::Aggregates& figures);

/// Every command, in the order `pitboss --help` lists them.
[[nodiscard]] const std::vector<Command>& commands();

int run_init(const Invocation& call);
int run_player_show(const Invocation& call);
int run_audit_verify(const Invocation& call);
int run_audit_export(const Invocation& call);
int run_demo(const Invocation& call);
int run_ingest(const Invocation& call);
int run_quarantine_list(const Invocation& call);
int run_fx_set(const Invocation& call);
int run_fx_list(const Invocation& call);
int run_aggregates_export(const Invocation& call);
int run_demo_stream(const Invocation& call);
int run_operator_create(const Invocation& call);
int run_operator_passwd(const Invocation& call);
int run_operator_2fa_enrol(const Invocation& call);
int run_operator_login(const Invocation& call);
int run_operator_sessions(const Invocation& call);
int run_operator_revoke(const Invocation& call);
int run_ticket_open(const Invocation& call);
int run_ticket_reply(const Invocation& call);
int run_ticket_list(const Invocation& call);
int run_ticket_show(const Invocation& call);
int run_ticket_sla(const Invocation& call);
int run_kb_search(const Invocation& call);
int run_kb_faq(const Invocation& call);
int run_segment_eval(const Invocation& call);
int run_segment_create(const Invocation& call);
int run_segment_list(const Invocation& call);
int run_segment_show(const Invocation& call);
int run_segment_members(const Invocation& call);
int run_segment_refresh(const Invocation& call);
int run_segment_delete(const Invocation& call);

}  // namespace pitboss::cli
