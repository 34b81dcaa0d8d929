"""The exception hierarchy: pitboss names, builtin bases, attributes."""

from __future__ import annotations

import pytest

import pitboss

HIERARCHY = [
    (pitboss.ValidationError, ValueError, "invalid_argument"),
    (pitboss.NotFoundError, LookupError, "not_found"),
    (pitboss.ConflictError, None, "conflict"),
    (pitboss.AccessDenied, PermissionError, "permission_denied"),
    (pitboss.PreconditionError, None, "failed_precondition"),
    (pitboss.IntegrityError, None, "integrity"),
    (pitboss.StorageError, None, "storage"),
    (pitboss.UnavailableError, ConnectionError, "unavailable"),
]


@pytest.mark.parametrize(("error", "builtin", "code"), HIERARCHY)
def test_every_error_derives_from_the_root_and_its_builtin(error: type, builtin: type | None,
                                                           code: str) -> None:
    assert issubclass(error, pitboss.Error)
    assert issubclass(error, Exception)
    if builtin is not None:
        assert issubclass(error, builtin)
    assert error.__module__ == "pitboss"
    assert error.code == code


def test_root_error_is_an_exception_with_defaults() -> None:
    assert issubclass(pitboss.Error, Exception)
    assert pitboss.Error.retryable is False
    assert pitboss.UnavailableError.retryable is True
    assert pitboss.ValidationError.field is None


def test_errors_can_be_raised_and_caught_from_python() -> None:
    with pytest.raises(LookupError):
        raise pitboss.NotFoundError("player 7")


def test_translated_error_carries_message_code_field_and_retryable() -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        pitboss.Money.parse("1.234", "EUR", field="amount")
    error = caught.value
    assert error.field == "amount"
    assert error.code == "invalid_argument"
    assert error.retryable is False
    assert str(error).startswith("amount")
    assert type(error) is pitboss.ValidationError


def test_not_found_is_a_lookup_error(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    with pytest.raises(LookupError) as caught:
        bo.players.get_player(admin, 424242)
    assert isinstance(caught.value, pitboss.NotFoundError)
    assert caught.value.code == "not_found"
    assert "424242" in str(caught.value)


def test_unknown_system_actor_is_not_found(bo: pitboss.Backoffice) -> None:
    with pytest.raises(pitboss.NotFoundError):
        bo.access.system_actor("nobody-here")


def test_bad_url_is_a_validation_error() -> None:
    with pytest.raises(pitboss.ValidationError):
        pitboss.open("mysql://localhost/casino")


def test_unreachable_postgres_is_unavailable() -> None:
    with pytest.raises(pitboss.UnavailableError) as caught:
        pitboss.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert isinstance(caught.value, ConnectionError)
    assert caught.value.retryable is True
