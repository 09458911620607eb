"""What admins see of the reminders (/remind list, `reminders list`): the next day each one goes
out, and its text with readable stand-ins instead of raw {placeholders} (no telegram)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scheduler.reminders import Reminders, festival_year

STAND_INS = {
    "region": "〔地区〕", "date": "〔日期〕", "year": "〔年份〕", "overtime": "〔加班工资说明〕",
    "stations": "〔附近服务站〕", "items": "〔到期的措施〕", "measures": "〔本地红包流量年夜饭措施〕",
    "meals": "〔年夜饭安排〕", "activities": "〔文化活动〕", "jobs": "〔招聘和培训〕",
}


@dataclass(frozen=True)
class ReminderLine:
    """One reminder definition as admins see it."""

    key: str
    name: str
    next_day: dt.date | None      # the next day it goes out (None: not planned this season or next)
    time: str
    text: str
    cancelled: bool


def readable(template: str) -> str:
    """The template with {placeholders} shown as 〔stand-ins〕."""
    return re.sub(r"\{(\w+)\}", lambda m: STAND_INS.get(m.group(1), "〔…〕"), template or "")


def listing(reminders: Reminders, today: dt.date) -> list[ReminderLine]:
    """Every definition with the next day it goes out (in any region), soonest first."""
    first: dict[str, tuple[dt.date, str]] = {}
    year = festival_year(today)
    for planned in reminders.plan(year - 1) + reminders.plan(year) + reminders.plan(year + 1):
        if planned.date >= today and (planned.key not in first or planned.date < first[planned.key][0]):
            first[planned.key] = (planned.date, planned.time.strftime("%H:%M"))
    lines = []
    for row in reminders.list():
        day, at = first.get(row["key"], (None, row.get("time") or ""))
        lines.append(ReminderLine(row["key"], row.get("name") or "", day, at or "",
                                  readable(row.get("text") or ""), bool(row.get("cancelled"))))
    return sorted(lines, key=lambda r: (r.cancelled, r.next_day or dt.date.max, r.key))
