"""pandas helpers: whole result sets as DataFrames, fetched page by page in columns.

pandas is imported lazily, so ``import pitboss`` works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from ._native import Actor, Ingestor, PlayerService, PlayerStatus, SegmentService

#: Columns of ``PlayerService.frame``, in order (``PlayerService.list_columns`` gives them).
PLAYER_COLUMNS = (
    "id", "external_id", "brand", "email", "phone", "country", "birth_date", "currency",
    "language", "traffic_source", "affiliate_id", "registered_at", "status", "tags",
    "updated_at", "version", "consent_email", "consent_sms", "consent_push",
    "consent_messenger",
)
_STATUSES = ("active", "blocked", "self_excluded", "closed")
_MAX_PAGE = 10_000


def players_frame(
    players: PlayerService,
    actor: Actor,
    *,
    country: str | None = None,
    brand: str | None = None,
    status: PlayerStatus | str | None = None,
    tag: str | None = None,
    limit: int | None = None,
    page_size: int = _MAX_PAGE,
) -> pandas.DataFrame:
    """Every profile matching the filter (at most ``limit``) as a DataFrame ordered by id.

    Pages through ``list_columns`` (keyset paging by id, ``page_size`` rows per call), so no
    Python object is built per player. Times are ``datetime64[ns, UTC]``, ``birth_date`` is
    ``datetime64[ns]``, ``status`` is categorical, ``tags`` holds lists.
    """
    import pandas as pd

    if limit is not None and limit < 0:
        raise ValueError("limit: must be >= 0")
    if not 1 <= page_size <= _MAX_PAGE:
        raise ValueError(f"page_size: must be between 1 and {_MAX_PAGE}")
    columns: dict[str, list[Any]] = {name: [] for name in PLAYER_COLUMNS}
    fetched, after = 0, 0
    while limit is None or fetched < limit:
        wanted = page_size if limit is None else min(page_size, limit - fetched)
        page = players.list_columns(actor, country=country, brand=brand, status=status,
                                    tag=tag, after=after, limit=wanted)
        for name in PLAYER_COLUMNS:
            columns[name].extend(page[name])
        count = len(page["id"])
        fetched += count
        if count < wanted:
            break
        after = page["id"][-1]
    return _players_dataframe(pd, columns)


def _players_dataframe(pd: Any, columns: dict[str, list[Any]]) -> pandas.DataFrame:
    frame = pd.DataFrame(columns, columns=list(PLAYER_COLUMNS))
    frame["id"] = frame["id"].astype("int64")
    frame["version"] = frame["version"].astype("int64")
    for name in ("consent_email", "consent_sms", "consent_push", "consent_messenger"):
        frame[name] = frame[name].astype("bool")
    for name in ("registered_at", "updated_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    frame["status"] = pd.Categorical(frame["status"], categories=list(_STATUSES))
    return frame


#: Columns of ``Ingestor.frame``, in order: money in integer minor units of the player's currency
#: (``*_minor``) and of the base currency (``*_base_minor``, the currency in ``frame.attrs``).
AGGREGATE_COLUMNS = (
    "player_id", "external_id", "currency", "as_of",
    "deposit_count", "deposit_sum_minor", "deposit_sum_base_minor",
    "deposits_7d_count", "deposits_7d_sum_minor", "deposits_7d_sum_base_minor",
    "deposits_30d_count", "deposits_30d_sum_minor", "deposits_30d_sum_base_minor",
    "deposits_90d_count", "deposits_90d_sum_minor", "deposits_90d_sum_base_minor",
    "first_deposit_at", "last_deposit_at",
    "withdrawal_count", "withdrawal_sum_minor", "withdrawal_sum_base_minor",
    "bet_count", "bet_sum_minor", "bet_sum_base_minor", "win_sum_minor", "win_sum_base_minor",
    "ggr_minor", "ggr_base_minor", "bonus_sum_minor", "bonus_sum_base_minor",
    "bonus_cost_minor", "bonus_cost_base_minor", "ngr_minor", "ngr_base_minor",
    "login_count", "session_count", "session_duration_s", "last_login_at", "last_seen_at",
    "active_days_30d", "favourite_game_type", "days_since_last_deposit", "days_since_last_login",
)
_TIME_COLUMNS = frozenset(
    ("as_of", "first_deposit_at", "last_deposit_at", "last_login_at", "last_seen_at"))
_NULLABLE_COLUMNS = frozenset(("days_since_last_deposit", "days_since_last_login"))


def aggregates_frame(events: Ingestor, actor: Actor, player_ids: Any = None,
                     as_of: Any = None) -> pandas.DataFrame:
    """Aggregates of many players as a DataFrame, one row per player in id order.

    The columns come from C++ as numpy arrays (no Python object per figure). Times are
    ``datetime64[ns, UTC]`` (NaT when never), ``days_since_*`` are nullable ``Int64``; every
    other figure is ``int64``. ``frame.attrs["base_currency"]`` names the base currency.
    """
    import pandas as pd

    columns = events.aggregate_columns(actor, player_ids=player_ids, as_of=as_of)
    data: dict[str, Any] = {}
    for name in AGGREGATE_COLUMNS:
        value = columns[name]
        if name in _TIME_COLUMNS:
            data[name] = pd.Series(pd.to_datetime(value.view("datetime64[ms]"), utc=True))
        elif name in _NULLABLE_COLUMNS:
            values, missing = value
            data[name] = pd.Series(pd.arrays.IntegerArray(values, missing))
        elif isinstance(value, list):
            data[name] = pd.Series(value, dtype=object)
        else:
            data[name] = pd.Series(value)
    frame = pd.DataFrame(data, columns=list(AGGREGATE_COLUMNS))
    frame.attrs["base_currency"] = events.base_currency
    return frame


def segment_frame(segments: SegmentService, actor: Actor, rule: str, fields: Any,
                  limit: int | None = None) -> pandas.DataFrame:
    """The players ``rule`` matches (at most ``limit``, by id) with ``fields``, one row each.

    Columns come from C++ as numpy arrays: ``player_id`` first, then the fields in the order
    asked. Integers and money (base-currency minor units) are ``int64`` (nullable ones
    ``Int64``), scores ``float64``, booleans ``bool``, times ``datetime64[ns, UTC]`` (NaT for
    null), text ``object``.
    """
    import pandas as pd

    names = list(fields)
    columns = segments.columns(actor, rule, names, limit)
    types = columns["__types__"]
    data: dict[str, Any] = {"player_id": pd.Series(columns["player_id"])}
    for name in names:
        value = columns[name]
        kind = types[name]
        if kind == "timestamp":
            data[name] = pd.Series(pd.to_datetime(value.view("datetime64[ms]"), utc=True))
        elif isinstance(value, tuple):
            values, missing = value
            data[name] = pd.Series(pd.arrays.IntegerArray(values, missing))
        elif isinstance(value, list):
            data[name] = pd.Series(value, dtype=object)
        else:
            data[name] = pd.Series(value)
    return pd.DataFrame(data, columns=["player_id", *names])
