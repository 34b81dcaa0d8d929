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
        {.path = {"ticket", "open"},
         .argument_synopsis = "REQUESTER SUBJECT",
         .argument_count = 2,
         .options = {"channel", "category", "priority", "body"},
         .summary = "open a help-desk ticket",
         .help = "Opens a ticket for REQUESTER: a player's external id, '#<id>' for an internal\n"
                 "id, an e-mail address or an E.164 phone number (an unknown contact, linked to\n"
                 "a player later). Responsible-gambling and complaint tickets are raised to at\n"
                 "least high priority. Prints the ticket's id.\n"
                 "  --channel C    live_chat, email, phone, web_form (default), internal\n"
                 "  --category C   payments, kyc, bonus, technical, responsible_gambling,\n"
                 "                 complaint, account, other (default)\n"
                 "  --priority P   low, normal (default), high, urgent\n"
                 "  --body TEXT    the requester's first message\n",
         .run = run_ticket_open},
        {.path = {"ticket", "reply"},
         .argument_synopsis = "ID TEXT",
         .argument_count = 2,
         .options = {"note", "status", "channel"},
         .summary = "answer a ticket or add an internal note",
         .help = "Adds a public reply (or with --note an internal note) to ticket ID. A first\n"
                 "public reply moves a new ticket to open; --status moves it on (pending,\n"
                 "on_hold, solved ...); an illegal move is refused (exit 1).\n"
                 "  --channel C   channel of the reply (default email; notes: internal)\n",
         .run = run_ticket_reply},
        {.path = {"ticket", "list"},
         .options = {"status", "category", "priority", "after", "limit"},
         .summary = "list help-desk tickets",
         .help = "Lists tickets by id, optionally only those with --status, --category or\n"
                 "--priority; pages with --after ID and --limit N (default 100).\n",
         .run = run_ticket_list},
        {.path = {"ticket", "show"},
         .argument_synopsis = "ID",
         .argument_count = 1,
         .summary = "print one ticket, its SLA and its thread",
         .help = "Prints ticket ID, its SLA targets as of --now when a policy is active, and\n"
                 "the whole conversation with internal notes, oldest first.\n",
         .run = run_ticket_show},
        {.path = {"ticket", "sla"},
         .summary = "print the SLA of every open ticket",
         .help = "Prints, for every open ticket, where its first-response, next-response and\n"
                 "resolution targets stand as of --now (remaining time, '!' when approaching\n"
                 "the breach). Fails (exit 1) when no SLA policy is active.\n",
         .run = run_ticket_sla},
        {.path = {"kb", "search"},
         .argument_synopsis = "QUERY",
         .argument_count = 1,
         .options = {"language", "limit"},
         .summary = "search the published knowledge-base articles",
         .help = "Lists the published articles containing every word of QUERY, best first (title\n"
                 "words weigh more). Each article is searched in --language (ISO 639-1, default\n"
                 "en) when it has that variant published, else in its default language. QUERY\n"
                 "is plain words: quotes, '*', '-', OR, NEAR are not operators. With --json,\n"
                 "prints a JSON array of {article_id, slug, category, language, title, score}.\n"
                 "  --language L  the reader's language (default en)\n"
                 "  --limit N     at most N articles (default 20, at most 100)\n",
         .run = run_kb_search},
        {.path = {"kb", "faq"},
         .options = {"language", "category"},
         .summary = "print the FAQ of the knowledge base",
         .help = "Prints the published FAQ articles by category, each in --language (default en)\n"
                 "or else in its default language. With --json, prints a JSON array of\n"
                 "{article_id, category, slug, language, title, body}.\n"
                 "  --language L  the reader's language (default en)\n"
                 "  --category C  only this category\n",
         .run = run_kb_faq},
        {.path = {"segment", "eval"},
         .argument_synopsis = "RULE",
         .argument_count = 1,
         .options = {"ids"},
         .summary = "count the players a segment rule matches",
         .help = "Evaluates RULE (docs/segments.md), e.g. 'country in (\"DE\", \"AT\") and\n"
                 "deposit_sum_30d >= 100', over every player as of --now and prints how many\n"
                 "match. A rule that does not parse or names an unknown field is bad input\n"
                 "(exit 2); the message names the column. With --json, prints {\"count\":N}.\n"
                 "  --ids   also print the matching internal player ids, one per line (with\n"
                 "          --json: {\"count\":N,\"player_ids\":[...]})\n",
         .run = run_segment_eval},
        {.path = {"segment", "create"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"rule", "members", "buckets", "parent", "description"},
         .summary = "create a named segment",
         .help = "Creates the segment NAME (1-64 of A-Z a-z 0-9 _ - .) and its first membership;\n"
                 "every member gets a segment.entered event. Give exactly one of:\n"
                 "  --rule RULE       a dynamic segment, kept current as events arrive\n"
                 "  --members FILE|-  a static list: internal player ids, one per line\n"
                 "  --buckets N       an A/B split of every player into N buckets (2-100),\n"
                 "                    or with --parent NAME of that segment's members\n"
                 "  --description T   free text shown by 'segment show'\n",
         .run = run_segment_create},
        {.path = {"segment", "list"},
         .summary = "list named segments with their sizes",
         .help = "Lists every named segment: name, kind (dynamic, static, ab_split), current\n"
                 "size and definition. With --json, prints a JSON array.\n",
         .run = run_segment_list},
        {.path = {"segment", "show"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .summary = "print one named segment",
         .help = "Prints segment NAME: kind, rule or split, size, who created it and when it\n"
                 "was last re-evaluated. An unknown segment is bad input (exit 2).\n",
         .run = run_segment_show},
        {.path = {"segment", "members"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"after", "limit", "at"},
         .summary = "list a segment's members",
         .help = "Lists the current members of segment NAME by player id, with their A/B\n"
                 "bucket and when they entered.\n"
                 "  --after ID   only players with ids above ID (the next page)\n"
                 "  --limit N    at most N players (default 1000, at most 10000)\n"
                 "  --at TIME    instead, the ids of the members at TIME (RFC 3339), rebuilt\n"
                 "               from the entered/exited history\n",
         .run = run_segment_members},
        {.path = {"segment", "refresh"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .summary = "re-evaluate a segment now",
         .help = "Re-evaluates segment NAME over every player as of --now and writes who entered\n"
                 "and who exited (events, history, one audit entry). Prints the counts.\n",
         .run = run_segment_refresh},
        {.path = {"segment", "delete"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .summary = "delete a named segment",
         .help = "Deletes segment NAME with its membership and history (audited). Refused\n"
                 "(exit 1) while an A/B split or another segment's rule uses it.\n",
         .run = run_segment_delete},
        {.path = {"operator", "create"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"display-name", "role"},
         .summary = "create a back-office operator",
         .help = "Creates operator NAME (3-64 of a-z, 0-9, '.', '_', '-'), optionally holding a\n"
                 "role. Set a password with 'pitboss operator passwd'. Audited.\n"
                 "  --display-name TEXT   the name shown on screens (default: NAME)\n"
                 "  --role ROLE           e.g. admin, operator, support_agent, analyst\n",
         .run = run_operator_create},
        {.path = {"operator", "passwd"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"password"},
         .summary = "set an operator's password",
         .help = "Sets the password of operator NAME, read from the first line of standard\n"
                 "input (not echoed on a terminal) or given with --password (visible to other\n"
                 "users of the machine: prefer standard input). The password policy applies:\n"
                 "at least 12 characters, not a common password, not containing the name. Ends\n"
                 "the operator's sessions. Audited.\n",
         .run = run_operator_passwd},
        {.path = {"operator", "2fa-enrol"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"confirm"},
         .summary = "enrol an operator in TOTP two-factor sign-in",
         .help = "Starts TOTP enrolment for operator NAME and prints the secret (Base32) and its\n"
                 "otpauth:// URI for an authenticator app. Then confirm with a first code:\n"
                 "  --confirm CODE   completes the enrolment and prints single-use recovery\n"
                 "                   codes (shown only once)\n"
                 "Operators holding admin, compliance_officer or operator cannot sign in\n"
                 "without it. Audited.\n",
         .run = run_operator_2fa_enrol},
        {.path = {"operator", "login"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"password", "source", "code", "recovery-code"},
         .summary = "sign an operator in and print a session token",
         .help = "Signs in operator NAME with the password from standard input (or --password)\n"
                 "and prints the session token (keep it secret), the session id and when it\n"
                 "expires. Refusals (wrong password, locked out, second factor missing) exit 1.\n"
                 "  --source ADDRESS        the client address (required; throttled and audited)\n"
                 "  --code CODE             the current TOTP code\n"
                 "  --recovery-code CODE    a recovery code instead (each works once)\n",
         .run = run_operator_login},
        {.path = {"operator", "sessions"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .summary = "list an operator's live sessions",
         .help = "Lists the live sessions of operator NAME, newest first: id, sign-in time, last\n"
                 "use, absolute expiry, source address and second factor used.\n",
         .run = run_operator_sessions},
        {.path = {"operator", "revoke"},
         .argument_synopsis = "NAME",
         .argument_count = 1,
         .options = {"session"},
         .summary = "end an operator's sessions",
         .help = "Ends every session of operator NAME, or with --session ID only that one.\n"
                 "Audited.\n",
         .run = run_operator_revoke},
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
