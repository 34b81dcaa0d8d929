#!/usr/bin/python3
"""Integration tests of the `pitboss` command: each case runs the real binary.

    cli_test.py PITBOSS_BINARY CASE

Exit status 0 passes, 77 skips (PostgreSQL case without PITBOSS_TEST_POSTGRES_URL), anything
else fails. Each case works in its own temporary directory and never reads $PITBOSS_DB.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

SKIP = 77
NOW = "2026-01-01T00:00:00Z"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Cli:
    """Runs the binary with a given database URL and a fixed clock."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if k != "PITBOSS_DB"}

    def run(self, *args, db=None, now=NOW, env=None):
        argv = [self.binary]
        if db is not None:
            argv += ["--db", db]
        if now is not None:
            argv += ["--now", now]
        argv += list(args)
        result = subprocess.run(argv, cwd=self.workdir, env=env or self.env, capture_output=True,
                                text=True, timeout=600)
        print("$ " + " ".join(argv) + f"  -> {result.returncode}")
        if result.stdout:
            print(result.stdout[:4000])
        if result.stderr:
            print("stderr: " + result.stderr[:4000])
        return result

    def ok(self, *args, **kwargs):
        result = self.run(*args, **kwargs)
        check(result.returncode == 0, f"{' '.join(args)} exited {result.returncode}")
        return result


def sqlite_url(workdir, name="pitboss.db"):
    return "sqlite://" + os.path.join(workdir, name)


def demo(cli, db, players=200, seed=42):
    return cli.ok("demo", "--players", str(players), "--seed", str(seed), db=db)


# --- cases -------------------------------------------------------------------------------


def case_init(cli, workdir):
    db = sqlite_url(workdir)
    first = cli.ok("init", db=db)
    check(os.path.exists(os.path.join(workdir, "pitboss.db")), "init created no database file")
    for module in ("audit", "access", "players"):
        check(module in first.stdout, f"init does not report the {module} schema")
    again = cli.ok("--json", "init", db=db)
    report = json.loads(again.stdout)
    check(report["applied"] == 0, "a second init applied migrations again")
    check(report["schema"]["players"] == 1, "players schema version is not 1")


def case_default_database(cli, workdir):
    # No --db and no $PITBOSS_DB: ./pitboss.db in the working directory.
    cli.ok("init")
    check(os.path.exists(os.path.join(workdir, "pitboss.db")), "no ./pitboss.db created")
    # $PITBOSS_DB wins over the default.
    env = dict(cli.env, PITBOSS_DB=sqlite_url(workdir, "from_env.db"))
    cli.ok("init", env=env)
    check(os.path.exists(os.path.join(workdir, "from_env.db")), "$PITBOSS_DB was ignored")


def case_demo_verify(cli, workdir):
    db = sqlite_url(workdir)
    out = demo(cli, db).stdout
    for text in ("players by country", "players by status", "operators", "audit verify:  ok"):
        check(text in out, f"demo summary lacks '{text}'")
    verify = cli.ok("audit", "verify", db=db)
    check(verify.stdout.startswith("ok: "), "audit verify does not print 'ok: N entries'")
    entries = int(verify.stdout.split()[1])
    check(entries > 200, f"only {entries} audit entries after a 200-player demo")
    summary = json.loads(cli.ok("--json", "audit", "verify", db=db).stdout)
    check(summary["ok"] is True and summary["entries_checked"] == entries, "bad --json verify")
    again = cli.run("demo", "--players", "5", db=db)
    check(again.returncode == 2, "demo on a used database did not exit 2")


def case_player_show(cli, workdir):
    db = sqlite_url(workdir)
    demo(cli, db)
    shown = cli.ok("player", "show", "P100001", db=db).stdout
    fields = {}
    for line in shown.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    for key in ("id", "external_id", "country", "birth_date", "currency", "status", "consents"):
        check(key in fields, f"player show lacks '{key}'")
    check(fields["external_id"] == "P100001", "wrong player shown")
    # Values are aligned in one column.
    columns = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in shown.splitlines()}
    check(len(columns) == 1, "values are not aligned")
    profile = json.loads(cli.ok("--json", "player", "show", "P100001", db=db).stdout)
    check(profile["external_id"] == "P100001", "--json shows another player")
    check(profile["country"] == fields["country"], "--json and text disagree")
    by_id = json.loads(cli.ok("player", "show", f"#{profile['id']}", "--json", db=db).stdout)
    check(by_id == profile, "#<id> shows another player")


