"""bo.events: platform event ingestion, aggregates (dict and DataFrame), quarantine, FX rates."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pitboss
from conftest import START

UTC = dt.timezone.utc


def event(event_id: str, event_type: str, player: str, at: Any, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "type": event_type, "player_id": player, "occurred_at": at,
            **fields}


def registration(event_id: str, player: str, currency: str = "EUR",
                 at: Any = "2025-12-01T10:00:00Z") -> dict[str, Any]:
    return event(event_id, "registration", player, at, country="MT" if currency == "EUR" else "SE",
                 birth_date=dt.date(1990, 7, 14), currency=currency, language="en",
                 consents={"email": True})


# A EUR player with a deposit lifecycle, a round and a bonus; a SEK player with one deposit.
EVENTS = [
    registration("e-1", "p-1"),
    event("e-2", "login", "p-1", dt.datetime(2025, 12, 1, 10, 1, tzinfo=UTC), session_id="s-1"),
    event("e-3", "deposit", "p-1", "2025-12-01T10:02:00Z", transaction_id="t-1",
          amount="50.00", currency="EUR", status="pending"),
    event("e-4", "deposit", "p-1", "2025-12-01T10:03:00Z", transaction_id="t-1",
          amount=decimal.Decimal("50.00"), currency="EUR", status="approved"),
    event("e-5", "bet", "p-1", "2025-12-28T10:04:00Z", round_id="r-1", game_id="starburst",
          game_type="slots", amount=10, currency="EUR"),
    event("e-6", "win", "p-1", "2025-12-28T10:04:02Z", round_id="r-1", game_id="starburst",
          amount=4.5, currency="EUR"),
    event("e-7", "bonus", "p-1", "2025-12-28T10:05:00Z", bonus_id="b-1", kind="granted",
          amount="5.00", currency="EUR"),
    event("e-8", "session_end", "p-1", "2025-12-28T10:31:00Z", session_id="s-1", duration_s=1800),
    registration("e-9", "p-2", currency="SEK"),
    event("e-10", "deposit", "p-2", "2025-12-20T18:00:00Z", transaction_id="t-2",
          amount="100.00", currency="SEK", status="approved"),
]


def eur(amount: str) -> dict[str, dict[str, str]]:
    return {"player": {"amount": amount, "currency": "EUR"},
            "base": {"amount": amount, "currency": "EUR"}}


@pytest.fixture
def events(bo: pitboss.Backoffice, admin: pitboss.Actor) -> pitboss.Ingestor:
    """bo.events with a SEK rate and EVENTS ingested."""
    bo.events.set_fx_rate(admin, "SEK", "0.0870", "2025-01-01T00:00:00Z")
    counts = bo.events.ingest(admin, EVENTS)
    assert counts == pitboss.IngestCounts(accepted=len(EVENTS))
    return bo.events


def player_id(bo: pitboss.Backoffice, admin: pitboss.Actor, external_id: str) -> int:
    return bo.players.get_by_external_id(admin, external_id).id


# --- ingest -----------------------------------------------------------------------------------


def test_ingest_dicts_counts_duplicates_and_quarantines(bo: pitboss.Backoffice,
                                                        admin: pitboss.Actor) -> None:
    first = bo.events.ingest(admin, EVENTS[:2])
    assert isinstance(first, pitboss.IngestCounts)
    assert (first.accepted, first.duplicate, first.quarantined) == (2, 0, 0)
    bad = event("e-bad", "deposit", "p-1", "2025-12-02T00:00:00Z", transaction_id="t-9",
                amount="1.234", currency="EUR", status="approved")
    again = bo.events.ingest(admin, [EVENTS[1], bad, '{"event_id": "x"}'])
    assert again.to_dict() == {"accepted": 0, "duplicate": 1, "quarantined": 2}
    assert repr(again) == "IngestCounts(accepted=0, duplicate=1, quarantined=2)"
    assert bo.events.ingest(admin, EVENTS[2]) == pitboss.IngestCounts(accepted=1)  # one dict
    assert bo.events.ingest(admin, []) == pitboss.IngestCounts()


def test_ingest_a_path_an_open_file_and_jsonl_text(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                                   tmp_path: Path) -> None:
    lines = [json.dumps(e, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
             for e in EVENTS[:4]]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines[:2]) + "\n")
    assert bo.events.ingest(admin, path).accepted == 2
    assert bo.events.ingest(admin, str(path)).duplicate == 2
    assert bo.events.ingest(admin, io.StringIO(lines[2] + "\r\n\n")).accepted == 1
    assert bo.events.ingest(admin, io.BytesIO(lines[3].encode())).accepted == 1
    assert bo.events.ingest_jsonl(admin, "\n".join(lines)) == pitboss.IngestCounts(duplicate=4)


def test_ingest_refuses_what_it_cannot_read(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                            tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        bo.events.ingest(admin, tmp_path / "missing.jsonl")
    with pytest.raises(TypeError, match=r"events\[1\]"):
        bo.events.ingest(admin, [EVENTS[0], 42])
    with pytest.raises(TypeError, match="events"):
        bo.events.ingest(admin, 42)
    with pytest.raises(TypeError, match=r"events\[0\]\.x"):
        bo.events.ingest(admin, [{"x": object()}])

    class Broken(io.StringIO):
        def read(self, size: int = -1) -> str:
            raise OSError("stream lost")

    with pytest.raises(OSError, match="stream lost"):
        bo.events.ingest(admin, Broken())


def test_ingest_needs_events_ingest(bo: pitboss.Backoffice, operator) -> None:
    with pytest.raises(pitboss.AccessDenied):
        bo.events.ingest(operator("ana", "analyst"), EVENTS)
    platform = bo.access.system_actor("platform")
    assert bo.events.ingest(platform, EVENTS[:8]).accepted == 8


def test_threads_ingest_concurrently(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    def ingest(i: int) -> pitboss.IngestCounts:
        player = f"t-{i}"
        return bo.events.ingest(admin, [
            registration(f"{player}-1", player),
            event(f"{player}-2", "login", player, "2025-12-02T00:00:00Z", session_id="s"),
        ])

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(ingest, range(16)))
    assert all(r == pitboss.IngestCounts(accepted=2) for r in results)
    assert bo.players.count_players(admin) == 16
    assert bo.audit.verify().ok


# --- aggregates -------------------------------------------------------------------------------


def test_aggregates_is_the_json_form(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                     events: pitboss.Ingestor) -> None:
    figures = events.aggregates(admin, player_id(bo, admin, "p-1"))
    assert figures["external_id"] == "p-1"
    assert figures["as_of"].startswith("2026-01-01T00:00:00")
    assert figures["deposit_count"] == 1 and figures["deposit_sum"] == eur("50.00")
    assert figures["bet_sum"] == eur("10.00") and figures["win_sum"] == eur("4.50")
    assert figures["ggr"] == eur("5.50") and figures["ngr"] == eur("0.50")
    assert figures["bonus_sum"] == eur("5.00")
    assert figures["login_count"] == 1 and figures["session_duration_s"] == 1800
    assert figures["favourite_game_type"] == "slots"
    assert figures["days_since_last_deposit"] == 30
    sek = events.aggregates(admin, player_id(bo, admin, "p-2"))
    assert sek["deposit_sum"] == {"player": {"amount": "100.00", "currency": "SEK"},
                                  "base": {"amount": "8.70", "currency": "EUR"}}


def test_aggregates_as_of_another_time(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                       events: pitboss.Ingestor) -> None:
    p2 = player_id(bo, admin, "p-2")
    exactly_7_days = dt.datetime(2025, 12, 27, 18, tzinfo=UTC)
    assert events.aggregates(admin, p2, as_of=exactly_7_days)["deposits_7d"]["count"] == 1
    later = exactly_7_days + dt.timedelta(milliseconds=1)
    assert events.aggregates(admin, p2, as_of=later)["deposits_7d"]["count"] == 0
    before = events.aggregates(admin, p2, as_of="2025-12-20T17:59:59Z")
    assert before["deposit_count"] == 0 and before["last_deposit_at"] is None
    with pytest.raises(pitboss.ValidationError, match="as_of"):
        events.aggregates(admin, p2, as_of=dt.datetime(2025, 12, 27))
    with pytest.raises(pitboss.NotFoundError):
        events.aggregates(admin, 999_999)


def test_aggregates_need_events_read(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                     events: pitboss.Ingestor, operator) -> None:
    p1 = player_id(bo, admin, "p-1")
    analyst = operator("ana", "analyst")
    assert events.aggregates(analyst, p1)["deposit_count"] == 1
    agent = operator("sam", "support_agent", {"country": {"in": ["DE"]}})
    with pytest.raises(pitboss.AccessDenied):
        events.aggregates(agent, p1)
    assert len(events.frame(agent)) == 0


# --- frame ------------------------------------------------------------------------------------


def test_frame_has_one_row_per_player_and_flat_columns(bo: pitboss.Backoffice,
                                                       admin: pitboss.Actor,
                                                       events: pitboss.Ingestor) -> None:
    frame = events.frame(admin)
    assert isinstance(frame, pd.DataFrame)
    assert frame["external_id"].tolist() == ["p-1", "p-2"]
    assert frame["player_id"].tolist() == [player_id(bo, admin, "p-1"),
                                           player_id(bo, admin, "p-2")]
    assert frame.attrs["base_currency"] == "EUR"
    assert frame["currency"].tolist() == ["EUR", "SEK"]
    assert frame["deposit_sum_minor"].tolist() == [5000, 10000]
    assert frame["deposit_sum_base_minor"].tolist() == [5000, 870]
    assert frame["ggr_minor"].tolist() == [550, 0]
    assert frame["ngr_base_minor"].tolist() == [50, 0]
    for name in ("deposit_count", "deposit_sum_minor", "bet_sum_base_minor", "login_count",
                 "session_duration_s", "active_days_30d"):
        assert frame[name].dtype == "int64", name
    for name in ("as_of", "first_deposit_at", "last_login_at", "last_seen_at"):
        assert str(frame[name].dtype) == "datetime64[ns, UTC]", name
    assert frame["as_of"].iloc[0] == pd.Timestamp(START)
    assert frame["last_deposit_at"].iloc[1] == pd.Timestamp("2025-12-20T18:00:00Z")
    assert pd.isna(frame["last_login_at"].iloc[1])
    assert str(frame["days_since_last_login"].dtype) == "Int64"
    assert frame["days_since_last_login"].iloc[0] == 30
    assert pd.isna(frame["days_since_last_login"].iloc[1])
    assert frame["favourite_game_type"].tolist() == ["slots", None]
    # The frame and the dict agree.
    figures = events.aggregates(admin, int(frame["player_id"].iloc[0]))
    assert figures["bet_count"] == frame["bet_count"].iloc[0]


def test_frame_selects_players_and_a_time(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                          events: pitboss.Ingestor) -> None:
    p2 = player_id(bo, admin, "p-2")
    only = events.frame(admin, player_ids=[p2])
    assert only["external_id"].tolist() == ["p-2"]
    early = events.frame(admin, as_of="2025-12-10T00:00:00Z")
    assert early["deposit_count"].tolist() == [1, 0]
    assert early["deposits_7d_count"].tolist() == [0, 0]
    assert early["as_of"].iloc[0] == pd.Timestamp("2025-12-10T00:00:00Z")
    empty = events.frame(admin, player_ids=[])
    assert empty.shape == (0, len(events.frame(admin).columns))
    assert empty["deposit_sum_minor"].dtype == "int64"


def test_frame_uses_the_clock(bo: pitboss.Backoffice, admin: pitboss.Actor,
                              events: pitboss.Ingestor, clock: pitboss.ManualClock) -> None:
    assert events.frame(admin)["deposits_30d_count"].tolist() == [0, 1]
    clock.set(dt.datetime(2025, 12, 25, tzinfo=UTC))
    assert events.frame(admin)["deposits_30d_count"].tolist() == [1, 1]


# --- quarantine and exchange rates ------------------------------------------------------------


def test_quarantine_keeps_refused_events_with_reasons(bo: pitboss.Backoffice,
                                                      admin: pitboss.Actor,
                                                      events: pitboss.Ingestor) -> None:
    assert events.quarantine(admin) == [] and events.quarantine_size(admin) == 0
    raw = json.dumps(event("b-1", "bet", "p-1", "2025-12-02T00:00:00Z", round_id="r",
                           game_id="g", game_type="slots", amount="1.00", currency="ZZZ"))
    events.ingest(admin, [raw, "not json", event("b-2", "login", "ghost", "2025-12-02T00:00:00Z",
                                                 session_id="s")])
    listed = events.quarantine(admin)
    assert [q.event_id for q in listed] == ["b-1", None, "b-2"]
    assert isinstance(listed[0], pitboss.QuarantinedEvent)
    assert listed[0].raw == raw and listed[0].field == "currency"
    assert 'unknown currency "ZZZ"' in listed[0].reason
    assert listed[1].field == "json"
    assert listed[0].received_at == START
    assert listed[0].to_dict()["reason"] == listed[0].reason
    assert events.quarantine_size(admin) == 3
    assert [q.id for q in events.quarantine(admin, after=listed[0].id, limit=1)] == [listed[1].id]
    with pytest.raises(pitboss.ValidationError, match="limit"):
        events.quarantine(admin, limit=0)


def test_fx_rates_are_set_exactly_and_listed(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                             clock: pitboss.ManualClock) -> None:
    bo.events.set_fx_rate(admin, "GBP", "1.17", dt.datetime(2025, 6, 1, tzinfo=UTC))
    bo.events.set_fx_rate(admin, "GBP", decimal.Decimal("1.1850"))  # from the clock's now
    bo.events.set_fx_rate(admin, "JPY", decimal.Decimal("0.0061"), "2025-01-01T00:00:00Z")
    rates = bo.events.fx_rates(admin)
    assert all(isinstance(r, pitboss.FxRate) for r in rates)
    assert [(r.currency, r.rate) for r in rates] == [("GBP", "1.17"), ("GBP", "1.1850"),
                                                      ("JPY", "0.0061")]
    assert rates[1].valid_from == START
    assert rates[0].to_dict() == {"currency": "GBP", "rate": "1.17",
                                  "valid_from": dt.datetime(2025, 6, 1, tzinfo=UTC)}
    with pytest.raises(TypeError, match="float"):
        bo.events.set_fx_rate(admin, "GBP", 1.17)
    with pytest.raises(pitboss.ValidationError, match="base currency"):
        bo.events.set_fx_rate(admin, "EUR", "1")
    with pytest.raises(pitboss.ValidationError, match="rate"):
        bo.events.set_fx_rate(admin, "GBP", "-1")
    with pytest.raises(pitboss.AccessDenied):
        bo.events.set_fx_rate(bo.access.operator_actor(
            bo.access.create_operator(admin, "moe", "Moe").id), "GBP", "1.2")
    assert len(bo.events.fx_rates(admin)) == 3


def test_an_event_without_a_rate_is_quarantined(bo: pitboss.Backoffice,
                                                admin: pitboss.Actor) -> None:
    counts = bo.events.ingest(admin, [registration("e-1", "p-1", currency="SEK")] + [
        event("e-2", "deposit", "p-1", "2025-12-02T00:00:00Z", transaction_id="t",
              amount="10.00", currency="SEK", status="approved")])
    assert counts == pitboss.IngestCounts(accepted=1, quarantined=1)
    assert "exchange rate" in bo.events.quarantine(admin)[-1].reason


def test_checkpoint_and_a_second_back_office_agree(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                                   events: pitboss.Ingestor, database,
                                                   clock: pitboss.ManualClock) -> None:
    events.checkpoint()
    other = pitboss.open(database.url, clock=clock)
    mine = events.frame(admin)
    theirs = other.events.frame(other.access.system_actor("bootstrap"))
    pd.testing.assert_frame_equal(mine, theirs)
