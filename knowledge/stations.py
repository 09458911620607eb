"""Service stations (暖民稳岗服务站), their operators, invites, subscribers, and admins."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from knowledge.errors import NotFound, ValidationError
from knowledge.gazetteer import Gazetteer, haversine_km
from knowledge.roles import Roles
from knowledge.store import KnowledgeBase, now_iso
from knowledge.users import Users

INVITE_HOURS = 48
STATION_FIELDS = ("name", "region", "address", "phone", "hours", "lat", "lon")


@dataclass
class Station:
    """One community service station."""

    id: int
    name: str
    region: str
    address: str = ""
    phone: str = ""
    hours: str = ""
    lat: float | None = None
    lon: float | None = None


class Stations:
    """Stations and who may speak for them. Writes are audited through the knowledge base."""

    def __init__(self, db: Database, kb: KnowledgeBase, admin_ids: frozenset[int] = frozenset()) -> None:
        self.db = db
        self.kb = kb
        self.gazetteer: Gazetteer = kb.gazetteer
        self.config_admins = admin_ids
        self.roles = Roles(db, kb.audit, admin_ids)

    # -------------------------------------------------------------- roles
    def is_admin(self, user_id: int) -> bool:
        """Admins: BOT_ADMIN_IDS and whoever an admin granted (knowledge/roles.py)."""
        return self.roles.is_admin(user_id)

    def grant_admin(self, user_id: int, by: int) -> None:
        """Make someone an admin (knowledge/roles.py)."""
        self.roles.grant(user_id, by)

    def operator_stations(self, user_id: int) -> list[Station]:
        """Stations this user operates."""
        rows = self.db.query("SELECT s.* FROM stations s JOIN operators o ON o.station_id = s.id "
                             "WHERE o.user_id = ? ORDER BY s.id", [user_id])
        return [self._station(r) for r in rows]

    # ----------------------------------------------------------- stations
    @staticmethod
    def _station(row: dict[str, Any]) -> Station:
        return Station(**{k: row[k] for k in ("id", *STATION_FIELDS)})

    def _clean(self, data: dict[str, Any]) -> dict[str, Any]:
        unknown = set(data) - set(STATION_FIELDS)
        if unknown:
            raise ValidationError(f"未知字段: {', '.join(sorted(unknown))}", entry="station")
        clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
        if "name" in clean and not clean["name"]:
            raise ValidationError("服务站要有名称", field="name")
        if "region" in clean:
            clean["region"] = self.gazetteer.resolve(str(clean["region"])).name
        for key in ("lat", "lon"):
            if key not in clean:
                continue                     # a field not named in the edit keeps its value
            if clean[key] in ("", None):
                clean[key] = None
            else:
                try:
                    clean[key] = float(clean[key])
                except (TypeError, ValueError):
                    raise ValidationError("坐标应为数字", field=key) from None
        return clean

    def create(self, data: dict[str, Any], actor: str) -> Station:
        """Add a station (name and region required)."""
        clean = self._clean(data)
        if not clean.get("name") or not clean.get("region"):
            raise ValidationError("服务站要有名称和地区", entry="station")
        with self.db.atomic():
            same = self.db.execute("SELECT id FROM stations WHERE name = ? AND region = ?",
                                   [clean["name"], clean["region"]]).fetchone()
            if same:                      # a replayed command (or a second add) makes no duplicate
                return self.get(same[0])
            self.kb.sync_regions()
            station_id = self.db["stations"].insert({**clean, "created_at": now_iso()}).last_pk
            self.kb.audit(actor, "add", "station", str(station_id), None, clean)
        return self.get(station_id)

    def update(self, station_id: int, data: dict[str, Any], actor: str) -> Station:
        """Change some fields of a station."""
        before = self.get(station_id)
        clean = self._clean(data)
        with self.db.atomic():
            self.db["stations"].update(station_id, clean)
            self.kb.audit(actor, "update", "station", str(station_id), before.__dict__, clean)
        return self.get(station_id)

    def get(self, station_id: int) -> Station:
        """A station by id; NotFound otherwise."""
        rows = list(self.db["stations"].rows_where("id = ?", [station_id]))
        if not rows:
            raise NotFound(f"没有这个服务站: {station_id}")
        return self._station(rows[0])

    def all(self) -> list[Station]:
        """Every station."""
        return [self._station(r) for r in self.db["stations"].rows_where(order_by="id")]

    def in_region(self, region: str | None) -> list[Station]:
        """Stations in the region, its sub-regions and its parents (most specific first)."""
        if not region:
            return []
        related = self.gazetteer.descendants(region) | set(self.gazetteer.ancestors(region))
        found = [s for s in self.all() if s.region in related]
        return sorted(found, key=lambda s: -self.gazetteer.depth(s.region))

    def nearest(self, lat: float, lon: float, limit: int = 3) -> list[tuple[Station, float]]:
        """Stations with coordinates, nearest first, with distance in km."""
        found = [(s, haversine_km(lat, lon, s.lat, s.lon)) for s in self.all() if s.lat is not None and s.lon is not None]
        return sorted(found, key=lambda pair: pair[1])[:limit]

    # ------------------------------------------------------- operators
    def create_invite(self, station_id: int, by: int, now: dt.datetime | None = None) -> str:
        """A one-time token for an operator invite link (valid for 48 hours)."""
        self.get(station_id)
        now = now or dt.datetime.now(dt.UTC)
        token = secrets.token_urlsafe(12)
        with self.db.atomic():
            self.db["invites"].insert({"token": token, "station_id": station_id, "created_by": by,
                                       "expires_at": (now + dt.timedelta(hours=INVITE_HOURS)).isoformat()})
            self.kb.audit(f"user:{by}", "invite", "station", str(station_id))
        return token

    def accept_invite(self, token: str, user_id: int, now: dt.datetime | None = None) -> Station:
        """Make the user an operator; NotFound if the token is unknown, used or expired."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.atomic():
            rows = list(self.db["invites"].rows_where("token = ?", [token]))
            if not rows or rows[0]["used_by"] is not None:
                raise NotFound("邀请链接无效或已被使用")
            if dt.datetime.fromisoformat(rows[0]["expires_at"]) < now:
                raise NotFound("邀请链接已过期")
            station_id = rows[0]["station_id"]
            self.db["invites"].update(token, {"used_by": user_id, "used_at": now.isoformat()})
            self.db["operators"].upsert({"user_id": user_id, "station_id": station_id, "added_at": now_iso()},
                                        pk=("user_id", "station_id"))
            self.kb.audit(f"user:{user_id}", "operator_join", "station", str(station_id))
        return self.get(station_id)

    def remove_operator(self, station_id: int, user_id: int, actor: str) -> bool:
        """Remove an operator; True if they were one."""
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM operators WHERE station_id = ? AND user_id = ?",
                                     [station_id, user_id])
            self.kb.audit(actor, "operator_remove", "station", str(station_id), {"user_id": user_id}, None)
        return cursor.rowcount > 0

    def operators(self, station_id: int) -> list[int]:
        """User ids of a station's operators."""
        return [r[0] for r in self.db.execute("SELECT user_id FROM operators WHERE station_id = ?", [station_id])]

    # ------------------------------------------------------ subscribers
    def subscribe(self, user_id: int, station_id: int) -> Station:
        """Subscribe a worker to a station (QR code) and set their region to the station's."""
        station = self.get(station_id)
        with self.db.atomic():
            self.db["station_subscriptions"].upsert({"user_id": user_id, "station_id": station_id,
                                                     "created_at": now_iso()}, pk=("user_id", "station_id"))
            Users(self.db).join_station(user_id, station.region)     # only Users writes `users`
        return station

    def subscribers(self, station_id: int) -> list[int]:
        """Workers subscribed to a station who have not blocked the bot."""
        return [r[0] for r in self.db.execute(
            "SELECT s.user_id FROM station_subscriptions s LEFT JOIN users u ON u.user_id = s.user_id "
            "WHERE s.station_id = ? AND COALESCE(u.blocked, 0) = 0 ORDER BY s.user_id", [station_id])]

    def region_recipients(self, region: str) -> list[int]:
        """Every subscriber in the region and its sub-regions (workers and station subscribers)."""
        regions = sorted(self.gazetteer.descendants(region))
        marks = ",".join("?" for _ in regions)
        return [r[0] for r in self.db.execute(
            f"SELECT user_id FROM users WHERE subscribed = 1 AND blocked = 0 AND region IN ({marks}) "
            f"UNION SELECT ss.user_id FROM station_subscriptions ss JOIN stations s ON s.id = ss.station_id "
            f"LEFT JOIN users u ON u.user_id = ss.user_id WHERE s.region IN ({marks}) AND COALESCE(u.blocked, 0) = 0 "
            f"ORDER BY 1", regions + regions)]
