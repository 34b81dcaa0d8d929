#!/usr/bin/env python3
"""Verifies a pitboss audit export (JSON Lines) with nothing but the Python standard library.

    python3 verify_audit_export.py audit.jsonl      # exit 0 intact, 1 broken, 2 usage

The hashed bytes are described in docs/audit.md ("The hashed bytes").
"""
import hashlib
import json
import sys


class Number(str):
    """A JSON number kept as the exact text of the export, which writes numbers canonically."""


def canonical(value):
    if isinstance(value, Number):
        return value
    if isinstance(value, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # strings, true, false, null


def netstring(text):
    data = text.encode("utf-8")
    return str(len(data)).encode() + b":" + data + b","


def entry_hash(e):
    fields = [str(int(e["seq"])), str(int(e["at_ms"])), e["actor"], e["action"], e["target"],
              canonical(e["before"]), canonical(e["after"]), e["prev_hash"]]
    return hashlib.sha256(b"".join(netstring(f) for f in fields)).hexdigest()


def first_problem(lines):
    """The first problem found (or None) and how many entries were intact before it."""
    prev, checked = None, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line, parse_float=Number, parse_int=Number)
            seq, computed = int(e["seq"]), entry_hash(e)
        except (ValueError, KeyError, TypeError) as error:
            return f"line {number}: malformed ({error})", checked
        if prev is None and seq == 1 and e["prev_hash"] != "0" * 64:
            return "entry 1: prev_hash is not the genesis hash", checked
        if prev is not None and seq != prev[0] + 1:
            return f"sequence gap after {prev[0]}", checked
        if prev is not None and e["prev_hash"] != prev[1]:
            return f"entry {seq}: prev_hash does not match entry {prev[0]}", checked
        if computed != e["hash"]:
            return f"entry {seq}: hash mismatch", checked
        prev, checked = (seq, e["hash"]), checked + 1
    return None, checked


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as export:
        problem, checked = first_problem(export)
    print(f"BROKEN: {problem}" if problem else f"ok: {checked} entries verified")
    sys.exit(1 if problem else 0)
