"""OpenID Connect sign-in from Python: bo.identity.login_oidc with an RSA key and RS256 ID tokens
made in the test itself by the openssl command-line tool."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

import pitboss

from conftest import START

ISSUER = "https://idp.example.com"
CLIENT_ID = "pitboss-backoffice"
NOW = int(START.timestamp())
SOURCE = "10.2.0.1"

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def openssl(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["openssl", *args], input=stdin, check=True,
                          capture_output=True).stdout


class RsaKey:
    """A fresh 2048-bit RSA key pair in PEM files, signing with `openssl dgst -sha256 -sign`."""

    def __init__(self, directory: Path, kid: str) -> None:
        self.kid = kid
        self.private = directory / f"{kid}.pem"
        self.public = directory / f"{kid}.pub.pem"
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt",
                "rsa_keygen_pubexp:65537", "-out", str(self.private))
        openssl("pkey", "-in", str(self.private), "-pubout", "-out", str(self.public))

    def jwk(self) -> dict[str, str]:
        text = openssl("rsa", "-pubin", "-in", str(self.public), "-modulus", "-noout").decode()
        modulus = bytes.fromhex(text.strip().split("=", 1)[1])
        # The exponent is the one genpkey was told to use.
        return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                "n": b64url(modulus), "e": b64url((65537).to_bytes(3, "big"))}

    def sign(self, data: bytes) -> bytes:
        return openssl("dgst", "-sha256", "-sign", str(self.private), stdin=data)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> RsaKey:
    return RsaKey(tmp_path_factory.mktemp("oidc"), "key-1")


@pytest.fixture(scope="module")
def jwks(key: RsaKey) -> str:
    return json.dumps({"keys": [key.jwk()]})


def claims(**overrides: Any) -> dict[str, Any]:
    """The claims of a valid token for the clock's start; `overrides` replace or add claims."""
    fields: dict[str, Any] = {
        "iss": ISSUER, "aud": CLIENT_ID, "sub": "idp-user-1", "iat": NOW - 10,
        "exp": NOW + 300, "nonce": "n-0S6", "preferred_username": "alice.sso",
        "groups": ["helpdesk", "staff"],
    }
    fields.update(overrides)
    return fields


def encode(part: dict[str, Any]) -> str:
    return b64url(json.dumps(part).encode())


@pytest.fixture
def token(key: RsaKey) -> Callable[..., str]:
    """An RS256 ID token of claims(**overrides) signed by `key`."""

    def make(**overrides: Any) -> str:
        signing_input = (encode({"alg": "RS256", "typ": "JWT", "kid": key.kid}) + "." +
                         encode(claims(**overrides)))
        return signing_input + "." + b64url(key.sign(signing_input.encode()))

    return make


PROVIDER: dict[str, Any] = {
    "issuer": ISSUER,
    "client_id": CLIENT_ID,
    "allowed_algorithms": ["RS256"],
    "leeway_s": 30,
    "max_age_s": 600,
    "username_claim": "preferred_username",
    "groups_claim": "groups",
    "group_roles": {"helpdesk": "support_agent", "analysts": "analyst"},
    "create_operators": True,
    "mfa_methods": ["mfa"],
}


def last_sso_failure(bo: pitboss.Backoffice, admin: pitboss.Actor) -> str:
    failures = [e for e in bo.audit.list(admin) if e["action"] == "access.sign_in_failed"]
    assert failures
    return failures[-1]["after"]["sso"]


def test_valid_token_creates_the_operator_with_the_mapped_role(
        bo: pitboss.Backoffice, admin: pitboss.Actor, jwks: str,
        token: Callable[..., str]) -> None:
    signed_in = bo.identity.login_oidc(PROVIDER, jwks, token(), SOURCE, nonce="n-0S6")
    assert signed_in.actor.name == "alice.sso"
    assert signed_in.actor.kind == pitboss.ActorKind.operator
    assert signed_in.session.operator_id == signed_in.actor.id
    assert signed_in.session.source_address == SOURCE
    roles = [a.role for a in bo.access.assignments(admin, signed_in.actor.id)]
    assert roles == ["support_agent"]

    from_token = bo.identity.actor_from_token(signed_in.token)
    assert (from_token.id, from_token.name) == (signed_in.actor.id, "alice.sso")
    assert bo.access.check(from_token, "players.read")
    assert not bo.access.check(from_token, "audit.read")

    # The second sign-in of the same subject finds the same operator (no nonce required).
    again = bo.identity.login_oidc(PROVIDER, jwks, token(), SOURCE)
    assert again.actor.id == signed_in.actor.id
    assert again.token != signed_in.token
    actions = [e["action"] for e in bo.audit.list(admin)]
    assert "access.operator_created" in actions


