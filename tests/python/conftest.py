"""Fixtures of the pitboss Python suite.

Every test that takes ``bo`` runs on a fresh SQLite file and, when PITBOSS_TEST_POSTGRES_URL is
set (``eval "$(scripts/postgres.sh start)"``) and psql is installed, again on a fresh
PostgreSQL schema. The back office reads a ManualClock that starts at 2026-01-01T00:00:00Z.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import pitboss

START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
POSTGRES_URL = os.environ.get("PITBOSS_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("PITBOSS_REQUIRE_POSTGRES") == "1"


class Database:
    """A fresh database of one backend, with raw SQL access for tamper tests."""

    def __init__(self, backend: str, url: str, sqlite_path: Path | None = None,
                 schema: str | None = None) -> None:
        self.backend = backend
        self.url = url
        self.sqlite_path = sqlite_path
        self.schema = schema

    def execute(self, sql: str) -> None:
        """Runs statements behind pitboss's back (as an attacker with file or SQL access)."""
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as connection:
                connection.executescript(sql)
            connection.close()
        else:
            psql(f"SET search_path TO {self.schema}; {sql}")

    def tamper_audit(self, sql: str) -> None:
        """Runs an UPDATE/DELETE on audit_log (PostgreSQL: with its append-only trigger off)."""
        if self.backend == "postgresql":
            sql = ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; " + sql +
                   "; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;")
        self.execute(sql)


def psql(sql: str) -> str:
    result = subprocess.run(
        ["psql", POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-q", "-At", "-c", sql],
        check=True, capture_output=True, text=True)
    return result.stdout


def _backends() -> list[str]:
    backends = ["sqlite"]
    if (POSTGRES_URL and shutil.which("psql")) or REQUIRE_POSTGRES:
        backends.append("postgresql")
    return backends


@pytest.fixture(params=_backends())
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "pitboss.db"
        yield Database("sqlite", f"sqlite://{path}", sqlite_path=path)
        return
    if not POSTGRES_URL or not shutil.which("psql"):
        pytest.fail("PITBOSS_REQUIRE_POSTGRES=1 needs PITBOSS_TEST_POSTGRES_URL and psql")
    schema = "py_" + secrets.token_hex(6)
    psql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        yield Database("postgresql", url, schema=schema)
    finally:
        psql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def clock() -> pitboss.ManualClock:
    return pitboss.ManualClock(START)


@pytest.fixture
def bo(database: Database, clock: pitboss.ManualClock) -> pitboss.Backoffice:
    return pitboss.open(database.url, clock=clock)


@pytest.fixture
def admin(bo: pitboss.Backoffice) -> pitboss.Actor:
    return bo.access.system_actor("bootstrap")


def player_fields(**overrides: Any) -> dict[str, Any]:
    """A valid registration (an adult in Malta); `overrides` replace or add fields."""
    fields: dict[str, Any] = {
        "external_id": "p-1",
        "country": "MT",
        "birth_date": dt.date(1990, 5, 17),
        "currency": "EUR",
        "email": "player@example.com",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_player(bo: pitboss.Backoffice,
                admin: pitboss.Actor) -> Callable[..., pitboss.Player]:
    """Registers a valid player with a fresh external id; keyword arguments override fields."""
    counter = itertools.count(1)

    def make(**overrides: Any) -> pitboss.Player:
        fields = player_fields(external_id=f"ext-{next(counter)}", email=None)
        fields.update(overrides)
        return bo.players.register_player(admin, **fields)

    return make


@pytest.fixture
def operator(bo: pitboss.Backoffice, admin: pitboss.Actor) -> Callable[..., pitboss.Actor]:
    """Creates an operator holding `role` (optionally scoped) and returns its actor."""

    def make(name: str, role: str | None = None,
             scope: dict[str, Any] | None = None) -> pitboss.Actor:
        created = bo.access.create_operator(admin, name, display_name=name.title())
        if role is not None:
            bo.access.assign_role(admin, created.id, role, scope)
        return bo.access.operator_actor(name)

    return make
