"""SQLite schema as sqlite-utils migrations, and `open_db` (WAL, foreign keys on)."""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("nuanxin")


@migrations()
def m001_knowledge(db: Database) -> None:
    """Measures, their questions, regions, audit log and metadata."""
    db["regions"].create(
        {"name": str, "short": str, "parent": str, "aliases": str, "xiaonian": int},
        pk="name",
        foreign_keys=[("parent", "regions", "name")],
    )
    db["entries"].create(
        {
            "id": str, "intent": str, "region": str, "title": str, "answer": str, "amount": str,
            "eligibility": str, "how_to_claim": str, "contact": str, "valid_from": str, "valid_to": str,
            "issued": str, "source": str, "keywords": str,
            "yaml_file": str,       # the YAML file the entry lives in (admin.yaml for admin-made ones)
            "document": str,        # the notice it comes from
            "origin": str,          # yaml | admin
            "yaml_hash": str,       # hash of the YAML version last loaded
            "admin_edited": int,    # 1 once an admin changed it: `kb load` keeps the admin's version
            "deleted_at": str,      # soft delete, so that undo and `kb load` respect it
            "updated_at": str, "updated_by": str,
        },
        pk="id",
        not_null={"intent", "region", "title", "answer"},
        defaults={"origin": "yaml", "admin_edited": 0},
        foreign_keys=[("region", "regions", "name")],
    )
    db["entries"].create_index(["intent"])
    db["entries"].create_index(["region"])
    db["questions"].create(
        {"id": int, "entry_id": str, "text": str, "origin": str},
        pk="id",
        not_null={"entry_id", "text"},
        foreign_keys=[("entry_id", "entries", "id")],
    )
    db["questions"].create_index(["entry_id"])
    db["audit"].create(
        {"id": int, "at": str, "actor": str, "action": str, "entity": str, "entity_id": str,
         "before": str, "after": str, "undone": int},
        pk="id",
        defaults={"undone": 0},
    )
    db["audit"].create_index(["entity", "entity_id"])
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["meta"].insert({"key": "kb_version", "value": "0"})


@migrations()
def m002_users(db: Database) -> None:
    """Workers (the minimum: id, region, subscriptions, last topic) and the question log."""
    db["users"].create(
        {"user_id": int, "region": str, "last_topic": str, "subscribed": int, "reminders": int,
         "blocked": int, "updated_at": str},
        pk="user_id",
        defaults={"subscribed": 0, "reminders": 1, "blocked": 0},
    )
    # /forget deletes the worker's rows; numbers are masked before logging; rows expire (retention).
    db["question_log"].create(
        {"id": int, "at": str, "user_id": int, "text": str, "intent": str, "entry_id": str,
         "score": float, "fallback": int, "region": str},
        pk="id",
    )
    db["question_log"].create_index(["at"])
    db["question_log"].create_index(["user_id"])


BUSY_TIMEOUT_MS = 15000
LOCKED_RETRIES = 4


