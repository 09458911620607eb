"""Admins' station edits as drafts: preview one change, then apply exactly it (no telegram).

Fields not named in the edit keep their values; applying re-checks the admin role, the
draft's state, and that nobody changed the same fields since the preview.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from knowledge.drafts import CONFIRMED, Draft, Drafts
from knowledge.errors import Conflict
from knowledge.roles import Roles
from knowledge.stations import Station, Stations

KIND = "station"


class StationAdmin:
    """The station-editing use case."""

    def __init__(self, stations: Stations, drafts: Drafts, roles: Roles) -> None:
        self.stations = stations
        self.drafts = drafts
        self.roles = roles

    def propose(self, user_id: int, station_id: int, changes: dict[str, str]) -> tuple[Draft, Station]:
        """A draft of the edit and the station as it will look."""
        self.roles.require_admin(user_id)
        before = self.stations.get(station_id)
        clean = self.stations._clean(changes)                       # ValidationError before anything is stored
        base = {k: getattr(before, k) for k in clean}
        draft = self.drafts.create(user_id, KIND, {"id": station_id, "changes": clean, "base": base})
        return draft, replace(before, **clean)

    def apply(self, draft_id: int, user_id: int) -> Station:
        """确认保存 under a station preview."""
        draft = self.drafts.open_draft(draft_id, user_id, KIND)
        self.roles.require_admin(user_id)
        payload = draft.payload
        with self.stations.db.atomic():
            current = asdict(self.stations.get(payload["id"]))
            moved = [k for k, v in payload["base"].items() if current.get(k) != v]
            if moved:
                raise Conflict(f"预览之后有人改过服务站 #{payload['id']} 的 {', '.join(moved)}，没有保存")
            station = self.stations.update(payload["id"], payload["changes"], f"admin:{user_id}")
            self.drafts.decide(draft, CONFIRMED)
        return station
