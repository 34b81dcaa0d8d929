"""bo.players.frame(): profiles as a pandas DataFrame."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import pitboss
from conftest import START

COLUMNS = [
    "id", "external_id", "brand", "email", "phone", "country", "birth_date", "currency",
    "language", "traffic_source", "affiliate_id", "registered_at", "status", "tags",
    "updated_at", "version", "consent_email", "consent_sms", "consent_push",
    "consent_messenger",
]


def test_frame_has_one_row_per_player_and_typed_columns(bo: pitboss.Backoffice,
                                                        admin: pitboss.Actor,
                                                        make_player) -> None:
    players = [make_player(country=c, consents={"email": c == "DE"}) for c in ("DE", "MT", "DE")]
    frame = bo.players.frame(admin)
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == (3, len(COLUMNS))
    assert list(frame.columns) == COLUMNS
    assert frame["id"].tolist() == [p.id for p in players]
    assert frame["id"].dtype == "int64"
    assert str(frame["registered_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["registered_at"].iloc[0] == pd.Timestamp(START)
    assert str(frame["birth_date"].dtype) == "datetime64[ns]"
    assert frame["birth_date"].iloc[0] == pd.Timestamp("1990-05-17")
    assert frame["consent_email"].tolist() == [True, False, True]
    assert frame["consent_email"].dtype == bool
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert (frame.groupby("country").size().to_dict()) == {"DE": 2, "MT": 1}


def test_frame_filters_and_limits(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                  make_player) -> None:
    for i in range(5):
        make_player(country="DE" if i < 3 else "MT", tags=["vip"] if i == 4 else [])
    assert len(bo.players.frame(admin, country="DE")) == 3
    assert bo.players.frame(admin, tag="vip")["tags"].tolist() == [["vip"]]
    assert len(bo.players.frame(admin, limit=2)) == 2
    assert len(bo.players.frame(admin, status="blocked")) == 0


def test_frame_pages_through_everything(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                        make_player) -> None:
    ids = [make_player().id for _ in range(7)]
    assert bo.players.frame(admin, page_size=2)["id"].tolist() == ids
    assert bo.players.frame(admin, page_size=3, limit=5)["id"].tolist() == ids[:5]
    assert bo.players.frame(admin, page_size=7)["id"].tolist() == ids


def test_empty_frame_still_has_the_columns(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    frame = bo.players.frame(admin)
    assert frame.shape == (0, len(COLUMNS))
    assert list(frame.columns) == COLUMNS
    assert str(frame["registered_at"].dtype) == "datetime64[ns, UTC]"


def test_frame_rejects_bad_paging_arguments(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    with pytest.raises(ValueError):
        bo.players.frame(admin, page_size=0)
    with pytest.raises(ValueError):
        bo.players.frame(admin, limit=-1)
    with pytest.raises(TypeError):
        bo.players.frame(admin, colour="red")


def test_frame_holds_only_players_in_the_actors_scope(bo: pitboss.Backoffice,
                                                      admin: pitboss.Actor, operator,
                                                      make_player) -> None:
    bo.access.create_role(admin, "viewer")
    bo.access.grant(admin, "viewer", "players.read")
    viewer = operator("viewer", role="viewer", scope={"country": {"in": ["MT"]}})
    ids = [make_player(country=c).id for c in ("DE", "MT", "DE", "MT", "MT")]
    frame = bo.players.frame(viewer, page_size=2)
    assert frame["id"].tolist() == [ids[1], ids[3], ids[4]]
    assert set(frame["country"]) == {"MT"}


def test_frame_times_follow_the_clock(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                      clock: pitboss.ManualClock, make_player) -> None:
    make_player()
    clock.advance(dt.timedelta(days=1))
    make_player()
    frame = bo.players.frame(admin)
    assert (frame["registered_at"].diff().iloc[1]) == pd.Timedelta(days=1)
