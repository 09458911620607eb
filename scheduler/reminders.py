"""Holiday, deadline and custom reminders: what to remind whom, and when (no telegram import).

- Holiday reminders: dates from the lunar calendar (`scheduler.holidays`; 小年 per region
  from the gazetteer), one set per worker region, texts filled with that region's measures.
- Deadline reminders: measures ending soon (`scheduler.deadlines`), one message per region
  and day listing them, to the subscribers of the measure's region and its sub-regions.
- Custom reminders: an admin's text for a region and its sub-regions at a date and time.

Nothing is sent from 22:00 to 08:00 local time: reminders due then move to 08:00. Sending
goes through the outbox with origin ``reminder:<key>:<date>:<region>`` (``date`` is the day
the reminder is for, before the quiet-hour shift), so each reaches each region once, even
across restarts: the broadcasts table is the sent-log. A reminder missed while the bot was
down is still sent until the end of its local day (deadline reminders: until the deadline).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from knowledge.gazetteer import ROOT
from knowledge.models import Entry
from knowledge.outbox import Outbox
from knowledge.store import KnowledgeBase
from scheduler.deadlines import deadline_of
from scheduler.definitions import DEADLINE_KEY, Definitions, Row, parse_time
from scheduler.holidays import describe_overtime, holiday

QUIET_START, QUIET_END = dt.time(22, 0), dt.time(8, 0)
LIST_LIMIT = 6
STATION_LIMIT = 3
NO_STATION = "当地的暖民稳岗服务站，或打 12345 政务服务热线问问"
EMPTY = {
    "measures": "暂时没有查到当地的红包、流量、年夜饭措施，可以打 12345 问问。",
    "meals": "可以问问单位、社区有没有安排年夜饭，也可以打 12345 问问。",
    "activities": "可以留意社区和文化馆的活动通知。",
    "jobs": "可以打 12333 或到当地人社部门问问招聘会和培训的安排。",
}
TOPICS = {"measures": ("red_packet", "data_bundle", "new_year_meal"), "meals": ("new_year_meal",),
          "activities": ("culture_leisure",), "jobs": ("jobs", "training")}


def quiet_shift(day: dt.date, at: dt.time) -> tuple[dt.date, dt.time]:
    """Move a send time out of the quiet hours (22:00-08:00) to 08:00 (the next morning after 22:00)."""
    if at >= QUIET_START:
        return day + dt.timedelta(days=1), QUIET_END
    if at < QUIET_END:
        return day, QUIET_END
    return day, at


def in_quiet_hours(at: dt.time) -> bool:
    """True from 22:00 to 08:00."""
    return at >= QUIET_START or at < QUIET_END


def festival_year(day: dt.date) -> int:
    """The Spring Festival a day belongs to (second half of the year: the next one)."""
    return day.year + (day.month >= 7)


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder for one region on one day."""

    key: str
    kind: str            # holiday | deadline | custom
    name: str
    region: str          # full region name; recipients are its subscribers (and sub-regions' for deadline/custom)
    date: dt.date        # local send date, after the quiet-hour shift
    time: dt.time        # local send time, after the quiet-hour shift
    text: str            # Telegram HTML
    nominal: dt.date     # the day it is for, before the shift (part of the origin)
    expires: dt.date     # still sent after a restart until the end of this day

    @property
    def origin(self) -> str:
        """Idempotency key of the queued notice."""
        return f"reminder:{self.key}:{self.nominal.isoformat()}:{self.region}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form for `reminders plan --json`."""
        return {"date": self.date.isoformat(), "time": self.time.strftime("%H:%M"), "kind": self.kind,
                "name": self.name, "region": self.region, "text": self.text, "key": self.key,
                "origin": self.origin, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class _Slot:
    """A reminder occurrence before its text is written."""

    row: Row
    region: str
    nominal: dt.date
    year: int
    expires: dt.date | None = None                                      # None: the send day
    items: tuple[tuple[Entry, dt.date], ...] = field(default=())       # deadline: measures, deadlines

    def when(self) -> tuple[dt.date, dt.time]:
        return quiet_shift(self.nominal, parse_time(self.row["time"]))

    @property
    def origin(self) -> str:
        return f"reminder:{self.row['key']}:{self.nominal.isoformat()}:{self.region}"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


class Reminders:
    """Reminder definitions, the plan built from them, and queueing what is due."""

    def __init__(self, db: Database, kb: KnowledgeBase, tz: ZoneInfo) -> None:
        self.db = db
        self.kb = kb
        self.gazetteer = kb.gazetteer
        self.tz = tz
        self.definitions = Definitions(db, kb)

    # ------------------------------------------------------------- definitions
    def list(self) -> list[Row]:
        """Every definition (dicts: key, kind, holiday, offset_days, time, name, text, region, date, cancelled)."""
        return self.definitions.all()

    def edit(self, key: str, actor: str, text: str | None = None, time: str | None = None) -> Row:
        """Change the text and/or time ("HH:MM") of a reminder; audited. Returns the new definition."""
        return self.definitions.edit(key, actor, text=text, time=time)

    def add_custom(self, region: str, date: dt.date, time: str, text: str, actor: str) -> str:
        """A one-off reminder for a region (name or alias) and its sub-regions; audited. Returns its key."""
        return self.definitions.add_custom(region, date, time, text, actor)

    def cancel(self, key: str, actor: str) -> Row:
        """Stop a reminder (``deadline-<entry id>``: leave one measure out of deadline reminders); audited."""
        return self.definitions.cancel(key, actor)

    def sent_log(self, limit: int = 50) -> list[Row]:
        """The latest reminders queued (origin, scope, total, created_at, status), newest first."""
        return list(self.db.query("SELECT origin, scope, total, created_at, status FROM broadcasts "
                                  "WHERE origin LIKE 'reminder:%' ORDER BY id DESC LIMIT ?", [limit]))

    # -------------------------------------------------------------------- plan
    def plan_regions(self, entries: list[Entry] | None = None) -> list[str]:
        """Regions that have measures of their own (not 全国), in gazetteer order."""
        own = {e.region for e in (entries if entries is not None else self.kb.entries())} - {ROOT}
        return [name for name in self.gazetteer.regions if name in own]

    def plan(self, year: int, region: str | None = None) -> list[PlannedReminder]:
        """The reminders of `year`, by date: for one region (name or alias) or every region with measures.

        Holiday reminders are those of the Spring Festival of `year`; deadline and custom ones
        those dated in `year`. With a region, deadline and custom reminders are those of the
        region and its parents (as its workers get them), each under the region it is sent to.
        """
        entries = self.kb.entries()
        if region:
            name = self.gazetteer.resolve(region).name
            regions, targets = [name], set(self.gazetteer.ancestors(name))
        else:
            regions, targets = self.plan_regions(entries), None
        slots = [slot for name in regions for slot in self._holiday_slots(year, name)]
        slots += [slot for slot in self._deadline_slots(entries, targets) + self._custom_slots(targets)
                  if slot.when()[0].year == year]
        planned = [self._render(slot, entries) for slot in slots]
        return sorted(planned, key=lambda p: (p.date, p.time, p.region, p.key))

    # -------------------------------------------------------------------- send
    def send_due(self, now: dt.datetime, outbox: Outbox) -> list[tuple[str, int]]:
        """Queue every reminder due at `now` and still relevant; returns (origin, recipients) of each queued.

        Idempotent: a reminder already queued (by this or an earlier process) is never queued
        again. Nothing is queued during the quiet hours.
        """
        local = now.astimezone(self.tz) if now.tzinfo else now.replace(tzinfo=self.tz)
        audience = self._audience()
        if in_quiet_hours(local.time()) or not audience:
            return []
        entries = self.kb.entries()
        slots = [slot for name in audience for year in (local.year, local.year + 1)
                 for slot in self._holiday_slots(year, name)]
        slots += self._deadline_slots(entries, None) + self._custom_slots(None)
        queued = []
        for slot in slots:
            day, at = slot.when()
            if not dt.datetime.combine(day, at, self.tz) <= local or local.date() > (slot.expires or day):
                continue
            recipients = self._recipients(slot, audience)
            if not recipients or self.db.execute("SELECT 1 FROM broadcasts WHERE origin = ?",
                                                 [slot.origin]).fetchone():
                continue
            item = self._render(slot, entries, today=local.date())
            if not item.text:
                continue
            _, new = outbox.create(sender_id=None, kind="reminder", scope=slot.region, text=item.text,
                                   recipients=recipients, origin=slot.origin, now=now)
            if new:
                queued.append((slot.origin, len(recipients)))
        return queued

    def _audience(self) -> dict[str, list[int]]:
        """Workers who get reminders, by region: subscribed, reminders on, not blocked."""
        groups: dict[str, list[int]] = {}
        for user_id, region in self.db.execute(
                "SELECT user_id, region FROM users WHERE subscribed = 1 AND reminders = 1 AND blocked = 0 "
                "AND region IS NOT NULL ORDER BY user_id"):
            if region in self.gazetteer:
                groups.setdefault(region, []).append(user_id)
        return groups

    def _recipients(self, slot: _Slot, audience: dict[str, list[int]]) -> list[int]:
        if slot.row["kind"] == "holiday":        # one set per worker region: exactly that region
            return audience.get(slot.region, [])
        regions = self.gazetteer.descendants(slot.region)
        return sorted(uid for region, users in audience.items() if region in regions for uid in users)

    # ------------------------------------------------------------------- slots
    def _holiday_slots(self, year: int, region: str) -> list[_Slot]:
        xiaonian = self.gazetteer.get(region).xiaonian
        return [_Slot(row, region, holiday(year, row["holiday"], xiaonian) + dt.timedelta(days=row["offset_days"] or 0),
                      year) for row in self.definitions.active("holiday")]

    def _deadline_slots(self, entries: list[Entry], regions: Collection[str] | None) -> list[_Slot]:
        """One slot per region and day: the measures of that region whose deadline is near."""
        template = next((r for r in self.definitions.active("deadline") if r["key"] == DEADLINE_KEY), None)
        if template is None:
            return []
        skipped = self.definitions.skipped_entries()
        groups: dict[tuple[str, dt.date], list[tuple[Entry, dt.date]]] = {}
        for entry in entries:
            deadline = deadline_of(entry)
            if deadline is None or entry.id in skipped or (regions is not None and entry.region not in regions):
                continue
            nominal = deadline + dt.timedelta(days=template["offset_days"] or 0)
            start = entry.valid_from or entry.issued       # never before the measure was announced
            if start and nominal < start:
                if start > deadline:
                    continue
                nominal = start
            groups.setdefault((entry.region, nominal), []).append((entry, deadline))
        return [_Slot(template, region, nominal, festival_year(nominal), max(d for _, d in items), tuple(items))
                for (region, nominal), items in groups.items()]

    def _custom_slots(self, regions: Collection[str] | None) -> list[_Slot]:
        return [_Slot(row, row["region"], dt.date.fromisoformat(row["date"]),
                      festival_year(dt.date.fromisoformat(row["date"])))
                for row in self.definitions.active("custom")
                if row["region"] in self.gazetteer and (regions is None or row["region"] in regions)]

    # -------------------------------------------------------------------- text
    def _render(self, slot: _Slot, entries: list[Entry], today: dt.date | None = None) -> PlannedReminder:
        day, at = slot.when()
        items = tuple((e, d) for e, d in slot.items if d >= (today or day))
        kind, name = slot.row["kind"], slot.row["name"]
        if items:
            name = f"{name}：{items[0][0].title}" + (f"等{len(items)}项" if len(items) > 1 else "")
        text = "" if kind == "deadline" and not items else self._fill(slot.row["text"], slot, day, items, entries)
        return PlannedReminder(key=slot.row["key"], kind=kind, name=name, region=slot.region, date=day, time=at,
                               text=text, nominal=slot.nominal, expires=slot.expires or day)

    def _fill(self, template: str, slot: _Slot, day: dt.date, items: tuple[tuple[Entry, dt.date], ...],
              entries: list[Entry]) -> str:
        chain = self.gazetteer.ancestors(slot.region)
        live = sorted((e for e in entries if e.region in chain and not e.is_over(day)),
                      key=lambda e: (chain.index(e.region), e.id))
        makers: dict[str, Callable[[], str]] = {
            "region": lambda: self.gazetteer.short(slot.region),
            "date": lambda: f"{day.month}月{day.day}日",
            "year": lambda: str(slot.year),
            "overtime": lambda: describe_overtime(slot.year),
            "stations": lambda: self._stations(slot.region),
            "items": lambda: _deadline_lines(items, day),
            **{key: (lambda key=key: _titles(live, TOPICS[key], EMPTY[key])) for key in TOPICS},
        }
        values = _Blank({key: html.escape(make(), quote=False) for key, make in makers.items()
                         if "{" + key in template})
        try:
            return template.format_map(values)
        except (ValueError, IndexError, AttributeError):
            return template

    def _stations(self, region: str) -> str:
        """Up to three service stations of the region, its sub-regions or parents, with hours."""
        near = (set(self.gazetteer.ancestors(region)) | (self.gazetteer.descendants(region) if region != ROOT else set()))
        near.discard(ROOT)
        if not near:
            return NO_STATION
        marks = ",".join("?" for _ in near)
        rows = self.db.execute(f"SELECT name, hours, phone FROM stations WHERE region IN ({marks}) "
                               "ORDER BY region = ? DESC, id LIMIT ?", [*sorted(near), region, STATION_LIMIT])
        found = [f"{name}（{hours or '开放时间请先打电话确认'}" + (f"，电话 {phone}" if phone else "") + "）"
                 for name, hours, phone in rows]
        return "；".join(found) or NO_STATION


def _titles(entries: list[Entry], intents: tuple[str, ...], empty: str) -> str:
    titles = list(dict.fromkeys(e.title for e in entries if e.intent in intents))
    if not titles:
        return empty
    lines = [f"· {title}" for title in titles[:LIST_LIMIT]]
    if len(titles) > LIST_LIMIT:
        lines.append(f"……共 {len(titles)} 项，发消息问我看详情")
    return "\n".join(lines)


def _deadline_lines(items: tuple[tuple[Entry, dt.date], ...], day: dt.date) -> str:
    """The measures under their deadline ("2月28日截止（还有 3 天）："), contact when only one."""
    by_deadline: dict[dt.date, list[Entry]] = {}
    for entry, deadline in items:
        by_deadline.setdefault(deadline, []).append(entry)
    lines = []
    for deadline, group in sorted(by_deadline.items()):
        left = (deadline - day).days
        lines.append(f"{deadline.month}月{deadline.day}日截止（{'就是今天' if left <= 0 else f'还有 {left} 天'}）：")
        lines += [f"· {entry.title}" for entry in group[:LIST_LIMIT]]
        if len(group) > LIST_LIMIT:
            lines.append(f"……共 {len(group)} 项，发消息问我看详情")
    if len(items) == 1 and items[0][0].contact:
        lines.append(f"联系：{items[0][0].contact}")
    return "\n".join(lines)
