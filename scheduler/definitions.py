"""Reminder definitions in SQLite: defaults seeded from data/reminders.yaml, admins' edits, custom ones.

Rows of the `reminders` table (migration m004_reminders):

- ``kind='holiday'``: a default from the YAML file (holiday key, offset_days, time, text);
- ``key='deadline'``: the one template of every deadline reminder (offset_days, time, text);
- ``kind='deadline'``, ``key='deadline-<entry id>'``: a measure an admin left out of deadline
  reminders (always ``cancelled=1``);
- ``kind='custom'``: a one-off reminder an admin added for a region, date and time.

Every admin change writes an audit row (entity ``reminder``). A default nobody has edited
(``updated_by`` NULL) follows the YAML file, so better default texts reach running bots.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from knowledge.errors import NotFound, ValidationError
from knowledge.fastyaml import read_yaml
from knowledge.store import KnowledgeBase
from scheduler.holidays import HOLIDAY_KEYS

DATA_FILE = Path(__file__).parent / "data" / "reminders.yaml"
DEADLINE_KEY = "deadline"
SKIP_PREFIX = "deadline-"
PLACEHOLDERS = frozenset({"region", "date", "year", "measures", "meals", "activities", "jobs", "overtime",
                          "stations", "items"})
MAX_TEXT = 3000
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_FROM_FILE = ("kind", "holiday", "offset_days", "time", "name", "text")

Row = dict[str, Any]


def parse_time(text: str) -> dt.time:
    """A local time from "HH:MM"; ValidationError otherwise."""
    match = _TIME_RE.match(str(text).strip())
    if not match:
        raise ValidationError(f"时间要写成 HH:MM（如 09:30），不是 {text!r}", field="time")
    return dt.time(int(match.group(1)), int(match.group(2)))


def check_text(text: str) -> str:
    """The stripped text if it is usable as a template; ValidationError names the problem."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("提醒文字不能为空", field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"提醒文字太长（最多 {MAX_TEXT} 字）", field="text")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValidationError(f"花括号不成对：{exc}（要写花括号本身请用 {{{{ 和 }}}}）", field="text") from None
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        allowed = " ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
        raise ValidationError(f"不认识的占位符 {', '.join(unknown) or '{}'}；可以用：{allowed}", field="text")
    return text


def load_defaults(path: Path = DATA_FILE) -> list[Row]:
    """The default definitions from the YAML file, checked; ValidationError names the problem."""
    items = (read_yaml(path) or {}).get("reminders") or []
    rows: list[Row] = []
    for item in items:
        key = str(item.get("key") or "")
        try:
            kind = item.get("kind", "holiday")
            if not key or key in {r["key"] for r in rows} or key.startswith(SKIP_PREFIX):
                raise ValidationError("key 为空、重复或以 deadline- 开头", field="key")
            if kind == "holiday" and item.get("holiday") not in HOLIDAY_KEYS:
                raise ValidationError(f"holiday 只能是 {', '.join(HOLIDAY_KEYS)}", field="holiday")
            if kind not in ("holiday", "deadline") or (kind == "deadline") != (key == DEADLINE_KEY):
                raise ValidationError("kind 只能是 holiday，或 key 为 deadline 的 deadline", field="kind")
            rows.append({"key": key, "kind": kind, "holiday": item.get("holiday") if kind == "holiday" else None,
                         "offset_days": int(item.get("offset_days") or 0),
                         "time": parse_time(item["time"]).strftime("%H:%M"), "name": str(item.get("name") or key),
                         "text": check_text(item.get("text", ""))})
        except ValidationError as exc:
            raise ValidationError(exc.message, file=path.name, entry=key or "?", field=exc.field) from None
    return rows


