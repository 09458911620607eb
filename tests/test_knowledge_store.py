"""The knowledge base in SQLite: loading, validation errors, edits with audit rows, round-trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase, open_db
from knowledge.errors import Conflict, NotFound, ValidationError
from knowledge.yamlio import read_dir, write_dir


def test_database_is_wal_with_foreign_keys(db_path: Path) -> None:
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO entries (id, intent, region, title, answer) VALUES ('x', 'jobs', '火星', 't', 'a')")


def test_load_is_idempotent(sample_kb: KnowledgeBase, sample_dir: Path) -> None:
    version = sample_kb.version()
    report = sample_kb.load(sample_dir)
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 4)
    assert sample_kb.version() == version
    assert len(sample_kb.entries()) == 4


def test_changed_yaml_updates_and_removed_entry_goes(sample_kb: KnowledgeBase, sample_dir: Path) -> None:
    path = sample_dir / "sample.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"][0]["amount"] = "30G"
    del data["entries"][1]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = sample_kb.load(sample_dir)
    assert report.updated == ["furong-data-20g"]
    assert report.removed == ["furong-red-600"]
    assert sample_kb.get("furong-data-20g").amount == "30G"
    with pytest.raises(NotFound):
        sample_kb.get("furong-red-600")


def test_admin_edit_survives_yaml_reload(sample_kb: KnowledgeBase, sample_dir: Path) -> None:
    sample_kb.update("furong-data-20g", {"amount": "25G"}, actor="admin:1")
    path = sample_dir / "sample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 20G", "amount: 40G"), encoding="utf-8")
    report = sample_kb.load(sample_dir)
    assert report.kept_admin == ["furong-data-20g"]
    assert sample_kb.get("furong-data-20g").amount == "25G"
    forced = sample_kb.load(sample_dir, force=True)
    assert forced.updated == ["furong-data-20g"]
    assert sample_kb.get("furong-data-20g").amount == "40G"


def test_admin_deletion_is_not_undone_by_load(sample_kb: KnowledgeBase, sample_dir: Path) -> None:
    sample_kb.delete("anqing-red", actor="admin:1")
    sample_kb.load(sample_dir)
    with pytest.raises(NotFound):
        sample_kb.get("anqing-red")


def test_every_edit_writes_an_audit_row(sample_kb: KnowledgeBase) -> None:
    sample_kb.update("furong-red-600", {"contact": "区总工会 12351"}, actor="admin:7")
    sample_kb.add_question("furong-red-600", "长沙留岗礼包几时发", actor="admin:7")
    new = sample_kb.get("furong-red-600").to_dict() | {"id": "furong-red-copy"}
    sample_kb.add(new, actor="admin:7")
    sample_kb.delete("furong-red-copy", actor="admin:7")
    rows = sample_kb.audit_log(limit=4)
    assert [r["action"] for r in rows] == ["delete", "add", "update", "update"]
    assert all(r["actor"] == "admin:7" and r["at"] for r in rows)
    assert '"区总工会 12351"' in rows[3]["after"] and '"区总工会；12351"' in rows[3]["before"]


def test_undo_restores_previous_version(sample_kb: KnowledgeBase) -> None:
    sample_kb.update("furong-red-600", {"amount": "800元"}, actor="admin:7")
    assert sample_kb.undo_last("admin:7") == "furong-red-600"
    assert sample_kb.get("furong-red-600").amount == "600元"
    with pytest.raises(NotFound):
        sample_kb.undo_last("admin:7")


def test_duplicate_id_is_refused(sample_kb: KnowledgeBase) -> None:
    with pytest.raises(Conflict):
        sample_kb.add(sample_kb.get("anqing-red"), actor="admin:1")


@pytest.mark.parametrize(("change", "field"), [
    ({"intent": "lottery"}, "intent"),
    ({"region": "火星"}, "region"),
    ({"questions": ["只有一个"]}, "questions"),
    ({"valid_to": "2021-13-40"}, "valid_to"),
    ({"title": ""}, "title"),
])
def test_invalid_update_changes_nothing(sample_kb: KnowledgeBase, change: dict, field: str) -> None:
    before = sample_kb.get("furong-data-20g")
    with pytest.raises(ValidationError) as info:
        sample_kb.update("furong-data-20g", change, actor="admin:1")
    assert info.value.field == field
    assert sample_kb.get("furong-data-20g") == before


def _break(sample_dir: Path, old: str, new: str) -> None:
    path = sample_dir / "sample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("intent: data_bundle", "intent: weather", ["sample.yaml", "furong-data-20g", "intent"]),
    ("region: 全国", "region: 火星", ["sample.yaml", "national-overtime", "region"]),
    ("    how_to_claim: 单位申报\n", "", ["sample.yaml", "anqing-red", "how_to_claim"]),
    ("id: anqing-red", "id: furong-red-600", ["sample.yaml", "furong-red-600", "重复"]),
    ("entries:", "entries: [", ["sample.yaml", "YAML"]),
])
def test_bad_yaml_names_file_and_entry_and_changes_nothing(
        sample_kb: KnowledgeBase, sample_dir: Path, old: str, new: str, expected: list[str]) -> None:
    version = sample_kb.version()
    _break(sample_dir, old, new)
    with pytest.raises(ValidationError) as info:
        sample_kb.load(sample_dir)
    message = info.value.describe()
    for part in expected:
        assert part in message
    assert sample_kb.version() == version
    assert len(sample_kb.entries()) == 4


def test_yaml_round_trip(sample_kb: KnowledgeBase, tmp_path: Path, gazetteer) -> None:
    out = tmp_path / "export"
    write_dir(sample_kb.sourced(), out)
    again = read_dir(out, gazetteer)
    assert [i.entry for i in again] == sample_kb.entries()
    other = KnowledgeBase(open_db(tmp_path / "other.db"), gazetteer)
    other.load(out)
    assert other.entries() == sample_kb.entries()
