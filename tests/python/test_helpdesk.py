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


def test_queues_agents_and_round_robin(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    queue = bo.helpdesk.save_queue(admin, "payments", "payments")
    assert queue == {"name": "payments", "skill": "payments", "strategy": "round_robin"}
    bo.helpdesk.save_queue(admin, "kyc", "kyc", strategy="least_loaded")
    assert [q["name"] for q in bo.helpdesk.queues(admin)] == ["kyc", "payments"]
    ids = [bo.access.create_operator(admin, name, display_name=name.title()).id
           for name in ("ann", "ben", "cid", "dan")]
    ann, ben, cid, dan = ids
    for agent in (ann, ben, cid):
        bo.helpdesk.save_agent(admin, agent, ["payments"])
    bo.helpdesk.save_agent(admin, dan, ["kyc"])
    for agent in (ann, cid, dan):
        assert bo.helpdesk.set_online(admin, agent, True)["online"] is True
    agents = bo.helpdesk.agents(admin)
    assert [(a["id"], a["online"]) for a in agents] == [
        (ann, True), (ben, False), (cid, True), (dan, True)]
    assert agents[0]["skills"] == ["payments"]
    tickets = [bo.helpdesk.open_ticket(admin, f"Payout {i}", contact_email="x@example.org",
                                       category="payments", queue="payments")
               for i in range(3)]
    picked = [bo.helpdesk.auto_assign(admin, t["id"])["assignee"] for t in tickets]
    assert picked == [ann, cid, ann]
    with pytest.raises(pitboss.NotFoundError):
        bo.helpdesk.set_online(admin, bo.access.create_operator(admin, "eve").id, True)


def test_assign_and_history(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    bo.helpdesk.save_queue(admin, "payments", "payments")
    bo.helpdesk.save_queue(admin, "supervisors", "supervisor")
    agent = bo.access.create_operator(admin, "ann", display_name="Ann").id
    bo.helpdesk.save_agent(admin, agent, ["payments"])
    ticket = bo.helpdesk.open_ticket(admin, "Payout", contact_email="x@example.org")
    moved = bo.helpdesk.assign(admin, ticket["id"], queue="payments", agent=agent)
    assert moved["queue"] == "payments" and moved["assignee"] == agent
    bo.helpdesk.assign(admin, ticket["id"], queue="supervisors")
    history = bo.helpdesk.assignment_history(admin, ticket["id"])
    assert [(h["from_queue"], h["to_queue"]) for h in history[-2:]] == [
        (None, "payments"), ("payments", "supervisors")]
    assert history[-2]["to_agent"] == agent and history[-2]["reason"] == "manual"
    assert history[-1]["ticket_id"] == ticket["id"]
    with pytest.raises(pitboss.PreconditionError):
        bo.helpdesk.auto_assign(admin, ticket["id"])


def test_templates(bo: pitboss.Backoffice, admin: pitboss.Actor,
                   make_player: Callable[..., pitboss.Player]) -> None:
    with pytest.raises(pitboss.ValidationError, match="body") as error:
        bo.helpdesk.save_template(admin, "greeting", "en", "Hi {{player.shoe_size}}")
    assert error.value.field == "body"
    body = "Ticket {{ ticket.id }} ({{ticket.subject}}) from {{player.country}}"
    saved = bo.helpdesk.save_template(admin, "greeting", "en", body)
    assert saved["language"] == "en" and saved["updated_at"]
    bo.helpdesk.save_template(admin, "greeting", "de", "Ticket {{ticket.id}}")
    variants = bo.helpdesk.template_variants(admin, "greeting")
    assert sorted(v["language"] for v in variants) == ["de", "en"]
    player = make_player()
    ticket = bo.helpdesk.open_ticket(admin, "Hello", player_id=player.id)
    assert bo.helpdesk.render_reply(admin, "greeting", ticket["id"]) == (
        f"Ticket {ticket['id']} (Hello) from MT")
    with pytest.raises(pitboss.NotFoundError):
        bo.helpdesk.render_reply(admin, "missing", ticket["id"])


OFFICE = {
    "time_zone": "Europe/Malta",
    "weekly_hours": {day: [["09:00", "17:00"]]
                     for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    "holidays": ["2026-12-25"],
}


def policy(**rule: object) -> dict[str, object]:
    fields: dict[str, object] = {"name": "normal", "priority": "normal",
                                 "first_response_minutes": 60, "resolution_minutes": 480}
    fields.update(rule)
    return {"name": "standard", "calendar": "office", "rules": [fields]}


def test_calendar_and_sla_policy(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                 clock: pitboss.ManualClock) -> None:
    assert bo.helpdesk.find_calendar(admin, "office") is None
    bo.helpdesk.save_calendar(admin, "office", OFFICE)
    stored = bo.helpdesk.find_calendar(admin, "office")
    assert stored is not None and stored["time_zone"] == "Europe/Malta"
    assert stored["holidays"] == ["2026-12-25"]
    with pytest.raises(pitboss.ValidationError):
        bo.helpdesk.save_calendar(admin, "bad", {"time_zone": "Mars/Olympus"})
    with pytest.raises(pitboss.ValidationError, match=r"rules\[0\]\.priority") as error:
        bo.helpdesk.save_sla_policy(admin, policy(priority="asap"))
    assert error.value.field == "rules[0].priority"
    with pytest.raises(pitboss.ValidationError, match="calendar"):
        bo.helpdesk.save_sla_policy(admin, {**policy(), "calendar": "nowhere"})
    bo.helpdesk.save_sla_policy(admin, policy())
    assert bo.helpdesk.active_sla_policy(admin) is None
    ticket = bo.helpdesk.open_ticket(admin, "Payout", contact_email="x@example.org")
    assert bo.helpdesk.sla(admin, ticket["id"]) is None
    assert bo.helpdesk.sla_many(admin) == []
    bo.helpdesk.activate_sla_policy(admin, "standard")
    active = bo.helpdesk.active_sla_policy(admin)
    assert active is not None and active["rules"][0]["first_response_minutes"] == 60
    # Opened Thursday 2026-01-01 01:00 Malta: the first response is due at 10:00 Malta.
    sla = bo.helpdesk.sla(admin, ticket["id"])
    assert sla is not None and sla["rule"] == "normal"
    assert sla["first_response"]["state"] == "running"
    assert sla["first_response"]["due_at"].startswith("2026-01-01T09:00:00")
    clock.advance(dt.timedelta(hours=12))
    many = bo.helpdesk.sla_many(admin)
    assert [s["ticket_id"] for s in many] == [ticket["id"]]
    assert many[0]["first_response"]["state"] == "breached"


def test_priority_tags_link_and_reopen_window(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                              make_player: Callable[..., pitboss.Player]) -> None:
    complaint = bo.helpdesk.open_ticket(admin, "Unfair", contact_email="x@example.org",
                                        category="complaint")
    with pytest.raises(pitboss.ValidationError, match="priority"):
        bo.helpdesk.set_priority(admin, complaint["id"], "normal")
    assert bo.helpdesk.set_priority(admin, complaint["id"], "urgent")["priority"] == "urgent"
    assert bo.helpdesk.set_tags(admin, complaint["id"], ["b", "a", "b"])["tags"] == ["a", "b"]
    player = make_player()
    linked = bo.helpdesk.link_player(admin, complaint["id"], player.id)
    assert linked["player_id"] == player.id
    with pytest.raises(pitboss.ConflictError):
        bo.helpdesk.link_player(admin, complaint["id"], player.id)
    assert bo.helpdesk.reopen_window(admin) == dt.timedelta(days=7)
    bo.helpdesk.set_reopen_window(admin, dt.timedelta(days=2))
    assert bo.helpdesk.reopen_window(admin) == dt.timedelta(days=2)
    with pytest.raises(pitboss.ValidationError):
        bo.helpdesk.set_reopen_window(admin, dt.timedelta(days=400))
