"""The use-case layer in process, on an in-memory database: drafts, roles, notices, FAQ edits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from knowledge import KnowledgeBase, open_db
from knowledge.drafts import Drafts
from knowledge.errors import Conflict, NotAllowed, NotFound, Stale
from knowledge.faq_admin import FaqAdmin
from knowledge.notices import BadNotice, Notices, parse_send_at
from knowledge.outbox import Outbox
from knowledge.stations import Stations

TZ = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2027, 1, 10, 12, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def loaded_kb_db():
    db = open_db(memory=True)
    KnowledgeBase(db).ensure_loaded()
    return db


@pytest.fixture
def world(loaded_kb_db):
    db = loaded_kb_db
    with db.atomic():
        for table in ("drafts", "scheduled_notices", "outbox", "broadcasts", "operators",
                      "station_subscriptions", "stations", "admins"):
            db.execute(f"DELETE FROM {table}")
    kb = KnowledgeBase(db)
    stations = Stations(db, kb, frozenset({1}))
    station = stations.create({"name": "宜秀区服务站", "region": "安徽省安庆市宜秀区"}, "test")
    db["operators"].insert({"user_id": 500, "station_id": station.id})
    for uid in (601, 602):
        stations.subscribe(uid, station.id)
    drafts = Drafts(db)
    notices = Notices(db, stations, Outbox(db, kb), drafts, stations.roles, TZ)
    return db, kb, stations, station, drafts, notices


@pytest.mark.parametrize(("text", "message"), [
    ("2027-02-30 10:00 停水", "发送时间 2027-02-30 10:00 不存在（没有这一天或这个时刻），通知没有发出"),
    ("2027-01-10 11:59 停水", "发送时间 2027-01-10 11:59 已经过了，通知没有发出"),
    ("2027-01-10 25:00 停水", "发送时间 2027-01-10 25:00 不存在（没有这一天或这个时刻），通知没有发出"),
])
def test_impossible_or_past_send_times_are_refused(text: str, message: str) -> None:
    with pytest.raises(BadNotice) as caught:
        parse_send_at(text, NOON)
    assert str(caught.value) == message


def test_full_width_colon_and_digits_are_a_send_time() -> None:
    assert parse_send_at("2027-02-05 18：00 包饺子", NOON) == (dt.datetime(2027, 2, 5, 18, 0, tzinfo=TZ), "包饺子")
    assert parse_send_at("２０２７-０２-０５ １８：３０ 包饺子", NOON)[0] == dt.datetime(2027, 2, 5, 18, 30, tzinfo=TZ)
    assert parse_send_at("18:00 在服务站集合", NOON) == (None, "18:00 在服务站集合")


def test_a_notice_at_night_waits_for_eight_in_the_morning(world) -> None:
    _, _, _, station, _, notices = world
    scope = notices.operator_scope(500)
    queued = notices.submit(500, scope, "停水通知", None, now=dt.datetime(2027, 1, 10, 1, 55, tzinfo=TZ))
    assert queued.quiet and queued.send_at == dt.datetime(2027, 1, 10, 8, 0, tzinfo=TZ)
    assert notices.release_due(dt.datetime(2027, 1, 9, 23, 59, tzinfo=dt.UTC)) == []
    [(notice_id, _)] = notices.release_due(dt.datetime(2027, 1, 10, 0, 0, tzinfo=dt.UTC))
    assert notice_id == queued.notice_id


def test_a_draft_is_confirmed_once_by_its_author_while_they_have_the_role(world) -> None:
    db, _, stations, station, drafts, notices = world
    scope = notices.operator_scope(500)
    draft = notices.draft(500, scope, "周六包饺子", now=NOON)
    with pytest.raises(Stale, match="这不是你的预览"):
        notices.confirm(draft.id, 601, now=NOON)
    queued = notices.confirm(draft.id, 500, now=NOON)
    assert queued.recipients == 2
    with pytest.raises(Stale, match="已经确认过了"):
        notices.confirm(draft.id, 500, now=NOON)
    second = notices.draft(500, scope, "周日看电影", now=NOON)
    stations.remove_operator(station.id, 500, "admin:1")
    with pytest.raises(NotAllowed, match="你已不是这个服务站的工作人员"):
        notices.confirm(second.id, 500, now=NOON)
    with pytest.raises(Stale, match="这个按钮已经失效了"):
        drafts.get(10**30)


def test_an_old_draft_expires(world) -> None:
    _, _, _, _, drafts, _ = world
    old = drafts.create(1, "faq", {"op": "delete", "id": "x"}, now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(Stale, match="已过期"):
        drafts.open_draft(old.id, 1, now=dt.datetime(2027, 1, 4, tzinfo=dt.UTC))


def test_scheduled_notice_list_and_cancel_by_role(world) -> None:
    _, _, _, _, _, notices = world
    queued = notices.submit(500, notices.operator_scope(500), "2027-02-05 18:00 除夕包饺子", None, now=NOON)
    assert [r["text"] for r in notices.scheduled(500)] == ["除夕包饺子"]
    assert [r["text"] for r in notices.scheduled(1)] == ["除夕包饺子"]
    assert notices.scheduled(601) == []
    with pytest.raises(NotFound):
        notices.cancel(queued.notice_id, 601)
    notices.cancel(queued.notice_id, 500)
    with pytest.raises(Stale, match="已经取消了"):
        notices.cancel(queued.notice_id, 1)


def test_undo_refuses_when_another_admin_changed_the_same_field(world) -> None:
    db, kb, stations, _, drafts, _ = world
    stations.roles.grant(2, by=1)
    faq = FaqAdmin(kb, drafts, stations.roles)
    faq.apply(faq.propose_update(1, "shanghai-phone-subsidy", "contact", "甲的电话").draft.id, 1)
    faq.apply(faq.propose_update(2, "shanghai-phone-subsidy", "contact", "乙的电话").draft.id, 2)
    with pytest.raises(Conflict, match="管理员 2 之后也改了 shanghai-phone-subsidy 的 contact，没有撤销"):
        faq.undo(1)
    assert kb.get("shanghai-phone-subsidy").contact == "乙的电话"
    assert faq.undo(2) == "已撤销对 shanghai-phone-subsidy 的上一次修改。"


def test_apply_refuses_an_edit_whose_field_changed_since_the_preview(world) -> None:
    _, kb, stations, _, drafts, _ = world
    stations.roles.grant(2, by=1)
    faq = FaqAdmin(kb, drafts, stations.roles)
    first = faq.propose_update(1, "shanghai-phone-subsidy", "amount", "每月30元")
    faq.apply(faq.propose_update(2, "shanghai-phone-subsidy", "amount", "每月40元").draft.id, 2)
    with pytest.raises(Conflict, match="预览之后有人改过 shanghai-phone-subsidy 的 amount"):
        faq.apply(first.draft.id, 1)
    assert kb.get("shanghai-phone-subsidy").amount == "每月40元"


def test_revoke_admin(world) -> None:
    _, _, stations, _, _, _ = world
    roles = stations.roles
    roles.grant(3, by=1)
    roles.revoke(3, by=1)
    assert not roles.is_admin(3)
    with pytest.raises(NotAllowed, match="BOT_ADMIN_IDS"):
        roles.revoke(1, by=1)
    with pytest.raises(NotAllowed):
        roles.grant(4, by=3)


def test_station_edit_keeps_untouched_fields(world) -> None:
    _, _, stations, station, _, _ = world
    stations.update(station.id, {"lat": "30.6", "lon": "117.0"}, "test")
    changed = stations.update(station.id, {"phone": "0556-1234567"}, "test")
    assert (changed.lat, changed.lon, changed.phone) == (30.6, 117.0, "0556-1234567")


def test_stats_days_are_counted_in_the_bots_timezone(world) -> None:
    from knowledge.analytics import stats

    db = world[0]
    with db.atomic():
        db.execute("DELETE FROM question_log")
        db["question_log"].insert_all([
            {"at": "2027-01-09T17:30:00+00:00", "text": "红包", "intent": "red_packet", "fallback": 0, "score": 90},
            {"at": "2027-01-09T15:30:00+00:00", "text": "体检", "intent": "health_check", "fallback": 0, "score": 90}])
    now = dt.datetime(2027, 1, 10, 4, 0, tzinfo=dt.UTC)
    assert stats(db, now=now, tz=TZ).days == [("2027-01-09", 1, 1), ("2027-01-10", 1, 1)]
    assert stats(db, now=now).days == [("2027-01-09", 2, 2)]


def test_reminder_listing_shows_dates_and_no_raw_placeholders(world) -> None:
    from scheduler.reminders import Reminders
    from scheduler.reminders_admin import listing

    db, kb = world[0], world[1]
    lines = listing(Reminders(db, kb, TZ), dt.date(2027, 1, 10))
    first = lines[0]
    assert (first.key, first.next_day, first.time) == ("chuxi-week-before", dt.date(2027, 1, 29), "10:00")
    assert first.text.startswith("还有一周就是除夕了。留在〔地区〕过年的工友")
    assert not any("{" in line.text for line in lines)


def test_station_edit_is_previewed_and_applied_once_by_an_admin(world) -> None:
    from knowledge.station_admin import StationAdmin

    _, _, stations, station, drafts, _ = world
    admin = StationAdmin(stations, drafts, stations.roles)
    draft, after = admin.propose(1, station.id, {"phone": "0556-7654321"})
    assert after.phone == "0556-7654321" and stations.get(station.id).phone is None
    with pytest.raises(NotAllowed):
        admin.propose(601, station.id, {"phone": "x"})
    assert admin.apply(draft.id, 1).phone == "0556-7654321"
    with pytest.raises(Stale, match="已经确认过了"):
        admin.apply(draft.id, 1)


def test_one_field_definition_for_entries(world) -> None:
    from knowledge.models import EDITABLE_FIELDS, FIELDS, Entry

    assert {f.name for f in FIELDS} == set(Entry.field_names())
    kb = world[1]
    entry = kb.get("shanghai-phone-subsidy")
    assert set(entry.to_dict()) == {f.name for f in FIELDS}
    assert "questions" in EDITABLE_FIELDS and "id" not in EDITABLE_FIELDS


def test_drafts_older_than_a_month_are_deleted_and_their_buttons_say_so(world) -> None:
    _, _, _, _, drafts, _ = world
    old = drafts.create(1, "faq", {"op": "delete", "id": "x"}, now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    recent = drafts.create(1, "faq", {"op": "delete", "id": "y"}, now=dt.datetime(2027, 1, 25, tzinfo=dt.UTC))
    assert drafts.prune(now=dt.datetime(2027, 2, 5, tzinfo=dt.UTC)) == 1
    with pytest.raises(Stale, match="失效"):
        drafts.get(old.id)
    assert drafts.get(recent.id).payload == {"op": "delete", "id": "y"}
