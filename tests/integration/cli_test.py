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
        for command in ("init", "player show ID", "audit verify", "audit export", "demo"):
            check(command in out, f"{args} does not list '{command}'")
        check("bootstrap" in out, "help does not say the CLI acts as bootstrap")
    for args in (("help", "demo"), ("demo", "--help"), ("audit", "export", "--help")):
        out = cli.ok(*args, now=None).stdout
        check(out.startswith("usage: pitboss"), f"{args}: no usage line")
    check("--seed" in cli.ok("help", "demo", now=None).stdout, "demo help lacks --seed")


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
    demo(cli, other, players=150, seed=8)
    check(export_hash(cli, first) != export_hash(cli, other), "another seed gave the same log")


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
