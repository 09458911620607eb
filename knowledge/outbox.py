"""The outbox: one row per recipient of every notice, drained by one sender.

Exactly once across crashes: a row is marked `sending` (committed) before the message goes
out and `sent` right after. A row found `sending` at start was handed to Telegram when the
process died; it is counted as sent (unconfirmed) and never sent again, so no one gets a
notice twice. Rows still `pending` are sent after the restart, so no notice is lost.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.store import KnowledgeBase

MAX_ATTEMPTS = 5


def iso(moment: dt.datetime) -> str:
    """UTC ISO text, comparable as strings."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Item:
    """One message to one recipient."""

    id: int
    broadcast_id: int
    chat_id: int
    text: str
    attempts: int


@dataclass
class Report:
    """How a finished broadcast went."""

    broadcast_id: int
    sender_id: int | None
    kind: str
    scope: str
    total: int
    sent: int
    blocked: int
    failed: int
    seconds: float

    def text(self) -> str:
        """Plain Chinese summary for the sender."""
        return (f"发送完成：共 {self.total} 人，成功 {self.sent}，已屏蔽机器人 {self.blocked}，失败 {self.failed}，"
                f"用时 {self.seconds:.0f} 秒。")


class Outbox:
    """Queue and track deliveries."""

    def __init__(self, db: Database, kb: KnowledgeBase) -> None:
        self.db = db
        self.kb = kb

    def create(self, *, sender_id: int | None, kind: str, scope: str, text: str, recipients: list[int],
               send_at: dt.datetime | None = None, origin: str | None = None,
               now: dt.datetime | None = None) -> tuple[int, bool]:
        """Queue a notice for every recipient in one transaction; (id, False) if `origin` was seen."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.atomic():
            if origin:
                row = self.db.execute("SELECT id FROM broadcasts WHERE origin = ?", [origin]).fetchone()
                if row:
                    return int(row[0]), False
            not_before = iso(send_at) if send_at else None
            broadcast_id = self.db["broadcasts"].insert({
                "sender_id": sender_id, "kind": kind, "scope": scope, "text": text, "created_at": iso(now),
                "send_at": not_before, "status": "queued", "origin": origin, "total": len(set(recipients))}).last_pk
            self.db["outbox"].insert_all(
                ({"broadcast_id": broadcast_id, "chat_id": chat_id, "text": text, "not_before": not_before}
                 for chat_id in dict.fromkeys(recipients)), batch_size=500, ignore=True)
            self.kb.audit(f"user:{sender_id}" if sender_id else "system", kind, "broadcast", str(broadcast_id),
                          None, {"scope": scope, "text": text, "recipients": len(set(recipients)), "send_at": not_before})
        return int(broadcast_id), True

    def recover(self) -> int:
        """At start: rows left `sending` by a crash count as sent (never sent twice)."""
        with self.db.atomic():
            cursor = self.db.execute("UPDATE outbox SET status = 'sent', error = 'unconfirmed: process stopped' "
                                     "WHERE status = 'sending'")
        return cursor.rowcount

    def claim(self, now: dt.datetime | None = None) -> Item | None:
        """The next due row, marked `sending` (committed before it is sent)."""
        stamp = iso(now or dt.datetime.now(dt.UTC))
        with self.db.atomic():
            row = self.db.execute(
                "SELECT id, broadcast_id, chat_id, text, attempts FROM outbox WHERE status = 'pending' "
                "AND (not_before IS NULL OR not_before <= ?) ORDER BY not_before IS NOT NULL, not_before, id LIMIT 1",
                [stamp]).fetchone()
            if row is None:
                return None
            self.db.execute("UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?", [row[0]])
        return Item(*row[:4], attempts=row[4] + 1)

    def _set(self, item_id: int, **values: Any) -> None:
        with self.db.atomic():
            self.db["outbox"].update(item_id, values)

    def sent(self, item: Item) -> None:
        """Delivered."""
        self._set(item.id, status="sent", sent_at=iso(dt.datetime.now(dt.UTC)))

    def blocked(self, item: Item) -> None:
        """The worker blocked the bot: mark them, unsubscribe them, and their other pending rows."""
        with self.db.atomic():
            self.db["outbox"].update(item.id, {"status": "blocked"})
            self.db.execute("UPDATE outbox SET status = 'blocked' WHERE chat_id = ? AND status = 'pending'",
                            [item.chat_id])
            self.db.execute("UPDATE users SET blocked = 1, subscribed = 0 WHERE user_id = ?", [item.chat_id])
            self.db.execute("DELETE FROM station_subscriptions WHERE user_id = ?", [item.chat_id])

    def retry(self, item: Item, after: dt.timedelta, error: str) -> None:
        """Put the row back for later (429, 5xx, network error); fail it after too many tries."""
        if item.attempts >= MAX_ATTEMPTS:
            self._set(item.id, status="failed", error=error[:200])
            return
        self._set(item.id, status="pending", error=error[:200], not_before=iso(dt.datetime.now(dt.UTC) + after))

    def failed(self, item: Item, error: str) -> None:
        """Cannot be delivered (e.g. chat not found)."""
        self._set(item.id, status="failed", error=error[:200])

    def next_due(self) -> dt.datetime | None:
        """When the next pending row becomes due (None: nothing pending)."""
        row = self.db.execute("SELECT MIN(COALESCE(not_before, '')) FROM outbox WHERE status = 'pending'").fetchone()
        if row is None or row[0] is None:
            return None
        return dt.datetime.min.replace(tzinfo=dt.UTC) if row[0] == "" else dt.datetime.fromisoformat(row[0])

    def counts(self, broadcast_id: int) -> dict[str, int]:
        """Rows per status of one broadcast."""
        return {status: n for status, n in self.db.execute(
            "SELECT status, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY status", [broadcast_id])}

    def finished_reports(self) -> list[Report]:
        """Broadcasts with nothing left to send whose sender was not told yet (marks them)."""
        reports = []
        with self.db.atomic():
            rows = list(self.db.query(
                "SELECT * FROM broadcasts b WHERE reported = 0 AND status = 'queued' AND NOT EXISTS "
                "(SELECT 1 FROM outbox o WHERE o.broadcast_id = b.id AND o.status IN ('pending', 'sending'))"))
            for row in rows:
                counts = self.counts(row["id"])
                last = self.db.execute("SELECT MAX(sent_at) FROM outbox WHERE broadcast_id = ?", [row["id"]]).fetchone()[0]
                start = dt.datetime.fromisoformat(row["send_at"] or row["created_at"])
                end = dt.datetime.fromisoformat(last) if last else start
                reports.append(Report(row["id"], row["sender_id"], row["kind"], row["scope"], row["total"],
                                      counts.get("sent", 0), counts.get("blocked", 0), counts.get("failed", 0),
                                      max(0.0, (end - start).total_seconds())))
                self.db["broadcasts"].update(row["id"], {"status": "done", "reported": 1,
                                                         "finished_at": iso(dt.datetime.now(dt.UTC))})
        return reports

    def cancel(self, broadcast_id: int, actor: str) -> int:
        """Cancel the rows not sent yet; returns how many."""
        with self.db.atomic():
            cursor = self.db.execute("UPDATE outbox SET status = 'cancelled' WHERE broadcast_id = ? AND status = 'pending'",
                                     [broadcast_id])
            self.db["broadcasts"].update(broadcast_id, {"status": "cancelled"})
            self.kb.audit(actor, "cancel", "broadcast", str(broadcast_id), None, json.dumps({"cancelled": cursor.rowcount}))
        return cursor.rowcount
