#!/usr/bin/python3
"""Integration test of `pitboss segment ...`: the real binary, a fresh SQLite file.

    segment_cli_test.py PITBOSS_BINARY

Ingests a few players' events, evaluates rules (count, --ids, --json), refuses a bad rule
with the column, creates a dynamic, a static and an A/B segment, lists, shows and pages their
members, refreshes, reads membership on a date and deletes. Exit status 0 passes.
"""

import json
import os
import subprocess
import sys
import tempfile

NOW = "2026-01-01T00:00:00Z"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(binary, db, *args, now=NOW, stdin=None):
    argv = [binary, "--db", db, "--now", now, *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=600, input=stdin)
    print("$ " + " ".join(argv) + f"  -> {result.returncode}")
    print(result.stdout[:3000] + ("stderr: " + result.stderr[:2000] if result.stderr else ""))
    return result


def ok(binary, db, *args, now=NOW, stdin=None):
    result = run(binary, db, *args, now=now, stdin=stdin)
    check(result.returncode == 0, f"{' '.join(args)} exited {result.returncode}")
    return result.stdout


def events():
    lines = []
    for i, country in enumerate(["DE", "AT", "MT", "DE"]):
        player = f"p-{i}"
        lines.append({"event_id": f"r-{i}", "type": "registration", "player_id": player,
                      "occurred_at": "2025-06-01T00:00:00Z", "country": country,
                      "birth_date": "1990-01-01", "currency": "EUR"})
        if i != 2:
            lines.append({"event_id": f"d-{i}", "type": "deposit", "player_id": player,
                          "occurred_at": "2025-12-20T00:00:00Z", "transaction_id": f"t-{i}",
                          "amount": str(50 * (i + 1)), "currency": "EUR", "status": "approved"})
    return "".join(json.dumps(line) + "\n" for line in lines)


def main(argv):
    if len(argv) != 2:
        print("usage: segment_cli_test.py PITBOSS_BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    with tempfile.TemporaryDirectory() as workdir:
        db = "sqlite://" + os.path.join(workdir, "segments.db")
        try:
            ok(binary, db, "ingest", "-", stdin=events())
            check(ok(binary, db, "segment", "eval", 'country = "DE"').strip() == "2",
                  "count of DE players")
            shown = json.loads(ok(binary, db, "--json", "segment", "eval", "deposit_sum >= 100",
                                  "--ids"))
            check(shown["count"] == 2 and len(shown["player_ids"]) == 2, "eval --json --ids")
            check(json.loads(ok(binary, db, "--json", "segment", "eval", "deposit_count = 0")) ==
                  {"count": 1}, "eval --json without --ids")
            text = ok(binary, db, "segment", "eval", "deposit_count = 0", "--ids").split()
            check(len(text) == 2 and text[0] == "1", "eval --ids prints the count then ids")
            bad = run(binary, db, "segment", "eval", "deposit_sum_31d > 1")
            check(bad.returncode == 2, f"a bad rule exited {bad.returncode}")
            check("column 1" in bad.stderr and "deposit_sum_30d" in bad.stderr,
                  "the error names the column and a suggestion")

            created = json.loads(ok(binary, db, "--json", "segment", "create", "germans",
                                    "--rule", 'country = "DE"', "--description", "DE"))
            check(created["kind"] == "dynamic" and created["size"] == 2, "dynamic segment")
            ids = "\n".join(str(i) for i in shown["player_ids"][:2]) + "\n"
            static = json.loads(ok(binary, db, "--json", "segment", "create", "vip",
                                   "--members", "-", stdin=ids))
            check(static["kind"] == "static" and static["size"] == 2, "static segment")
            split = json.loads(ok(binary, db, "--json", "segment", "create", "test",
                                  "--buckets", "2", "--parent", "germans"))
            check(split["kind"] == "ab_split" and split["size"] == 2, "A/B split")
            two = run(binary, db, "segment", "create", "x", "--rule", "bet_count > 1",
                      "--buckets", "2")
            check(two.returncode == 2, "two kinds at once are refused")
            listed = ok(binary, db, "segment", "list").splitlines()
            check(listed[0].split() == ["NAME", "KIND", "SIZE", "DEFINITION"], "list header")
            check(len(listed) == 4, "three segments listed")
            check("rule:" in ok(binary, db, "segment", "show", "germans"), "show prints the rule")
            missing = run(binary, db, "segment", "show", "nope")
            check(missing.returncode == 2, "an unknown segment is bad input")
            members = json.loads(ok(binary, db, "--json", "segment", "members", "test"))
            check(len(members) == 2 and all(m["bucket"] in (0, 1) for m in members), "members")
            page = ok(binary, db, "segment", "members", "germans", "--limit", "1")
            check("more: pitboss segment members germans --after" in page, "paging hint")

            # A day later, one German deposits nothing new; a refresh changes nothing, and the
            # membership at the creation time comes from the history.
            later = "2026-01-02T00:00:00Z"
            refreshed = json.loads(ok(binary, db, "--json", "segment", "refresh", "germans",
                                      now=later))
            check(refreshed == {"entered": 0, "exited": 0, "size": 2}, "refresh")
            on = json.loads(ok(binary, db, "--json", "segment", "members", "germans", "--at",
                               NOW))
            check(len(on["player_ids"]) == 2, "members at a date")
            used = run(binary, db, "segment", "delete", "germans")
            check(used.returncode == 1 and "test" in used.stderr, "deleting a parent is refused")
            ok(binary, db, "segment", "delete", "test")
            ok(binary, db, "segment", "delete", "germans")
            check(len(json.loads(ok(binary, db, "--json", "segment", "list"))) == 1, "deleted")
            check(ok(binary, db, "audit", "verify").startswith("ok: "), "audit chain broken")
        except Failure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
