"""Reminders: lunar dates per region, quiet hours, deadlines, admins' edits, exactly once across restarts.

Built on the small sample KB plus EXTRA_YAML (not the shipped KB); time is always injected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from knowledge import Gazetteer, KnowledgeBase, Region, open_db
from knowledge.errors import NotFound, ValidationError
from knowledge.outbox import Outbox
from knowledge.users import Users
from scheduler.deadlines import deadline_of, text_deadlines
from scheduler.definitions import load_defaults
from scheduler.reminders import PlannedReminder, Reminders, quiet_shift

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date
EXTRA_YAML = """\
source_file: test_reminders.txt
document: 测试用通知
issued: 2021-02-09
entries:
  - id: anqing-legal-aid-means-test-waiver
    intent: legal_aid
    region: 安徽省安庆市
    title: 讨薪法律援助免经济困难审查（2月28日前）
    answer: 2月28日前，因讨薪申请法律援助的，不用审查经济困难条件。
    eligibility: 在安庆过年的农民工
    how_to_claim: 带在当地过年的证明去法律援助中心
    contact: 安庆市司法局（12348）
    source: 测试
    questions: [讨薪法律援助要审查吗, 法律援助免审查, 讨薪找律师要钱吗]
  - id: anqing-stay-register
    intent: red_packet
    region: 安徽省安庆市
    title: 留岗红包登记
    answer: 截止3月15日，到社区登记就能领留岗红包。
    eligibility: 在安庆过年的外地职工
    how_to_claim: 到社区登记
    contact: 社区居委会
    source: 测试
    questions: [安庆留岗红包怎么登记, 红包登记到什么时候, 去哪登记红包]
  - id: shanghai-community-meal
    intent: new_year_meal
    region: 上海市
    title: 社区爱心年夜饭
    answer: 除夕晚上社区食堂请留沪职工吃年夜饭。
    eligibility: 留沪过年职工
    how_to_claim: 找居委会报名
    contact: 居委会
    source: 测试
    questions: [上海有年夜饭吗, 社区年夜饭怎么报名, 除夕去哪吃饭]
  - id: shanghai-museum
    intent: culture_leisure
    region: 上海市
    title: 博物馆春节免费开放
    answer: 春节期间博物馆免费开放。
    eligibility: 所有人
    how_to_claim: 预约入馆
    contact: 12345
    source: 测试
    questions: [上海博物馆开门吗, 过年去哪玩, 元宵节有什么活动]
  - id: shanghai-job-fair
    intent: jobs
    region: 上海市
    title: 春风行动网络招聘会
    answer: 节后网络招聘会，扫码投简历。
    eligibility: 求职者
    how_to_claim: 扫码
    contact: 12333
    source: 测试
    questions: [上海有招聘会吗, 节后找工作, 春风行动招聘会]
