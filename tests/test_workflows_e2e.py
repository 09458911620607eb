"""Admin and operator workflows through the stand-in Bot API: every button acts on its own
draft, roles are re-checked when confirming, send times are checked, drafts survive a restart
(issue #10)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.handlers_reminders import send_due
from knowledge import KnowledgeBase, open_db
from knowledge.stations import Stations
from tests.botharness import ADMIN, running_bot

OPERATOR = 500
SECOND_ADMIN = 900002


def _seed(db_path: Path, subscribers: tuple[int, ...] = (601, 602)) -> int:
    """A station with an operator (500) and subscribers; returns the station id."""
    db = open_db(db_path)
    kb = KnowledgeBase(db)
    kb.ensure_loaded()
    stations = Stations(db, kb)
    station = stations.create({"name": "宜秀区暖民稳岗服务站", "region": "安徽省安庆市宜秀区",
                               "phone": "0556-5897061", "lat": 30.6, "lon": 117.0}, "test")
    with db.atomic():
        db["operators"].insert({"user_id": OPERATOR, "station_id": station.id})
    for uid in subscribers:
        stations.subscribe(uid, station.id)
    db.close()
    return station.id


def _queued(bot) -> list[str]:
    """Texts of every notice queued for sending so far (nothing is sent that is not queued)."""
    return [r[0] for r in bot.app.bot_data["services"].db.execute("SELECT text FROM broadcasts ORDER BY id")]


def _got(bot, chat: int, words: str) -> bool:
    return any(words in m.get("text", "") for m in bot.server.sent_messages(chat))


async def test_removed_operator_cannot_send_an_open_preview(db_path: Path) -> None:
    station = _seed(db_path)
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice")
        [preview] = await bot.say(OPERATOR, "明天停水，请提前储水")
        assert "预览" in preview["text"]
        [removed] = await bot.say(ADMIN, f"/station unop {station} {OPERATOR}")
        assert removed["text"] == "已移除。"
        [refused] = await bot.tap(OPERATOR, bot.button(OPERATOR, "发送"))
        assert "你已不是这个服务站的工作人员，通知没有发出" in refused["text"]
        assert _queued(bot) == []


async def test_old_send_button_sends_its_own_preview(db_path: Path) -> None:
    _seed(db_path)
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice")
        await bot.say(OPERATOR, "第一条：周六包饺子")
        await bot.say(OPERATOR, "/notice")
        await bot.say(OPERATOR, "第二条：周日看电影")
        [queued] = await bot.tap(OPERATOR, bot.button(OPERATOR, "发送", nth_last=2))
        assert "已加入发送队列：2 人" in queued["text"]
        await asyncio.to_thread(bot.server.wait_for, lambda: _got(bot, OPERATOR, "发送完成"), 10)
        [again] = await bot.tap(OPERATOR, bot.button(OPERATOR, "发送", nth_last=2))
        assert "已经确认过了" in again["text"]
        assert [text for text in _queued(bot) if "第二条" in text] == []


async def test_stale_faq_confirm_applies_its_own_edit_not_a_later_delete(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(ADMIN, "/faq edit shanghai-phone-subsidy amount 每月50元（测试）")
        [ask] = await bot.say(ADMIN, "/faq delete shanghai-stay-initiative")
        assert "确定删除" in ask["text"]
        await bot.tap(ADMIN, bot.button(ADMIN, "确认保存", nth_last=2), replies=1)
        await asyncio.to_thread(bot.server.wait_for, lambda: _got(bot, ADMIN, "已保存 shanghai-phone-subsidy"), 10)
        assert not _got(bot, ADMIN, "已删除")
    db = open_db(db_path)
    row = db.execute("SELECT deleted_at FROM entries WHERE id = 'shanghai-stay-initiative'").fetchone()
    assert row[0] is None
    assert "每月50元（测试）" in db.execute("SELECT amount FROM entries WHERE id = 'shanghai-phone-subsidy'").fetchone()[0]


async def test_stale_unanswered_button_acts_on_the_question_it_was_shown_with(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        for text in ("暖宝宝发不发", "暖宝宝发不发啊"):
            await bot.say(42, text)
        [first] = await bot.say(ADMIN, "/unanswered")
        assert "暖宝宝" in first["text"]
        old_new_entry = bot.button(ADMIN, "新建条目")
        for _ in range(3):
            await bot.say(43, "今天天气怎么样")
        [weather, _warm] = await bot.say(ADMIN, "/unanswered", replies=2)
        assert "天气" in weather["text"]
        [template] = await bot.tap(ADMIN, old_new_entry)
        assert "暖宝宝发不发" in template["text"] and "天气" not in template["text"]


async def test_preview_survives_a_restart(db_path: Path) -> None:
    _seed(db_path)
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice")
        await bot.say(OPERATOR, "重启以后也要发出去")
        data = bot.button(OPERATOR, "发送")
        await bot.say(ADMIN, "/faq edit shanghai-phone-subsidy amount 每月60元（重启前预览）")
        faq_data = bot.button(ADMIN, "确认保存")
    async with running_bot(db_path) as bot:
        [queued] = await bot.tap(OPERATOR, data)
        assert "已加入发送队列：2 人" in queued["text"]
        await asyncio.to_thread(bot.server.wait_for, lambda: _got(bot, 602, "重启以后也要发出去"), 10)
        [saved] = await bot.tap(ADMIN, faq_data)
        assert saved["text"] == "已保存 shanghai-phone-subsidy，工友马上就能看到。"


async def test_long_notice_preview_fits_telegram_and_the_notice_goes_out_whole(db_path: Path) -> None:
    _seed(db_path)
    body = "春节期间服务站照常开放。" * 339          # 4,068 characters: fits as a notice, not under a header
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice")
        [preview] = await bot.say(OPERATOR, body)
        assert len(preview["text"].encode("utf-16-le")) // 2 <= 4096
        assert "预览只显示前面一部分" in preview["text"]
        await bot.tap(OPERATOR, bot.button(OPERATOR, "发送"))
        await asyncio.to_thread(bot.server.wait_for, lambda: _got(bot, 601, body), 10)


async def test_mistyped_send_times_are_refused_and_nothing_is_sent(db_path: Path) -> None:
    _seed(db_path)
    async with running_bot(db_path) as bot:
        [bad_day] = await bot.say(OPERATOR, "/notice 2027-02-30 10:00 停水通知")
        assert bad_day["text"] == "没办成：发送时间 2027-02-30 10:00 不存在（没有这一天或这个时刻），通知没有发出"
        [past] = await bot.say(OPERATOR, "/notice 2020-01-01 10:00 停水通知")
        assert past["text"] == "没办成：发送时间 2020-01-01 10:00 已经过了，通知没有发出"
        [later] = await bot.say(OPERATOR, "/notice 2030-02-05 18：00 除夕包饺子")
        assert "已定时：将于 2030-02-05 18:00 发送（编号 1" in later["text"]
        [listing] = await bot.say(OPERATOR, "/notice list")
        assert "#1 2030-02-05 18:00 宜秀区暖民稳岗服务站：除夕包饺子" in listing["text"]
        [cancelled] = await bot.say(OPERATOR, "/notice cancel 1")
        assert cancelled["text"] == "已取消定时通知 #1（2030-02-05 18:00），不会发出。"
        [empty] = await bot.say(OPERATOR, "/notice list")
        assert empty["text"] == "没有待发的定时通知。"
        assert _queued(bot) == []


async def test_scheduled_notice_skips_who_unsubscribed_and_the_report_names_it(db_path: Path) -> None:
    _seed(db_path)
    async with running_bot(db_path) as bot:
        [later] = await bot.say(OPERATOR, "/notice 2030-02-05 18:00 除夕下午在服务站包饺子")
        assert "已定时" in later["text"]
        await bot.say(602, "/unsubscribe")
        services = bot.app.bot_data["services"]
        released = services.notices.release_due(dt.datetime(2030, 2, 5, 10, 1, tzinfo=dt.UTC))
        assert len(released) == 1
        bot.app.bot_data["outbox_worker"].wake()
        await asyncio.to_thread(bot.server.wait_for, lambda: _got(bot, OPERATOR, "发送完成"), 10)
        [report] = [m["text"] for m in bot.server.sent_messages(OPERATOR) if "发送完成" in m["text"]]
        assert report.startswith("发送完成：共 1 人，成功 1")
        assert report.endswith("\n通知：“除夕下午在服务站包饺子”")
        assert _got(bot, 601, "包饺子") and not _got(bot, 602, "包饺子")


async def test_undo_keeps_another_admins_later_edit(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(ADMIN, f"/grant {SECOND_ADMIN}")
        await bot.say(ADMIN, "/faq edit shanghai-phone-subsidy contact 12345（测试）")
        await bot.tap(ADMIN, bot.button(ADMIN, "确认保存"))
        await bot.say(SECOND_ADMIN, "/faq edit shanghai-phone-subsidy answer 第二位管理员写的回答。")
        await bot.tap(SECOND_ADMIN, bot.button(SECOND_ADMIN, "确认保存"))
        [undone] = await bot.say(ADMIN, "/faq undo")
        assert undone["text"] == ("已撤销你对 shanghai-phone-subsidy 的 contact 的修改；"
                                  f"管理员 {SECOND_ADMIN} 之后的修改保留。")
    db = open_db(db_path)
    answer, contact = db.execute("SELECT answer, contact FROM entries WHERE id = 'shanghai-phone-subsidy'").fetchone()
    assert answer == "第二位管理员写的回答。" and "12345（测试）" not in (contact or "")


async def test_station_edit_keeps_the_coordinates_and_revoked_admin_is_refused(db_path: Path) -> None:
    station = _seed(db_path)
    async with running_bot(db_path) as bot:
        [preview] = await bot.say(ADMIN, f"/station edit {station} phone=0556-1234567")
        assert preview["text"].startswith("<b>修改后：</b>") and "0556-1234567" in preview["text"]
        [edited] = await bot.tap(ADMIN, bot.button(ADMIN, "确认保存"))
        assert edited["text"].startswith("已更新") and "0556-1234567" in edited["text"]
        before = len(bot.server.sent_messages(43))
        bot.server.push_location(43, 30.601, 117.001)
        [near] = await bot.wait(43, before + 1)
        assert "宜秀区暖民稳岗服务站" in near["text"]
        await bot.say(ADMIN, f"/grant {SECOND_ADMIN}")
        [revoked] = await bot.say(ADMIN, f"/revoke {SECOND_ADMIN}")
        assert revoked["text"] == f"已撤销 {SECOND_ADMIN} 的管理员权限。"
        [refused] = await bot.say(SECOND_ADMIN, "/faq 红包")
        assert refused["text"] == "抱歉，这个命令只有管理员可以用。"


async def test_remind_list_has_dates_and_no_raw_placeholders(db_path: Path) -> None:
    import re

    async with running_bot(db_path) as bot:
        [listing] = await bot.say(ADMIN, "/remind list")
        assert "{" not in listing["text"] and "〔地区〕" in listing["text"]
        assert re.search(r"<code>chuxi-week-before</code> \d{4}-\d{2}-\d{2} 10:00 除夕前一周提醒：", listing["text"])


async def test_cancel_command_cancels_the_open_preview(db_path: Path) -> None:
    _seed(db_path)
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice")
        await bot.say(OPERATOR, "取消前的通知")
        [cancelled] = await bot.say(OPERATOR, "/cancel")
        assert cancelled["text"] == "已取消。"
        [stale] = await bot.tap(OPERATOR, bot.button(OPERATOR, "发送"))
        assert stale["text"] == "没有发送：这条预览已经取消了"


async def test_huge_or_wrong_station_ids_get_a_plain_answer(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [huge] = await bot.say(ADMIN, "/station qr 99999999999999999999999")
        assert huge["text"] == "没办成：编号应为数字，不是“99999999999999999999”"
        [word] = await bot.say(ADMIN, "/station invite abc")
        assert word["text"] == "没办成：编号应为数字，不是“abc”"
        [qr] = await bot.say(ADMIN, "/start st_99999999999999999999999")
        assert "二维码已失效" in qr["text"]


async def test_scheduled_notice_of_a_removed_operator_is_not_sent_and_they_are_told(db_path: Path) -> None:
    station = _seed(db_path)
    async with running_bot(db_path) as bot:
        await bot.say(OPERATOR, "/notice 2030-02-05 18:00 除夕下午在服务站包饺子")
        await bot.say(ADMIN, f"/station unop {station} {OPERATOR}")
        services = bot.app.bot_data["services"]
        services.notices.clock = lambda: dt.datetime(2030, 2, 5, 10, 1, tzinfo=dt.UTC)
        before = len(bot.server.sent_messages(OPERATOR))
        await send_due(bot.app.context_types.context(bot.app))          # the every-minute job
        [told] = await bot.wait(OPERATOR, before + 1)
        assert told["text"] == "定时通知 #1（除夕下午在服务站包饺子）没有发出：你已不是这个服务站的工作人员。"
        assert services.notices.get(1)["state"] == "refused"
        assert _queued(bot) == []
