"""The help-desk knowledge base from Python (bo.knowledge_base)."""

from __future__ import annotations

from typing import Callable

import pytest

import pitboss


def test_versions_publish_and_search(bo: pitboss.Backoffice, admin: pitboss.Actor) -> None:
    kb = bo.knowledge_base
    fees = kb.create_article(admin, "payments", "fees", "Withdrawal fees",
                             "We charge no fees.", faq=True)
    assert fees["state"] == "draft"
    assert kb.search(admin, "fees") == []
    kb.publish(admin, fees["id"], "en", 1)
    limits = kb.create_article(admin, "payments", "limits", "Deposit limits",
                               "Limits apply to every withdrawal.")
    kb.publish(admin, limits["id"], "en", 1)
    hits = kb.search(admin, "withdrawal", language="en")
    assert [h["slug"] for h in hits] == ["fees", "limits"]
    assert hits[0]["score"] > hits[1]["score"]

    version = kb.save_version(admin, fees["id"], "de", "Auszahlungsgebühren",
                              "Wir berechnen keine Gebühren.")
    assert version["version"] == 1
    kb.publish(admin, fees["id"], "de", 1)
    assert [h["language"] for h in kb.search(admin, "Gebühren", language="de")] == ["de"]
    assert [h["language"] for h in kb.search(admin, "limits", language="de")] == ["en"]
    assert [v["version"] for v in kb.history(admin, fees["id"], "en")] == [1]
    faq = kb.faq(admin, language="de", category="payments")
    assert [(e["slug"], e["language"]) for e in faq] == [("fees", "de")]
    for query in ['"', "NEAR(", "a OR", "-x", "*", "(fees"]:
        kb.search(admin, query)
    assert kb.unpublish(admin, fees["id"])["state"] == "draft"
    assert kb.archive(admin, limits["id"])["state"] == "archived"
    assert kb.search(admin, "withdrawal") == []
    assert kb.get_article(admin, fees["id"])["variants"][0]["published_version"] is None


def test_errors(bo: pitboss.Backoffice, admin: pitboss.Actor,
                operator: Callable[..., pitboss.Actor]) -> None:
    kb = bo.knowledge_base
    with pytest.raises(pitboss.ValidationError):
        kb.search(admin, "   ")
    with pytest.raises(pitboss.ValidationError):
        kb.create_article(admin, "payments", "Bad Slug", "T", "B")
    marketer = operator("mark", "marketer")
    with pytest.raises(pitboss.AccessDenied):
        kb.search(marketer, "fees")
