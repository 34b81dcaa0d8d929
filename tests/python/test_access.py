"""Actors, the deny-by-default check, administration, and denial on service calls."""

from __future__ import annotations

import pytest

import pitboss

SEEDED_ROLES = {"admin", "operator", "support_agent", "marketer", "compliance_officer", "analyst"}


def test_the_bootstrap_system_actor(admin: pitboss.Actor) -> None:
    assert admin.name == "bootstrap"
    assert admin.kind == pitboss.ActorKind.system
    assert admin.label() == "system:bootstrap"
    assert isinstance(admin.id, int)
    assert repr(admin) == "Actor('system:bootstrap')"


def test_permission_catalogue_is_exposed() -> None:
    assert "players.read" in pitboss.ALL_PERMISSIONS
    assert "audit.export" in pitboss.ALL_PERMISSIONS
    assert isinstance(pitboss.ALL_PERMISSIONS, tuple)


def test_check_returns_a_truthy_decision(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    decision = bo.access.check(admin, "players.write", {"country": "MT"})
    assert isinstance(decision, pitboss.Decision)
    assert decision.allowed and bool(decision)
    bo.access.require(admin, "players.read")


def test_new_operator_without_roles_is_denied_with_a_reason(bo: pitboss.Backoffice,
                                                            operator) -> None:
    alice = operator("alice")
    assert alice.kind == pitboss.ActorKind.operator and alice.label() == "operator:alice"
    decision = bo.access.check(alice, "players.read")
    assert not decision and decision.allowed is False
    assert decision.reason
    with pytest.raises(pitboss.AccessDenied) as caught:
        bo.access.require(alice, "players.read")
    assert isinstance(caught.value, PermissionError)
    assert caught.value.code == "permission_denied"


def test_create_operator_and_look_it_up(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    created = bo.access.create_operator(admin, "bob", display_name="Bob B.")
    assert created.name == "bob" and created.display_name == "Bob B."
    assert created.kind == pitboss.ActorKind.operator
    assert created.status == pitboss.OperatorStatus.active
    assert created.created_at == bo.clock.now()
    assert bo.access.operator_actor(created.id).name == "bob"
    assert bo.access.operator_actor("bob").id == created.id
    assert "bob" in {o.name for o in bo.access.list_operators(admin)}
    with pytest.raises(pitboss.ConflictError):
        bo.access.create_operator(admin, "bob")


def test_disabled_operator_cannot_act(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                      operator) -> None:
    carol = operator("carol", role="admin")
    bo.access.set_operator_status(admin, carol.id, pitboss.OperatorStatus.disabled)
    with pytest.raises(pitboss.AccessDenied):
        bo.access.operator_actor("carol")


def test_seeded_roles_are_listed(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    roles = {role.name: role for role in bo.access.list_roles(admin)}
    assert SEEDED_ROLES <= roles.keys()
    granted = {p.permission for p in roles["admin"].permissions}
    assert "players.write" in granted


def test_role_with_a_conditional_grant(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                       operator) -> None:
    bo.access.create_role(admin, "adjuster", description="small adjustments only")
    bo.access.grant(admin, "adjuster", "payments.adjust", {"amount_minor": {"le": 100000}})
    dave = operator("dave", role="adjuster")
    assert bo.access.check(dave, "payments.adjust", {"amount_minor": 5000})
    assert not bo.access.check(dave, "payments.adjust", {"amount_minor": 100001})
    assert not bo.access.check(dave, "payments.adjust")  # missing attribute: deny by default
    role = next(r for r in bo.access.list_roles(admin) if r.name == "adjuster")
    assert role.description == "small adjustments only"
    [permission] = role.permissions
    assert permission.permission == "payments.adjust"
    assert permission.condition == {"amount_minor": {"le": 100000}}


def test_assignment_scoped_by_country(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                      operator) -> None:
    eve = operator("eve", role="support_agent", scope={"country": {"in": ["DE", "AT"]}})
    assert bo.access.check(eve, "players.read", {"country": "DE"})
    assert not bo.access.check(eve, "players.read", {"country": "MT"})
    [assignment] = bo.access.assignments(admin, eve.id)
    assert assignment.role == "support_agent"
    assert assignment.operator_id == eve.id
    assert assignment.scope == {"country": {"in": ["DE", "AT"]}}


def test_revoke_and_unassign(bo: pitboss.Backoffice, admin: pitboss.Actor, operator) -> None:
    bo.access.create_role(admin, "reader")
    bo.access.grant(admin, "reader", "players.read")
    frank = operator("frank", role="reader")
    assert bo.access.check(frank, "players.read")
    bo.access.revoke(admin, "reader", "players.read")
    assert not bo.access.check(frank, "players.read")
    bo.access.grant(admin, "reader", "players.read")
    bo.access.unassign_role(admin, frank.id, "reader")
    assert not bo.access.check(frank, "players.read")
    assert bo.access.assignments(admin, frank.id) == []


def test_reload_keeps_the_policy(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    bo.access.reload()
    assert bo.access.check(admin, "players.read")


def test_unknown_permission_cannot_be_granted(bo: pitboss.Backoffice,
                                              admin: pitboss.Actor) -> None:
    bo.access.create_role(admin, "odd")
    with pytest.raises(pitboss.ValidationError):
        bo.access.grant(admin, "odd", "casino.rob")


def test_malformed_condition_is_a_validation_error(bo: pitboss.Backoffice,
                                                   admin: pitboss.Actor) -> None:
    bo.access.create_role(admin, "odd")
    with pytest.raises(pitboss.ValidationError):
        bo.access.grant(admin, "odd", "players.read", {"country": {"like": "D%"}})


def test_attributes_must_be_int_or_str(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    with pytest.raises(TypeError, match="amount"):
        bo.access.check(admin, "players.read", {"amount": 1.5})


def test_denied_service_call_raises_and_is_audited(bo: pitboss.Backoffice,
                                                   admin: pitboss.Actor, operator) -> None:
    mallory = operator("mallory")
    with pytest.raises(PermissionError) as caught:
        bo.players.register_player(mallory, external_id="x-1", country="MT",
                                   birth_date="1990-01-01", currency="EUR")
    assert isinstance(caught.value, pitboss.AccessDenied)
    assert bo.players.find_by_external_id(admin, "x-1") is None
    denials = [e for e in bo.audit.list(admin) if e["action"] == "access.denied"]
    assert [e["actor"] for e in denials] == ["operator:mallory"]


def test_administration_needs_access_manage(bo: pitboss.Backoffice, operator) -> None:
    grace = operator("grace")
    with pytest.raises(pitboss.AccessDenied):
        bo.access.create_role(grace, "shadow")