"""


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def load_test_kb(db_path: Path, kb_dir: Path, gazetteer: Gazetteer) -> KnowledgeBase:
    """The sample KB plus EXTRA_YAML in a database file."""
    (kb_dir / "extra.yaml").write_text(EXTRA_YAML, encoding="utf-8")
    kb = KnowledgeBase(open_db(db_path), gazetteer)
    kb.load(kb_dir)
    return kb


@pytest.fixture
def reminders(db_path: Path, sample_dir: Path, gazetteer: Gazetteer) -> Reminders:
    kb = load_test_kb(db_path, sample_dir, gazetteer)
    return Reminders(kb.db, kb, TZ)


def by_key(items: list[PlannedReminder], key: str) -> PlannedReminder:
    return next(i for i in items if i.key == key)


def subscribe(reminders: Reminders, region: str, *user_ids: int) -> None:
    users = Users(reminders.db)
    for uid in user_ids:
        users.set_region(uid, region)
        users.set_subscribed(uid, True)


# ------------------------------------------------------------------------- holiday dates
@pytest.mark.parametrize(("year", "chuxi", "yuanxiao", "chuba"), [
    (2021, D(2021, 2, 11), D(2021, 2, 26), D(2021, 2, 19)),
    (2024, D(2024, 2, 9), D(2024, 2, 24), D(2024, 2, 17)),
    (2026, D(2026, 2, 16), D(2026, 3, 3), D(2026, 2, 24)),
    (2027, D(2027, 2, 5), D(2027, 2, 20), D(2027, 2, 13)),
])
def test_holiday_reminders_fall_on_known_dates(reminders: Reminders, year, chuxi, yuanxiao, chuba) -> None:
    plan = reminders.plan(year, "上海市")
    assert by_key(plan, "chuxi-week-before").date == chuxi - dt.timedelta(days=7)
    assert (by_key(plan, "chuxi-afternoon").date, by_key(plan, "chuxi-afternoon").time) == (chuxi, dt.time(14))
    assert by_key(plan, "yuanxiao-greeting").date == yuanxiao
    assert by_key(plan, "after-holiday-jobs").date == chuba       # 初八
    assert by_key(plan, "chuxi-week-before").name == "除夕前一周提醒"
    assert {i.kind for i in plan} == {"holiday"} and {i.region for i in plan} == {"上海市"}


def test_xiaonian_per_region(reminders: Reminders, gazetteer: Gazetteer) -> None:
    # every region of the current KB keeps the southern 小年 (腊月廿四); 全国 defaults to 廿三
    assert {gazetteer.get(r).xiaonian for r in reminders.plan_regions()} == {24}
    assert by_key(reminders.plan(2027, "上海"), "xiaonian-overtime").date == D(2027, 1, 31)   # 腊月廿四
    assert by_key(reminders.plan(2027, "全国"), "xiaonian-overtime").date == D(2027, 1, 30)   # 腊月廿三
    assert by_key(reminders.plan(2021, "芙蓉区"), "xiaonian-overtime").date == D(2021, 2, 5)
    north = Gazetteer([*gazetteer.regions.values(), Region("北京市", "北京", "全国", ("北京",), 23)])
    kb = KnowledgeBase(open_db(memory=True), north)
    assert by_key(Reminders(kb.db, kb, TZ).plan(2024, "北京"), "xiaonian-overtime").date == D(2024, 2, 2)


def test_plan_without_region_covers_regions_with_entries(reminders: Reminders) -> None:
    plan = reminders.plan(2021)
    holiday_regions = {i.region for i in plan if i.kind == "holiday"}
    assert holiday_regions == {"上海市", "安徽省安庆市", "安徽省安庆市迎江区", "湖南省长沙市芙蓉区"}
    assert plan == sorted(plan, key=lambda i: (i.date, i.time, i.region, i.key))
    assert set(plan[0].to_dict()) >= {"date", "time", "kind", "name", "region", "text"}


# ----------------------------------------------------------------------------------- texts
def test_texts_are_filled_for_the_region(reminders: Reminders) -> None:
    plan = reminders.plan(2021, "芙蓉区")
    week = by_key(plan, "chuxi-week-before").text
    assert "长沙芙蓉区" in week and "20G春节本地流量" in week and "600元留长礼包" in week
    overtime = by_key(plan, "xiaonian-overtime").text
    assert "300%" in overtime and "2月12日" in overtime          # 2021: 初一 to 初三
    shanghai = reminders.plan(2021, "上海市")
    assert "社区爱心年夜饭" in by_key(shanghai, "chuxi-afternoon").text
    assert "博物馆春节免费开放" in by_key(shanghai, "yuanxiao-greeting").text
    assert "春风行动网络招聘会" in by_key(shanghai, "after-holiday-jobs").text
    assert "{" not in "".join(i.text for i in shanghai)


def test_chuxi_points_to_12345_without_stations_and_shows_hours_with_one(reminders: Reminders) -> None:
    assert "12345" in by_key(reminders.plan(2027, "上海市"), "chuxi-afternoon").text
    reminders.db["stations"].insert({"name": "徐汇暖心驿站", "region": "上海市徐汇区", "phone": "021-1234",
                                     "hours": "除夕 9:00-20:00"})
    text = by_key(reminders.plan(2027, "上海市"), "chuxi-afternoon").text
    assert "徐汇暖心驿站" in text and "除夕 9:00-20:00" in text and "021-1234" in text


def test_expired_measures_are_not_advertised(reminders: Reminders) -> None:
    week = by_key(reminders.plan(2027, "芙蓉区"), "chuxi-week-before").text
    assert "20G春节本地流量" not in week and "12345" in week       # 2021 measures are over by 2027


# ----------------------------------------------------------------------------- quiet hours
def test_quiet_shift() -> None:
    assert quiet_shift(D(2027, 2, 5), dt.time(23, 30)) == (D(2027, 2, 6), dt.time(8))
    assert quiet_shift(D(2027, 2, 5), dt.time(22, 0)) == (D(2027, 2, 6), dt.time(8))
    assert quiet_shift(D(2027, 2, 5), dt.time(6, 0)) == (D(2027, 2, 5), dt.time(8))
    assert quiet_shift(D(2027, 2, 5), dt.time(21, 59)) == (D(2027, 2, 5), dt.time(21, 59))


def test_custom_reminders_in_quiet_hours_go_at_eight(reminders: Reminders) -> None:
    late = reminders.add_custom("宜秀区", D(2027, 2, 10), "23:30", "服务站明天开门", "admin:1")
    early = reminders.add_custom("宜秀区", D(2027, 2, 12), "06:00", "早上好", "admin:1")
    plan = reminders.plan(2027, "安徽省安庆市宜秀区")
    assert (by_key(plan, late).date, by_key(plan, late).time, by_key(plan, late).kind) == \
        (D(2027, 2, 11), dt.time(8), "custom")
    assert (by_key(plan, early).date, by_key(plan, early).time) == (D(2027, 2, 12), dt.time(8))
    assert by_key(plan, late).region == "安徽省安庆市宜秀区"
    assert late not in [i.key for i in reminders.plan(2027, "上海市")]
    assert reminders.kb.audit_log(late)[0]["action"] == "add"


def test_nothing_is_queued_during_quiet_hours(reminders: Reminders) -> None:
    subscribe(reminders, "安徽省安庆市", 1)
    outbox = Outbox(reminders.db, reminders.kb)
    reminders.add_custom("安庆", D(2027, 2, 10), "21:00", "今晚广场有灯会", "admin:1")
    assert reminders.send_due(at("2027-02-10T22:30:00"), outbox) == []     # missed: not at night
    assert reminders.send_due(at("2027-02-11T08:00:00"), outbox) == []     # and next day it is stale


# ------------------------------------------------------------------------------- deadlines
def test_deadline_parsing() -> None:
    assert text_deadlines("2月28日前申请", 2021) == [D(2021, 2, 28)]
    assert text_deadlines("截止3月15日", 2021) == [D(2021, 3, 15)]
    assert text_deadlines("截止到3月15日", 2021) == [D(2021, 3, 15)]
    assert text_deadlines("活动到3月31日止", 2021) == [D(2021, 3, 31)]
    assert text_deadlines("2022年1月10日前办完", 2021) == [D(2022, 1, 10)]
    assert text_deadlines("1月20日至2月26日", 2021) == []          # a period, not a deadline
    assert text_deadlines("2月28日前", 2020, after=D(2020, 12, 20)) == [D(2021, 2, 28)]
    assert text_deadlines("1月1日前到岗的", 2021, after=D(2021, 2, 9)) == []   # in the past


def test_deadline_of_entry(reminders: Reminders) -> None:
    assert deadline_of(reminders.kb.get("anqing-legal-aid-means-test-waiver")) == D(2021, 2, 28)
    assert deadline_of(reminders.kb.get("anqing-stay-register")) == D(2021, 3, 15)
    assert deadline_of(reminders.kb.get("furong-data-20g")) == D(2021, 3, 31)      # valid_to
    assert deadline_of(reminders.kb.get("furong-red-600")) is None


def test_deadline_reminders_three_days_before(reminders: Reminders) -> None:
    deadlines = [i for i in reminders.plan(2021) if i.kind == "deadline"]
    waiver = next(i for i in deadlines if "讨薪法律援助" in i.text)
    assert (waiver.date, waiver.time, waiver.region) == (D(2021, 2, 25), dt.time(10), "安徽省安庆市")
    assert "2月28日" in waiver.text and "12348" in waiver.text and waiver.expires == D(2021, 2, 28)
    furong = next(i for i in deadlines if i.region == "湖南省长沙市芙蓉区")
    assert (furong.date, "20G春节本地流量" in furong.text) == (D(2021, 3, 28), True)
    assert {i.date for i in deadlines if i.region == "安徽省安庆市"} == {D(2021, 2, 25), D(2021, 3, 12)}
    # a worker of a sub-region sees its parents' deadlines; one of another province does not
    assert waiver in reminders.plan(2021, "宜秀区")
    assert not [i for i in reminders.plan(2021, "上海") if i.kind == "deadline"]


def test_deadline_reaches_sub_regions_until_the_deadline(reminders: Reminders) -> None:
    subscribe(reminders, "安徽省安庆市宜秀区", 7)
    subscribe(reminders, "上海市", 8)
    outbox = Outbox(reminders.db, reminders.kb)
    reminders.cancel("chuxi-afternoon", "admin:1")
    reminders.cancel("yuanxiao-greeting", "admin:1")
    queued = reminders.send_due(at("2021-02-27T09:00:00"), outbox)       # bot was down on the 25th
    assert queued == [("reminder:deadline:2021-02-25:安徽省安庆市", 1)]
    assert reminders.send_due(at("2021-03-01T09:00:00"), outbox) == []    # past the deadline: never


def test_cancel_one_measure_out_of_deadline_reminders(reminders: Reminders) -> None:
    reminders.cancel("deadline-anqing-legal-aid-means-test-waiver", "admin:1")
    assert not [i for i in reminders.plan(2021, "安庆") if "讨薪法律援助" in i.text]
    assert [i for i in reminders.plan(2021, "安庆") if "留岗红包登记" in i.text]
    with pytest.raises(NotFound):
        reminders.cancel("deadline-no-such-entry", "admin:1")


# ---------------------------------------------------------------------- sending, exactly once
def test_send_due_once_across_restart(db_path: Path, reminders: Reminders) -> None:
    subscribe(reminders, "上海市", 1, 2)
    outbox = Outbox(reminders.db, reminders.kb)
    assert reminders.send_due(at("2027-01-29T09:59:00"), outbox) == []
    queued = reminders.send_due(at("2027-01-29T10:01:00"), outbox)
    assert queued == [("reminder:chuxi-week-before:2027-01-29:上海市", 2)]
    assert reminders.send_due(at("2027-01-29T10:02:00"), outbox) == []
    reminders.db.close()
    db = open_db(db_path)                                  # the bot restarts later the same day
    kb = KnowledgeBase(db, reminders.gazetteer)
    again = Reminders(db, kb, TZ)
    assert again.send_due(at("2027-01-29T21:00:00"), Outbox(db, kb)) == []
    assert [r[0] for r in db.execute("SELECT chat_id FROM outbox ORDER BY chat_id")] == [1, 2]
    assert db.execute("SELECT kind, scope, sender_id FROM broadcasts").fetchall() == [("reminder", "上海市", None)]
    assert again.sent_log()[0]["origin"] == "reminder:chuxi-week-before:2027-01-29:上海市"


def test_missed_reminder_sent_on_start_only_while_relevant(reminders: Reminders) -> None:
    subscribe(reminders, "上海市", 1)
    outbox = Outbox(reminders.db, reminders.kb)
    late = reminders.send_due(at("2027-01-30T09:00:00"), outbox)          # down all of 29 Jan
    assert "reminder:chuxi-week-before:2027-01-29:上海市" not in [o for o, _ in late]
    caught_up = reminders.send_due(at("2027-02-05T20:00:00"), outbox)     # down since the morning
    assert ("reminder:chuxi-afternoon:2027-02-05:上海市", 1) in caught_up


def test_only_opted_in_workers_get_reminders(reminders: Reminders) -> None:
    subscribe(reminders, "上海市", 1, 2, 3, 4)
    users = Users(reminders.db)
    users.set_reminders(2, False)               # reminders off, notices on
    users.mark_blocked(3)
    users.set_subscribed(4, False)
    users.set_region(5, "上海市")               # never subscribed
    outbox = Outbox(reminders.db, reminders.kb)
    assert reminders.send_due(at("2027-02-20T10:00:00"), outbox) == \
        [("reminder:yuanxiao-greeting:2027-02-20:上海市", 1)]
    assert [r[0] for r in reminders.db.execute("SELECT chat_id FROM outbox")] == [1]
    assert users.get(2).subscribed                # turning reminders off keeps notices


def test_each_worker_region_gets_its_own_holiday_text(reminders: Reminders) -> None:
    subscribe(reminders, "上海市", 1)
    subscribe(reminders, "上海市徐汇区", 2)
    queued = dict(reminders.send_due(at("2027-02-05T14:00:00"), Outbox(reminders.db, reminders.kb)))
    assert queued == {"reminder:chuxi-afternoon:2027-02-05:上海市": 1,
                      "reminder:chuxi-afternoon:2027-02-05:上海市徐汇区": 1}


def test_send_due_with_the_clock_moved(reminders: Reminders) -> None:
    subscribe(reminders, "湖南省长沙市芙蓉区", 1)
    with time_machine.travel(at("2021-02-05T18:30:00"), tick=False):
        queued = reminders.send_due(dt.datetime.now(TZ), Outbox(reminders.db, reminders.kb))
    assert ("reminder:xiaonian-overtime:2021-02-05:湖南省长沙市芙蓉区", 1) in queued
    text = reminders.db.execute("SELECT text FROM outbox").fetchone()[0]
    assert "300%" in text and "小年" in text


# -------------------------------------------------------------------------- admins' edits
def test_edited_text_and_time_are_used_and_audited(reminders: Reminders) -> None:
    reminders.edit("yuanxiao-greeting", "admin:1", text="{region}元宵节快乐！", time="11:15")
    item = by_key(reminders.plan(2027, "上海市"), "yuanxiao-greeting")
    assert (item.text, item.time) == ("上海元宵节快乐！", dt.time(11, 15))
    audit = reminders.kb.audit_log("yuanxiao-greeting")[0]
    assert (audit["actor"], audit["action"], audit["entity"]) == ("admin:1", "update", "reminder")
    subscribe(reminders, "上海市", 1)
    reminders.send_due(at("2027-02-20T11:15:00"), Outbox(reminders.db, reminders.kb))
    assert reminders.db.execute("SELECT text FROM outbox").fetchone()[0] == "上海元宵节快乐！"


def test_edits_survive_a_restart_and_defaults_follow_the_file(reminders: Reminders) -> None:
    reminders.edit("chuxi-week-before", "admin:1", text="改过的{region}")
    reminders.db.execute("UPDATE reminders SET text = 'old default' WHERE key = 'chuxi-afternoon'")
    again = Reminders(reminders.db, reminders.kb, TZ)
    rows = {r["key"]: r for r in again.list()}
    assert rows["chuxi-week-before"]["text"] == "改过的{region}"
    assert rows["chuxi-afternoon"]["text"] != "old default"        # nobody edited it: back to the file


def test_bad_edits_are_refused(reminders: Reminders) -> None:
    with pytest.raises(ValidationError, match="HH:MM"):
        reminders.edit("chuxi-afternoon", "admin:1", time="25:00")
    with pytest.raises(ValidationError, match="占位符"):
        reminders.edit("chuxi-afternoon", "admin:1", text="{regoin}除夕快乐")
    with pytest.raises(ValidationError):
        reminders.edit("chuxi-afternoon", "admin:1", text="   ")
    with pytest.raises(NotFound):
        reminders.edit("no-such-key", "admin:1", text="x")
    with pytest.raises(NotFound):
        reminders.add_custom("火星", D(2027, 2, 1), "10:00", "x", "admin:1")


def test_cancel_stops_a_reminder(reminders: Reminders) -> None:
    reminders.cancel("yuanxiao-greeting", "admin:1")
    assert "yuanxiao-greeting" not in [i.key for i in reminders.plan(2027, "上海市")]
    assert reminders.kb.audit_log("yuanxiao-greeting")[0]["action"] == "cancel"
    subscribe(reminders, "上海市", 1)
    assert reminders.send_due(at("2027-02-20T10:00:00"), Outbox(reminders.db, reminders.kb)) == []


def test_shipped_defaults_are_valid() -> None:
    rows = {row["key"]: row for row in load_defaults()}
    assert {"chuxi-week-before", "chuxi-afternoon", "xiaonian-overtime", "yuanxiao-greeting",
            "after-holiday-jobs", "deadline"} <= set(rows)
    assert rows["chuxi-week-before"]["offset_days"] == -7 and rows["deadline"]["offset_days"] == -3
