"""Money, Currency, clocks and the datetime conversions at the boundary."""

from __future__ import annotations

import datetime as dt

import pytest

import pitboss

UTC = dt.timezone.utc


def test_money_parses_exactly_and_prints_with_its_currency() -> None:
    amount = pitboss.Money.parse("12.34", "EUR")
    assert amount.minor_units == 1234
    assert amount.currency == pitboss.Currency("EUR")
    assert amount.currency.code == "EUR"
    assert str(amount) == "12.34 EUR"
    assert amount.to_decimal_string() == "12.34"
    assert repr(amount) == "Money('12.34', 'EUR')"


def test_money_from_minor_units_with_a_currency_object_or_code() -> None:
    assert pitboss.Money(1234, pitboss.Currency("EUR")) == pitboss.Money(1234, "EUR")
    assert pitboss.Money(500, "JPY").to_string() == "500 JPY"
    assert pitboss.Money.zero("EUR").is_zero()
    assert pitboss.Money(-5, "EUR").is_negative()


def test_money_arithmetic_and_ordering() -> None:
    a, b = pitboss.Money.parse("10.00", "EUR"), pitboss.Money.parse("2.50", "EUR")
    assert (a + b).minor_units == 1250
    assert (a - b).minor_units == 750
    assert (-b).minor_units == -250
    assert (b * 3).minor_units == 750 and (3 * b) == b.times(3)
    assert b < a and a >= b and not a < b
    assert len({a, pitboss.Money(1000, "EUR"), b}) == 2  # hashable by value


def test_money_refuses_mixed_currencies() -> None:
    with pytest.raises(pitboss.ValidationError):
        pitboss.Money(1, "EUR") + pitboss.Money(1, "USD")
    with pytest.raises(pitboss.ValidationError):
        pitboss.Money(1, "EUR") < pitboss.Money(1, "USD")
    assert pitboss.Money(1, "EUR") != pitboss.Money(1, "USD")


@pytest.mark.parametrize("text", ["12.345", "1e3", " 12", "12,5", "", "abc"])
def test_money_parse_rejects_inexact_or_malformed_text_naming_the_field(text: str) -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        pitboss.Money.parse(text, "EUR", field="stake")
    assert caught.value.field == "stake"
    assert isinstance(caught.value, ValueError)


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        pitboss.Money(12.34, "EUR")  # type: ignore[arg-type]


def test_currency_knows_minor_digits_and_rejects_unknown_codes() -> None:
    assert pitboss.Currency("EUR").minor_digits == 2
    assert pitboss.Currency.of("JPY").minor_digits == 0
    assert pitboss.Currency.of("BHD").minor_digits == 3
    assert pitboss.Currency.is_known("USD") and not pitboss.Currency.is_known("XYZ")
    assert str(pitboss.Currency("USD")) == "USD" and repr(pitboss.Currency("USD")) == "Currency('USD')"
    assert hash(pitboss.Currency("EUR")) == hash(pitboss.Currency.of("EUR"))
    with pytest.raises(pitboss.ValidationError) as caught:
        pitboss.Currency("XYZ")
    assert caught.value.field == "currency"


def test_manual_clock_set_and_advance() -> None:
    clock = pitboss.ManualClock(dt.datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == dt.datetime(2026, 1, 1, tzinfo=UTC)
    clock.advance(dt.timedelta(days=1, milliseconds=5))
    assert clock.now() == dt.datetime(2026, 1, 2, 0, 0, 0, 5000, tzinfo=UTC)
    clock.set("2025-06-30T12:00:00Z")
    assert clock.now() == dt.datetime(2025, 6, 30, 12, tzinfo=UTC)


def test_clock_returns_an_aware_utc_datetime() -> None:
    now = pitboss.SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    assert abs(now - dt.datetime.now(UTC)) < dt.timedelta(minutes=1)


def test_aware_datetimes_in_other_zones_are_converted_to_utc() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    clock = pitboss.ManualClock(dt.datetime(2026, 3, 1, 14, 30, tzinfo=plus_two))
    assert clock.now() == dt.datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    assert clock.now().tzinfo == UTC


def test_timestamps_keep_milliseconds_and_drop_finer_digits() -> None:
    clock = pitboss.ManualClock(dt.datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC))
    assert clock.now().microsecond == 123000


def test_timestamps_round_trip_before_the_epoch() -> None:
    moment = dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    assert pitboss.ManualClock(moment).now() == moment


def test_naive_datetimes_are_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="start") as caught:
        pitboss.ManualClock(dt.datetime(2026, 1, 1))
    assert isinstance(caught.value, pitboss.ValidationError)
    assert caught.value.field == "start"
    clock = pitboss.ManualClock("2026-01-01T00:00:00Z")
    with pytest.raises(pitboss.ValidationError) as caught:
        clock.set(dt.datetime(2026, 1, 1))
    assert caught.value.field == "t"


def test_malformed_time_text_and_wrong_types_are_refused() -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        pitboss.ManualClock("yesterday")
    assert caught.value.field == "start"
    with pytest.raises(TypeError, match="start"):
        pitboss.ManualClock(1234)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="delta"):
        pitboss.ManualClock("2026-01-01T00:00:00Z").advance(5)  # type: ignore[arg-type]
