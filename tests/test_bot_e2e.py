"""End to end: the real Application and HTTP stack against the stand-in Bot API server."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge import open_db
from tests.botharness import running_bot

WORKER = 1001


def _triple(text: str) -> bool:
    return "300%" in text or "百分之三百" in text


def _markup(message: dict) -> dict:
    markup = message.get("reply_markup")
    return json.loads(markup) if isinstance(markup, str) else (markup or {})


def _buttons(message: dict) -> list[dict]:
    return [b for row in _markup(message).get("inline_keyboard", []) for b in row]


async def test_start_shows_topics_and_commands(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(WORKER, "/start")
        assert "暖心助手" in reply["text"]
        keyboard = [b["text"] if isinstance(b, dict) else b for row in _markup(reply)["keyboard"] for b in row]
        assert keyboard[:3] == ["红包补贴", "免费流量", "免费体检"]
        commands = [c for c in bot.server.calls if c.method == "setMyCommands"]
        assert commands and "forget" in json.dumps(commands[0].params)
        [reply] = await bot.say(WORKER, "/start bogus_payload")
        assert "暖心助手" in reply["text"]


async def test_question_gets_phone_friendly_answer(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(WORKER, "上海留下过年有通讯费补贴吗")
        assert reply["parse_mode"] == "HTML"
        assert "通讯费" in reply["text"] and "上海" in reply["text"]
        assert "还没公布" in reply["text"].split("\n")[1] or "还没查到" in reply["text"].split("\n")[1]
        assert "2021年的做法，供参考" in reply["text"]
        assert "<i>来源：上海市委办公厅、市政府办公厅通知，2021年2月</i>" in reply["text"]
        assert ".txt" not in reply["text"]
        assert 'href="tel:12345"' in reply["text"]


async def test_region_by_command_and_follow_up(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(WORKER, "/region 麒麟")
        assert "曲靖麒麟区" in reply["text"]
        [reply] = await bot.say(WORKER, "春节加班工资怎么算")
        assert _triple(reply["text"])
        [follow] = await bot.say(WORKER, "找谁？")
        assert follow["text"].split("\n")[0] == reply["text"].split("\n")[0]
        [unknown] = await bot.say(WORKER, "/region 火星")
        assert "没找到" in unknown["text"]


async def test_region_by_buttons(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [menu] = await bot.say(WORKER, "/region")
        assert any(b["callback_data"] == "rg:安徽省安庆市" for b in _buttons(menu))
        [districts] = await bot.tap(WORKER, "rg:安徽省安庆市")
        assert any(b["callback_data"] == "rs:安徽省安庆市迎江区" for b in _buttons(districts))
        [saved] = await bot.tap(WORKER, "rs:安徽省安庆市迎江区")
        assert "安庆迎江区" in saved["text"]
        assert bot.answered_callbacks() == 2
    assert open_db(db_path).execute("SELECT region FROM users WHERE user_id = ?", [WORKER]).fetchone()[0] == \
        "安徽省安庆市迎江区"


async def test_region_named_in_question_is_offered(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(WORKER, "我在上海，过年超市开门吗")
        assert any(b["callback_data"] == "rs:上海市" for b in _buttons(reply))


async def test_did_you_mean_and_related_buttons_answer(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(WORKER, "/region 上海")
        [reply] = await bot.say(WORKER, "上海有免费技能培训吗")
        buttons = [b for b in _buttons(reply) if b["callback_data"].startswith("q:")]
        assert buttons
        [answer] = await bot.tap(WORKER, buttons[0]["callback_data"])
        assert answer["text"].startswith("<b>")
        assert bot.answered_callbacks() == 1


async def test_forget_deletes_after_confirmation(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(WORKER, "/region 上海")
        await bot.say(WORKER, "/subscribe")
        await bot.say(WORKER, "过年加班费")
        [ask] = await bot.say(WORKER, "/forget")
        assert {b["callback_data"] for b in _buttons(ask)} == {"fg:yes", "fg:no"}
        [done] = await bot.tap(WORKER, "fg:yes")
        assert "已删除" in done["text"]
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM users WHERE user_id = ?", [WORKER]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM question_log WHERE user_id = ?", [WORKER]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM question_log WHERE text = '过年加班费'").fetchone()[0] == 0  # deleted


async def test_blocked_user_is_marked_and_others_still_served(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(WORKER, "/region 上海")
        await bot.say(WORKER, "/subscribe")
        bot.server.block_user(WORKER)
        bot.server.push_message(WORKER, "红包")
        [reply] = await bot.say(2002, "年夜饭")
        assert "年夜饭" in reply["text"]
    row = open_db(db_path).execute("SELECT blocked, subscribed FROM users WHERE user_id = ?", [WORKER]).fetchone()
    assert tuple(row) == (1, 0)


async def test_429_and_500_from_server_are_retried(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        bot.server.fail_next("sendMessage", 429, retry_after=1)
        [reply] = await bot.say(WORKER, "过年加班几倍工资", timeout=15)
        assert _triple(reply["text"])
        bot.server.fail_next("sendMessage", 502)
        [reply] = await bot.say(WORKER, "年夜饭", timeout=15)
        assert "年夜饭" in reply["text"]


async def test_bad_inputs_get_sensible_replies(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [emoji] = await bot.say(WORKER, "🧧🎉😀")
        assert "没看到文字" in emoji["text"]
        [long] = await bot.say(WORKER, "请问红包" + "啊" * 4090)
        assert "只看了前面一部分" in long["text"]
        [inject] = await bot.say(WORKER, "<b>x</b>'; DROP TABLE users;--")
        assert "<b>x</b>" not in inject["text"] and "答不上来" in inject["text"]
        [ctrl] = await bot.say(WORKER, "\x00\x01\x02")
        assert ctrl["text"]
        [unknown] = await bot.say(WORKER, "/nosuchcommand")
        assert "没有这个命令" in unknown["text"]
        before = len(bot.server.sent_messages(WORKER))
        bot.server.push_sticker(WORKER)
        [sticker] = await bot.wait(WORKER, before + 1)
        assert "文字" in sticker["text"]
        [normal] = await bot.say(WORKER, "过年加班几倍工资")
        assert _triple(normal["text"])
    # The injection attempt was only a question: the users table is there and keeps this worker.
    assert open_db(db_path).execute("SELECT COUNT(*) FROM users WHERE user_id = ?", [WORKER]).fetchone()[0] == 1


async def test_restart_keeps_region_and_topic(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say(WORKER, "/region 上海")
        [first] = await bot.say(WORKER, "通讯费补贴")
    async with running_bot(db_path) as bot:
        [follow] = await bot.say(WORKER, "怎么领？")
        assert follow["text"].split("\n")[0] == first["text"].split("\n")[0]
        [menu] = await bot.say(WORKER, "/region")
        assert "上海" in menu["text"]


async def test_a_question_that_needs_the_region_is_answered_once_it_is_chosen(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [ask] = await bot.say(WORKER, "过年红包多少钱")
        assert "你在哪个城市" in ask["text"]
        assert any(b["callback_data"] == "rg:安徽省安庆市" for b in _buttons(ask))
        await bot.tap(WORKER, "rg:安徽省安庆市")
        [saved, answer] = await bot.tap(WORKER, "rs:安徽省安庆市迎江区", replies=2)
        assert "安庆迎江区" in saved["text"]
        assert "2000元" in answer["text"] and "500元" in answer["text"]
        [follow] = await bot.say(WORKER, "找谁领")
        assert "迎江区" in follow["text"]


async def test_a_place_we_do_not_cover_is_recognised_and_can_be_saved(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(WORKER, "在宜昌打工过年有红包吗")
        assert "宜昌暂时没有查到" in reply["text"] and "12345" in reply["text"] and "安庆" not in reply["text"].split("\n")[0]
        assert any(b["callback_data"] == "rs:湖北省宜昌市" for b in _buttons(reply))
        [saved] = await bot.tap(WORKER, "rs:湖北省宜昌市")
        assert "宜昌" in saved["text"]
        [wages] = await bot.say(WORKER, "过年加班工资怎么算")
        assert "300%" in wages["text"] or "百分之三百" in wages["text"]