def case_unknown_player(cli, workdir):
    db = sqlite_url(workdir)
    cli.ok("init", db=db)
    result = cli.run("player", "show", "NOPE-1", db=db)
    check(result.returncode == 2, "an unknown player is not exit 2")
    check("NOPE-1" in result.stderr, "the message does not name the player")
    result = cli.run("player", "show", "#999", db=db)
    check(result.returncode == 2, "an unknown internal id is not exit 2")


def case_bad_usage(cli, workdir):
    db = sqlite_url(workdir)
    expectations = [
        ((), "missing command"),
        (("frobnicate",), "unknown command 'frobnicate'"),
        (("audit",), "expected a subcommand"),
        (("audit", "explode"), "unknown subcommand 'explode'"),
        (("player", "show"), "missing ID"),
        (("player", "show", "a", "b"), "unexpected argument 'b'"),
        (("init", "--players", "5"), "does not take --players"),
        (("--bogus", "init"), "unknown option '--bogus'"),
        (("demo", "--players", "0"), "--players"),
        (("demo", "--players", "many"), "--players"),
        (("demo", "--seed"), "--seed: missing value"),
        (("audit", "export", "--from", "yesterday"), "--from: not an RFC 3339 timestamp"),
        (("player", "show", "#x1"), "not an internal id"),
    ]
    for args, message in expectations:
        result = cli.run(*args, db=db)
        check(result.returncode == 2, f"{args} exited {result.returncode}, not 2")
        check(message in result.stderr, f"{args}: stderr lacks '{message}'")
    result = cli.run("init", db=db, now="tomorrow")
    check(result.returncode == 2, "a bad --now is not exit 2")
    check("--now: not an RFC 3339 timestamp" in result.stderr, "bad --now message")


def case_help(cli, workdir):
    for args in (("--help",), ("help",), ("-h",)):
        out = cli.ok(*args, now=None).stdout
        for command in ("init", "player show ID", "audit verify", "audit export", "demo",
                        "ingest FILE|-", "quarantine list [--after ID] [--limit N]",
                        "fx set CUR RATE [--from TIME]", "fx list", "aggregates export"):
            check(command in out, f"{args} does not list '{command}'")
        check("bootstrap" in out, "help does not say the CLI acts as bootstrap")
        check("demo-stream" not in out, "help lists the hidden demo-stream tool")
    for args in (("help", "demo"), ("demo", "--help"), ("audit", "export", "--help"),
                 ("help", "ingest"), ("quarantine", "list", "--help"), ("help", "fx", "set"),
                 ("help", "demo-stream")):
        out = cli.ok(*args, now=None).stdout
        check(out.startswith("usage: pitboss"), f"{args}: no usage line")
    check("--seed" in cli.ok("help", "demo", now=None).stdout, "demo help lacks --seed")
    check("quarantined" in cli.ok("help", "ingest", now=None).stdout, "ingest help lacks counts")


def case_export(cli, workdir):
    db = sqlite_url(workdir)
    demo(cli, db, players=50)
    lines = cli.ok("audit", "export", db=db).stdout.splitlines()
    entries = [json.loads(line) for line in lines]
    check(len(entries) > 50, "export holds too few entries")
    seqs = [e["seq"] for e in entries]
    check(seqs == list(range(1, len(seqs) + 1)), "export is not seq 1..N in order")
    check(all("hash" in e and "prev_hash" in e for e in entries), "export lacks hashes")
    # The demo ran 2025-10-03 .. 2026-01-01; a range keeps only its entries.
    part = cli.ok("audit", "export", "--from", "2025-12-01T00:00:00Z", db=db).stdout.splitlines()
    check(0 < len(part) < len(lines), "--from did not narrow the export")
    none = cli.ok("audit", "export", "--to", "2020-01-01T00:00:00Z", db=db).stdout
    check(none == "", "--to before the demo exported entries")


