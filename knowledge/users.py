"""Workers as the bot stores them: the minimum (id, region, subscriptions, last topic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.privacy import mask_personal_numbers
from knowledge.store import now_iso

MAX_LOGGED_TEXT = 500


@dataclass
class User:
    """What is stored about one worker."""

    user_id: int
    region: str | None = None
    last_topic: str | None = None
    context_region: str | None = None
    context_intent: str | None = None
    context_question: str | None = None
    earlier_topic: str | None = None
    someone_region: str | None = None
    subscribed: bool = False
    reminders: bool = True
    blocked: bool = False


class Users:
    """Reads and writes workers; every write is one small transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, user_id: int) -> User:
        """The stored user, or a blank one (nothing is stored until there is something to keep)."""
        rows = list(self.db["users"].rows_where("user_id = ?", [user_id]))
        if not rows:
            return User(user_id=user_id)
        row = rows[0]
        return User(user_id=user_id, region=row["region"], last_topic=row["last_topic"],
                    context_region=row.get("context_region"), context_intent=row.get("context_intent"),
                    context_question=row.get("context_question"), earlier_topic=row.get("earlier_topic"),
                    someone_region=row.get("someone_region"), subscribed=bool(row["subscribed"]), reminders=bool(row["reminders"]),
                    blocked=bool(row["blocked"]))

    def exists(self, user_id: int) -> bool:
        """True when anything is stored about the user."""
        return bool(self.db.execute("SELECT 1 FROM users WHERE user_id = ?", [user_id]).fetchone())

    def _set(self, user_id: int, **values: Any) -> None:
        with self.db.atomic():
            self.db["users"].upsert({"user_id": user_id, **values, "updated_at": now_iso()}, pk="user_id")

    def set_region(self, user_id: int, region: str | None) -> None:
        """Save the worker's region (the conversation follows it from now on)."""
        self._set(user_id, region=region, context_region=None)

    def set_last_topic(self, user_id: int, entry_id: str | None) -> None:
        """Remember the last measure the worker asked about, for follow-ups."""
        self._set(user_id, last_topic=entry_id, blocked=0)

    def set_context(self, user_id: int, topic: str | None, region: str | None, intent: str | None = None,
                    question: str | None = None, earlier: str | None = None, someone: str | None = None) -> None:
        """Remember the conversation: its last measure, the region it is about, its topic, the
        question we asked the region for, the measure talked about before the last one, and
        where someone else spoken of is (or the family's home place)."""
        self._set(user_id, last_topic=topic, context_region=region, context_intent=intent,
                  context_question=mask_personal_numbers(question)[:MAX_LOGGED_TEXT] if question else None,
                  earlier_topic=earlier, someone_region=someone, blocked=0)

    def set_subscribed(self, user_id: int, on: bool) -> None:
        """Turn notices for the worker's region on or off."""
        self._set(user_id, subscribed=int(on), blocked=0)

    def join_station(self, user_id: int, region: str) -> None:
        """A worker subscribed through a station's QR code: its region, notices on."""
        self._set(user_id, region=region, subscribed=1, blocked=0)

    def set_reminders(self, user_id: int, on: bool) -> None:
        """Turn holiday and deadline reminders on or off (notices stay as they are)."""
        self._set(user_id, reminders=int(on))

    def unsubscribe_stations(self, user_id: int) -> None:
        """Leave every station's notice list."""
        if "station_subscriptions" in self.db.table_names():
            with self.db.atomic():
                self.db.execute("DELETE FROM station_subscriptions WHERE user_id = ?", [user_id])

    def mark_blocked(self, user_id: int) -> None:
        """The worker blocked the bot: stop all sends to them."""
        if self.exists(user_id):
            self._set(user_id, blocked=1, subscribed=0)

    def forget(self, user_id: int) -> None:
        """Delete everything stored about the worker: the user row, subscriptions, logged
        questions and every outbox row addressed to them (id and text), then overwrite the
        freed space (secure_delete) and truncate the WAL so none of it stays in the files."""
        with self.db.atomic():
            tables = set(self.db.table_names())
            if "station_subscriptions" in tables:
                self.db.execute("DELETE FROM station_subscriptions WHERE user_id = ?", [user_id])
            if "outbox" in tables:
                self.db.execute("UPDATE broadcasts SET total = total - (SELECT COUNT(*) FROM outbox o "
                                "WHERE o.broadcast_id = broadcasts.id AND o.chat_id = ?) "
                                "WHERE id IN (SELECT broadcast_id FROM outbox WHERE chat_id = ?)", [user_id, user_id])
                self.db.execute("DELETE FROM outbox WHERE chat_id = ?", [user_id])
            self.db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
            self.db.execute("DELETE FROM question_log WHERE user_id = ?", [user_id])
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - a busy checkpoint is retried by SQLite later
            pass

    def log_question(self, user_id: int | None, text: str, intent: str, entry_id: str | None,
                     score: float, fallback: bool, region: str | None) -> None:
        """Keep the question (for improving answers), personal numbers masked, linked to the
        user until /forget and deleted after the retention period (`expire_questions`)."""
        with self.db.atomic():
            self.db["question_log"].insert({
                "at": now_iso(), "user_id": user_id, "text": mask_personal_numbers(text)[:MAX_LOGGED_TEXT],
                "intent": intent, "entry_id": entry_id, "score": round(score, 1), "fallback": int(fallback),
                "region": region})

    def expire_questions(self, days: int, now: dt.datetime | None = None) -> int:
        """Delete logged questions older than `days`; returns how many."""
        cutoff = ((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        with self.db.atomic():
            return self.db.execute("DELETE FROM question_log WHERE at < ?", [cutoff]).rowcount

    def subscribers(self, regions: set[str]) -> list[int]:
        """Subscribed, not blocked workers whose region is one of `regions`."""
        if not regions:
            return []
        marks = ",".join("?" for _ in regions)
        return [r[0] for r in self.db.execute(
            f"SELECT user_id FROM users WHERE subscribed = 1 AND blocked = 0 AND region IN ({marks}) "
            "ORDER BY user_id", sorted(regions))]
