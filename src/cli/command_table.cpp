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
         .summary = "print one player's profile and key figures",
         .help = "Prints the master profile of the player whose platform id (external id) is\n"
                 "ID; '#<n>' names the internal id instead, e.g. '#42'. Below the profile come\n"
                 "the player's key figures as of --now (default: the current time): deposits\n"
                 "(lifetime and 30 days), withdrawals, bets and turnover, wins, GGR, bonuses,\n"
                 "NGR, logins, sessions and activity; amounts in the player's currency with the\n"
                 "base currency in brackets. With --json, prints the profile as JSON with every\n"
                 "aggregate under \"aggregates\". An unknown player is bad input (exit 2).\n",
         .run = run_player_show},
        {.path = {"ingest"},
         .argument_synopsis = "FILE|-",
         .argument_count = 1,
         .summary = "ingest platform events from a JSON Lines file",
         .help = "Reads platform events, one JSON object per line (docs/events.md), from FILE or\n"
                 "'-' for standard input, and keeps every player's aggregates current. Prints\n"
                 "how many events were accepted, how many were duplicates (an event_id seen\n"
                 "before: nothing happens) and how many were quarantined (refused, kept with\n"
                 "their reason: see 'pitboss quarantine list'). With --json, prints\n"
                 "{\"accepted\":N,\"duplicate\":N,\"quarantined\":N}. Events are committed at\n"
                 "least every 100 ms, so an interrupted run can simply be repeated: events\n"
                 "already ingested count as duplicates. A missing file is bad input (exit 2).\n",
         .run = run_ingest},
        {.path = {"quarantine", "list"},
         .options = {"after", "limit"},
         .summary = "list refused events with their reasons",
         .help = "Lists quarantined events, oldest first: their number, when they arrived, their\n"
                 "event_id and why they were refused. With --json, prints a JSON array that also\n"
                 "holds each event's raw text.\n"
                 "  --after ID   only events numbered above ID (the next page)\n"
                 "  --limit N    at most N events (default 100, at most 10000)\n",
         .run = run_quarantine_list},
        {.path = {"fx", "set"},
         .argument_synopsis = "CUR RATE",
         .argument_count = 2,
         .options = {"from"},
         .summary = "set an exchange rate to the base currency",
         .help = "Sets how many units of the base currency (EUR) one unit of CUR is worth, e.g.\n"
                 "'pitboss fx set SEK 0.0871'. Events are converted with the rate valid at their\n"
                 "time, so set rates before ingesting events in that currency (an event with no\n"
                 "rate is quarantined). The change is audited.\n"
                 "  --from TIME  first moment the rate applies (default: now)\n",
         .run = run_fx_set},
        {.path = {"fx", "list"},
         .summary = "list the exchange rates",
         .help = "Lists every stored exchange rate by currency, then time. With --json, prints a\n"
                 "JSON array of {\"currency\", \"rate\", \"valid_from\"}.\n",
         .run = run_fx_list},
        {.path = {"aggregates", "export"},
         .summary = "write every player's aggregates as JSON Lines",
         .help = "Writes the aggregates of every player as of --now (default: the current time)\n"
                 "to standard output, one JSON object per player in id order, in the form of\n"
                 "'player show --json'.\n",
         .run = run_aggregates_export},
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
                 "The simulation covers the 90 days before --now (default: the current time).\n"
                 "Then it sets exchange rates and ingests a simulated platform event stream of\n"
                 "as many players again over the 120 days before --now: registrations, logins,\n"
                 "bets and wins, deposits, withdrawals and bonuses, with power-law spend, busier\n"
                 "weekends, churners, bonus abusers, late, replayed and broken events.\n",
         .run = run_demo},
        {.path = {"demo-stream"},
         .options = {"seed", "players", "profiles"},
         .summary = "write the demo's platform event stream",
         .help = "Writes the simulated platform event stream of 'pitboss demo' as JSON Lines to\n"
                 "standard output: --players players (default 1000) over the 120 days before\n"
                 "--now, drawn from --seed (default 42). For tests and benchmarks.\n"
                 "  --profiles   instead of the events, one JSON object per simulated player:\n"
                 "               external_id, profile (casual, regular, high_roller, churner,\n"
                 "               bonus_abuser, non_depositor), country, currency,\n"
                 "               registered_at, last_event_at\n",
         .run = run_demo_stream,
         .hidden = true},
    };
    return table;
}

}  // namespace pitboss::cli