def export_hash(cli, db):
    return hashlib.sha256(cli.ok("audit", "export", db=db).stdout.encode()).hexdigest()


def case_determinism(cli, workdir):
    first, second, other = (sqlite_url(workdir, n) for n in ("a.db", "b.db", "c.db"))
    out_a = demo(cli, first, players=150, seed=7).stdout
    out_b = demo(cli, second, players=150, seed=7).stdout
    check(out_a == out_b, "the same seed printed different summaries")
    check(export_hash(cli, first) == export_hash(cli, second),
          "the same seed and --now gave different audit logs")
    check(cli.ok("player", "show", "P100042", "--json", db=first).stdout ==
          cli.ok("player", "show", "P100042", "--json", db=second).stdout,
          "the same seed gave different players")
    check(cli.ok("aggregates", "export", db=first).stdout ==
          cli.ok("aggregates", "export", db=second).stdout,
          "the same seed gave different aggregates")
    demo(cli, other, players=150, seed=8)
    check(export_hash(cli, first) != export_hash(cli, other), "another seed gave the same log")


# --- events: ingest, quarantine, exchange rates, aggregates ---------------------------------

def event(event_id, event_type, player, at, **fields):
    return json.dumps({"event_id": event_id, "type": event_type, "player_id": player,
                       "occurred_at": at, **fields})


def registration(event_id, player, currency="EUR", country="MT", at="2025-12-01T10:00:00Z"):
    return event(event_id, "registration", player, at, country=country, birth_date="1990-07-14",
                 currency=currency, language="en", email=f"{player}@example.com",
                 consents={"email": True})


# One EUR player and one SEK player with a month of activity, one replayed line and three
# broken ones: 11 accepted, 1 duplicate, 3 quarantined.
EVENTS = [
    registration("e-1", "p-1"),
    event("e-2", "login", "p-1", "2025-12-01T10:01:00Z", session_id="s-1", device="web"),
    event("e-3", "deposit", "p-1", "2025-12-01T10:02:00Z", transaction_id="t-1",
          amount="50.00", currency="EUR", method="card", status="pending"),
    event("e-4", "deposit", "p-1", "2025-12-01T10:03:00Z", transaction_id="t-1",
          amount="50.00", currency="EUR", method="card", status="approved"),
    event("e-5", "bet", "p-1", "2025-12-01T10:04:00Z", round_id="r-1", game_id="starburst",
          game_type="slots", amount="10.00", currency="EUR"),
    event("e-6", "win", "p-1", "2025-12-01T10:04:02Z", round_id="r-1", game_id="starburst",
          amount=4.5, currency="EUR"),
    event("e-7", "bonus", "p-1", "2025-12-01T10:05:00Z", bonus_id="b-1", kind="granted",
          amount="5.00", currency="EUR"),
    event("e-8", "session_end", "p-1", "2025-12-01T10:31:00Z", session_id="s-1",
          duration_s=1800),
    registration("e-9", "p-2", currency="SEK", country="SE"),
    event("e-10", "deposit", "p-2", "2025-12-20T18:00:00Z", transaction_id="t-2",
          amount="100.00", currency="SEK", method="trustly", status="approved"),
    event("e-11", "login", "p-2", "2025-12-20T17:59:00Z", session_id="s-2"),
    event("e-2", "login", "p-1", "2025-12-01T10:01:00Z", session_id="s-1", device="web"),
    event("bad-1", "deposit", "p-1", "2025-12-02T10:00:00Z", transaction_id="t-9",
          amount="1.234", currency="EUR", status="approved"),
    event("bad-2", "bet", "p-1", "2025-12-02T10:00:00Z", round_id="r-9", game_id="x",
          game_type="slots", amount="1.00", currency="ZZZ"),
    event("bad-3", "deposit", "nobody", "2025-12-02T10:00:00Z", transaction_id="t-8",
          amount="1.00", currency="EUR", status="approved"),
]


