"""Holiday, deadline and custom reminders: what to remind whom and when.

Dates come from the lunar calendar (`scheduler.holidays`), 小年 per region from the
gazetteer, deadlines from the knowledge base (`valid_to`, or "2月28日前" in the text).
Nothing is sent from 22:00 to 08:00 local time: such reminders move to 08:00. Sending goes
through the outbox with origin `reminder:<key>:<date>:<region>`, so each reminder reaches
each region's subscribers once, even across restarts (the broadcasts table is the sent-log).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from sqlite_utils import Database

from knowledge.errors import NotFound, ValidationError
from knowledge.gazetteer import ROOT
from knowledge.models import Entry
from knowledge.outbox import Outbox
from knowledge.store import KnowledgeBase
from scheduler.holidays import describe_overtime, holiday

DATA_FILE = Path(__file__).parent / "data" / "reminders.yaml"
QUIET_START, QUIET_END = dt.time(22, 0), dt.time(8, 0)
DEADLINE_DAYS_BEFORE = 3
DEADLINE_TIME = dt.time(10, 0)
DEADLINE_RE = re.compile(r"(?:截止|截至)?(\d{1,2})月(\d{1,2})日(?:前|止|截止)")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass
class Planned:
    """One reminder occurrence for one region."""

    key: str
    date: dt.date
    time: dt.time
    kind: str          # holiday | deadline | custom
    name: str
    region: str
    text: str
    expires: dt.date   # still sent after a restart until the end of this day

    def to_dict(self) -> dict:
        """JSON form for `reminders plan --json`."""
        data = asdict(self)
        data.update(date=self.date.isoformat(), time=self.time.strftime("%H:%M"), expires=self.expires.isoformat())
        return data

    @property
    def origin(self) -> str:
        """Idempotency key of the queued notice."""
        return f"reminder:{self.key}:{self.date.isoformat()}:{self.region}"


def quiet_shift(day: dt.date, at: dt.time) -> tuple[dt.date, dt.time]:
    """Move a send time out of the quiet hours (22:00-08:00) to 08:00."""
    if at >= QUIET_START:
        return day + dt.timedelta(days=1), QUIET_END
    if at < QUIET_END:
        return day, QUIET_END
    return day, at


def parse_time(text: str) -> dt.time:
    """HH:MM; ValidationError otherwise."""
    match = TIME_RE.match(text.strip())
    if not match:
        raise ValidationError(f"时间应为 HH:MM，而不是 {text!r}", field="time")
    return dt.time(int(match.group(1)), int(match.group(2)))


def deadline_of(entry: Entry) -> dt.date | None:
    """A measure's deadline: valid_to, or "N月N日前" in its text (year from the notice)."""
    if entry.valid_to:
        return entry.valid_to
    match = DEADLINE_RE.search(f"{entry.title} {entry.answer} {entry.eligibility}")
    if match and entry.issued:
        try:
            return dt.date(entry.issued.year, int(match.group(1)), int(match.group(2)))
        except ValueError:
            return None
    return None


