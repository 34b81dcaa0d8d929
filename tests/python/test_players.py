"""The player master profile from Python."""

from __future__ import annotations

import datetime as dt

import pytest

import pitboss
from conftest import START, player_fields

UTC = dt.timezone.utc


def test_register_with_keyword_arguments(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    player = bo.players.register_player(
        admin, external_id="p-1", country="MT", birth_date=dt.date(1990, 5, 17),
        currency="EUR", email="p1@example.com", phone="+35699123456", language="mt",
        traffic_source="google", affiliate_id="aff-7", consents={"email": True, "sms": True},
        tags=["vip", "high-roller", "vip"])
    assert isinstance(player, pitboss.Player)
    assert player.id > 0
    assert player.external_id == "p-1"
    assert player.brand == "main"
    assert player.email == "p1@example.com"
    assert player.phone == "+35699123456"
    assert player.country == "MT"
    assert player.birth_date == dt.date(1990, 5, 17)
    assert player.currency == "EUR"
    assert player.language == "mt"
    assert player.traffic_source == "google"
    assert player.affiliate_id == "aff-7"
    assert player.registered_at == START and player.updated_at == START
    assert player.consents == pitboss.Consents(email=True, sms=True)
    assert player.consents.email and not player.consents.push
    assert player.status == pitboss.PlayerStatus.active
    assert player.tags == ["high-roller", "vip"]  # sorted, unique
    assert player.version == 1
    assert "p-1" in repr(player)


def test_register_with_a_dict_and_text_dates(bo: pitboss.Backoffice,
                                             admin: pitboss.Actor) -> None:
    fields = player_fields(birth_date="1985-02-28",
                           registered_at="2025-12-24T18:00:00+01:00")
    player = bo.players.register_player(admin, fields)
    assert player.birth_date == dt.date(1985, 2, 28)
    assert player.registered_at == dt.datetime(2025, 12, 24, 17, tzinfo=UTC)
    assert player.email == "player@example.com"
    assert player.phone is None and player.traffic_source is None


def test_dict_and_keywords_combine_with_keywords_winning(bo: pitboss.Backoffice,
                                                         admin: pitboss.Actor) -> None:
    player = bo.players.register_player(admin, player_fields(), country="DE",
                                        consents=pitboss.Consents(push=True))
    assert player.country == "DE"
    assert player.consents.to_dict() == {"email": False, "sms": False, "push": True,
                                         "messenger": False}


def test_to_dict_holds_plain_python_values(make_player) -> None:
    player = make_player(external_id="d-1", tags=["vip"], consents={"messenger": True})
    assert player.to_dict() == {
        "id": player.id,
        "external_id": "d-1",
        "brand": "main",
        "email": None,
        "phone": None,
        "country": "MT",
        "birth_date": dt.date(1990, 5, 17),
        "currency": "EUR",
        "language": "en",
        "traffic_source": None,
        "affiliate_id": None,
        "registered_at": START,
        "status": "active",
        "tags": ["vip"],
        "updated_at": START,
        "version": 1,
        "consents": {"email": False, "sms": False, "push": False, "messenger": True},
    }


@pytest.mark.parametrize(("field", "value"), [
    ("country", "XX"),
    ("country", "mt"),
    ("birth_date", dt.date(2026, 6, 1)),    # in the future
    ("birth_date", dt.date(2010, 1, 1)),    # under 18
    ("email", "not-an-email"),
    ("phone", "12345"),
    ("currency", "EURO"),
    ("language", "xx"),
    ("external_id", ""),
    ("tags", ["Not A Slug"]),
    ("registered_at", dt.datetime(2026, 2, 1, tzinfo=UTC)),  # in the future
])
def test_invalid_input_is_a_validation_error_naming_the_field(
        bo: pitboss.Backoffice, admin: pitboss.Actor, field: str, value: object) -> None:
    with pytest.raises(ValueError) as caught:
        bo.players.register_player(admin, player_fields(**{field: value}))
    assert isinstance(caught.value, pitboss.ValidationError)
    assert caught.value.field == field
    assert bo.players.count_players(admin) == 0


def test_malformed_date_text_names_the_field(bo: pitboss.Backoffice,
                                             admin: pitboss.Actor) -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.register_player(admin, player_fields(birth_date="17/05/1990"))
    assert caught.value.field == "birth_date"


def test_a_datetime_is_not_a_birth_date(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.register_player(admin,
                                   player_fields(birth_date=dt.datetime(1990, 1, 1, tzinfo=UTC)))
    assert caught.value.field == "birth_date"


def test_naive_registration_time_is_refused(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.register_player(admin, player_fields(registered_at=dt.datetime(2025, 1, 1)))
    assert caught.value.field == "registered_at"


def test_wrong_types_and_unknown_fields_are_type_errors(bo: pitboss.Backoffice,
                                                        admin: pitboss.Actor) -> None:
    with pytest.raises(TypeError, match="country"):
        bo.players.register_player(admin, player_fields(country=356))
    with pytest.raises(TypeError, match="nickname"):
        bo.players.register_player(admin, player_fields(nickname="ace"))
    with pytest.raises(TypeError, match="tags"):
        bo.players.register_player(admin, player_fields(tags="vip"))
    with pytest.raises(TypeError, match="consents.email"):
        bo.players.register_player(admin, player_fields(consents={"email": 1}))
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.register_player(admin, player_fields(consents={"fax": True}))
    assert caught.value.field == "consents.fax"


def test_duplicate_external_id_is_a_conflict(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                             make_player) -> None:
    make_player(external_id="dup")
    with pytest.raises(pitboss.ConflictError) as caught:
        make_player(external_id="dup")
    assert caught.value.code == "conflict"
    assert bo.players.count_players(admin) == 1


def test_lookups(bo: pitboss.Backoffice, admin: pitboss.Actor, make_player) -> None:
    created = make_player(external_id="look-1")
    assert bo.players.get_player(admin, created.id).external_id == "look-1"
    assert bo.players.get_by_external_id(admin, "look-1").id == created.id
    found = bo.players.find_by_external_id(admin, "look-1")
    assert found is not None and found.id == created.id
    assert bo.players.find_by_external_id(admin, "missing") is None
    with pytest.raises(pitboss.NotFoundError):
        bo.players.get_by_external_id(admin, "missing")


def test_update_changes_only_the_given_fields(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                              clock: pitboss.ManualClock, make_player) -> None:
    created = make_player(email="old@example.com", tags=["new"])
    clock.advance(dt.timedelta(hours=1))
    updated = bo.players.update_player(admin, created.id, country="DE", language="de",
                                       tags=["vip"], consents={"email": True})
    assert (updated.country, updated.language, updated.tags) == ("DE", "de", ["vip"])
    assert updated.consents == pitboss.Consents(email=True)
    assert updated.email == "old@example.com"
    assert updated.version == 2
    assert updated.updated_at == START + dt.timedelta(hours=1)
    assert updated.registered_at == START


def test_update_with_none_clears_a_nullable_field(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                                  make_player) -> None:
    created = make_player(email="gone@example.com", affiliate_id="aff-1")
    updated = bo.players.update_player(admin, created.id, email=None, affiliate_id=None)
    assert updated.email is None and updated.affiliate_id is None


def test_update_with_a_stale_version_is_a_conflict(bo: pitboss.Backoffice,
                                                   admin: pitboss.Actor, make_player) -> None:
    created = make_player()
    bo.players.update_player(admin, created.id, language="de", expected_version=1)
    with pytest.raises(pitboss.ConflictError):
        bo.players.update_player(admin, created.id, language="fr", expected_version=1)


def test_update_validates_and_names_the_field(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                              make_player) -> None:
    created = make_player()
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.update_player(admin, created.id, birth_date="2020-01-01")
    assert caught.value.field == "birth_date"
    with pytest.raises(TypeError, match="currency"):
        bo.players.update_player(admin, created.id, currency="USD")
    with pytest.raises(pitboss.NotFoundError):
        bo.players.update_player(admin, 999999, language="de")


def test_set_status_by_enum_or_name(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                    make_player) -> None:
    created = make_player()
    blocked = bo.players.set_status(admin, created.id, pitboss.PlayerStatus.blocked, "chargeback")
    assert blocked.status == pitboss.PlayerStatus.blocked
    active = bo.players.set_status(admin, created.id, "active", "resolved")
    assert active.status == pitboss.PlayerStatus.active
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.players.set_status(admin, created.id, "banned", "typo")
    assert caught.value.field == "status"


def test_self_exclusion_cannot_be_lifted_here(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                              make_player) -> None:
    created = make_player()
    bo.players.set_status(admin, created.id, "self_excluded", "player request")
    with pytest.raises(pitboss.PreconditionError) as caught:
        bo.players.set_status(admin, created.id, "active", "changed their mind")
    assert caught.value.code == "failed_precondition"


def test_list_players_filters_and_pages(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                        make_player) -> None:
    ids = [make_player(country="DE" if i % 2 else "MT", tags=["vip"] if i < 3 else []).id
           for i in range(7)]
    assert [p.id for p in bo.players.list_players(admin)] == ids
    assert [p.id for p in bo.players.list_players(admin, country="DE")] == ids[1::2]
    assert [p.id for p in bo.players.list_players(admin, tag="vip")] == ids[:3]
    first = bo.players.list_players(admin, limit=3)
    second = bo.players.list_players(admin, after=first[-1].id, limit=3)
    assert [p.id for p in first + second] == ids[:6]
    bo.players.set_status(admin, ids[0], "blocked", "test")
    assert [p.id for p in bo.players.list_players(admin, status="blocked")] == ids[:1]
    assert [p.id for p in bo.players.list_players(
        admin, status=pitboss.PlayerStatus.active)] == ids[1:]
    assert bo.players.count_players(admin) == 7


def test_list_players_limit_is_validated(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    for limit in (0, -1, 10_001):
        with pytest.raises(pitboss.ValidationError) as caught:
            bo.players.list_players(admin, limit=limit)
        assert caught.value.field == "limit"


def test_list_columns_returns_one_list_per_column(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                                  make_player) -> None:
    first, second = make_player(consents={"sms": True}), make_player(email="b@example.com")
    columns = bo.players.list_columns(admin)
    assert columns["id"] == [first.id, second.id]
    assert columns["email"] == [None, "b@example.com"]
    assert columns["consent_sms"] == [True, False]
    assert columns["registered_at"] == [START, START]
    assert columns["status"] == ["active", "active"]


def test_scoped_operator_sees_only_their_countries(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                                  make_player, operator) -> None:
    bo.access.create_role(admin, "viewer")
    bo.access.grant(admin, "viewer", "players.read")
    viewer = operator("viewer", role="viewer", scope={"country": {"in": ["DE"]}})
    german, maltese = make_player(country="DE"), make_player(country="MT")
    assert [p.id for p in bo.players.list_players(viewer)] == [german.id]
    assert bo.players.get_player(viewer, german.id).country == "DE"
    with pytest.raises(pitboss.AccessDenied):
        bo.players.get_player(viewer, maltese.id)