def write_events(workdir, lines=EVENTS, name="events.jsonl"):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def counts_of(text):
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = int(value)
    return fields


def ingested_db(cli, workdir):
    db = sqlite_url(workdir)
    cli.ok("fx", "set", "SEK", "0.0870", "--from", "2025-01-01T00:00:00Z", db=db)
    cli.ok("ingest", write_events(workdir), db=db)
    return db


def case_ingest(cli, workdir):
    db = sqlite_url(workdir)
    cli.ok("fx", "set", "SEK", "0.0870", "--from", "2025-01-01T00:00:00Z", db=db)
    path = write_events(workdir)
    first = cli.ok("ingest", path, db=db).stdout
    check(counts_of(first) == {"accepted": 11, "duplicate": 1, "quarantined": 3},
          f"unexpected counts: {first!r}")
    again = cli.ok("--json", "ingest", path, db=db).stdout
    check(again == '{"accepted":0,"duplicate":12,"quarantined":3}\n',
          f"re-ingesting is not all duplicates: {again!r}")
    # Standard input, with a blank line and Windows line ends.
    more = [event("e-12", "login", "p-2", "2025-12-21T09:00:00Z", session_id="s-3"), "",
            event("e-13", "logout", "p-2", "2025-12-21T09:30:00Z")]
    result = subprocess.run([cli.binary, "--db", db, "--now", NOW, "--json", "ingest", "-"],
                            input="\r\n".join(more) + "\r\n", capture_output=True, text=True,
                            env=cli.env, cwd=workdir, timeout=600)
    check(result.returncode == 0, f"ingest - exited {result.returncode}: {result.stderr}")
    check(json.loads(result.stdout) == {"accepted": 1, "duplicate": 0, "quarantined": 1},
          f"ingest - printed {result.stdout!r}")


def case_ingest_errors(cli, workdir):
    db = sqlite_url(workdir)
    cli.ok("init", db=db)
    missing = cli.run("ingest", os.path.join(workdir, "nope.jsonl"), db=db)
    check(missing.returncode == 2, f"a missing file exited {missing.returncode}, not 2")
    check("nope.jsonl: no such file" in missing.stderr, "the message does not name the file")
    directory = cli.run("ingest", workdir, db=db)
    check(directory.returncode == 2, "a directory is not exit 2")
    check("is a directory" in directory.stderr, "a directory is not named as such")
    usage = cli.run("ingest", db=db)
    check(usage.returncode == 2 and "missing FILE|-" in usage.stderr, "ingest without FILE")
    # Events that are not JSON are quarantined, never fatal.
    junk = cli.ok("--json", "ingest", write_events(workdir, ["not json", "{}"]), db=db).stdout
    check(json.loads(junk) == {"accepted": 0, "duplicate": 0, "quarantined": 2}, "junk lines")


def case_quarantine(cli, workdir):
    db = sqlite_url(workdir)
    cli.ok("init", db=db)
    check(cli.ok("quarantine", "list", db=db).stdout == "no quarantined events\n",
          "an empty quarantine is not said so")
    check(cli.ok("--json", "quarantine", "list", db=db).stdout == "[]\n", "empty --json")
    db = ingested_db(cli, workdir)
    table = cli.ok("quarantine", "list", db=db).stdout.splitlines()
    check(table[0].split() == ["ID", "RECEIVED_AT", "EVENT_ID", "REASON"], "no table header")
    check(len(table) == 4, f"expected 3 rows: {table}")
    for row, (event_id, text) in zip(table[1:], [("bad-1", "amount: 1.234 has 3 decimals"),
                                                ("bad-2", 'unknown currency "ZZZ"'),
                                                ("bad-3", "player_id:")]):
        check(event_id in row and text in row, f"row {row!r} lacks {event_id} / {text}")
    listed = json.loads(cli.ok("--json", "quarantine", "list", db=db).stdout)
    check([q["event_id"] for q in listed] == ["bad-1", "bad-2", "bad-3"], "--json order")
    check(listed[0]["field"] == "amount" and listed[1]["field"] == "currency", "fields")
    check(listed[0]["raw"] == EVENTS[12], "the raw line is not kept verbatim")
    check(listed[0]["received_at"] == "2026-01-01T00:00:00.000Z", "received_at is not --now")
    page = cli.ok("quarantine", "list", "--limit", "2", db=db).stdout
    check(f"--after {listed[1]['id']}" in page, "a full page does not point to the next")
    rest = json.loads(cli.ok("--json", "quarantine", "list", "--after", str(listed[1]["id"]),
                             db=db).stdout)
    check(rest == listed[2:], "--after does not continue the list")
    for args, message in ((("--limit", "0"), "--limit"), (("--limit", "10001"), "--limit"),
                          (("--after", "x"), "--after"), (("--from", NOW), "--from")):
        result = cli.run("quarantine", "list", *args, db=db)
        check(result.returncode == 2 and message in result.stderr, f"{args} is not exit 2")


