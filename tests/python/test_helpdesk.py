"""The help desk from Python (bo.helpdesk)."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pytest

import pitboss


def test_open_reply_and_thread(bo: pitboss.Backoffice, admin: pitboss.Actor,
                               make_player: Callable[..., pitboss.Player]) -> None:
    player = make_player()
    ticket = bo.helpdesk.open_ticket(
        admin, "Withdrawal pending", player_id=player.id, channel="email",
        category="payments", tags=["vip", "vip"], body="Where is my money?",
        attachments=[{"name": "a.png", "size": 10, "content_type": "image/png",
                      "storage_key": "s3://k"}])
    assert ticket["status"] == "new"
    assert ticket["tags"] == ["vip"]
    assert ticket["player_id"] == player.id
    message = bo.helpdesk.reply(admin, ticket["id"], "On it", status="pending")
    assert message["kind"] == "reply"
    assert bo.helpdesk.get_ticket(admin, ticket["id"])["status"] == "pending"
    bo.helpdesk.reply(admin, ticket["id"], "checking with the PSP", note=True,
                      channel="internal")
    thread = bo.helpdesk.thread(admin, ticket["id"])
    assert [m["kind"] for m in thread] == ["reply", "reply", "note"]
    assert thread[0]["attachments"][0]["storage_key"] == "s3://k"
    bo.helpdesk.add_player_message(admin, ticket["id"], "Thanks")
    assert bo.helpdesk.get_ticket(admin, ticket["id"])["status"] == "open"
    timeline = bo.helpdesk.timeline(admin, player.id)
    assert [c["direction"] for c in timeline] == ["inbound", "outbound", "inbound"]


def test_complaints_are_high_and_illegal_moves_raise(bo: pitboss.Backoffice,
                                                     admin: pitboss.Actor) -> None:
    ticket = bo.helpdesk.open_ticket(admin, "Unfair", contact_email="x@example.org",
                                     category="complaint", priority="low")
    assert ticket["priority"] == "high"
    bo.helpdesk.set_status(admin, ticket["id"], "solved")
    bo.helpdesk.set_status(admin, ticket["id"], "closed")
    with pytest.raises(pitboss.ConflictError, match="from closed to open"):
        bo.helpdesk.set_status(admin, ticket["id"], "open")
    with pytest.raises(pitboss.ValidationError):
        bo.helpdesk.open_ticket(admin, "No requester")
    with pytest.raises(pitboss.ValidationError):
        bo.helpdesk.open_ticket(admin, "Bad", contact_email="x@example.org", channel="fax")


def test_list_access_and_kpis(bo: pitboss.Backoffice, admin: pitboss.Actor,
                              clock: pitboss.ManualClock,
                              operator: Callable[..., pitboss.Actor]) -> None:
    bo.helpdesk.open_ticket(admin, "Bonus", contact_phone="+35699123456", category="bonus")
    rg = bo.helpdesk.open_ticket(admin, "Limit", contact_phone="+35699123456",
                                 category="responsible_gambling")
    assert len(bo.helpdesk.list_tickets(admin)) == 2
    compliance = operator("carol", "compliance_officer")
    assert [t["id"] for t in bo.helpdesk.list_tickets(compliance)] == [rg["id"]]
    marketer = operator("mark", "marketer")
    with pytest.raises(pitboss.AccessDenied):
        bo.helpdesk.list_tickets(marketer)
    clock.advance(dt.timedelta(hours=2))
    kpis = bo.helpdesk.queue_kpis(admin)
    assert kpis["total"] == 2 and kpis["open"] == 2
    assert bo.helpdesk.check_sla_breaches(admin) == {
        "checked": 0, "breached": 0, "approaching": 0, "escalated": 0}
    assert bo.helpdesk.get_ticket(admin, rg["id"])["sla"] is None
