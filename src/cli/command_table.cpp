#include "cli/commands.hpp"

namespace pitboss::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {.path = {"init"},
         .summary = "create or upgrade the database schema",
         .help = "Applies every pending schema migration to the database and prints the schema\n"
                 "version of each module. Safe to run again: applied migrations are skipped.\n",
         .run = run_init},
        {.path = {"player", "show"},
         .argument_synopsis = "ID",
         .argument_count = 1,
         .summary = "print one player's master profile",
         .help = "Prints the master profile of the player whose platform id (external id) is\n"
                 "ID; '#<n>' names the internal id instead, e.g. '#42'. With --json, prints the\n"
                 "profile as JSON. An unknown player is bad input (exit 2).\n",
         .run = run_player_show},
        {.path = {"audit", "verify"},
         .summary = "check the audit log's hash chain",
         .help = "Walks the audit log from its first entry and recomputes every hash.\n"
                 "Prints 'ok: N entries' (exit 0), or 'broken at seq N: <problem>' naming the\n"
                 "first bad entry (exit 3).\n",
         .run = run_audit_verify},
        {.path = {"audit", "export"},
         .options = {"from", "to"},
         .summary = "write audit entries as JSON Lines",
         .help = "Writes the audit entries whose time falls in [--from, --to] (both optional,\n"
                 "RFC 3339, inclusive) to standard output, one JSON object per line with its\n"
                 "hashes, so the export can be verified independently.\n",
         .run = run_audit_export},
        {.path = {"demo"},
         .options = {"seed", "players"},
         .summary = "seed a simulated casino",
         .help = "Seeds an empty database with a simulated casino: operators with roles (support\n"
                 "agents scoped by country), players across weighted countries with matching\n"
                 "currencies and languages, consents, updates, status changes and access\n"
                 "checks; then prints a summary and verifies the audit log.\n"
                 "  --seed N      random seed (default 42); the same seed and --now give the\n"
                 "                same data\n"
                 "  --players N   number of players (default 1000, at most 1000000)\n"
                 "The simulation covers the 90 days before --now (default: the current time).\n",
         .run = run_demo},
    };
    return table;
}

}  // namespace pitboss::cli
