"""The outbox: one row per recipient of every notice, drained by one sender.

Delivery policy (README, "Delivery policy"): nothing is lost, a duplicate only where the
fate of a send is unknown, and every such send is counted.

- A row is `pending` until it is claimed, `sending` (committed) while the request is out,
  then `sent`, `blocked` (403) or `failed` (400/404-class answer, or the retry deadline passed).
- A row waiting out a 429 or a backoff is `pending` with `not_before`: it is not in flight.
- Transient faults (network errors, 5xx, timeouts) put the row back with backoff until
  the deadline (hours from its first try).
- A send that may have reached Telegram (timeout or reset after sending, a garbled 200) is
  sent again and counted in `uncertain`; so is a row found `sending` after a crash (kill -9):
  it is sent again, never counted as sent unseen. The sender's report says "可能重复 N".
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from knowledge.store import KnowledgeBase
from knowledge.users import Users

DEFAULT_DEADLINE = dt.timedelta(hours=24)


def iso(moment: dt.datetime) -> str:
    """UTC ISO text, comparable as strings (milliseconds, so short backoffs are kept)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@dataclass
class Item:
    """One message to one recipient."""

    id: int
    broadcast_id: int
    chat_id: int
    text: str
    attempts: int
    first_try_at: str | None = None


@dataclass
class Report:
    """How a broadcast went (final once nothing is left to retry)."""

    broadcast_id: int
    sender_id: int | None
    kind: str
    scope: str
    total: int
    sent: int
    blocked: int
    failed: int
    seconds: float
    retrying: int = 0
    uncertain: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    cancelled: int = 0

    @property
    def final(self) -> bool:
        return self.retrying == 0

    def text(self) -> str:
        """Plain Chinese summary for the sender: every recipient is in exactly one number."""
        head = "发送完成" if self.final else "发送进度"
        failed = f"失败 {self.failed}"
        if self.reasons:
            failed += "（" + "；".join(f"{reason} {n}" for reason, n in self.reasons.items()) + "）"
        parts = [f"共 {self.total} 人", f"成功 {self.sent}", f"已屏蔽机器人 {self.blocked}", failed,
                 f"仍在重试 {self.retrying}", f"可能重复 {self.uncertain}"]
        if self.cancelled:
            parts.append(f"已取消 {self.cancelled}")
        return f"{head}：" + "，".join(parts) + f"，用时 {self.seconds:.0f} 秒。"


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
        """At start: rows left `sending` by a crash go back to `pending`, counted as uncertain
        (the message may or may not have reached Telegram); they are sent again."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE outbox SET status = 'pending', uncertain = uncertain + 1, not_before = NULL, "
                "error = 'unconfirmed: process stopped while sending' WHERE status = 'sending'")
        return cursor.rowcount

    def claim(self, now: dt.datetime | None = None) -> Item | None:
        """The next due row, marked `sending` (committed before it is sent)."""
        stamp = iso(now or dt.datetime.now(dt.UTC))
        with self.db.atomic():
            row = self.db.execute(
                "SELECT id, broadcast_id, chat_id, text, attempts, first_try_at FROM outbox WHERE status = 'pending' "
                "AND (not_before IS NULL OR not_before <= ?) ORDER BY not_before IS NOT NULL, not_before, id LIMIT 1",
                [stamp]).fetchone()
            if row is None:
                return None
            first = row[5] or stamp
            self.db.execute("UPDATE outbox SET status = 'sending', attempts = attempts + 1, first_try_at = ? "
                            "WHERE id = ?", [first, row[0]])
        return Item(*row[:4], attempts=row[4] + 1, first_try_at=first)

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
        users = Users(self.db)                   # only Users writes `users`
        users.mark_blocked(item.chat_id)
        users.unsubscribe_stations(item.chat_id)

    def retry(self, item: Item, after: dt.timedelta, error: str, *, uncertain: bool = False,
              deadline: dt.timedelta = DEFAULT_DEADLINE, now: dt.datetime | None = None) -> bool:
        """Put the row back for later (429, 5xx, network error), released: not in flight.

        `uncertain`: the message may have arrived (counted). Past the deadline (from the first
        try) the row fails with the last error instead; returns False then.
        """
        now = now or dt.datetime.now(dt.UTC)
        bump = 1 if uncertain else 0
        first = dt.datetime.fromisoformat(item.first_try_at) if item.first_try_at else now
        if now + after - first > deadline:
            with self.db.atomic():
                self.db.execute("UPDATE outbox SET status = 'failed', error = ?, uncertain = uncertain + ? "
                                "WHERE id = ?", [f"重试期限已过: {error}"[:200], bump, item.id])
            return False
        with self.db.atomic():
            self.db.execute("UPDATE outbox SET status = 'pending', error = ?, not_before = ?, uncertain = uncertain + ? "
                            "WHERE id = ?", [error[:200], iso(now + after), bump, item.id])
        return True

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
        """Reports the sender was not given yet, marked as given (see `pending_reports`)."""
        reports = self.pending_reports()
        for report in reports:
            self.mark_reported(report)
        return reports

    def pending_reports(self) -> list[Report]:
        """Reports the sender was not given yet; `mark_reported` once one was delivered (a crash
        in between repeats a report rather than losing it).

        Final: nothing is pending or sending. Interim (once): every row was tried, and the
        rows left are waiting out transient faults ("仍在重试 N"), not a 429.
        """
        reports = []
        rows = list(self.db.query(
            "SELECT * FROM broadcasts b WHERE reported < 2 AND status = 'queued' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.broadcast_id = b.id AND (o.status = 'sending' OR "
            "(o.status = 'pending' AND (o.attempts = 0 OR COALESCE(o.error, '') LIKE '429%'))))"))
        for row in rows:
            report = self.report(row)
            if report.final or not row["reported"]:
                reports.append(report)           # an interim report is given once
        return reports

    def mark_reported(self, report: Report) -> None:
        """The sender was given this report."""
        done = {"status": "done", "reported": 2, "finished_at": iso(dt.datetime.now(dt.UTC))}
        with self.db.atomic():
            self.db["broadcasts"].update(report.broadcast_id, done if report.final else {"reported": 1})

    def report(self, row: dict[str, Any]) -> Report:
        """The exact counts of one broadcast (row of `broadcasts`)."""
        counts = self.counts(row["id"])
        reasons = Counter(_reason(error) for (error,) in self.db.execute(
            "SELECT error FROM outbox WHERE broadcast_id = ? AND status = 'failed'", [row["id"]]))
        uncertain = self.db.execute("SELECT COUNT(*) FROM outbox WHERE broadcast_id = ? AND status = 'sent' "
                                    "AND uncertain > 0", [row["id"]]).fetchone()[0]   # recipients, not sends
        last = self.db.execute("SELECT MAX(sent_at) FROM outbox WHERE broadcast_id = ?", [row["id"]]).fetchone()[0]
        start = dt.datetime.fromisoformat(row["send_at"] or row["created_at"])
        end = dt.datetime.fromisoformat(last) if last else start
        return Report(row["id"], row["sender_id"], row["kind"], row["scope"], row["total"],
                      counts.get("sent", 0), counts.get("blocked", 0), counts.get("failed", 0),
                      max(0.0, (end - start).total_seconds()),
                      retrying=counts.get("pending", 0) + counts.get("sending", 0), uncertain=int(uncertain),
                      reasons=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:3]), cancelled=counts.get("cancelled", 0))

    def cancel(self, broadcast_id: int, actor: str) -> int:
        """Cancel the rows not sent yet; returns how many."""
        with self.db.atomic():
            cursor = self.db.execute("UPDATE outbox SET status = 'cancelled' WHERE broadcast_id = ? AND status = 'pending'",
                                     [broadcast_id])
            self.db["broadcasts"].update(broadcast_id, {"status": "cancelled"})
            self.kb.audit(actor, "cancel", "broadcast", str(broadcast_id), None, json.dumps({"cancelled": cursor.rowcount}))
        return cursor.rowcount


def _reason(error: str | None) -> str:
    """A short, groupable reason ("Bad Request: chat not found" -> "chat not found")."""
    text = error or "未知原因"
    if text.startswith("重试期限已过"):
        return "重试期限已过"
    text = text.split(":", 1)[1].strip() if text.lower().startswith(("bad request:", "forbidden:")) else text
    return text[:60]
