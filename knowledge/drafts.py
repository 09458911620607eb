"""Drafts: every preview waiting for a tap is a row (id, author, kind, payload, state).

A button carries its draft's id, so an old button can only ever act on its own draft, and a
draft survives a restart. Deciding a draft is one transaction: it must be open, the tapper
must be its author, and it moves to `confirmed` or `cancelled` exactly once. Drafts older
than `MAX_AGE` are `expired`; after `KEEP` they are deleted (`prune`, run daily by the bot).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.errors import Stale

MAX_AGE = dt.timedelta(days=2)
KEEP = dt.timedelta(days=30)    # after this, a draft (decided or not) is deleted: its button says "已经失效"
OPEN, CONFIRMED, CANCELLED, EXPIRED = "open", "confirmed", "cancelled", "expired"
MAX_ID = 2**53            # ids in buttons are parsed with a bounded regex; anything larger is unknown


@dataclass
class Draft:
    """One preview."""

    id: int
    author: int
    kind: str
    payload: dict[str, Any]
    state: str
    created_at: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Drafts:
    """Create, read and decide drafts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, author: int, kind: str, payload: dict[str, Any], now: dt.datetime | None = None) -> Draft:
        """Store a new open draft."""
        stamp = (now or _now()).isoformat()
        with self.db.atomic():
            draft_id = self.db["drafts"].insert({"author": author, "kind": kind, "state": OPEN, "created_at": stamp,
                                                 "payload": json.dumps(payload, ensure_ascii=False)}).last_pk
        return Draft(int(draft_id), author, kind, payload, OPEN, stamp)

    def get(self, draft_id: int, now: dt.datetime | None = None) -> Draft:
        """The draft (state `expired` once too old); Stale if there is no such draft."""
        if not 0 < draft_id < MAX_ID:
            raise Stale("这个按钮已经失效了")
        row = self.db.execute("SELECT id, author, kind, payload, state, created_at FROM drafts WHERE id = ?",
                              [draft_id]).fetchone()
        if row is None:
            raise Stale("这个按钮已经失效了")
        draft = Draft(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])
        if draft.state == OPEN and (now or _now()) - dt.datetime.fromisoformat(draft.created_at) > MAX_AGE:
            draft.state = EXPIRED
        return draft

    def open_draft(self, draft_id: int, user_id: int, kind: str | None = None,
                   now: dt.datetime | None = None) -> Draft:
        """The draft if `user_id` may still decide it; Stale (saying why) otherwise."""
        draft = self.get(draft_id, now)
        if draft.author != user_id or (kind is not None and draft.kind != kind):
            raise Stale("这不是你的预览")
        if draft.state == CONFIRMED:
            raise Stale("这条预览已经确认过了")
        if draft.state == CANCELLED:
            raise Stale("这条预览已经取消了")
        if draft.state == EXPIRED:
            raise Stale("这条预览已过期（超过 48 小时），请重新发起")
        return draft

    def decide(self, draft: Draft, state: str, result: Any = None, now: dt.datetime | None = None) -> None:
        """Move an open draft to `confirmed` or `cancelled` (inside the caller's transaction when
        there is one); Stale if someone decided it in the meantime."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE drafts SET state = ?, decided_at = ?, result = ? WHERE id = ? AND state = 'open'",
                [state, (now or _now()).isoformat(), json.dumps(result, ensure_ascii=False, default=str), draft.id])
            if cursor.rowcount != 1:
                raise Stale("这条预览已经处理过了")
        draft.state = state

    def cancel(self, draft_id: int, user_id: int) -> Draft:
        """Cancel the author's open draft."""
        draft = self.open_draft(draft_id, user_id)
        self.decide(draft, CANCELLED)
        return draft

    def prune(self, now: dt.datetime | None = None) -> int:
        """Delete drafts created more than `KEEP` ago; how many went."""
        cutoff = ((now or _now()) - KEEP).isoformat()
        with self.db.atomic():
            return self.db.execute("DELETE FROM drafts WHERE created_at < ?", [cutoff]).rowcount

    def latest_open(self, user_id: int, kinds: tuple[str, ...]) -> Draft | None:
        """The author's newest open draft of these kinds (for /cancel)."""
        marks = ",".join("?" for _ in kinds)
        row = self.db.execute(f"SELECT id FROM drafts WHERE author = ? AND state = 'open' AND kind IN ({marks}) "
                              "ORDER BY id DESC LIMIT 1", [user_id, *kinds]).fetchone()
        return self.get(row[0]) if row else None
