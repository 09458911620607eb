"""Deadlines of measures: ``valid_to``, or a date in the title or answer ("2月28日前", "截止3月31日").

A date without a year takes the year of the notice (``issued``, else ``valid_from`` or
``valid_to``); one that would fall before the notice was issued is in the next year
("2月28日前" in a December notice), unless that is too far away to be meant.
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge.models import Entry

_DATE = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
#: N月N日前 / N月N日止 / N月N日截止, and 截止(到)N月N日 / 截至N月N日.
DEADLINE_RES: tuple[re.Pattern[str], ...] = (
    re.compile(_DATE + r"(?:之前|以前|前|止|截止|截至)"),
    re.compile(r"(?:截止|截至)(?:到|至|日期为?|时间为?)?[:：]?\s*" + _DATE),
)
ROLL_DAYS = 180


def text_deadlines(text: str, year: int, after: dt.date | None = None) -> list[dt.date]:
    """Every deadline written in `text`.

    `year` is used when the text gives none; such a date before `after` (the day the notice
    was issued) is taken to be in the next year if that is within ROLL_DAYS of `after`.
    """
    found = []
    for pattern in DEADLINE_RES:
        for match in pattern.finditer(text):
            explicit, month, day = match.groups()
            try:
                date = dt.date(int(explicit or year), int(month), int(day))
            except ValueError:      # 2月30日 and the like
                continue
            if not explicit and after and date < after:
                date = _next_year(date)     # "2月28日前" in a notice of December
                if (date - after).days > ROLL_DAYS:
                    continue                # a date in the past, not a deadline
            found.append(date)
    return found


def deadline_of(entry: Entry) -> dt.date | None:
    """The date the measure ends or must be applied for by; None when it has none.

    The earliest deadline in the title or answer wins over ``valid_to`` (an application
    deadline comes before the end of the measure); dates before the notice are ignored.
    """
    start = entry.issued or entry.valid_from
    reference = start or entry.valid_to
    if reference:
        days = [day for day in text_deadlines(f"{entry.title}\n{entry.answer}", reference.year, start)
                if start is None or day >= start]
        if days:
            return min(days)
    return entry.valid_to


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:          # 2月29日
        return day.replace(year=day.year + 1, day=28)
