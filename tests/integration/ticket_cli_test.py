#!/usr/bin/python3
"""Integration test of `pitboss ticket ...`: the real binary, a fresh SQLite file.

    ticket_cli_test.py PITBOSS_BINARY

Opens tickets for a contact and for a demo player, replies, moves them through the workflow,
refuses an illegal move, lists and shows them, and checks the demo's ticket traffic and SLA
table. Exit status 0 passes.
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


def run(binary, db, *args, now=NOW):
    argv = [binary, "--db", db, "--now", now, *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    print("$ " + " ".join(argv) + f"  -> {result.returncode}")
    print(result.stdout[:3000] + ("stderr: " + result.stderr[:2000] if result.stderr else ""))
    return result


def ok(binary, db, *args, now=NOW):
    result = run(binary, db, *args, now=now)
    check(result.returncode == 0, f"{' '.join(args)} exited {result.returncode}")
    return result.stdout


def main(argv):
    if len(argv) != 2:
        print("usage: ticket_cli_test.py PITBOSS_BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    with tempfile.TemporaryDirectory() as workdir:
        db = "sqlite://" + os.path.join(workdir, "tickets.db")
        try:
            ok(binary, db, "demo", "--players", "120", "--seed", "3")
            opened = json.loads(ok(binary, db, "--json", "ticket", "open", "someone@example.org",
                                   "Cannot log in", "--category", "complaint", "--priority",
                                   "low", "--body", "Help"))
            check(opened["priority"] == "high", "a complaint was not raised to high")
            check(opened["contact_email"] == "someone@example.org", "contact not kept")
            tid = str(opened["id"])
            out = ok(binary, db, "ticket", "reply", tid, "Which country?", "--status", "pending")
            check(out == f"replied to ticket {tid} (pending)\n", f"reply printed {out!r}")
            ok(binary, db, "ticket", "reply", tid, "checked logs", "--note")
            shown = json.loads(ok(binary, db, "--json", "ticket", "show", tid))
            check([m["kind"] for m in shown["thread"]] == ["reply", "reply", "note"],
                  "thread out of order")
            check(shown["status"] == "pending", "status not pending")
            ok(binary, db, "ticket", "reply", tid, "Solved", "--status", "solved")
            ok(binary, db, "ticket", "reply", tid, "Closing", "--status", "closed")
            refused = run(binary, db, "ticket", "reply", tid, "again", "--status", "open")
            check(refused.returncode != 0, "a reply to a closed ticket succeeded")
            player = json.loads(ok(binary, db, "--json", "ticket", "open", "P100001",
                                   "Bonus missing", "--category", "bonus"))
            check(player["player_id"] is not None, "the player was not resolved")
            bad = run(binary, db, "ticket", "open", "P100001", "x", "--category", "nonsense")
            check(bad.returncode == 2, f"a bad category exited {bad.returncode}")
            listed = json.loads(ok(binary, db, "--json", "ticket", "list", "--limit", "1000"))
            check(len(listed) >= 10, "the demo opened too few tickets")
            closed = json.loads(ok(binary, db, "--json", "ticket", "list", "--status", "closed"))
            check([t["id"] for t in closed] == [int(tid)], "status filter wrong")
            table = ok(binary, db, "ticket", "sla").splitlines()
            check(table[0].split() == ["ticket", "priority", "status", "first_response",
                                       "next_response", "resolution"], "sla header")
            sla = json.loads(ok(binary, db, "--json", "ticket", "sla"))
            check(any(s["first_response"]["state"] == "breached" or
                      s["resolution"]["state"] == "breached" for s in sla),
                  "the demo produced no breached ticket")
            check(ok(binary, db, "audit", "verify").startswith("ok: "), "audit chain broken")
        except Failure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
