#!/usr/bin/python3
"""Crash safety of ingestion: `pitboss ingest` killed with SIGKILL mid-ingest, restarted on the
same file, must leave every aggregate equal to a clean single run.

    crash_test.py PITBOSS_BINARY {sqlite,postgres}

The stream is the demo's platform event stream (~200,000 events of 1,400 players, written by the
hidden `pitboss demo-stream`). A clean run ingests it into a fresh database. Then another fresh
database is ingested into several times, each run killed with SIGKILL after a random delay chosen
inside the clean run's duration (so the kill lands while events are being committed); the last
run goes to completion. Both databases' aggregates (`pitboss aggregates export`) must be equal,
the killed runs must have left partial, consistent work behind, and the audit chain must verify.

Exit status 0 passes, 77 skips (postgres without PITBOSS_TEST_POSTGRES_URL), anything else fails.
"""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

SKIP = 77
NOW = "2026-01-01T00:00:00Z"
PLAYERS = 1400
MAX_ROUNDS = 4
KILLS = 4
# EUR per unit, from before the stream's first event (a missing rate would quarantine events).
RATES = {"GBP": "1.17", "USD": "0.92", "CHF": "1.06", "CAD": "0.68", "NZD": "0.55",
         "BRL": "0.17", "MXN": "0.05", "PLN": "0.23", "SEK": "0.087", "NOK": "0.085",
         "DKK": "0.134"}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Target:
    """One fresh database: its URL and how to count the events logged in it."""

    def __init__(self, url, count_sql):
        self.url = url
        self.count_sql = count_sql

    def logged_events(self):
        return self.count_sql("SELECT count(*) FROM event_log")


class Sqlite:
    def __init__(self, workdir):
        self.workdir = workdir

    def target(self, name):
        path = os.path.join(self.workdir, name + ".db")

        def count(sql):
            with sqlite3.connect(path) as connection:
                return connection.execute(sql).fetchone()[0]

        return Target("sqlite://" + path, count)

    def close(self):
        pass


