"""Numbers for admins: questions per day, answered rate, top intents and regions, subscribers,
and the low-confidence questions of recent days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

LOW_SCORE = 50.0


@dataclass
class Stats:
    """What /stats shows."""

    days: list[tuple[str, int, int]]          # (day, questions, answered)
    total: int
    answered: int
    top_intents: list[tuple[str, int]]
    top_regions: list[tuple[str, int]]
    subscribers: int
    users: int
    blocked: int

    @property
    def answered_rate(self) -> float:
        """Share of questions answered with a measure."""
        return self.answered / self.total if self.total else 0.0


def stats(db: Database, days: int = 14, now: dt.datetime | None = None, tz: dt.tzinfo = dt.UTC) -> Stats:
    """Question and user statistics of the last `days` days; days are counted in `tz` (the bot's
    timezone: a question at 01:00 Beijing time belongs to that Beijing day)."""
    now = now or dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(days=days)).isoformat(timespec="seconds")
    counts: dict[str, list[int]] = {}
    for at, answered_one in db.execute(
            "SELECT at, fallback = 0 AND intent != 'greeting' FROM question_log WHERE at >= ?", [since]):
        moment = dt.datetime.fromisoformat(at)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        day = counts.setdefault(moment.astimezone(tz).date().isoformat(), [0, 0])
        day[0] += 1
        day[1] += int(bool(answered_one))
    per_day = [(d, n, a) for d, (n, a) in sorted(counts.items())]
    total = sum(n for _, n, _ in per_day)
    answered = sum(a or 0 for _, _, a in per_day)
    top_intents = list(db.execute(
        "SELECT intent, COUNT(*) c FROM question_log WHERE at >= ? AND fallback = 0 GROUP BY intent "
        "ORDER BY c DESC LIMIT 5", [since]))
    top_regions = list(db.execute(
        "SELECT region, COUNT(*) c FROM question_log WHERE at >= ? AND region IS NOT NULL GROUP BY region "
        "ORDER BY c DESC LIMIT 5", [since]))
    users, subscribers, blocked = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(subscribed = 1 AND blocked = 0), 0), COALESCE(SUM(blocked), 0) FROM users"
    ).fetchone()
    return Stats([(d, n, a or 0) for d, n, a in per_day], total, answered, top_intents, top_regions,
                 subscribers, users, blocked)


def low_confidence_questions(db: Database, days: int = 14, now: dt.datetime | None = None,
                             limit: int = 500) -> list[str]:
    """Recent questions that fell back or scored low (greetings excluded)."""
    now = now or dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(days=days)).isoformat(timespec="seconds")
    return [r[0] for r in db.execute(
        "SELECT text FROM question_log WHERE at >= ? AND intent != 'greeting' AND (fallback = 1 OR score < ?) "
        "ORDER BY id DESC LIMIT ?", [since, LOW_SCORE, limit])]
