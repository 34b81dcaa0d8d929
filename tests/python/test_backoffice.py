"""pitboss.open() and the Backoffice facade."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

import pitboss
from conftest import START, Database


def test_open_hands_out_the_services_as_properties(bo: pitboss.Backoffice) -> None:
    assert isinstance(bo.players, pitboss.PlayerService)
    assert isinstance(bo.audit, pitboss.AuditLog)
    assert isinstance(bo.access, pitboss.AccessControl)
    assert bo.players is bo.players  # the same object each time, not a copy
    assert bo.base_currency == "EUR"


def test_open_with_an_injected_clock_reads_it(bo: pitboss.Backoffice,
                                              clock: pitboss.ManualClock) -> None:
    assert bo.clock is clock
    clock.advance(dt.timedelta(hours=3))
    assert bo.clock.now() == START + dt.timedelta(hours=3)


@pytest.mark.parametrize("now", [START, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00"])
def test_open_with_now_starts_a_manual_clock_there(database: Database, now: object) -> None:
    bo = pitboss.open(database.url, now=now)
    assert isinstance(bo.clock, pitboss.ManualClock)
    assert bo.clock.now() == START
    bo.clock.advance(dt.timedelta(days=2))
    assert bo.clock.now() == START + dt.timedelta(days=2)


def test_open_without_a_clock_uses_the_system_clock(database: Database) -> None:
    bo = pitboss.open(database.url)
    assert isinstance(bo.clock, pitboss.SystemClock)
    assert abs(bo.clock.now() - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)


def test_open_refuses_a_naive_now_naming_it(database: Database) -> None:
    with pytest.raises(ValueError, match="now") as caught:
        pitboss.open(database.url, now=dt.datetime(2026, 1, 1))
    assert isinstance(caught.value, pitboss.ValidationError) and caught.value.field == "now"


def test_open_refuses_now_and_clock_together(database: Database,
                                             clock: pitboss.ManualClock) -> None:
    with pytest.raises(ValueError):
        pitboss.open(database.url, now=START, clock=clock)


def test_open_takes_a_base_currency(database: Database) -> None:
    assert pitboss.open(database.url, now=START, base_currency="USD").base_currency == "USD"


def test_open_describes_its_database(bo: pitboss.Backoffice, database: Database) -> None:
    assert bo.backend == database.backend
    assert bo.url.startswith("sqlite" if database.backend == "sqlite" else "postgres")
    assert repr(bo).startswith("Backoffice(")


def test_migrations_run_on_open_and_are_not_repeated(database: Database) -> None:
    assert pitboss.open(database.url, now=START).migrate() == 0
    reopened = pitboss.open(database.url, now=START, apply_migrations=False)
    assert reopened.migrate() == 0
    assert reopened.access.system_actor("bootstrap").name == "bootstrap"


def test_services_keep_their_backoffice_alive(database: Database) -> None:
    players = pitboss.open(database.url, now=START).players
    access = pitboss.open(database.url, now=START).access
    gc.collect()
    admin = access.system_actor("bootstrap")
    assert players.count_players(admin) == 0


def test_the_file_survives_reopening(database: Database, make_player) -> None:
    created = make_player(external_id="kept")
    again = pitboss.open(database.url, now=START)
    admin = again.access.system_actor("bootstrap")
    assert again.players.get_player(admin, created.id).external_id == "kept"


def test_two_back_offices_can_share_one_clock(database: Database, tmp_path: Path) -> None:
    first = pitboss.open(database.url, now=START)
    second = pitboss.open(f"sqlite://{tmp_path / 'other.db'}", clock=first.clock)
    assert second.clock is first.clock
    first.clock.advance(dt.timedelta(minutes=5))
    assert second.clock.now() == START + dt.timedelta(minutes=5)


def test_clock_must_be_a_pitboss_clock(database: Database) -> None:
    with pytest.raises(TypeError, match="clock"):
        pitboss.open(database.url, clock=START)
