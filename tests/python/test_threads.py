"""Calls release the GIL, so threads share one back office safely and in parallel."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pitboss
from conftest import player_fields


def test_threads_register_concurrently(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    def register(i: int) -> int:
        return bo.players.register_player(admin, player_fields(external_id=f"t-{i}")).id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(register, range(40)))
    assert len(set(ids)) == 40
    assert bo.players.count_players(admin) == 40
    assert bo.audit.verify().ok
