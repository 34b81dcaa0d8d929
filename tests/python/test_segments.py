"""bo.segments: rule evaluation (numpy ids, pandas frames), named segments and membership."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

import pitboss
from conftest import START

UTC = dt.timezone.utc


def event(event_id: str, event_type: str, player: str, at: Any, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "type": event_type, "player_id": player, "occurred_at": at,
            **fields}


def registration(player: str, country: str, email: bool = True) -> dict[str, Any]:
    return event("r-" + player, "registration", player, "2025-06-01T10:00:00Z", country=country,
                 birth_date=dt.date(1990, 7, 14), currency="EUR", consents={"email": email})


EVENTS = [
    registration("de-1", "DE"),
    registration("at-1", "AT"),
    registration("mt-1", "MT", email=False),
    event("d-1", "deposit", "de-1", START - dt.timedelta(days=3), transaction_id="t-1",
          amount="150.00", currency="EUR", status="approved"),
    event("d-2", "deposit", "at-1", START - dt.timedelta(days=40), transaction_id="t-2",
          amount="20.00", currency="EUR", status="approved"),
    event("l-1", "login", "de-1", START - dt.timedelta(days=1), session_id="s-1"),
    event("l-2", "login", "mt-1", START - dt.timedelta(days=50), session_id="s-2"),
]


@pytest.fixture
def segments(bo: pitboss.Backoffice, admin: pitboss.Actor) -> pitboss.SegmentService:
    assert bo.events.ingest(admin, EVENTS).accepted == len(EVENTS)
    return bo.segments


def ids(bo: pitboss.Backoffice, admin: pitboss.Actor, *external_ids: str) -> list[int]:
    return sorted(bo.players.get_by_external_id(admin, e).id for e in external_ids)


def test_evaluate_returns_numpy_ids(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                    segments: pitboss.SegmentService) -> None:
    found = segments.evaluate(admin, 'country in ("DE", "AT")')
    assert isinstance(found, np.ndarray)
    assert found.dtype == np.int64
    assert found.tolist() == ids(bo, admin, "de-1", "at-1")
    assert segments.evaluate(admin, "deposit_sum_30d >= 100").tolist() == ids(bo, admin, "de-1")
    assert segments.evaluate(admin, "last_deposit_at is null").tolist() == ids(bo, admin, "mt-1")
    assert segments.count(admin, "days_since_last_login > 14") == 1
    assert segments.evaluate(admin, 'country = "XX"').tolist() == []


def test_bad_rules_raise_validation_errors(segments: pitboss.SegmentService,
                                           admin: pitboss.Actor) -> None:
    with pytest.raises(pitboss.ValidationError, match="deposit_sum_30d") as caught:
        segments.evaluate(admin, "deposit_sum_31d > 1")
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "rule"


def test_frame_builds_typed_columns(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                    segments: pitboss.SegmentService) -> None:
    frame = segments.frame(admin, "player_id > 0",
                           ["country", "deposit_sum", "days_since_last_login", "churn_risk",
                            "consent_email", "last_deposit_at"])
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["player_id", "country", "deposit_sum", "days_since_last_login",
                                   "churn_risk", "consent_email", "last_deposit_at"]
    assert frame["player_id"].tolist() == ids(bo, admin, "de-1", "at-1", "mt-1")
    by_country = frame.set_index("country")
    assert by_country.loc["DE", "deposit_sum"] == 15_000  # base-currency minor units
    assert frame["deposit_sum"].dtype == np.int64
    assert str(frame["days_since_last_login"].dtype) == "Int64"
    assert pd.isna(by_country.loc["AT", "days_since_last_login"])
    assert by_country.loc["MT", "days_since_last_login"] == 50
    assert frame["churn_risk"].dtype == np.float64
    assert frame["churn_risk"].between(0, 1).all()
    assert by_country.loc["MT", "churn_risk"] > by_country.loc["DE", "churn_risk"]
    assert frame["consent_email"].dtype == np.bool_
    assert not by_country.loc["MT", "consent_email"]
    assert str(frame["last_deposit_at"].dtype) == "datetime64[ns, UTC]"
    assert by_country.loc["DE", "last_deposit_at"] == pd.Timestamp(START - dt.timedelta(days=3))
    assert pd.isna(by_country.loc["MT", "last_deposit_at"])
    preview = segments.frame(admin, "player_id > 0", ["country"], limit=2)
    assert len(preview) == 2
    with pytest.raises(pitboss.ValidationError, match="nope"):
        segments.frame(admin, "player_id > 0", ["nope"])


def test_named_segments_and_membership(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                       segments: pitboss.SegmentService) -> None:
    dynamic = segments.create(admin, "depositors", rule="deposit_count >= 1",
                              description="anyone who deposited")
    assert isinstance(dynamic, pitboss.Segment)
    assert (dynamic.kind, dynamic.size, dynamic.rule) == ("dynamic", 2, "deposit_count >= 1")
    static = segments.create(admin, "vip", player_ids=ids(bo, admin, "mt-1"))
    assert (static.kind, static.size) == ("static", 1)
    split = segments.create(admin, "test", buckets=2, parent="depositors")
    assert (split.kind, split.buckets, split.parent, split.size) == ("ab_split", 2, "depositors", 2)
    assert [s.name for s in segments.list(admin)] == ["depositors", "vip", "test"]
    assert segments.get(admin, "vip").to_dict()["kind"] == "static"
    members = segments.members(admin, "test")
    assert [m["player_id"] for m in members] == ids(bo, admin, "de-1", "at-1")
    assert all(m["bucket"] in (0, 1) for m in members)
    with pytest.raises(pitboss.ValidationError):
        segments.create(admin, "x", rule="bet_count > 1", buckets=2)
    with pytest.raises(pitboss.ConflictError):
        segments.create(admin, "vip", rule="bet_count > 1")
    with pytest.raises(pitboss.NotFoundError):
        segments.get(admin, "nope")

    # A new deposit enters mt-1 through the incremental path; the history keeps the past.
    before = START
    bo.clock.set(START + dt.timedelta(hours=1))
    bo.events.ingest(admin, event("d-3", "deposit", "mt-1", START + dt.timedelta(minutes=30),
                                  transaction_id="t-3", amount="5.00", currency="EUR",
                                  status="approved"))
    assert segments.get(admin, "depositors").size == 3
    assert segments.members_on(admin, "depositors", before).tolist() == \
        ids(bo, admin, "de-1", "at-1")
    assert segments.members_on(admin, "depositors", bo.clock.now()).tolist() == \
        ids(bo, admin, "de-1", "at-1", "mt-1")
    assert segments.refresh(admin, "depositors") == {"entered": 0, "exited": 0, "size": 3}
    segments.remove(admin, "vip")
    assert [s.name for s in segments.list(admin)] == ["depositors", "test"]


def test_segment_permissions(bo: pitboss.Backoffice, admin: pitboss.Actor,
                             segments: pitboss.SegmentService) -> None:
    agent = bo.access.create_operator(admin, name="sam", display_name="Sam")
    bo.access.assign_role(admin, agent.id, "support_agent")
    sam = bo.access.operator_actor(agent.id)
    with pytest.raises(pitboss.AccessDenied):
        segments.evaluate(sam, "player_id > 0")
    assert "segments.read" in pitboss.ALL_PERMISSIONS
    assert "segments.write" in pitboss.ALL_PERMISSIONS