def case_player_aggregates(cli, workdir):
    db = ingested_db(cli, workdir)
    shown = json.loads(cli.ok("--json", "player", "show", "p-1", db=db).stdout)
    figures = shown["aggregates"]
    eur = lambda amount: {"player": {"amount": amount, "currency": "EUR"},
                          "base": {"amount": amount, "currency": "EUR"}}
    check(figures["external_id"] == "p-1" and figures["player_id"] == shown["id"], "wrong player")
    check(figures["as_of"].startswith("2026-01-01T00:00:00"), "as_of is not --now")
    check(figures["deposit_count"] == 1 and figures["deposit_sum"] == eur("50.00"),
          f"pending + approved is not one deposit: {figures['deposit_sum']}")
    check(figures["deposits_30d"]["count"] == 0 and figures["deposits_90d"]["count"] == 1,
          "deposit windows")
    check(figures["bet_count"] == 1 and figures["bet_sum"] == eur("10.00"), "bets")
    check(figures["win_sum"] == eur("4.50") and figures["ggr"] == eur("5.50"), "wins / ggr")
    check(figures["bonus_sum"] == eur("5.00") and figures["ngr"] == eur("0.50"), "bonus / ngr")
    check(figures["login_count"] == 1 and figures["session_count"] == 1, "logins / sessions")
    check(figures["session_duration_s"] == 1800, "session duration")
    check(figures["favourite_game_type"] == "slots", "favourite game type")
    check(figures["days_since_last_deposit"] == 30, "days since the last deposit")
    # The SEK player: amounts in SEK and, at the rate of the event's time, in EUR.
    sek = json.loads(cli.ok("player", "show", "p-2", "--json", db=db).stdout)["aggregates"]
    check(sek["deposit_sum"] == {"player": {"amount": "100.00", "currency": "SEK"},
                                 "base": {"amount": "8.70", "currency": "EUR"}},
          f"SEK deposit not converted: {sek['deposit_sum']}")
    # A later --now moves the windows: the deposit of 2025-12-20 leaves the 7-day window.
    at = lambda now: json.loads(cli.ok("--json", "player", "show", "p-2", db=db,
                                       now=now).stdout)["aggregates"]["deposits_7d"]["count"]
    check(at("2025-12-27T18:00:00Z") == 1, "a deposit exactly 7 days old is in the window")
    check(at("2025-12-27T18:00:00.001Z") == 0, "a deposit over 7 days old is in the window")
    # The human form: the profile, then the key figures, values in one column.
    text = cli.ok("player", "show", "p-2", db=db).stdout
    check("deposits:" in text and "100.00 SEK (8.70 EUR)" in text, "no key figures")
    for key in ("withdrawals:", "bets:", "ggr:", "ngr:", "logins:", "active_days_30d:"):
        check(key in text, f"player show lacks '{key}'")
    columns = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in text.splitlines()}
    check(len(columns) == 1, "values are not aligned")