def test_role_requiring_2fa_needs_an_mfa_amr(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                            jwks: str, token: Callable[..., str]) -> None:
    provider = {**PROVIDER, "group_roles": {"ops": "operator"}}
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.login_oidc(provider, jwks, token(groups=["ops"], amr=["pwd"]), SOURCE)
    assert last_sso_failure(bo, admin) == "no_mfa"
    signed_in = bo.identity.login_oidc(provider, jwks, token(groups=["ops"], amr=["pwd", "mfa"]),
                                       SOURCE)
    assert signed_in.session.second_factor == "sso_mfa"
    assert [a.role for a in bo.access.assignments(admin, signed_in.actor.id)] == ["operator"]


@pytest.mark.parametrize("overrides,nonce,reason", [
    ({"exp": NOW - 60}, None, "expired"),
    ({"aud": "someone-else"}, None, "audience"),
    ({}, "another-nonce", "nonce"),
])
def test_invalid_claims_are_refused(bo: pitboss.Backoffice, admin: pitboss.Actor, jwks: str,
                                    token: Callable[..., str], overrides: dict[str, Any],
                                    nonce: str | None, reason: str) -> None:
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.login_oidc(PROVIDER, jwks, token(**overrides), SOURCE, nonce=nonce)
    assert last_sso_failure(bo, admin) == reason
    assert "alice.sso" not in [o.name for o in bo.access.list_operators(admin)]


def test_alg_none_is_refused(bo: pitboss.Backoffice, admin: pitboss.Actor, jwks: str,
                             key: RsaKey) -> None:
    unsigned = encode({"alg": "none", "typ": "JWT", "kid": key.kid}) + "." + encode(claims()) + "."
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.login_oidc(PROVIDER, jwks, unsigned, SOURCE)
    assert last_sso_failure(bo, admin) == "algorithm_not_allowed"


def test_tampered_payload_is_refused(bo: pitboss.Backoffice, admin: pitboss.Actor, jwks: str,
                                     token: Callable[..., str]) -> None:
    header, _, signature = token().split(".")
    forged = header + "." + encode(claims(groups=["analysts"])) + "." + signature
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.login_oidc(PROVIDER, jwks, forged, SOURCE)
    assert last_sso_failure(bo, admin) == "bad_signature"


def test_token_of_another_key_is_refused(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                         key: RsaKey, token: Callable[..., str],
                                         tmp_path: Path) -> None:
    other = RsaKey(tmp_path, key.kid)  # same kid, different key
    with pytest.raises(pitboss.AccessDenied):
        bo.identity.login_oidc(PROVIDER, json.dumps({"keys": [other.jwk()]}), token(), SOURCE)
    assert last_sso_failure(bo, admin) == "bad_signature"


def test_bad_provider_and_jwks_are_value_errors(bo: pitboss.Backoffice, jwks: str,
                                                token: Callable[..., str]) -> None:
    with pytest.raises(ValueError, match="provider.client_secret"):
        bo.identity.login_oidc({**PROVIDER, "client_secret": "x"}, jwks, token(), SOURCE)
    with pytest.raises(pitboss.ValidationError) as raised:
        bo.identity.login_oidc({**PROVIDER, "groups": "staff"}, jwks, token(), SOURCE)
    assert raised.value.field == "provider.groups"
    with pytest.raises(pitboss.ValidationError) as raised:
        bo.identity.login_oidc({**PROVIDER, "leeway_s": 3600}, jwks, token(), SOURCE)
    assert raised.value.field == "leeway"
    with pytest.raises(TypeError):
        bo.identity.login_oidc({**PROVIDER, "group_roles": ["helpdesk"]}, jwks, token(), SOURCE)
    with pytest.raises(pitboss.ValidationError) as raised:
        bo.identity.login_oidc(PROVIDER, '{"keys": [{"kty": "RSA"}]}', token(), SOURCE)
    assert raised.value.field == "jwks"