class BotDatabase(Database):
    """A sqlite-utils Database whose write transactions start with BEGIN IMMEDIATE.

    A deferred BEGIN that reads and then writes cannot wait for another writer (SQLite
    answers "database is locked" at once); BEGIN IMMEDIATE takes the write lock first and
    waits up to the busy timeout for it, so concurrent CLI runs and the bot queue up.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:  # type: ignore[override]
        if self.conn.in_transaction:
            savepoint = f"sp_{secrets.token_hex(8)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        for attempt in range(LOCKED_RETRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == LOCKED_RETRIES:
                    raise
                time.sleep(0.05 * 2 ** attempt)
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback()
                raise


def open_db(path: str | Path | None = None, *, memory: bool = False) -> Database:
    """Open (and create or upgrade) the bot's database: WAL journal, foreign keys on, and write
    transactions that wait for each other (BEGIN IMMEDIATE, busy timeout)."""
    if memory or path is None or str(path) == ":memory:":
        db = BotDatabase(memory=True)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = BotDatabase(path)
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA secure_delete = ON")     # deleted rows (/forget, expiry) are overwritten in the file
    migrations.apply(db)
    return db


@migrations()
def m003_stations_outbox(db: Database) -> None:
    """Service stations, their operators and subscribers, admins, broadcasts and the outbox."""
    db["stations"].create(
        {"id": int, "name": str, "region": str, "address": str, "phone": str, "hours": str,
         "lat": float, "lon": float, "created_at": str},
        pk="id", not_null={"name", "region"}, foreign_keys=[("region", "regions", "name")],
    )
    db["operators"].create({"user_id": int, "station_id": int, "added_at": str}, pk=("user_id", "station_id"),
                           foreign_keys=[("station_id", "stations", "id")])
    db["invites"].create({"token": str, "station_id": int, "created_by": int, "expires_at": str,
                          "used_by": int, "used_at": str}, pk="token",
                         foreign_keys=[("station_id", "stations", "id")])
    db["station_subscriptions"].create({"user_id": int, "station_id": int, "created_at": str},
                                       pk=("user_id", "station_id"), foreign_keys=[("station_id", "stations", "id")])
    db["admins"].create({"user_id": int, "granted_by": int, "granted_at": str}, pk="user_id")
    db["broadcasts"].create(
        {"id": int, "sender_id": int, "kind": str, "scope": str, "text": str, "created_at": str,
         "send_at": str, "status": str, "origin": str, "total": int, "finished_at": str, "reported": int},
        pk="id", defaults={"status": "queued", "reported": 0, "total": 0},
    )
    # A message handled twice (e.g. redelivered after a crash) must not broadcast twice.
    db["broadcasts"].create_index(["origin"], unique=True)
    db["outbox"].create(
        {"id": int, "broadcast_id": int, "chat_id": int, "text": str, "status": str, "attempts": int,
         "not_before": str, "sent_at": str, "error": str},
        pk="id", defaults={"status": "pending", "attempts": 0},
        foreign_keys=[("broadcast_id", "broadcasts", "id")],
    )
    db["outbox"].create_index(["broadcast_id", "chat_id"], unique=True)   # exactly one per recipient
    db["outbox"].create_index(["status", "not_before"])


@migrations()
def m004_reminders(db: Database) -> None:
    """Reminder definitions (holiday defaults from data, admins' edits and custom ones)."""
    db["reminders"].create(
        {"key": str, "kind": str, "holiday": str, "offset_days": int, "time": str, "name": str, "text": str,
         "region": str, "date": str, "cancelled": int, "updated_by": str},
        pk="key", defaults={"cancelled": 0, "offset_days": 0},
    )


@migrations()
def m005_entry_season(db: Database) -> None:
    """When a measure applies: its Spring Festival year, kind (standing/seasonal/historical),
    dated local extras of a standing right, confirmation of drafts, and how to cite the notice."""
    table = db["entries"]
    table.add_column("season", int)
    table.add_column("kind", str, not_null_default="seasonal")
    table.add_column("local_note", str)
    table.add_column("confirmed", int, not_null_default=1)
    table.add_column("cited_as", str)


@migrations()
def m006_conversation(db: Database) -> None:
    """The state of a worker's conversation next to its last topic: the region it is about
    (named in an earlier turn), the topic we asked the region for, and that question."""
    for column in ("context_region", "context_intent", "context_question"):
        if column not in db["users"].columns_dict:
            db["users"].add_column(column, str)


@migrations()
def m007_delivery(db: Database) -> None:
    """Delivery under faults: uncertain sends and retry deadlines per outbox row; fetched updates."""
    db["outbox"].add_column("uncertain", int, not_null_default=0)   # sends whose fate was unknown
    db["outbox"].add_column("first_try_at", str)                      # start of the retry deadline
    # Every update fetched from Telegram, stored before the offset that acknowledges it is sent.
    db["updates"].create({"update_id": int, "data": str, "received_at": str, "done_at": str}, pk="update_id")
    db["updates"].create_index(["done_at"])



@migrations()
def m008_mask_logged_questions(db: Database) -> None:
    """Questions logged before masking existed: mask their personal numbers now."""
    from knowledge.privacy import mask_personal_numbers

    for row_id, text in list(db.execute("SELECT id, text FROM question_log")):
        masked = mask_personal_numbers(text or "")
        if masked != text:
            db.execute("UPDATE question_log SET text = ? WHERE id = ?", [masked, row_id])



@migrations()
def m009_drafts(db: Database) -> None:
    """Previews waiting for a tap (drafts.py) and notices scheduled for later (notices.py)."""
    db["drafts"].create(
        {"id": int, "author": int, "kind": str, "payload": str, "state": str, "created_at": str,
         "decided_at": str, "result": str},
        pk="id", defaults={"state": "open"}, not_null={"author", "kind", "payload"},
    )
    db["drafts"].create_index(["author", "state"])
    db["scheduled_notices"].create(
        {"id": int, "draft_id": int, "author": int, "scope": str, "label": str, "text": str, "send_at": str,
         "state": str, "broadcast_id": int, "created_at": str, "origin": str},
        pk="id", defaults={"state": "scheduled"},
    )
    db["scheduled_notices"].create_index(["state", "send_at"])
    db["scheduled_notices"].create_index(["origin"], unique=True)


@migrations()
def m010_web_visitors(db: Database) -> None:
    """Web chat visitors: a hash of the cookie's token and the id their user row is under."""
    db["web_visitors"].create({"id": int, "token_hash": str, "created_at": str}, pk="id", if_not_exists=True)
    db["web_visitors"].create_index(["token_hash"], unique=True, if_not_exists=True)


@migrations()
def m011_earlier_topic(db: Database) -> None:
    """The measure talked about before the last one, so a worker can come back to it."""
    if "earlier_topic" not in db["users"].columns_dict:
        db["users"].add_column("earlier_topic", str)


@migrations()
def m012_someone_region(db: Database) -> None:
    """Where someone else the worker spoke of is (我儿子在芙蓉区), or the family's home place, for
    "他那边呢" in the next turns."""
    if "someone_region" not in db["users"].columns_dict:
        db["users"].add_column("someone_region", str)