def case_fx(cli, workdir):
    db = sqlite_url(workdir)
    check("no exchange rates" in cli.ok("fx", "list", db=db).stdout, "empty fx list")
    out = cli.ok("fx", "set", "GBP", "1.17", "--from", "2025-06-01T00:00:00Z", db=db).stdout
    check(out.startswith("1 GBP = 1.17") and "EUR" in out, f"fx set printed {out!r}")
    shown = json.loads(cli.ok("--json", "fx", "set", "GBP", "1.1850", db=db).stdout)
    check(shown == {"currency": "GBP", "rate": "1.1850", "valid_from": "2026-01-01T00:00:00.000Z",
                    "base_currency": "EUR"}, f"fx set --json printed {shown}")
    rates = json.loads(cli.ok("--json", "fx", "list", db=db).stdout)
    check([(r["currency"], r["rate"]) for r in rates] == [("GBP", "1.17"), ("GBP", "1.1850")],
          f"fx list --json: {rates}")
    listed = cli.ok("fx", "list", db=db).stdout
    check("base currency: EUR" in listed and "1.1850" in listed, "fx list text")
    for args, message in ((("XYZ", "1.0"), "currency"), (("EUR", "1.0"), "base currency"),
                          (("GBP", "abc"), "rate"), (("GBP", "0"), "rate"),
                          (("GBP", "1.0", "--from", "soon"), "--from"), (("GBP",), "missing")):
        result = cli.run("fx", "set", *args, db=db)
        check(result.returncode == 2, f"fx set {args} exited {result.returncode}, not 2")
        check(message in result.stderr, f"fx set {args}: stderr lacks '{message}'")
    check(len(json.loads(cli.ok("--json", "fx", "list", db=db).stdout)) == 2,
          "a refused rate was stored")


def case_aggregates_export(cli, workdir):
    db = ingested_db(cli, workdir)
    lines = cli.ok("aggregates", "export", db=db).stdout.splitlines()
    exported = [json.loads(line) for line in lines]
    check([a["external_id"] for a in exported] == ["p-1", "p-2"], "not every player, in id order")
    check(exported[0] == json.loads(cli.ok("--json", "player", "show", "p-1",
                                           db=db).stdout)["aggregates"],
          "export and player show disagree")


def case_demo_events(cli, workdir):
    db = sqlite_url(workdir)
    summary = json.loads(cli.ok("--json", "demo", "--players", "120", "--seed", "5", db=db).stdout)
    stream, counts = summary["stream"], summary["ingest"]
    check(counts == {"accepted": stream["events"], "duplicate": stream["replays"],
                     "quarantined": stream["broken"]}, f"ingest {counts} vs stream {stream}")
    check(stream["lines"] == stream["events"] + stream["replays"] + stream["broken"], "lines")
    check(counts["accepted"] > 120 * 50 and counts["quarantined"] >= 3, f"too small: {counts}")
    check(summary["audit_verify"].startswith("ok"), "audit broken after ingestion")
    rates = json.loads(cli.ok("--json", "fx", "list", db=db).stdout)
    check({r["currency"] for r in rates} >= {"GBP", "SEK", "CAD", "USD"}, "demo set no rates")
    quarantined = json.loads(cli.ok("--json", "quarantine", "list", db=db).stdout)
    check(len(quarantined) == counts["quarantined"], "quarantine list disagrees with the counts")
    reasons = " ".join(q["reason"] for q in quarantined)
    check("decimals" in reasons and "unknown currency" in reasons, f"reasons: {reasons}")
    # The generator (hidden tool) writes the same stream the demo ingested.
    lines = cli.ok("demo-stream", "--players", "120", "--seed", "5").stdout.splitlines()
    check(len(lines) == stream["lines"], "demo-stream differs from the demo's stream")
    figures = json.loads(cli.ok("--json", "player", "show", "PL500001", db=db).stdout)
    check(figures["aggregates"]["login_count"] > 0, "the first stream player never logged in")
    # The generator's profile labels agree with the aggregates: churners are silent for 30 days,
    # non-depositors never deposited, bonus abusers live on bonuses.
    profiles = [json.loads(line) for line in cli.ok("demo-stream", "--players", "120", "--seed",
                                                    "5", "--profiles").stdout.splitlines()]
    check(len(profiles) == 120, "--profiles does not list every player")
    exported = {a["external_id"]: a for a in
                map(json.loads, cli.ok("aggregates", "export", db=db).stdout.splitlines())}
    by_profile = {}
    for p in profiles:
        by_profile.setdefault(p["profile"], []).append(exported[p["external_id"]])
    check(set(by_profile) >= {"churner", "bonus_abuser", "non_depositor", "regular"}, "profiles")
    for figures in by_profile["churner"]:
        check(figures["last_seen_at"] < "2025-12-02", f"churner active lately: {figures}")
    check(all(f["deposit_count"] == 0 for f in by_profile["non_depositor"]), "non-depositors")
    for figures in by_profile["bonus_abuser"]:
        check(figures["bonus_sum"]["base"]["amount"] != "0.00", "an abuser without bonuses")
    text = cli.ok("demo", "--players", "30", db=sqlite_url(workdir, "small.db")).stdout
    check("platform events over 120 days" in text and "quarantined" in text, "demo text")


