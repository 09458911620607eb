"""The Spring Festival season: which one is coming, whether the knowledge base has measures for
it in a region, and the status of a measure at a date.

A season is named by the Gregorian year its Spring Festival falls in (2027 = 春节 2027-02-06).
It runs until 31 March of that year; from 1 April on, the coming season is next year's. The
festival dates come from the lunar calendar (``scheduler.holidays``).

Status of an entry at a date (:func:`status`):

- ``standing``: a right grounded in law or a permanent service; never ends.
- ``historical``: a COVID-era rule (2021); no longer applies and is never given as advice.
- ``current``: a measure of the coming season, in its period.
- ``upcoming``: a measure of the coming season whose start date has not come yet.
- ``ended``: a measure of the coming season whose end date has passed.
- ``not_yet``: a measure of an earlier season, and this season's measures for that topic and
  place are not in the knowledge base yet ("还没公布").
- ``superseded``: a measure of an earlier season; this season's are already in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.models import Entry
from scheduler.holidays import chuxi, holiday

SEASON_END = (3, 31)
STATUSES = ("standing", "historical", "current", "upcoming", "ended", "not_yet", "superseded")
#: When measures for a season are usually published, in words.
USUAL_PUBLICATION = "一般在12月到1月公布"


@dataclass(frozen=True)
class Season:
    """One Spring Festival season."""

    year: int
    chuxi: dt.date
    chunjie: dt.date
    ends: dt.date

    def before_festival(self, today: dt.date) -> bool:
        """True up to and including 除夕."""
        return today <= self.chuxi


def season_end(year: int) -> dt.date:
    """Last day of the season of `year`."""
    return dt.date(year, *SEASON_END)


def coming_season(today: dt.date) -> Season:
    """The season now under way or coming next (the one a worker asks about)."""
    year = today.year if today <= season_end(today.year) else today.year + 1
    return Season(year=year, chuxi=chuxi(year), chunjie=holiday(year, "chunjie"), ends=season_end(year))


# --------------------------------------------------------------------------- what is published
Key = tuple[str, str, int]          # region, intent, season
_published: dict[Key, list[str]] = {}


def published_keys(entries: Iterable[Entry]) -> dict[Key, list[str]]:
    """(region, intent, season) of every confirmed seasonal measure, with their titles."""
    keys: dict[Key, list[str]] = {}
    for entry in entries:
        year = entry.season_year()
        if entry.kind == "seasonal" and entry.confirmed and year:
            keys.setdefault((entry.region, entry.intent, year), []).append(entry.title)
    return keys


def published_titles(region: str, intent: str, year: int) -> list[str]:
    """Titles of this season's measures for a place and topic (as last read from the KB)."""
    return list(_published.get((region, intent, year), []))


def remember(entries: Iterable[Entry]) -> None:
    """Note which seasons' measures the knowledge base has (called whenever all live entries
    are read, so cards built in this process know whether this season's are out)."""
    global _published
    _published = published_keys(entries)


def is_published(region: str, intent: str | None, year: int, keys: dict[Key, list[str]] | None = None) -> bool:
    """True when the knowledge base has measures of season `year` for this place (and topic)."""
    keys = _published if keys is None else keys
    return any(r == region and y == year and (intent is None or i == intent) for r, i, y in keys)


def has_measures(entries: Iterable[Entry], region: str, today: dt.date, regions: Iterable[str] | None = None,
                 intent: str | None = None) -> bool:
    """Whether there are confirmed measures valid for the coming season in `region` (or in any of
    `regions`, e.g. the region and the places above it)."""
    year = coming_season(today).year
    places = set(regions or ()) | {region}
    return any(e.kind == "seasonal" and e.confirmed and e.region in places and e.season_year() == year
               and (intent is None or e.intent == intent) and status(e, today) != "ended"
               for e in entries)


def measures_for(entries: Iterable[Entry], region: str, year: int) -> list[Entry]:
    """Confirmed seasonal measures of season `year` in exactly `region`."""
    return [e for e in entries if e.kind == "seasonal" and e.confirmed and e.region == region
            and e.season_year() == year]


# --------------------------------------------------------------------------- status of an entry
def status(entry: Entry, today: dt.date, keys: dict[Key, list[str]] | None = None) -> str:
    """One of STATUSES (see the module docstring)."""
    if entry.kind == "standing":
        return "standing"
    if entry.kind == "historical":
        return "historical"
    coming = coming_season(today).year
    year = entry.season_year()
    if year is None or year >= coming:
        if entry.valid_from and today < entry.valid_from:
            return "upcoming"
        end = entry.valid_to or (season_end(year) if year else None)
        if end and today > end:
            return "ended"
        return "current"
    return "superseded" if is_published(entry.region, entry.intent, coming, keys) else "not_yet"
