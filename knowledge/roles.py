"""Who may do what: admins (BOT_ADMIN_IDS and granted ones) and station operators.

The one place the role rules live; the bot's @admin_only / @operator_only decorators and
every confirmation of a draft call it at the moment of acting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from knowledge.errors import NotAllowed, NotFound
from knowledge.store import now_iso

AuditLog = Callable[..., None]       # (actor, action, entity, entity_id, before=None, after=None)


class Roles:
    """Admins and operators."""

    def __init__(self, db: Database, audit: AuditLog, config_admins: frozenset[int] = frozenset()) -> None:
        self.db = db
        self.audit = audit
        self.config_admins = config_admins

    def is_admin(self, user_id: int) -> bool:
        """Admins: BOT_ADMIN_IDS and whoever an admin granted (and did not revoke)."""
        return user_id in self.config_admins or bool(
            self.db.execute("SELECT 1 FROM admins WHERE user_id = ?", [user_id]).fetchone())

    def require_admin(self, user_id: int) -> None:
        """NotAllowed unless the user is an admin now."""
        if not self.is_admin(user_id):
            raise NotAllowed("你已不是管理员，不能再做这件事")

    def operator_station_ids(self, user_id: int) -> list[int]:
        """Ids of the stations this user operates."""
        return [r[0] for r in self.db.execute("SELECT station_id FROM operators WHERE user_id = ? ORDER BY station_id",
                                              [user_id])]

    def is_operator(self, user_id: int, station_id: int) -> bool:
        """True while the user operates the station."""
        return bool(self.db.execute("SELECT 1 FROM operators WHERE user_id = ? AND station_id = ?",
                                    [user_id, station_id]).fetchone())

    def require_operator(self, user_id: int, station_id: int) -> None:
        """NotAllowed unless the user operates the station now."""
        if not self.is_operator(user_id, station_id):
            raise NotAllowed("你已不是这个服务站的工作人员，通知没有发出")

    def grant(self, user_id: int, by: int) -> None:
        """Make someone an admin."""
        self.require_admin(by)
        with self.db.atomic():
            self.db["admins"].upsert({"user_id": user_id, "granted_by": by, "granted_at": now_iso()}, pk="user_id")
            self.audit(f"user:{by}", "grant_admin", "admin", str(user_id))

    def revoke(self, user_id: int, by: int) -> None:
        """Take admin rights away (not from BOT_ADMIN_IDS, and not from yourself)."""
        self.require_admin(by)
        if user_id in self.config_admins:
            raise NotAllowed(f"{user_id} 是配置里的管理员（BOT_ADMIN_IDS），只能改配置")
        if user_id == by:
            raise NotAllowed("不能撤销自己的管理员权限")
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM admins WHERE user_id = ?", [user_id])
            if cursor.rowcount == 0:
                raise NotFound(f"{user_id} 不是管理员")
            self.audit(f"user:{by}", "revoke_admin", "admin", str(user_id))

    def admins(self) -> list[dict[str, Any]]:
        """Granted admins (config admins are not stored)."""
        return list(self.db.query("SELECT user_id, granted_by, granted_at FROM admins ORDER BY user_id"))
