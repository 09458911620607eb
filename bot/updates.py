"""Incoming updates that survive a crash, processed per chat, and one bot per database.

- `JournalQueue` is the Application's update queue. Its `put` stores each update in SQLite
  (table `updates`) before returning. PTB's updater puts the fetched updates into the queue
  and only then sends the offset that acknowledges them to Telegram; the webhook handler
  answers 200 only after `put` returns. So an acknowledged update is always stored.
- `JournaledApplication.process_update` marks the update done when its handlers finished.
  At start, `replay` queues what was stored and not done (a kill -9 mid-handler). An update
  seen again (replayed and re-fetched) is handled once per process; handlers are safe to
  replay (a /broadcast is unique per Telegram message, see `Outbox.create`).
- `PerChatProcessor` handles updates of different chats concurrently and those of one chat
  in order, so one chat waiting out a 429 never holds up another.
- `InstanceLock`: a second `python -m bot run` on the same database or token refuses to start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

log = logging.getLogger(__name__)
KEEP_DONE = dt.timedelta(days=1)
SEEN_LIMIT = 10_000


def _digest(data: str) -> str:
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class UpdateJournal:
    """The `updates` table: every fetched update until it was handled."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def store(self, update: Update) -> None:
        """Keep the update once: a re-fetched one keeps its first copy and state. (Telegram may
        reuse an id after a quiet week; a different update under a handled id is a new one.)"""
        data = update.to_json()
        with self.db.atomic():
            row = self.db.execute("SELECT data, done_at FROM updates WHERE update_id = ?", [update.update_id]).fetchone()
            if row is None:
                self.db.execute("INSERT INTO updates (update_id, data, received_at) VALUES (?, ?, ?)",
                                [update.update_id, data, _now()])
            elif row[1] and row[0] != _digest(data):
                self.db.execute("UPDATE updates SET data = ?, received_at = ?, done_at = NULL WHERE update_id = ?",
                                [data, _now(), update.update_id])

    def done(self, update: Update) -> None:
        """Handled: keep only a digest (to recognise a re-fetch), not the message."""
        with self.db.atomic():
            self.db.execute("UPDATE updates SET done_at = ?, data = ? WHERE update_id = ?",
                            [_now(), _digest(update.to_json()), update.update_id])

    def is_done(self, update_id: int) -> bool:
        row = self.db.execute("SELECT done_at FROM updates WHERE update_id = ?", [update_id]).fetchone()
        return bool(row and row[0])

    def undone(self) -> list[dict[str, Any]]:
        """Stored updates not handled yet, oldest first."""
        return [json.loads(data) for (data,) in self.db.execute(
            "SELECT data FROM updates WHERE done_at IS NULL ORDER BY update_id")]

    def prune(self, now: dt.datetime | None = None) -> int:
        """Forget handled updates after a day."""
        cutoff = ((now or dt.datetime.now(dt.UTC)) - KEEP_DONE).isoformat(timespec="milliseconds")
        with self.db.atomic():
            return self.db.execute("DELETE FROM updates WHERE done_at IS NOT NULL AND done_at < ?", [cutoff]).rowcount


class JournalQueue(asyncio.Queue):
    """The update queue; stores every Update before it is queued (see the module docstring)."""

    journal: UpdateJournal | None = None

    async def put(self, item: Any) -> None:
        self._store(item)
        await super().put(item)

    def put_nowait(self, item: Any) -> None:
        self._store(item)
        super().put_nowait(item)

    def _store(self, item: Any) -> None:
        if self.journal is not None and isinstance(item, Update):
            self.journal.store(item)


class JournaledApplication(Application):
    """Marks each update done after its handlers; an update is handled once per process."""

    async def process_update(self, update: object) -> None:
        journal = self.update_journal
        if not isinstance(update, Update) or journal is None:
            await super().process_update(update)
            return
        seen: dict[int, str] = self.__dict__.setdefault("_seen_updates", {})
        data = update.to_json()
        if seen.get(update.update_id) == data or journal.is_done(update.update_id):
            return
        seen[update.update_id] = data
        while len(seen) > SEEN_LIMIT:                 # the journal remembers the rest
            del seen[next(iter(seen))]
        await super().process_update(update)
        journal.done(update)

    @property
    def update_journal(self) -> UpdateJournal | None:
        queue = self.update_queue
        return queue.journal if isinstance(queue, JournalQueue) else None

    def replay(self) -> int:
        """Queue the stored updates that were not handled (the process died); returns how many."""
        journal = self.update_journal
        if journal is None:
            return 0
        journal.prune()
        pending = journal.undone()
        for data in pending:
            self.update_queue.put_nowait(Update.de_json(data, self.bot))
        if pending:
            log.warning("replaying %d updates that were received but not handled before the last stop",
                        len(pending))
        return len(pending)


class PerChatProcessor(BaseUpdateProcessor):
    """Different chats concurrently, one chat's updates in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Any, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = None
        if isinstance(update, Update):
            key = update.effective_chat.id if update.effective_chat else (
                update.effective_user.id if update.effective_user else None)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


class AlreadyRunning(RuntimeError):
    """Another bot process holds the database or the token."""


class InstanceLock:
    """Exclusive locks (flock, released by the kernel even after kill -9) per database and token."""

    def __init__(self, database: Path, token: str) -> None:
        digest = hashlib.sha256(token.encode()).hexdigest()[:16]
        self.paths = [(Path(f"{database}.lock"), f"数据库 {database}"),
                      (Path(tempfile.gettempdir()) / f"nuanxin-bot-{digest}.lock", "同一个机器人 token")]
        self._files: list[Any] = []

    def acquire(self) -> InstanceLock:
        for path, what in self.paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+")  # noqa: SIM115 - held for the life of the process
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip() or "?"
                handle.close()
                self.release()
                raise AlreadyRunning(f"已有一个机器人进程（pid {holder}）在用{what}；"
                                     "同一个数据库和 token 只能运行一个 `python -m bot run`。") from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            self._files.append(handle)
        return self

    def release(self) -> None:
        for handle in self._files:
            handle.close()
        self._files = []
