"""Notices from stations and admins: draft, preview, schedule, send, cancel, list (no telegram).

- The scope is typed (`Scope`): a station's subscribers or a region's. Recipients are
  computed when the notice is queued for sending, never earlier, so a worker who
  unsubscribed in the meantime does not get a scheduled notice.
- An optional leading send time ("2027-02-05 18:00", full-width digits and colon accepted)
  is parsed here; an impossible date or a time in the past is refused, never sent at once.
- Notices respect the quiet hours (22:00-08:00) like reminders: they wait until 08:00.
- Confirming a draft re-checks the author's role (still the station's operator, still an
  admin) and the draft's state at that moment.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from knowledge.drafts import CONFIRMED, Draft, Drafts
from knowledge.errors import NotAllowed, NotFound, Stale, ValidationError
from knowledge.outbox import Outbox, iso
from knowledge.roles import Roles
from knowledge.stations import Stations
from knowledge.store import now_iso
from scheduler.reminders import in_quiet_hours, quiet_shift

TELEGRAM_LIMIT = 4096
KIND = "notice"
SEND_AT_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[ T\u3000]?\s*"
                        r"(\d{1,2})\s*[:：]\s*(\d{1,2})(?=\s|$)\s*")
TRUNCATED = "\n\n…（预览只显示前面一部分，发送的是全文）"


class BadNotice(ValidationError):
    """A notice that cannot be sent as typed (empty, too long, impossible or past send time)."""


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); HTML tags counted too, so an upper bound."""
    return len(text.encode("utf-16-le")) // 2


def default_render(label: str, body: str) -> str:
    """The notice as workers see it (HTML)."""
    return f"📢 <b>{html.escape(label)}通知</b>\n{html.escape(body)}"


@dataclass(frozen=True)
class Scope:
    """Who a notice is for: `station` (its subscribers) or `region` (subscribers in it and below)."""

    kind: str
    key: str             # station id, or the region's full name
    label: str           # the name shown in the notice's header

    @property
    def outbox_scope(self) -> str:
        return f"station:{self.key}" if self.kind == "station" else self.key

    @property
    def broadcast_kind(self) -> str:
        return "notice" if self.kind == "station" else "broadcast"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key, "label": self.label}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scope:
        return cls(str(data["kind"]), str(data["key"]), str(data["label"]))


@dataclass
class Queued:
    """What happened to a confirmed notice."""

    notice_id: int | None        # a scheduled notice's id (for /notice cancel), None when queued now
    broadcast_id: int | None
    recipients: int | None       # known once queued; a scheduled notice counts at send time
    send_at: dt.datetime | None  # local time, None: now
    quiet: bool = False          # moved out of the quiet hours
    new: bool = True


