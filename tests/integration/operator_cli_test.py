#!/usr/bin/python3
"""Integration test of `pitboss operator ...`: the real binary, a fresh SQLite file.

    operator_cli_test.py PITBOSS_BINARY

Creates operators, sets passwords through standard input, enrols TOTP, signs in with and
without the second factor, lists and revokes sessions, and checks that no password is ever
printed and that the audit chain verifies. Exit status 0 passes.
"""

import base64
import hashlib
import hmac
import json
import struct
import subprocess
import sys
import tempfile

NOW = "2026-01-01T00:00:00Z"
LATER = "2026-01-01T00:00:30Z"
START_UNIX = 1767225600  # NOW as Unix seconds
PASSWORD = "correct horse battery staple"


def totp(secret_base32, unix_time):
    """RFC 6238 with SHA-1, 6 digits, 30 s steps: independent of pitboss's implementation."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    mac = hmac.new(key, struct.pack(">Q", unix_time // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Cli:
    def __init__(self, binary, db):
        self.binary = binary
        self.db = db
        self.outputs = []

    def run(self, *args, now=NOW, stdin=""):
        argv = [self.binary, "--db", self.db, "--now", now, *args]
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)
        print("$ " + " ".join(argv) + f"  -> {result.returncode}")
        print(result.stdout[:2000] + ("stderr: " + result.stderr[:2000] if result.stderr else ""))
        self.outputs += [result.stdout, result.stderr]
        return result

    def ok(self, *args, **kwargs):
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, f"{args} exited {result.returncode}"
        return result


def main(binary):
    with tempfile.TemporaryDirectory() as tmp:
        cli = Cli(binary, f"sqlite://{tmp}/pitboss.db")
        cli.ok("init")
        created = json.loads(cli.ok("operator", "create", "alice", "--role", "support_agent",
                                    "--display-name", "Alice", "--json").stdout)
        assert created["name"] == "alice"
        short = cli.run("operator", "passwd", "alice", stdin="short\n")
        assert short.returncode == 2 and "password" in short.stderr
        cli.ok("operator", "passwd", "alice", stdin=PASSWORD + "\n")
        assert cli.run("operator", "passwd", "nobody", stdin=PASSWORD + "\n").returncode == 2

        wrong = cli.run("operator", "login", "alice", "--source", "127.0.0.1",
                        stdin="not the password\n")
        assert wrong.returncode == 1 and "invalid_credentials" in wrong.stderr
        assert cli.run("operator", "login", "alice", stdin=PASSWORD + "\n").returncode == 2
        signed_in = json.loads(cli.ok("operator", "login", "alice", "--source", "127.0.0.1",
                                      "--json", stdin=PASSWORD + "\n").stdout)
        assert len(signed_in["token"]) == 64 and signed_in["second_factor"] == "none"
        plain = cli.ok("operator", "login", "alice", "--source", "127.0.0.2",
                       "--password", PASSWORD).stdout
        assert "token" in plain and "expires_at" in plain

        sessions = json.loads(cli.ok("operator", "sessions", "alice", "--json").stdout)
        assert {s["source_address"] for s in sessions} == {"127.0.0.1", "127.0.0.2"}
        assert signed_in["id"] in {s["id"] for s in sessions}
        assert cli.run("operator", "revoke", "alice", "--session", "0" * 16).returncode == 2
        cli.ok("operator", "revoke", "alice", "--session", signed_in["id"])
        assert len(json.loads(cli.ok("operator", "sessions", "alice", "--json").stdout)) == 1
        assert "revoked 1 session of alice" in cli.ok("operator", "revoke", "alice").stdout
        assert "no sessions" in cli.ok("operator", "sessions", "alice").stdout

        # An admin needs the second factor.
        cli.ok("operator", "create", "bob", "--role", "admin")
        cli.ok("operator", "passwd", "bob", stdin=PASSWORD + "\n")
        refused = cli.run("operator", "login", "bob", "--source", "127.0.0.1",
                          stdin=PASSWORD + "\n")
        assert refused.returncode == 1 and "second_factor_not_enrolled" in refused.stderr
        enrolment = json.loads(cli.ok("operator", "2fa-enrol", "bob", "--json").stdout)
        assert enrolment["uri"].startswith("otpauth://totp/pitboss:bob?secret=")
        assert enrolment["qr_svg"].startswith("<svg ")
        assert cli.run("operator", "2fa-enrol", "bob", "--confirm", "12345").returncode == 2
        codes = json.loads(cli.ok("operator", "2fa-enrol", "bob", "--json", "--confirm",
                                  totp(enrolment["secret"], START_UNIX)).stdout)
        assert len(codes["recovery_codes"]) == 10
        refused = cli.run("operator", "login", "bob", "--source", "127.0.0.1", now=LATER,
                          stdin=PASSWORD + "\n")
        assert refused.returncode == 1 and "second_factor_required" in refused.stderr
        code = totp(enrolment["secret"], START_UNIX + 30)
        bob = json.loads(cli.ok("operator", "login", "bob", "--source", "127.0.0.1", "--code",
                                code, "--json", now=LATER, stdin=PASSWORD + "\n").stdout)
        assert bob["second_factor"] == "totp"
        replay = cli.run("operator", "login", "bob", "--source", "127.0.0.1", "--code", code,
                         now=LATER, stdin=PASSWORD + "\n")
        assert replay.returncode == 1 and "second_factor_invalid" in replay.stderr
        by_recovery = json.loads(cli.ok("operator", "login", "bob", "--source", "127.0.0.1",
                                        "--recovery-code", codes["recovery_codes"][0], "--json",
                                        now=LATER, stdin=PASSWORD + "\n").stdout)
        assert by_recovery["second_factor"] == "recovery_code"

        assert "ok:" in cli.ok("audit", "verify").stdout
        exported = cli.ok("audit", "export").stdout
        for action in ("access.password_set", "access.signed_in", "access.sign_in_failed",
                       "access.totp_enrolled", "access.totp_replayed", "access.session_revoked",
                       "access.sessions_revoked", "access.recovery_code_used"):
            assert f'"{action}"' in exported, action
        assert not any(PASSWORD in text for text in cli.outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
