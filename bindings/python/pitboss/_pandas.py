"""pandas helpers: whole result sets as DataFrames, fetched page by page in columns.

pandas is imported lazily, so ``import pitboss`` works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from ._native import Actor, PlayerService, PlayerStatus

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
