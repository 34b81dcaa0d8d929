"""The audit log from Python: verify, list, export, and tampering."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import pitboss
from conftest import START, Database

ENTRY_KEYS = {"seq", "at", "actor", "action", "target", "before", "after", "prev_hash", "hash"}


@pytest.fixture
def history(bo: pitboss.Backoffice, admin: pitboss.Actor, clock: pitboss.ManualClock,
            make_player) -> list[pitboss.Player]:
    """Three registrations a day apart, then an update: some audit entries to work with."""
    players = []
    for _ in range(3):
        players.append(make_player())
        clock.advance(dt.timedelta(days=1))
    bo.players.update_player(admin, players[0].id, language="de")
    return players


def test_verify_reports_an_intact_chain(bo: pitboss.Backoffice, history) -> None:
    report = bo.audit.verify()
    assert isinstance(report, pitboss.VerifyReport)
    assert report.ok and bool(report)
    assert report.entries_checked >= 4
    assert report.first_broken_seq is None
    assert "ok=True" in repr(report)


def test_list_returns_entries_as_dicts(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                       history) -> None:
    entries = bo.audit.list(admin)
    assert entries and all(set(e) == ENTRY_KEYS for e in entries)
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs) and seqs[0] == 1
    registered = [e for e in entries if e["action"] == "player.registered"]
    assert len(registered) == 3
    first = registered[0]
    assert first["actor"] == "system:bootstrap"
    assert first["target"] == f"player:{history[0].id}"
    assert first["before"] is None
    assert isinstance(first["after"], dict)
    assert first["at"] == START
    assert len(first["hash"]) == 64
    assert entries[1]["prev_hash"] == entries[0]["hash"]


def test_list_filters_by_time_and_limit(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                        history) -> None:
    day_two = START + dt.timedelta(days=1)
    later = bo.audit.list(admin, from_=day_two)
    assert later and all(e["at"] >= day_two for e in later)
    earlier = bo.audit.list(admin, to="2026-01-01T23:59:59Z")
    assert earlier and all(e["at"] < day_two for e in earlier)
    assert len(bo.audit.list(admin, limit=2)) == 2


def test_list_refuses_a_naive_bound_naming_it(bo: pitboss.Backoffice,
                                              admin: pitboss.Actor) -> None:
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.audit.list(admin, from_=dt.datetime(2026, 1, 1))
    assert caught.value.field == "from_"
    with pytest.raises(pitboss.ValidationError) as caught:
        bo.audit.export(admin, io.StringIO(), to=dt.datetime(2026, 1, 1))
    assert caught.value.field == "to"


def test_list_needs_audit_read(bo: pitboss.Backoffice, operator) -> None:
    with pytest.raises(pitboss.AccessDenied):
        bo.audit.list(operator("snoop"))


def test_export_to_a_path_and_verify_it(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                        history, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    count = bo.audit.export(admin, path)
    lines = path.read_text().splitlines()
    assert count == len(lines) == len(bo.audit.list(admin))
    assert {"seq", "hash", "prev_hash"} <= json.loads(lines[0]).keys()
    report = pitboss.verify_export(path)
    assert report.ok and report.entries_checked == count
    assert pitboss.verify_export(str(path)).ok


@pytest.mark.parametrize("make_file", [io.StringIO, io.BytesIO])
def test_export_to_an_open_file(bo: pitboss.Backoffice, admin: pitboss.Actor, history,
                                make_file) -> None:
    target = make_file()
    count = bo.audit.export(admin, target)
    assert count > 0
    target.seek(0)
    assert pitboss.verify_export(target).entries_checked == count


def test_export_of_a_time_range_verifies_on_its_own(bo: pitboss.Backoffice,
                                                    admin: pitboss.Actor, history) -> None:
    out = io.StringIO()
    count = bo.audit.export(admin, out, from_=START + dt.timedelta(days=1))
    assert 0 < count < len(bo.audit.list(admin))
    out.seek(0)
    assert pitboss.verify_export(out).ok


def export_with_emoji_names(shift: int) -> bytes:
    """Exports a fresh log: five operators with ASCII display names holding `shift` extra
    characters between them (moving every later byte by `shift`), then 200 operators with
    emoji display names."""
    bo = pitboss.open("sqlite::memory:", now=START)
    admin = bo.access.system_actor("bootstrap")
    for i in range(5):
        extra = min(shift, 127)
        shift -= extra
        bo.access.create_operator(admin, f"pad-{i}", display_name="x" * (1 + extra))
    for i in range(200):
        bo.access.create_operator(admin, f"op-{i:03d}", display_name="🎰" * 32)
    out = io.StringIO()
    assert bo.audit.export(admin, out) == 205
    return out.getvalue().encode()


def test_export_never_splits_a_character_between_chunks() -> None:
    # The export reaches a text file in 64 KiB chunks. Shift the content so that the first
    # chunk boundary falls inside a 4-byte character, then check the text arrives intact.
    chunk = 64 * 1024
    unshifted = export_with_emoji_names(0)
    inside = max(i for i in range(chunk + 1) if unshifted[i] & 0xC0 == 0x80)
    data = export_with_emoji_names(chunk - inside)
    assert data[chunk] & 0xC0 == 0x80  # the boundary does split a character
    text = data.decode()
    assert text.count("🎰") == 200 * 32
    assert pitboss.verify_export(io.StringIO(text)).ok


def test_export_needs_audit_export(bo: pitboss.Backoffice, operator) -> None:
    with pytest.raises(pitboss.AccessDenied):
        bo.audit.export(operator("leaker"), io.StringIO())


def test_export_write_errors_surface(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                     history) -> None:
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        bo.audit.export(admin, Broken())


def test_export_to_a_missing_directory_is_an_os_error(bo: pitboss.Backoffice,
                                                      admin: pitboss.Actor,
                                                      tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        bo.audit.export(admin, tmp_path / "missing" / "audit.jsonl")


def test_tampered_export_line_is_reported(bo: pitboss.Backoffice, admin: pitboss.Actor,
                                          history) -> None:
    out = io.StringIO()
    bo.audit.export(admin, out)
    lines = out.getvalue().splitlines()
    entry = json.loads(lines[2])
    entry["actor"] = "system:someone-else"
    lines[2] = json.dumps(entry)
    report = pitboss.verify_export(io.StringIO("\n".join(lines) + "\n"))
    assert not report.ok
    assert report.first_broken_seq == entry["seq"]
    assert report.problem


def test_tampered_database_row_is_reported(bo: pitboss.Backoffice, database: Database,
                                           history) -> None:
    assert bo.audit.verify().ok
    database.tamper_audit("UPDATE audit_log SET actor = 'system:intruder' WHERE seq = 2")
    report = bo.audit.verify()
    assert not report.ok and not report
    assert report.first_broken_seq == 2
    assert report.problem
    assert "first_broken_seq=2" in repr(report)


def test_deleted_database_row_is_reported(bo: pitboss.Backoffice, database: Database,
                                          history) -> None:
    database.tamper_audit("DELETE FROM audit_log WHERE seq = 3")
    report = bo.audit.verify()
    assert not report.ok
    assert report.first_broken_seq == 3