class Reminders:
    """Reminder definitions in SQLite and the plan built from them."""

    def __init__(self, db: Database, kb: KnowledgeBase, tz: ZoneInfo) -> None:
        self.db = db
        self.kb = kb
        self.gazetteer = kb.gazetteer
        self.tz = tz
        self._seed()

    def _seed(self) -> None:
        data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["reminders"]
        with self.db.atomic():
            self.db["reminders"].insert_all(
                [{"key": r["key"], "kind": "holiday", "holiday": r["holiday"], "offset_days": r["offset_days"],
                  "time": r["time"], "name": r["name"], "text": r["text"]} for r in data], ignore=True)

    # ------------------------------------------------------------- definitions
    def list(self) -> list[dict]:
        """Every definition (cancelled ones included)."""
        return list(self.db["reminders"].rows_where(order_by="kind, key"))

    def _get(self, key: str) -> dict:
        rows = list(self.db["reminders"].rows_where("key = ?", [key]))
        if not rows:
            raise NotFound(f"没有这个提醒: {key}")
        return rows[0]

    def edit(self, key: str, actor: str, text: str | None = None, time: str | None = None) -> dict:
        """Change the text and/or time of a reminder (audited)."""
        before = self._get(key)
        changes = {}
        if text is not None:
            if not text.strip():
                raise ValidationError("提醒文字不能为空", field="text")
            changes["text"] = text.strip()
        if time is not None:
            changes["time"] = parse_time(time).strftime("%H:%M")
        with self.db.atomic():
            self.db["reminders"].update(key, {**changes, "updated_by": actor})
            self.kb.audit(actor, "update", "reminder", key, before, changes)
        return self._get(key)

    def add_custom(self, region: str, day: dt.date, time: str, text: str, actor: str) -> str:
        """A one-off reminder for a region and its sub-regions; returns its key."""
        region = self.gazetteer.resolve(region).name
        at = parse_time(time)
        if not text.strip():
            raise ValidationError("提醒文字不能为空", field="text")
        key = f"custom-{day.isoformat()}-{at.strftime('%H%M')}-{len(self.list()) + 1}"
        row = {"key": key, "kind": "custom", "time": at.strftime("%H:%M"), "name": "自定义提醒", "text": text.strip(),
               "region": region, "date": day.isoformat(), "updated_by": actor}
        with self.db.atomic():
            self.db["reminders"].insert(row)
            self.kb.audit(actor, "add", "reminder", key, None, row)
        return key

    def cancel(self, key: str, actor: str) -> None:
        """Stop a reminder (it can be edited back by an admin later)."""
        before = self._get(key)
        with self.db.atomic():
            self.db["reminders"].update(key, {"cancelled": 1, "updated_by": actor})
            self.kb.audit(actor, "cancel", "reminder", key, before, {"cancelled": 1})

    # -------------------------------------------------------------------- plan
    def plan_regions(self) -> list[str]:
        """Regions that have measures of their own (not 全国)."""
        return sorted({e.region for e in self.kb.entries() if e.region != ROOT}, key=list(self.gazetteer.regions).index)

    def plan(self, year: int, region: str | None = None) -> list[Planned]:
        """Everything due in `year` for one region (or every region with measures), by date."""
        regions = [self.gazetteer.resolve(region).name] if region else self.plan_regions()
        entries = self.kb.entries()
        planned: list[Planned] = []
        for name in regions:
            planned += self._holidays(year, name, entries)
            planned += self._deadlines(year, name, entries, own_only=region is None)
            planned += self._custom(year, name)
        return sorted(planned, key=lambda p: (p.date, p.time, p.region, p.key))

    def _holidays(self, year: int, region: str, entries: list[Entry]) -> list[Planned]:
        xiaonian = self.gazetteer.get(region).xiaonian
        result = []
        for row in self.list():
            if row["kind"] != "holiday" or row["cancelled"]:
                continue
            day = holiday(year, row["holiday"], xiaonian) + dt.timedelta(days=row["offset_days"] or 0)
            day, at = quiet_shift(day, parse_time(row["time"]))
            text = self._render(row["text"], region, year, day, entries)
            result.append(Planned(row["key"], day, at, "holiday", row["name"], region, text, day))
        return result

    def _deadlines(self, year: int, region: str, entries: list[Entry], own_only: bool) -> list[Planned]:
        chain = [region] if own_only else self.gazetteer.ancestors(region)
        result = []
        for entry in entries:
            deadline = deadline_of(entry)
            if deadline is None or entry.region not in chain or entry.region == ROOT:
                continue
            day, at = quiet_shift(deadline - dt.timedelta(days=DEADLINE_DAYS_BEFORE), DEADLINE_TIME)
            if day.year != year:
                continue
            text = (f"⏰ 截止提醒：“{entry.title}”截止到{deadline.month}月{deadline.day}日，还剩 {DEADLINE_DAYS_BEFORE} 天。"
                    f"需要的话抓紧办理。联系：{entry.contact}")
            result.append(Planned(f"deadline-{entry.id}", day, at, "deadline", f"{entry.title}截止提醒", region, text,
                                  deadline))
        return result

    def _custom(self, year: int, region: str) -> list[Planned]:
        result = []
        for row in self.list():
            if row["kind"] != "custom" or row["cancelled"] or not row["date"]:
                continue
            if row["region"] not in self.gazetteer.ancestors(region):
                continue
            day, at = quiet_shift(dt.date.fromisoformat(row["date"]), parse_time(row["time"]))
            if day.year == year:
                result.append(Planned(row["key"], day, at, "custom", row["name"], region, row["text"], day))
        return result

    def _render(self, template: str, region: str, year: int, day: dt.date, entries: list[Entry]) -> str:
        chain = set(self.gazetteer.ancestors(region))

        def titles(*intents: str) -> str:
            found = [e.title for e in entries if e.intent in intents and e.region in chain][:4]
            return "、".join(found) if found else "可以打 12345 问问当地的安排"

        stations = [f"{r['name']}（{r['hours'] or '时间请电话确认'}，{r['phone'] or '无电话'}）"
                    for r in self.db["stations"].rows_where(
                        f"region IN ({','.join('?' for _ in chain)})", sorted(chain))][:2]
        values = {"region": self.gazetteer.short(region), "date": f"{day.month}月{day.day}日",
                  "measures": titles("red_packet", "data_bundle", "new_year_meal"), "meals": titles("new_year_meal"),
                  "overtime": describe_overtime(year), "activities": titles("culture_leisure"),
                  "jobs": titles("jobs", "training"),
                  "stations": "；".join(stations) or "当地暖民稳岗服务站（也可打 12345 问）"}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    # -------------------------------------------------------------------- send
    def send_due(self, now: dt.datetime, outbox: Outbox) -> list[tuple[str, int]]:
        """Queue every reminder due at `now` and still relevant; each goes out once."""
        local = now.astimezone(self.tz)
        groups: dict[str, list[int]] = {}
        for user_id, region in self.db.execute(
                "SELECT user_id, region FROM users WHERE subscribed = 1 AND reminders = 1 AND blocked = 0 "
                "AND region IS NOT NULL ORDER BY user_id"):
            if region in self.gazetteer:
                groups.setdefault(region, []).append(user_id)
        queued = []
        for region, users in groups.items():
            for item in self.plan(local.year, region):
                due = dt.datetime.combine(item.date, item.time, self.tz)
                if due <= local and local.date() <= item.expires:
                    broadcast_id, new = outbox.create(sender_id=None, kind="reminder", scope=region,
                                                      text=f"🔔 {item.text}", recipients=users, origin=item.origin)
                    if new:
                        queued.append((item.origin, len(users)))
        return queued