def parse_send_at(text: str, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    """An optional leading send time and the rest of the text; BadNotice for an impossible
    date or a time that has passed. `now` is timezone-aware (the bot's timezone)."""
    match = SEND_AT_RE.match(text)
    if not match:
        return None, text.strip()
    year, month, day, hour, minute = (int(g) for g in match.groups())
    shown = f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
    try:
        when = dt.datetime(year, month, day, hour, minute, tzinfo=now.tzinfo)
    except ValueError:
        raise BadNotice(f"发送时间 {shown} 不存在（没有这一天或这个时刻），通知没有发出") from None
    if when <= now:
        raise BadNotice(f"发送时间 {shown} 已经过了，通知没有发出") from None
    return when, text[match.end():].strip()


class Notices:
    """The notices use case."""

    def __init__(self, db: Database, stations: Stations, outbox: Outbox, drafts: Drafts, roles: Roles,
                 tz: ZoneInfo, render: Callable[[str, str], str] = default_render, *, quiet_hours: bool = True) -> None:
        self.db = db
        self.stations = stations
        self.outbox = outbox
        self.drafts = drafts
        self.roles = roles
        self.tz = tz
        self.render = render
        self.quiet_hours = quiet_hours
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(self.tz)

    def _now(self, now: dt.datetime | None) -> dt.datetime:
        return (now or self.clock()).astimezone(self.tz)

    # ------------------------------------------------------------- scopes and roles
    def operator_scope(self, user_id: int) -> Scope:
        """The station an operator speaks for; NotAllowed for anyone else."""
        ids = self.roles.operator_station_ids(user_id)
        if not ids:
            raise NotAllowed("抱歉，这个命令只有服务站工作人员可以用。")
        station = self.stations.get(ids[0])
        return Scope("station", str(station.id), station.name)

    def region_scope(self, user_id: int, region_text: str) -> Scope:
        """An admin's region scope; NotAllowed for others, NotFound for an unknown region."""
        self.roles.require_admin(user_id)
        try:
            region = self.stations.gazetteer.resolve(region_text)
        except NotFound:
            raise NotFound(f"没找到地区“{region_text[:20]}”") from None
        return Scope("region", region.name, region.short)

    def check_role(self, user_id: int, scope: Scope) -> None:
        """NotAllowed unless the user may speak for the scope right now."""
        if scope.kind == "station":
            if not self.roles.is_operator(user_id, int(scope.key)):
                raise NotAllowed("你已不是这个服务站的工作人员，通知没有发出")
        else:
            self.roles.require_admin(user_id)

    def recipients(self, scope: Scope) -> list[int]:
        """Who receives a notice of this scope now."""
        if scope.kind == "station":
            return self.stations.subscribers(int(scope.key))
        return self.stations.region_recipients(scope.key)

    # ------------------------------------------------------------- composing
    def compose(self, text: str, scope: Scope, now: dt.datetime | None = None) -> tuple[str, dt.datetime | None]:
        """(body, send time) of a typed notice; BadNotice when it cannot be sent."""
        now = self._now(now)
        send_at, body = parse_send_at(text, now)
        if not body:
            raise BadNotice("通知内容不能为空")
        size = telegram_length(self.render(scope.label, body))
        if size > TELEGRAM_LIMIT:
            raise BadNotice(f"通知太长了（{size} 字，最多约 {TELEGRAM_LIMIT - (size - len(body))} 字），请删短一些")
        return body, send_at

    def draft(self, user_id: int, scope: Scope, text: str, origin: str | None = None,
              now: dt.datetime | None = None) -> Draft:
        """A preview row for the notice (its 发送 button carries the draft's id)."""
        self.check_role(user_id, scope)
        body, send_at = self.compose(text, scope, now)
        return self.drafts.create(user_id, KIND, {"scope": scope.to_dict(), "body": body, "origin": origin,
                                                  "send_at": send_at.isoformat() if send_at else None})

    def preview_html(self, draft: Draft) -> str:
        """The preview message, never longer than Telegram allows."""
        scope, body = Scope.from_dict(draft.payload["scope"]), draft.payload["body"]
        count = len(self.recipients(scope))
        when = f"\n发送时间：{draft.payload['send_at'][:16].replace('T', ' ')}" if draft.payload["send_at"] else ""
        head = f"<b>预览</b>（现在订阅的有 {count} 人{html.escape(when)}）：\n\n"
        text = head + self.render(scope.label, body)
        cut = len(body)
        while telegram_length(text) > TELEGRAM_LIMIT and cut > 0:
            cut -= max(1, telegram_length(text) - TELEGRAM_LIMIT + len(TRUNCATED))
            text = head + self.render(scope.label, body[:max(cut, 0)]) + TRUNCATED
        return text

    def confirm(self, draft_id: int, user_id: int, now: dt.datetime | None = None) -> Queued:
        """发送 under a preview: this draft, if still open, by its author, who still has the role."""
        draft = self.drafts.open_draft(draft_id, user_id, KIND)
        scope = Scope.from_dict(draft.payload["scope"])
        self.check_role(user_id, scope)
        send_at = dt.datetime.fromisoformat(draft.payload["send_at"]) if draft.payload["send_at"] else None
        with self.db.atomic():
            self.drafts.decide(draft, CONFIRMED)
            return self._queue(user_id, scope, draft.payload["body"], send_at,
                               draft.payload.get("origin") or f"draft:{draft.id}", now)

    def submit(self, user_id: int, scope: Scope, text: str, origin: str | None,
               now: dt.datetime | None = None) -> Queued:
        """A notice typed with the command itself: no preview, queued (or scheduled) at once."""
        self.check_role(user_id, scope)
        body, send_at = self.compose(text, scope, now)
        with self.db.atomic():
            return self._queue(user_id, scope, body, send_at, origin, now)

    def _queue(self, user_id: int, scope: Scope, body: str, send_at: dt.datetime | None, origin: str | None,
               now: dt.datetime | None) -> Queued:
        now = self._now(now)
        wanted = send_at or now
        quiet = self.quiet_hours and in_quiet_hours(wanted.time())
        if quiet:
            day, at = quiet_shift(wanted.date(), wanted.time())
            send_at = dt.datetime.combine(day, at, tzinfo=self.tz)
        if send_at is None:
            people = self.recipients(scope)
            broadcast_id, new = self.outbox.create(sender_id=user_id, kind=scope.broadcast_kind,
                                                   scope=scope.outbox_scope, text=self.render(scope.label, body),
                                                   recipients=people, origin=origin)
            return Queued(None, broadcast_id, len(people), None, new=new)
        if origin:
            row = self.db.execute("SELECT id FROM scheduled_notices WHERE origin = ?", [origin]).fetchone()
            if row:
                return Queued(int(row[0]), None, None, send_at, quiet=quiet, new=False)
        notice_id = self.db["scheduled_notices"].insert({
            "author": user_id, "scope": f"{scope.kind}|{scope.key}", "label": scope.label, "text": body,
            "send_at": iso(send_at), "state": "scheduled", "created_at": now_iso(), "origin": origin}).last_pk
        self.stations.kb.audit(f"user:{user_id}", "schedule", "notice", str(notice_id), None,
                               {"scope": scope.to_dict(), "text": body, "send_at": iso(send_at)})
        return Queued(int(notice_id), None, None, send_at, quiet=quiet)

    @staticmethod
    def _scope_of(row: dict[str, Any]) -> Scope:
        kind, _, key = row["scope"].partition("|")
        return Scope(kind, key, row["label"])

    # ------------------------------------------------------------- scheduled notices
    def release_due(self, now: dt.datetime | None = None) -> list[tuple[int, int | None]]:
        """Queue every scheduled notice that is due, with the recipients of this moment.
        A notice whose author lost the role is not sent (state `refused`, broadcast id None).
        Returns (notice id, broadcast id) pairs."""
        stamp = iso(now or self.clock())
        released: list[tuple[int, int | None]] = []
        for row in list(self.db.query("SELECT * FROM scheduled_notices WHERE state = 'scheduled' AND send_at <= ? "
                                       "ORDER BY send_at, id", [stamp])):
            scope = self._scope_of(row)
            with self.db.atomic():
                try:
                    self.check_role(row["author"], scope)
                except NotAllowed:
                    self.db["scheduled_notices"].update(row["id"], {"state": "refused"})
                    released.append((row["id"], None))
                    continue
                broadcast_id, _ = self.outbox.create(
                    sender_id=row["author"], kind=scope.broadcast_kind, scope=scope.outbox_scope,
                    text=self.render(scope.label, row["text"]), recipients=self.recipients(scope),
                    origin=f"scheduled:{row['id']}")
                self.db["scheduled_notices"].update(row["id"], {"state": "queued", "broadcast_id": broadcast_id})
            released.append((row["id"], broadcast_id))
        return released

    def _may_manage(self, user_id: int, row: dict[str, Any]) -> bool:
        scope = self._scope_of(row)
        if self.roles.is_admin(user_id):
            return True
        return scope.kind == "station" and self.roles.is_operator(user_id, int(scope.key))

    def scheduled(self, user_id: int) -> list[dict[str, Any]]:
        """Scheduled notices the user may see: an admin all, an operator their stations'."""
        rows = self.db.query("SELECT * FROM scheduled_notices WHERE state = 'scheduled' ORDER BY send_at, id")
        return [r for r in rows if self._may_manage(user_id, r)]

    def get(self, notice_id: int) -> dict[str, Any]:
        """A scheduled notice's row; NotFound otherwise."""
        rows = list(self.db["scheduled_notices"].rows_where("id = ?", [notice_id]))
        if not rows:
            raise NotFound(f"没有定时通知 {notice_id}")
        return rows[0]

    def local_time(self, row: dict[str, Any]) -> str:
        """A scheduled notice's send time in the bot's timezone."""
        return dt.datetime.fromisoformat(row["send_at"]).astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def cancel(self, notice_id: int, user_id: int) -> dict[str, Any]:
        """Cancel a scheduled notice (its author, the station's operator or an admin)."""
        with self.db.atomic():
            rows = list(self.db["scheduled_notices"].rows_where("id = ?", [notice_id]))
            if not rows or not self._may_manage(user_id, rows[0]):
                raise NotFound(f"没有你能取消的定时通知 {notice_id}")
            row = rows[0]
            if row["state"] != "scheduled":
                raise Stale(f"定时通知 {notice_id} 已经{'发出' if row['state'] == 'queued' else '取消'}了")
            self.db["scheduled_notices"].update(notice_id, {"state": "cancelled"})
            self.stations.kb.audit(f"user:{user_id}", "cancel", "notice", str(notice_id))
        return row

    # ------------------------------------------------------------- reports
    def title(self, broadcast_id: int, width: int = 16) -> str:
        """How the sender's report names the notice: its first words."""
        row = self.db.execute("SELECT text FROM broadcasts WHERE id = ?", [broadcast_id]).fetchone()
        if row is None:
            return ""
        lines = re.sub(r"<[^>]+>", "", row[0] or "").splitlines()
        body = " ".join(line.strip() for line in lines[1:] if line.strip()) or (lines[0] if lines else "")
        body = html.unescape(body)
        return "“" + (body[:width] + "…" if len(body) > width else body) + "”"
