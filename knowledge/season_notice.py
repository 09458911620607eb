"""Tell subscribers when this season's measures for their region are out.

Workers subscribe with /subscribe (their region is all we keep). When an admin imports (or
loads) confirmed measures of the coming season for a region, every subscriber of that region
and its sub-regions gets one notice listing them, through the outbox. The broadcast's origin
``season:<year>:<region>`` is unique, so a region's subscribers are told once per season however
often the measures are imported again or edited.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

from knowledge import season
from knowledge.models import Entry
from knowledge.outbox import Outbox
from knowledge.stations import Stations

KIND = "season"
MAX_LISTED = 12


def origin(year: int, region: str) -> str:
    """The unique origin of a region's season notice."""
    return f"{KIND}:{year}:{region}"


def notice_text(year: int, place: str, entries: list[Entry]) -> str:
    """The notice: what is out, the amounts, and how to ask."""
    lines = [f"📢 {html.escape(place, quote=False)}{year}年春节的帮扶措施公布了（{len(entries)}项）："]
    for entry in entries[:MAX_LISTED]:
        lines.append(f"• {html.escape(entry.title, quote=False)}"
                     + (f"：{html.escape(entry.amount, quote=False)}" if entry.amount else ""))
    if len(entries) > MAX_LISTED:
        lines.append(f"……还有{len(entries) - MAX_LISTED}项")
    lines.append("直接打字问我就能看详细的，比如“留岗补贴怎么领”。不想再收通知发 /unsubscribe。")
    return "\n".join(lines)


def announce(changed: Iterable[Entry], all_entries: Iterable[Entry], stations: Stations, outbox: Outbox,
             today: dt.date) -> list[int]:
    """Queue one notice per region that now has measures of the coming season; returns the
    broadcast ids created (none for regions already announced)."""
    year = season.coming_season(today).year
    regions = sorted({e.region for e in changed if e.kind == "seasonal" and e.confirmed and e.season_year() == year})
    created = []
    everything = list(all_entries)
    for region in regions:
        entries = [e for e in season.measures_for(everything, region, year) if season.status(e, today) != "ended"]
        if not entries:
            continue
        place = stations.gazetteer.short(region)
        broadcast_id, new = outbox.create(sender_id=None, kind=KIND, scope=f"region:{region}",
                                          text=notice_text(year, place, entries),
                                          recipients=stations.region_recipients(region), origin=origin(year, region))
        if new:
            created.append(broadcast_id)
    return created
