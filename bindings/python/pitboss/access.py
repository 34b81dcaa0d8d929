"""Operator identity tooling.

``totp(secret_base32, unix_time, digits=6, algorithm="sha1")`` returns the RFC 6238 code of a
Base32 secret (as shown at enrolment) at a Unix time in seconds, with 30-second steps: for tests,
scripts and monitoring probes that must sign in with a second factor. Sign-in itself is
``bo.identity`` (see docs/identity.md).
"""

from ._native import totp as totp

__all__ = ["totp"]