TAMPERED_SEQ = 17


def expect_broken_at(cli, db, seq):
    result = cli.run("audit", "verify", db=db)
    check(result.returncode == 3, f"tampered log: audit verify exited {result.returncode}, not 3")
    check(f"broken at seq {seq}" in result.stdout, f"verify does not name seq {seq}")


def case_tamper_sqlite(cli, workdir):
    path = os.path.join(workdir, "pitboss.db")
    db = sqlite_url(workdir)
    demo(cli, db)
    cli.ok("audit", "verify", db=db)
    # Change one byte: the last character of the actor of one row.
    sql = (f"UPDATE audit_log SET actor = substr(actor, 1, length(actor) - 1) || "
           f"CASE WHEN substr(actor, -1) = 'x' THEN 'y' ELSE 'x' END WHERE seq = {TAMPERED_SEQ};")
    subprocess.run(["sqlite3", path, sql], check=True)
    expect_broken_at(cli, db, TAMPERED_SEQ)


def case_tamper_postgres(cli, workdir):
    base = os.environ.get("PITBOSS_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("PITBOSS_REQUIRE_POSTGRES") == "1":
            raise Failure("PITBOSS_REQUIRE_POSTGRES=1 but PITBOSS_TEST_POSTGRES_URL is not set")
        print("PITBOSS_TEST_POSTGRES_URL is not set: skipped")
        return SKIP
    schema = "cli_" + uuid.uuid4().hex[:12]
    psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(psql + [base, "-c", f"CREATE SCHEMA {schema}"], check=True)
    try:
        separator = "&" if "?" in base else "?"
        db = f"{base}{separator}options=-csearch_path%3D{schema}"
        demo(cli, db)
        cli.ok("audit", "verify", db=db)
        # The append-only trigger refuses the UPDATE; a superuser session in replica mode
        # bypasses triggers, as an attacker with database access could.
        parts = urllib.parse.urlsplit(base)
        superuser = parts._replace(netloc="postgres@" + parts.netloc.split("@")[-1]).geturl()
        sql = (f"SET session_replication_role = replica; SET search_path TO {schema}; "
               f"UPDATE audit_log SET actor = left(actor, length(actor) - 1) || CASE WHEN "
               f"right(actor, 1) = 'x' THEN 'y' ELSE 'x' END WHERE seq = {TAMPERED_SEQ};")
        subprocess.run(psql + [superuser, "-c", sql], check=True)
        expect_broken_at(cli, db, TAMPERED_SEQ)
    finally:
        subprocess.run(psql + [base, "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"])


CASES = {name[len("case_"):]: f for name, f in globals().items() if name.startswith("case_")}


def main(argv):
    if len(argv) != 3 or argv[2] not in CASES:
        print(f"usage: cli_test.py PITBOSS_BINARY {{{','.join(sorted(CASES))}}}", file=sys.stderr)
        return 2
    workdir = tempfile.mkdtemp(prefix="pitboss-cli-")
    try:
        result = CASES[argv[2]](Cli(os.path.abspath(argv[1]), workdir), workdir)
        print("PASS" if result is None else "SKIP")
        return 0 if result is None else result
    except Failure as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
