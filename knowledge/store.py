"""KnowledgeBase: read and edit measures in SQLite; every change is audited and bumps a version."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from knowledge import season
from knowledge.errors import Conflict, NotFound, ValidationError
from knowledge.gazetteer import DATA_DIR, REGIONS_FILE, Gazetteer
from knowledge.models import EDITABLE_FIELDS, FIELDS, LIST_FIELDS, Entry
from knowledge.yamlio import SourcedEntry, entry_from_dict, parse_date, read_dir

ADMIN_FILE = "admin.yaml"


def now_iso() -> str:
    """Current UTC time as ISO text, for audit rows."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def entry_hash(entry: Entry) -> str:
    """Stable hash of an entry's content."""
    return hashlib.sha256(json.dumps(entry.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass
class LoadReport:
    """What `kb load` did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_admin: list[str] = field(default_factory=list)   # YAML changed but an admin's edit was kept

    def summary(self) -> str:
        """One line for the CLI."""
        text = (f"新增 {len(self.added)}，更新 {len(self.updated)}，删除 {len(self.removed)}，"
                f"未变 {self.unchanged}")
        if self.kept_admin:
            text += f"；保留管理员修改 {len(self.kept_admin)} 条: {', '.join(self.kept_admin)}"
        return text


class KnowledgeBase:
    """Measures in the database. Create once and pass it around."""

    def __init__(self, db: Database, gazetteer: Gazetteer | None = None) -> None:
        self.db = db
        self.gazetteer = gazetteer or Gazetteer.from_yaml(REGIONS_FILE)

    # ------------------------------------------------------------------ reading
    def version(self) -> int:
        """A number that changes whenever any measure changes (in any process)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'kb_version'").fetchone()
        return int(row[0]) if row else 0

    def is_empty(self) -> bool:
        """True before the first load."""
        return self.db["entries"].count == 0

    def entries(self, *, intent: str | None = None, include_deleted: bool = False,
                include_unconfirmed: bool = False) -> list[Entry]:
        """All live entries (optionally of one intent), in id order.

        Unconfirmed drafts (e.g. from `kb rollover`) never reach workers: they are left out
        unless `include_unconfirmed` (exports for staff).
        """
        where = [] if include_deleted else ["deleted_at IS NULL"]
        if not include_unconfirmed:
            where.append("confirmed = 1")
        params: list[Any] = []
        if intent:
            where.append("intent = ?")
            params.append(intent)
        sql = "SELECT * FROM entries" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        rows = [dict(zip([c[0] for c in cur.description], r, strict=True))
                for cur in [self.db.execute(sql, params)] for r in cur.fetchall()]
        questions: dict[str, list[str]] = {}
        for entry_id, text in self.db.execute("SELECT entry_id, text FROM questions ORDER BY id"):
            questions.setdefault(entry_id, []).append(text)
        result = [self._entry(row, questions.get(row["id"], [])) for row in rows]
        if not intent and not include_deleted and not include_unconfirmed:
            season.remember(result)   # cards then know whether this season's measures are out
        return result

    def get(self, entry_id: str, *, include_deleted: bool = False) -> Entry:
        """One entry by id; NotFound if there is none."""
        row = self._row(entry_id)
        if row is None or (row["deleted_at"] and not include_deleted):
            raise NotFound(f"没有这个条目: {entry_id}")
        questions = [r[0] for r in self.db.execute(
            "SELECT text FROM questions WHERE entry_id = ? ORDER BY id", [entry_id])]
        return self._entry(row, questions)

    def _row(self, entry_id: str) -> dict[str, Any] | None:
        rows = list(self.db["entries"].rows_where("id = ?", [entry_id]))
        return rows[0] if rows else None

    @staticmethod
    def _entry(row: dict[str, Any], questions: list[str]) -> Entry:
        """An Entry from its database row, field by field as FIELDS declares them."""
        values: dict[str, Any] = {"questions": questions}
        for spec in FIELDS:
            raw = row.get(spec.name)
            if spec.name == "questions":
                continue
            if spec.type == "list":
                values[spec.name] = json.loads(raw or "[]")
            elif spec.type == "date":
                values[spec.name] = parse_date(raw)
            elif spec.type == "bool":
                values[spec.name] = bool(1 if raw is None else raw)
            elif spec.name == "kind":
                values[spec.name] = raw or "seasonal"
            else:
                values[spec.name] = (raw or "") if spec.required else raw
        return Entry(**values)

    def sourced(self) -> list[SourcedEntry]:
        """Live entries with the YAML file and notice they belong to (for export)."""
        meta = {r["id"]: r for r in self.db.query("SELECT id, yaml_file, document FROM entries")}
        return [SourcedEntry(e, meta[e.id]["yaml_file"] or ADMIN_FILE, meta[e.id]["document"])
                for e in self.entries(include_unconfirmed=True)]

    def audit_log(self, entity_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Latest audit rows, newest first."""
        where, params = ("WHERE entity_id = ?", [entity_id]) if entity_id else ("", [])
        return list(self.db.query(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?", [*params, limit]))

    def stats(self) -> dict[str, Any]:
        """Counts per intent, region and source file."""
        entries = self.entries()
        return {
            "entries": len(entries),
            "questions": sum(len(e.questions) for e in entries),
            "by_intent": dict(Counter(e.intent for e in entries).most_common()),
            "by_region": dict(Counter(e.region for e in entries).most_common()),
            "by_source": dict(Counter(e.source.split()[0] if e.source else "?" for e in entries).most_common()),
            "by_kind": dict(Counter(e.kind for e in entries).most_common()),
            "by_season": {str(k): v for k, v in sorted(Counter(e.season_year() for e in entries
                                                                if e.kind == "seasonal").items(),
                                                        key=lambda kv: kv[0] or 0)},
            "unconfirmed": len(self.entries(include_unconfirmed=True)) - len(entries),
        }

    # ------------------------------------------------------------------ writing
    def audit(self, actor: str, action: str, entity: str, entity_id: str,
              before: Any = None, after: Any = None) -> None:
        """Write one audit row (inside the caller's transaction)."""
        def dump(value: Any) -> str | None:
            return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

        self.db["audit"].insert({"at": now_iso(), "actor": actor, "action": action, "entity": entity,
                                 "entity_id": entity_id, "before": dump(before), "after": dump(after)})

    def _bump(self) -> None:
        self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'kb_version'")

    def _write(self, entry: Entry, *, origin: str, yaml_file: str, document: str | None,
               admin_edited: bool, actor: str, yaml_hash: str | None = None) -> None:
        data = entry.to_dict()
        record = {k: data[k] for k in data if k not in LIST_FIELDS}
        record["confirmed"] = int(entry.confirmed)
        record.update(keywords=json.dumps(entry.keywords, ensure_ascii=False), origin=origin, yaml_file=yaml_file,
                      document=document, admin_edited=int(admin_edited), deleted_at=None, updated_at=now_iso(),
                      updated_by=actor)
        if yaml_hash is not None:
            record["yaml_hash"] = yaml_hash
        self.db["entries"].upsert(record, pk="id")
        self.db.execute("DELETE FROM questions WHERE entry_id = ?", [entry.id])
        self.db["questions"].insert_all(
            [{"entry_id": entry.id, "text": q, "origin": origin} for q in entry.questions])

    def validate(self, data: dict[str, Any]) -> Entry:
        """An Entry from a dict, with the same checks as the YAML files."""
        data = dict(data)
        issued = parse_date(data.pop("issued", None), file="admin", field="issued")
        cited_as = data.pop("cited_as", None)
        return entry_from_dict(data, self.gazetteer, file="admin", issued=issued, cited_as=cited_as or None)

    def add(self, data: dict[str, Any] | Entry, actor: str) -> Entry:
        """Add a new entry (an admin's); Conflict if the id is taken."""
        entry = self.validate(data if isinstance(data, dict) else data.to_dict())
        with self.db.atomic():
            row = self._row(entry.id)
            if row is not None and not row["deleted_at"]:
                raise Conflict(f"条目 id 已存在: {entry.id}")
            self._write(entry, origin="admin", yaml_file=(row or {}).get("yaml_file") or ADMIN_FILE,
                        document=None, admin_edited=True, actor=actor)
            self.audit(actor, "add", "entry", entry.id, None, entry.to_dict())
            self._bump()
        return entry

    def update(self, entry_id: str, changes: dict[str, Any], actor: str) -> Entry:
        """Change some fields of an entry; validated as a whole before anything is written."""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(f"不能修改的字段: {', '.join(sorted(unknown))}", entry=entry_id)
        with self.db.atomic():
            before = self.get(entry_id)
            merged = before.to_dict()
            merged.update(changes)
            after = self.validate(merged)
            row = self._row(entry_id) or {}
            self._write(after, origin=row.get("origin") or "admin", yaml_file=row.get("yaml_file") or ADMIN_FILE,
                        document=row.get("document"), admin_edited=True, actor=actor)
            self.audit(actor, "update", "entry", entry_id, before.to_dict(), after.to_dict())
            self._bump()
        return after

    def add_question(self, entry_id: str, text: str, actor: str) -> Entry:
        """Attach another way of asking to an entry."""
        entry = self.get(entry_id)
        text = text.strip()
        if not text:
            raise ValidationError("问题不能为空", entry=entry_id, field="questions")
        if text in entry.questions:
            return entry
        return self.update(entry_id, {"questions": [*entry.questions, text]}, actor)

    def delete(self, entry_id: str, actor: str) -> Entry:
        """Delete an entry (kept as a tombstone so `kb load` does not bring it back)."""
        with self.db.atomic():
            before = self.get(entry_id)
            self.db.execute("UPDATE entries SET deleted_at = ?, admin_edited = 1, updated_by = ? WHERE id = ?",
                            [now_iso(), actor, entry_id])
            self.audit(actor, "delete", "entry", entry_id, before.to_dict(), None)
            self._bump()
        return before

    def last_change(self, actor: str) -> dict[str, Any]:
        """This actor's last entry change (audit row) that is not undone yet; NotFound if none."""
        rows = list(self.db.query(
            "SELECT * FROM audit WHERE actor = ? AND entity = 'entry' AND action IN ('add','update','delete') "
            "AND undone = 0 ORDER BY id DESC LIMIT 1", [actor]))
        if not rows:
            raise NotFound("没有可以撤销的修改")
        return rows[0]

    def undo_last(self, actor: str) -> str:
        """Revert this actor's last entry change that is not undone yet; returns the entry id."""
        with self.db.atomic():
            row = self.last_change(actor)
            entry_id = row["entity_id"]
            current = self._row(entry_id)
            if row["action"] == "add":
                self.db.execute("UPDATE entries SET deleted_at = ? WHERE id = ?", [now_iso(), entry_id])
            else:
                before = self.validate(json.loads(row["before"]))
                self._write(before, origin=(current or {}).get("origin") or "admin",
                            yaml_file=(current or {}).get("yaml_file") or ADMIN_FILE,
                            document=(current or {}).get("document"), admin_edited=True, actor=actor)
            self.db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [row["id"]])
            self.audit(actor, "undo", "entry", entry_id, json.loads(row["after"]) if row["after"] else None,
                       json.loads(row["before"]) if row["before"] else None)
            self._bump()
        return entry_id

    # -------------------------------------------------------------------- loading
    def sync_regions(self) -> None:
        """Write the gazetteer into the regions table (parents first)."""
        ordered = sorted(self.gazetteer.regions.values(), key=lambda r: self.gazetteer.depth(r.name))
        self.db["regions"].upsert_all(
            [{"name": r.name, "short": r.short, "parent": r.parent, "aliases": json.dumps(r.aliases, ensure_ascii=False),
              "xiaonian": r.xiaonian} for r in ordered], pk="name")

    def load(self, data_dir: Path = DATA_DIR, *, actor: str = "kb load", force: bool = False) -> LoadReport:
        """Load the YAML files in one transaction; see README "How YAML meets admins' edits".

        - new YAML entries are added; changed ones replace the database copy;
        - an entry an admin edited or deleted keeps the admin's version (reported), unless `force`;
        - YAML entries removed from the files are removed, unless an admin edited them;
        - entries admins created are never touched.
        """
        items = read_dir(Path(data_dir), self.gazetteer)  # raises before anything is written
        report = LoadReport()
        with self.db.atomic():
            self.sync_regions()
            rows = {r["id"]: r for r in self.db["entries"].rows}
            for item in items:
                entry, new_hash = item.entry, entry_hash(item.entry)
                row = rows.get(entry.id)
                if row is None:
                    report.added.append(entry.id)
                elif row["admin_edited"] and not force:
                    if row.get("cited_as") is None and row.get("season") is None:
                        # fields admins could not edit before they existed: take them from YAML
                        self.db["entries"].update(entry.id, {"season": entry.season, "kind": entry.kind,
                                                             "local_note": entry.local_note,
                                                             "cited_as": entry.cited_as})
                    if row["yaml_hash"] != new_hash:
                        report.kept_admin.append(entry.id)
                        self.db["entries"].update(entry.id, {"yaml_hash": new_hash})
                    else:
                        report.unchanged += 1
                    continue
                elif row["yaml_hash"] == new_hash and not row["deleted_at"] and not row["admin_edited"]:
                    report.unchanged += 1
                    continue
                else:
                    report.updated.append(entry.id)
                before = None if row is None else self.get(entry.id, include_deleted=True).to_dict()
                self._write(entry, origin="yaml", yaml_file=item.yaml_file, document=item.document,
                            admin_edited=False, actor=actor, yaml_hash=new_hash)
                self.audit(actor, "load", "entry", entry.id, before, entry.to_dict())
            yaml_ids = {i.entry.id for i in items}
            for entry_id, row in rows.items():
                if entry_id in yaml_ids or row["origin"] != "yaml" or row["deleted_at"]:
                    continue
                if row["admin_edited"] and not force:
                    report.kept_admin.append(entry_id)
                    continue
                before = self.get(entry_id).to_dict()
                self.db.execute("UPDATE entries SET deleted_at = ? WHERE id = ?", [now_iso(), entry_id])
                self.audit(actor, "remove", "entry", entry_id, before, None)
                report.removed.append(entry_id)
            if report.added or report.updated or report.removed:
                self._bump()
        return report

    def ensure_loaded(self, data_dir: Path = DATA_DIR) -> LoadReport | None:
        """Load the shipped YAML on first start (empty database)."""
        if self.is_empty():
            return self.load(data_dir, actor="first start")
        return None