class Postgres:
    def __init__(self, base):
        self.base = base
        self.schemas = []

    def psql(self, sql):
        result = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", self.base,
                                 "-c", sql], check=True, capture_output=True, text=True)
        return result.stdout.strip()

    def target(self, name):
        schema = f"crash_{name}_{uuid.uuid4().hex[:10]}"
        self.psql(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        separator = "&" if "?" in self.base else "?"
        url = f"{self.base}{separator}options=-csearch_path%3D{schema}"
        return Target(url, lambda sql: int(self.psql(f"SET search_path TO {schema}; {sql}")))

    def close(self):
        for schema in self.schemas:
            subprocess.run(["psql", "-X", "-q", self.base, "-c",
                            f"SET client_min_messages TO warning; "
                            f"DROP SCHEMA IF EXISTS {schema} CASCADE"])


class Cli:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if k != "PITBOSS_DB"}

    def argv(self, db, *args):
        return [self.binary] + (["--db", db] if db else []) + ["--now", NOW] + list(args)

    def ok(self, db, *args, stdout=subprocess.PIPE):
        argv = self.argv(db, *args)
        result = subprocess.run(argv, cwd=self.workdir, env=self.env, stdout=stdout,
                                stderr=subprocess.PIPE, text=True, timeout=1200)
        print(f"$ {' '.join(argv)}  -> {result.returncode}")
        check(result.returncode == 0, f"{' '.join(args)} failed: {result.stderr[:2000]}")
        return result.stdout

    def start(self, db, *args):
        return subprocess.Popen(self.argv(db, *args), cwd=self.workdir, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def prepare(cli, target):
    for currency, rate in RATES.items():
        cli.ok(target.url, "fx", "set", currency, rate, "--from", "2025-01-01T00:00:00Z")


def aggregates(cli, target):
    """Every player's aggregates by external id (internal ids may differ: a killed PostgreSQL
    transaction still consumes identity values)."""
    figures = {}
    for line in cli.ok(target.url, "aggregates", "export").splitlines():
        one = json.loads(line)
        del one["player_id"]
        figures[one["external_id"]] = one
    return figures


def ingest(cli, target, path):
    return json.loads(cli.ok(target.url, "--json", "ingest", path))


def run_crash_test(cli, backend, workdir):
    stream = os.path.join(workdir, "events.jsonl")
    with open(stream, "w") as out:
        cli.ok(None, "demo-stream", "--seed", "2026", "--players", str(PLAYERS), stdout=out)
    with open(stream) as f:
        lines = sum(1 for _ in f)
    check(lines >= 150_000, f"the stream has only {lines} lines")
    print(f"stream: {lines} lines")

    clean = backend.target("clean")
    prepare(cli, clean)
    started = time.monotonic()
    clean_counts = ingest(cli, clean, stream)
    clean_seconds = time.monotonic() - started
    print(f"clean run: {clean_counts} in {clean_seconds:.2f} s")
    check(sum(clean_counts.values()) == lines, "the clean run lost lines")
    check(clean_counts["duplicate"] > 0 and clean_counts["quarantined"] > 0,
          "the stream has no replayed or broken lines")
    expected = aggregates(cli, clean)
    check(len(expected) == PLAYERS, f"{len(expected)} players with aggregates, not {PLAYERS}")

    rng = random.Random(os.environ.get("PITBOSS_CRASH_SEED") or uuid.uuid4().hex)
    mid_ingest_kills = 0
    # A loaded machine can make a kill land after the last commit (during the final checkpoint)
    # or make a run finish early: then the crashed database starts over, a few times at most.
    for round_number in range(MAX_ROUNDS):
        crashed = backend.target(f"crashed{round_number}")
        prepare(cli, crashed)
        logged_before = 0
        for attempt in range(KILLS):
            # Inside the first half of the clean run's duration: early runs commit new events,
            # later ones skip the already committed part as duplicates first.
            delay = rng.uniform(0.1, 0.5) * clean_seconds
            process = cli.start(crashed.url, "--json", "ingest", stream)
            try:
                process.wait(timeout=delay)
                outcome = f"finished (exit {process.returncode}) before the kill at {delay:.2f} s"
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                check(process.returncode == -signal.SIGKILL, "the process did not die by SIGKILL")
                outcome = f"killed after {delay:.2f} s"
            process.stdout.close()
            process.stderr.close()
            logged = crashed.logged_events()
            print(f"round {round_number + 1} run {attempt + 1}: {outcome}, {logged} events logged")
            check(logged >= logged_before, "a killed run lost committed events")
            if (process.returncode == -signal.SIGKILL
                    and logged_before < logged < clean_counts["accepted"]):
                mid_ingest_kills += 1
            logged_before = logged
        if mid_ingest_kills >= 1:
            break
    check(mid_ingest_kills >= 1, "no kill landed while events were being committed")

    final_counts = ingest(cli, crashed, stream)
    print(f"final run: {final_counts}")
    check(final_counts["accepted"] + final_counts["duplicate"] ==
          clean_counts["accepted"] + clean_counts["duplicate"], "events lost or doubled")
    check(final_counts["quarantined"] == clean_counts["quarantined"], "quarantine counts differ")
    check(crashed.logged_events() == clean.logged_events() == clean_counts["accepted"],
          "the event logs differ")
    actual = aggregates(cli, crashed)
    check(actual.keys() == expected.keys(), "the players differ")
    different = [p for p in expected if actual[p] != expected[p]]
    if different:
        first = different[0]
        print("clean:  ", json.dumps(expected[first], sort_keys=True))
        print("crashed:", json.dumps(actual[first], sort_keys=True))
    check(not different, f"{len(different)} players' aggregates differ, e.g. {different[:5]}")
    again = ingest(cli, crashed, stream)
    check(again["accepted"] == 0, "a complete re-ingest accepted events again")
    verify = cli.ok(crashed.url, "audit", "verify")
    check(verify.startswith("ok: "), f"audit verify after the crashes: {verify}")


def main(argv):
    if len(argv) != 3 or argv[2] not in ("sqlite", "postgres"):
        print("usage: crash_test.py PITBOSS_BINARY {sqlite,postgres}", file=sys.stderr)
        return 2
    workdir = tempfile.mkdtemp(prefix="pitboss-crash-")
    backend = None
    try:
        if argv[2] == "sqlite":
            backend = Sqlite(workdir)
        else:
            base = os.environ.get("PITBOSS_TEST_POSTGRES_URL")
            if not base:
                if os.environ.get("PITBOSS_REQUIRE_POSTGRES") == "1":
                    raise Failure("PITBOSS_REQUIRE_POSTGRES=1 but PITBOSS_TEST_POSTGRES_URL is "
                                  "not set")
                print("PITBOSS_TEST_POSTGRES_URL is not set: skipped")
                return SKIP
            backend = Postgres(base)
        run_crash_test(Cli(os.path.abspath(argv[1]), workdir), backend, workdir)
        print("PASS")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        if backend is not None:
            backend.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