class Definitions:
    """Read and change the reminder definitions; changes are audited through the knowledge base."""

    def __init__(self, db: Database, kb: KnowledgeBase, path: Path = DATA_FILE) -> None:
        self.db = db
        self.kb = kb
        self.seed(load_defaults(path))

    def seed(self, defaults: list[Row]) -> None:
        """Insert new defaults and refresh the ones no admin has touched (no write when nothing changed)."""
        current = {row["key"]: row for row in self.db["reminders"].rows}
        changed = []
        for default in defaults:
            row = current.get(default["key"])
            if row is None or (row["updated_by"] is None and any(row[f] != default[f] for f in _FROM_FILE)):
                changed.append(default)
        if changed:
            with self.db.atomic():
                self.db["reminders"].upsert_all(changed, pk="key")

    # ------------------------------------------------------------------ reading
    def all(self) -> list[Row]:
        """Every definition, cancelled ones included: holiday, deadline, then custom ones."""
        order = "CASE kind WHEN 'holiday' THEN 0 WHEN 'deadline' THEN 1 ELSE 2 END, date, rowid"
        return list(self.db["reminders"].rows_where(order_by=order))

    def active(self, kind: str) -> list[Row]:
        """The definitions of one kind that are not cancelled."""
        return [row for row in self.all() if row["kind"] == kind and not row["cancelled"]]

    def get(self, key: str) -> Row:
        """One definition; NotFound otherwise."""
        rows = list(self.db["reminders"].rows_where("key = ?", [key]))
        if not rows:
            raise NotFound(f"没有这个提醒: {key}（用 reminders list 查看）")
        return rows[0]

    def skipped_entries(self) -> set[str]:
        """Ids of the measures left out of deadline reminders."""
        return {row["key"][len(SKIP_PREFIX):] for row in self.all()
                if row["kind"] == "deadline" and row["key"].startswith(SKIP_PREFIX) and row["cancelled"]}

    # ------------------------------------------------------------------ writing
    def edit(self, key: str, actor: str, text: str | None = None, time: str | None = None) -> Row:
        """Change the text and/or the time of a definition."""
        before = self.get(key) if not key.startswith(SKIP_PREFIX) else None
        if before is None:
            raise ValidationError("单条措施的截止提醒只能取消；要改文字或时间，请改 deadline", field="key")
        if text is None and time is None:
            raise ValidationError("请给出新的文字或时间", field="text")
        changes: Row = {"updated_by": actor}
        if text is not None:
            changes["text"] = check_text(text)
        if time is not None:
            changes["time"] = parse_time(time).strftime("%H:%M")
        with self.db.atomic():
            self.db["reminders"].update(key, changes)
            after = self.get(key)
            self.kb.audit(actor, "update", "reminder", key, before, after)
        return after

    def add_custom(self, region: str, day: dt.date, time: str, text: str, actor: str) -> str:
        """A one-off reminder for a region and its sub-regions; returns its key (custom-N)."""
        row: Row = {"kind": "custom", "region": self.kb.gazetteer.resolve(region).name, "date": day.isoformat(),
                    "time": parse_time(time).strftime("%H:%M"), "name": "自定义提醒", "text": check_text(text),
                    "offset_days": 0, "cancelled": 0, "updated_by": actor}
        with self.db.atomic():
            same = self.db.execute("SELECT key FROM reminders WHERE kind = 'custom' AND cancelled = 0 AND region = ? "
                                   "AND date = ? AND time = ? AND text = ?",
                                   [row["region"], row["date"], row["time"], row["text"]]).fetchone()
            if same:                      # a replayed command makes no second reminder
                return same[0]
            numbers = [int(k[len("custom-"):]) for (k,) in self.db.execute(
                "SELECT key FROM reminders WHERE kind = 'custom'") if k[len("custom-"):].isdigit()]
            row["key"] = f"custom-{max(numbers, default=0) + 1}"
            self.db["reminders"].insert(row)
            self.kb.audit(actor, "add", "reminder", row["key"], None, row)
        return row["key"]

    def cancel(self, key: str, actor: str) -> Row:
        """Stop a reminder; ``deadline-<entry id>`` leaves one measure out of deadline reminders."""
        if key.startswith(SKIP_PREFIX) and not self.db["reminders"].count_where("key = ?", [key]):
            entry = self.kb.get(key[len(SKIP_PREFIX):])
            before = None
            row: Row = {"key": key, "kind": "deadline", "region": entry.region, "name": f"不提醒：{entry.title}",
                        "time": None, "text": None, "offset_days": 0, "cancelled": 1, "updated_by": actor}
        else:
            before = self.get(key)
            row = {**before, "cancelled": 1, "updated_by": actor}
        with self.db.atomic():
            self.db["reminders"].upsert(row, pk="key")
            self.kb.audit(actor, "cancel", "reminder", key, before, row)
        return row
