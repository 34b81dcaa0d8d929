"""Operator identity from Python: pitboss.access.totp against RFC 6238, passwords, two-factor
sign-in, sessions."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

import pitboss
import pitboss.access

from conftest import START

PASSWORD = "correct horse battery staple"

# RFC 6238 Appendix B: the seeds are ASCII digits repeated to the hash's output size.
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890" * 6 + b"1234",
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def b32(seed: bytes) -> str:
    return base64.b32encode(seed).decode().rstrip("=")


@pytest.mark.parametrize("unix_time,sha1,sha256,sha512", VECTORS)
def test_totp_matches_rfc_6238_appendix_b(unix_time: int, sha1: str, sha256: str,
                                          sha512: str) -> None:
    for algorithm, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        code = pitboss.access.totp(b32(SEEDS[algorithm]), unix_time, digits=8,
                                   algorithm=algorithm)
        assert code == expected, algorithm
        # Six digits are the last six of the eight (the same truncation, modulo 10^6).
        assert pitboss.access.totp(b32(SEEDS[algorithm]), unix_time,
                                   algorithm=algorithm.upper()) == expected[-6:]


def test_totp_rejects_bad_input() -> None:
    secret = b32(SEEDS["sha1"])
    with pytest.raises(pitboss.ValidationError):
        pitboss.access.totp(secret, 59, algorithm="md5")
    with pytest.raises(pitboss.ValidationError):
        pitboss.access.totp(secret, 59, digits=5)
    with pytest.raises(pitboss.ValidationError):
        pitboss.access.totp("not base32!", 59)
    assert pitboss.totp is pitboss.access.totp


def unix(clock: pitboss.ManualClock) -> int:
    return int(clock.now().timestamp())


def test_two_factor_sign_in_and_sessions(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                         clock: pitboss.ManualClock) -> None:
    bob = bo.access.create_operator(admin, "bob")
    bo.access.assign_role(admin, bob.id, "admin")
    with pytest.raises(pitboss.ValidationError):
        bo.identity.set_password(admin, bob.id, "short")
    bo.identity.set_password(admin, bob.id, PASSWORD)
    assert bo.identity.second_factor_required(bob.id)

    with pytest.raises(pitboss.AccessDenied, match="second_factor_not_enrolled"):
        bo.identity.login("bob", PASSWORD, "10.1.1.1")
    enrolment = bo.identity.begin_totp_enrolment(admin, bob.id)
    assert enrolment.otpauth_uri.startswith("otpauth://totp/pitboss:bob?secret=")
    assert enrolment.qr_svg.startswith("<svg ") and enrolment.qr_svg.rstrip().endswith("</svg>")
    recovery = bo.identity.confirm_totp_enrolment(
        admin, bob.id, pitboss.access.totp(enrolment.secret_base32, unix(clock)))
    assert len(recovery) == 10 and bo.identity.totp_enrolled(bob.id)

    with pytest.raises(pitboss.AccessDenied, match="second_factor_required"):
        bo.identity.login("bob", PASSWORD, "10.1.1.1")
    clock.advance(dt.timedelta(seconds=30))
    code = pitboss.access.totp(enrolment.secret_base32, unix(clock))
    signed_in = bo.identity.login("bob", PASSWORD, "10.1.1.1", totp_code=code)
    assert isinstance(signed_in, pitboss.SignIn)
    assert len(signed_in.token) == 64
    assert signed_in.session.second_factor == "totp"
    assert signed_in.session.created_at == START + dt.timedelta(seconds=30)
    with pytest.raises(pitboss.AccessDenied, match="second_factor_invalid"):
        bo.identity.login("bob", PASSWORD, "10.1.1.1", totp_code=code)  # replayed

    actor = bo.identity.actor_from_token(signed_in.token)
    assert actor.label() == "operator:bob"
    clock.advance(dt.timedelta(seconds=1))
    by_recovery = bo.identity.login("bob", PASSWORD, "10.1.1.2", recovery_code=recovery[0])
    sessions = bo.identity.sessions(actor, bob.id)
    assert [s.id for s in sessions] == [by_recovery.session.id, signed_in.session.id]
    assert {s.source_address for s in sessions} == {"10.1.1.1", "10.1.1.2"}

    bo.identity.revoke_session(actor, signed_in.session.id)
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.actor_from_token(signed_in.token)
    assert bo.identity.logout(by_recovery.token)
    assert bo.identity.sessions(admin, bob.id) == []

    actions = [e["action"] for e in bo.audit.list(admin)]
    for action in ("access.password_set", "access.totp_enrolled", "access.signed_in",
                   "access.sign_in_failed", "access.totp_replayed", "access.session_revoked",
                   "access.signed_out"):
        assert action in actions
    assert bo.audit.verify().ok


def test_lockout_reports_when_to_retry(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                       clock: pitboss.ManualClock) -> None:
    carol = bo.access.create_operator(admin, "carol")
    bo.access.assign_role(admin, carol.id, "support_agent")
    bo.identity.set_password(admin, carol.id, PASSWORD)
    for _ in range(5):
        with pytest.raises(pitboss.AccessDenied, match="invalid_credentials"):
            bo.identity.login("carol", "wrong password!", "10.2.2.2")
    with pytest.raises(pitboss.AccessDenied, match="locked_out, retry after 2026-01-01T00:00:30"):
        bo.identity.login("carol", PASSWORD, "10.2.2.2")
    clock.advance(dt.timedelta(seconds=30))
    assert bo.identity.login("carol", PASSWORD, "10.2.2.2").actor.name == "carol"
