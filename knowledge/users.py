"""Workers as the bot stores them: the minimum (id, region, subscriptions, last topic)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.store import now_iso

MAX_LOGGED_TEXT = 500


@dataclass
class User:
    """What is stored about one worker."""

    user_id: int
    region: str | None = None
    last_topic: str | None = None
    context_region: str | None = None
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
                    context_region=row.get("context_region"),
                    subscribed=bool(row["subscribed"]), reminders=bool(row["reminders"]),
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

    def set_context(self, user_id: int, topic: str | None, region: str | None) -> None:
        """Remember the conversation: its last measure and the region it is about."""
        self._set(user_id, last_topic=topic, context_region=region, blocked=0)

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
        """Delete everything stored about the worker and unlink their logged questions."""
        with self.db.atomic():
            for table in ("station_subscriptions", "outbox"):
                if table in self.db.table_names():
                    column = "user_id" if table == "station_subscriptions" else "chat_id"
                    extra = " AND status = 'pending'" if table == "outbox" else ""
                    self.db.execute(f"DELETE FROM {table} WHERE {column} = ?{extra}", [user_id])
            self.db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
            self.db.execute("UPDATE question_log SET user_id = NULL WHERE user_id = ?", [user_id])

    def log_question(self, user_id: int | None, text: str, intent: str, entry_id: str | None,
                     score: float, fallback: bool, region: str | None) -> None:
        """Keep the question (for improving answers), linked to the user until /forget."""
        with self.db.atomic():
            self.db["question_log"].insert({
                "at": now_iso(), "user_id": user_id, "text": text[:MAX_LOGGED_TEXT], "intent": intent,
                "entry_id": entry_id, "score": round(score, 1), "fallback": int(fallback), "region": region})

    def subscribers(self, regions: set[str]) -> list[int]:
        """Subscribed, not blocked workers whose region is one of `regions`."""
        if not regions:
            return []
        marks = ",".join("?" for _ in regions)
        return [r[0] for r in self.db.execute(
            f"SELECT user_id FROM users WHERE subscribed = 1 AND blocked = 0 AND region IN ({marks}) "
            "ORDER BY user_id", sorted(regions))]
