"""Reminders: lunar dates per region, quiet hours, deadlines, exactly once across restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from knowledge import KnowledgeBase, open_db
from knowledge.outbox import Outbox
from knowledge.users import Users
from scheduler.reminders import Reminders, quiet_shift

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def reminders(db_path: Path) -> Reminders:
    db = open_db(db_path)
    kb = KnowledgeBase(db)
    kb.ensure_loaded()
    return Reminders(db, kb, TZ)


def _by_key(items, key):
    return next(i for i in items if i.key == key)


def test_holiday_dates_2027_south_and_north(reminders: Reminders) -> None:
    south = reminders.plan(2027, "上海市")
    assert _by_key(south, "chuxi-week-before").date == dt.date(2027, 1, 29)
    assert _by_key(south, "chuxi-afternoon").date == dt.date(2027, 2, 5)
    assert _by_key(south, "yuanxiao-greeting").date == dt.date(2027, 2, 20)
    assert _by_key(south, "xiaonian-overtime").date == dt.date(2027, 1, 31)      # 腊月廿四
    north = reminders.plan(2027, "全国")
    assert _by_key(north, "xiaonian-overtime").date == dt.date(2027, 1, 30)      # 腊月廿三
    assert _by_key(reminders.plan(2026, "上海市"), "chuxi-afternoon").date == dt.date(2026, 2, 16)
    assert "300%" in _by_key(south, "xiaonian-overtime").text


def test_quiet_hours_shift() -> None:
    assert quiet_shift(dt.date(2027, 2, 5), dt.time(23, 30)) == (dt.date(2027, 2, 6), dt.time(8, 0))
    assert quiet_shift(dt.date(2027, 2, 5), dt.time(6, 0)) == (dt.date(2027, 2, 5), dt.time(8, 0))
    assert quiet_shift(dt.date(2027, 2, 5), dt.time(14, 0)) == (dt.date(2027, 2, 5), dt.time(14, 0))


def test_custom_reminder_in_quiet_hours_goes_at_eight(reminders: Reminders) -> None:
    key = reminders.add_custom("宜秀区", dt.date(2027, 2, 10), "23:30", "服务站明天开门", "admin:1")
    item = _by_key(reminders.plan(2027, "安徽省安庆市宜秀区"), key)
    assert (item.date, item.time, item.kind) == (dt.date(2027, 2, 11), dt.time(8, 0), "custom")
    assert reminders.kb.audit_log(key)[0]["action"] == "add"


def test_deadline_reminder_three_days_before(reminders: Reminders) -> None:
    items = [i for i in reminders.plan(2021) if i.kind == "deadline"]
    waiver = _by_key(items, "deadline-anqing-legal-aid-means-test-waiver")
    assert (waiver.date, waiver.time, waiver.region) == (dt.date(2021, 2, 25), dt.time(10, 0), "安徽省安庆市")
    assert "2月28日" in waiver.text


def test_send_due_once_across_restart_and_only_to_opted_in(db_path: Path, reminders: Reminders) -> None:
    users = Users(reminders.db)
    for uid in (1, 2, 3):
        users.set_region(uid, "上海市")
        users.set_subscribed(uid, True)
    users.set_reminders(3, False)
    outbox = Outbox(reminders.db, reminders.kb)
    assert reminders.send_due(at("2027-01-29T09:59:00"), outbox) == []
    queued = reminders.send_due(at("2027-01-29T10:01:00"), outbox)
    assert queued == [("reminder:chuxi-week-before:2027-01-29:上海市", 2)]
    reminders.db.close()
    db = open_db(db_path)                       # the bot restarts later the same day
    again = Reminders(db, KnowledgeBase(db), TZ)
    assert again.send_due(at("2027-01-29T21:00:00"), Outbox(db, again.kb)) == []
    rows = db.execute("SELECT chat_id FROM outbox ORDER BY chat_id").fetchall()
    assert [r[0] for r in rows] == [1, 2]


def test_missed_reminder_sent_on_start_only_while_relevant(reminders: Reminders) -> None:
    users = Users(reminders.db)
    users.set_region(1, "上海市")
    users.set_subscribed(1, True)
    outbox = Outbox(reminders.db, reminders.kb)
    late = reminders.send_due(at("2027-01-30T09:00:00"), outbox)        # down all of 29 Jan
    assert "reminder:chuxi-week-before:2027-01-29:上海市" not in [o for o, _ in late]
    caught_up = reminders.send_due(at("2027-02-05T20:00:00"), outbox)   # down since the afternoon
    assert ("reminder:chuxi-afternoon:2027-02-05:上海市", 1) in caught_up


def test_edited_text_and_time_are_used(reminders: Reminders) -> None:
    reminders.edit("yuanxiao-greeting", "admin:1", text="{region}元宵节快乐！", time="11:15")
    item = _by_key(reminders.plan(2027, "上海市"), "yuanxiao-greeting")
    assert (item.text, item.time) == ("上海元宵节快乐！", dt.time(11, 15))
    reminders.cancel("yuanxiao-greeting", "admin:1")
    assert "yuanxiao-greeting" not in [i.key for i in reminders.plan(2027, "上海市")]
    with pytest.raises(Exception, match="HH:MM"):
        reminders.edit("chuxi-afternoon", "admin:1", time="25:00")
