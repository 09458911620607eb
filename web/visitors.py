"""Anonymous web visitors: a random cookie token mapped to a user row of their own.

Web user ids are negative and below -10**15, so they never meet a Telegram user id (positive) or a
Telegram group chat id (-100xxxxxxxxxx, about -10**12). Only a hash of the token is stored. Rows in
`users` are read and written through knowledge.users.Users, exactly like a Telegram worker's; web
visitors are never subscribed, so no notice or reminder is ever queued for them."""

from __future__ import annotations

import hashlib
import secrets

from sqlite_utils import Database

from knowledge.store import now_iso
from knowledge.users import Users

WEB_ID_BASE = 10**15
COOKIE = "nx_vid"
TOKEN_BYTES = 24


def is_web_user(user_id: int) -> bool:
    """True for ids of web visitors."""
    return user_id <= -WEB_ID_BASE


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Visitors:
    """Cookie tokens to user ids (table `web_visitors`, migration m010)."""

    def __init__(self, db: Database, users: Users) -> None:
        self.db = db
        self.users = users

    @staticmethod
    def user_id(visitor_id: int) -> int:
        """The users-table id of a visitor."""
        return -(WEB_ID_BASE + visitor_id)

    def find(self, token: str | None) -> int | None:
        """The user id of a cookie token, or None when unknown (or forgotten)."""
        if not token or len(token) > 64:
            return None
        row = self.db.execute("SELECT id FROM web_visitors WHERE token_hash = ?", [_hash(token)]).fetchone()
        return self.user_id(row[0]) if row else None

    def create(self) -> tuple[str, int]:
        """A new visitor: (cookie token, user id)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.db.atomic():
            visitor_id = self.db["web_visitors"].insert({"token_hash": _hash(token), "created_at": now_iso()}).last_pk
        return token, self.user_id(visitor_id)

    def forget(self, token: str) -> bool:
        """Delete the visitor's user row (as /forget does) and the token itself."""
        user_id = self.find(token)
        if user_id is None:
            return False
        self.users.forget(user_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM web_visitors WHERE token_hash = ?", [_hash(token)])
        return True
