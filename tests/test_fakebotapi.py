"""The stand-in Bot API server, exercised through the real python-telegram-bot Bot and HTTP stack."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.fakebotapi import FakeBotAPI, parse_params

# PTB 22 warns (inside RetryAfter.__init__ itself) that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as srv:
        yield srv


def with_bot(server: FakeBotAPI, action: Callable[[Bot], Awaitable[Any]], token: str | None = None) -> Any:
    """Run `action(bot)` with an initialised PTB Bot pointed at the stand-in server."""
    async def main() -> Any:
        bot = Bot(token or server.token, base_url=server.base_url, base_file_url=server.base_file_url)
        async with bot:
            return await action(bot)
    return asyncio.run(main())


def retry_after_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after  # an int in PTB 22 unless PTB_TIMEDELTA is set
    return value.total_seconds() if isinstance(value, dt.timedelta) else value


def test_get_me(server: FakeBotAPI) -> None:
    me = with_bot(server, lambda bot: bot.get_me())
    assert (me.id, me.username, me.is_bot) == (123, "nuanxin_test_bot", True)
    assert server.calls[0].method == "getMe" and server.calls[0].status == 200


def test_send_message_recorded_with_text_and_markup(server: FakeBotAPI) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("红包补贴", callback_data="q:1")]])

    async def action(bot: Bot) -> tuple[Any, Any, Any]:
        first = await bot.send_message(1001, "你好 & =?", reply_markup=markup, parse_mode="HTML")
        second = await bot.send_message(1001, "123", reply_markup=ReplyKeyboardMarkup([["免费流量"]]))
        other = await bot.send_message(2002, "[1]")
        return first, second, other

    first, second, other = with_bot(server, action)
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.text == "你好 & =?" and first.chat.id == 1001 and first.from_user.is_bot
    assert first.reply_markup == markup and second.reply_markup is None  # only inline keyboards echo
    sent = server.sent_messages(1001)
    assert [m["text"] for m in sent] == ["你好 & =?", "123"]  # free text is never JSON-decoded
    assert sent[0]["chat_id"] == 1001 and sent[0]["parse_mode"] == "HTML"
    assert sent[0]["reply_markup"] == {"inline_keyboard": [[{"text": "红包补贴", "callback_data": "q:1"}]]}
    assert sent[1]["reply_markup"]["keyboard"] == [[{"text": "免费流量"}]]
    assert server.sent_messages(2002)[0]["text"] == "[1]" and len(server.sent_messages()) == 3


def test_get_updates_returns_pushed_updates_and_honours_offset(server: FakeBotAPI) -> None:
    ids = [server.push_message(7, "/start abc", first_name="小王"), server.push_message(7, "上海有补贴吗"),
           server.push_location(7, 31.23, 121.47), server.push_sticker(7), server.push_photo(7),
           server.push_voice(7), server.push_contact(7, "+8613800000000")]

    async def action(bot: Bot) -> tuple[Any, ...]:
        await bot.send_message(7, "选一个", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x")]]))
        ids.append(server.push_callback(7, "x"))
        everything = await bot.get_updates(timeout=0)
        two = await bot.get_updates(offset=ids[2], limit=2, timeout=0)
        rest = await bot.get_updates(offset=ids[-1] + 1, timeout=0)
        return everything, two, rest

    everything, two, rest = with_bot(server, action)
    assert [u.update_id for u in everything] == ids == list(range(1, 9))
    start = everything[0].message
    assert start.text == "/start abc" and start.from_user.first_name == "小王" and start.chat.type == "private"
    assert start.entities[0].type == "bot_command" and start.entities[0].length == len("/start")
    assert everything[2].message.location.latitude == 31.23
    assert everything[3].message.sticker and everything[4].message.photo and everything[5].message.voice
    assert everything[6].message.contact.phone_number == "+8613800000000"
    query = everything[7].callback_query
    assert query.data == "x" and query.message.text == "选一个" and query.message.message_id == 8
    assert [u.update_id for u in two] == ids[2:4]
    assert rest == ()


def test_get_updates_long_polls(server: FakeBotAPI) -> None:
    async def action(bot: Bot) -> tuple[Any, float, Any, float]:
        t0 = time.monotonic()
        empty = await bot.get_updates(timeout=1)
        waited = time.monotonic() - t0
        threading.Timer(0.2, server.push_message, (5, "来了")).start()
        t0 = time.monotonic()
        early = await bot.get_updates(timeout=5)
        return empty, waited, early, time.monotonic() - t0

    empty, waited, early, took = with_bot(server, action)
    assert empty == () and 0.9 <= waited < 2
    assert [u.message.text for u in early] == ["来了"] and took < 2


def test_blocked_chat_raises_forbidden(server: FakeBotAPI) -> None:
    server.block_user(9)

    async def action(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(9, "hi")
        await bot.send_message(10, "hi")

    with_bot(server, action)
    assert [(c.method, c.status) for c in server.calls[-2:]] == [("sendMessage", 403), ("sendMessage", 200)]
    assert server.sent_messages(9) == [] and len(server.sent_messages(10)) == 1


def test_fail_next_429_and_500(server: FakeBotAPI) -> None:
    server.fail_next("sendMessage", 429, retry_after=3)
    server.fail_next("answerCallbackQuery", 500)

    async def action(bot: Bot) -> None:
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(1, "a")
        assert retry_after_seconds(info.value) == 3
        await bot.send_message(1, "a")  # only the next call fails
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.answer_callback_query("42")
        assert await bot.answer_callback_query("42") is True

    with_bot(server, action)
    assert server.too_many_count == 1
    assert [c.status for c in server.calls if c.method != "getMe"] == [429, 200, 500, 200]


def test_send_document_multipart_upload(server: FakeBotAPI) -> None:
    content = bytes(range(256)) * 8 + b"\r\n--not-a-boundary\r\n"
    filename = '报告 "Q1"\\v2.xlsx'

    async def action(bot: Bot) -> tuple[Any, bytes]:
        message = await bot.send_document(1001, content, filename=filename, caption="名单")
        file = await bot.get_file(message.document.file_id)
        return message, bytes(await file.download_as_bytearray())

    message, downloaded = with_bot(server, action)
    [params] = server.sent_messages(1001)
    assert params["chat_id"] == 1001 and params["caption"] == "名单"
    assert params["document"]["filename"] == filename and params["document"]["size"] == len(content)
    assert message.document.file_name == filename and message.caption == "名单"
    assert downloaded == content == server.file_bytes(params["document"]["file_id"])
    assert "content" not in params["document"]  # the record stays small and printable


def test_rate_limit_answers_429(server: FakeBotAPI) -> None:
    server.rate_limit(per_second=3, per_chat_per_second=1)

    async def action(bot: Bot) -> None:
        await bot.send_message(1, "a")
        with pytest.raises(RetryAfter) as info:  # second message to the same chat within a second
            await bot.send_message(1, "b")
        assert retry_after_seconds(info.value) >= 1
        await bot.send_message(2, "c")
        await bot.send_message(3, "d")
        with pytest.raises(RetryAfter):  # the fourth message overall in a second
            await bot.send_message(4, "e")
        await bot.send_chat_action(1, "typing")  # not a send method: never limited

    with_bot(server, action)
    assert server.too_many_count == 2 and len(server.sent_messages()) == 3


def test_edit_and_callback_answer(server: FakeBotAPI) -> None:
    async def action(bot: Bot) -> tuple[Any, Any]:
        sent = await bot.send_message(3, "原文", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="b")]]))
        edited = await bot.edit_message_text("新文", chat_id=3, message_id=sent.message_id)
        assert await bot.answer_callback_query("1") is True
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", chat_id=3, message_id=99)
        return sent, edited

    sent, edited = with_bot(server, action)
    assert edited.text == "新文" and edited.message_id == sent.message_id and edited.reply_markup is None
    assert edited.edit_date is not None


def test_unknown_method_and_wrong_token(server: FakeBotAPI) -> None:
    async def unknown(bot: Bot) -> None:
        # PTB maps 404 to InvalidToken, and that to EndPointNotFound once the bot is initialised
        with pytest.raises(EndPointNotFound, match="noSuchMethod"):
            await bot.do_api_request("noSuchMethod")

    with_bot(server, unknown)
    with pytest.raises(InvalidToken):
        with_bot(server, lambda bot: bot.get_me(), token="999:WRONG")
    assert [(c.method, c.status) for c in server.calls][-2:] == [("noSuchMethod", 404), ("getMe", 401)]


def test_json_body_and_get_query(server: FakeBotAPI) -> None:
    url = f"{server.base_url}{server.token}/sendMessage"
    body = json.dumps({"chat_id": 8, "text": "json", "reply_markup": json.dumps({"inline_keyboard": []})})
    request = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["result"]["text"] == "json"
    with urllib.request.urlopen(f"{url}?chat_id=8&text=get") as response:
        assert json.load(response)["result"]["message_id"] == 2
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{server.base_url}{server.token}/nope")
    assert info.value.code == 404 and json.load(info.value)["description"] == "Not Found: method not found"
    assert [m["reply_markup"] for m in server.sent_messages(8)[:1]] == [{"inline_keyboard": []}]


def test_multipart_parser_edge_cases() -> None:
    body = (b"preamble\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n{\"x\": 1}\r\n"
            b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%E6%8A%A5.txt\r\n\r\n"
            b"x\r\n--bb\r\n--b--\r\n")
    params = parse_params('multipart/form-data; boundary="b"', body)
    assert params["a"] == {"x": 1}
    assert params["f"]["filename"] == "报.txt" and params["f"]["content"] == b"x\r\n--bb"


def test_wait_for_messages_times_out_with_dump(server: FakeBotAPI) -> None:
    with_bot(server, lambda bot: bot.send_message(1, "only one"))
    with pytest.raises(AssertionError, match="(?s)expected 2 messages to chat 1, got 1.*only one"):
        server.wait_for_messages(2, chat_id=1, timeout=0.2)


def test_real_application_polls_and_replies(server: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"欢迎 {' '.join(context.args)}")

    async def main() -> list[dict[str, Any]]:
        app = Application.builder().token(server.token).base_url(server.base_url).build()
        app.add_handler(CommandHandler("start", start))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            server.push_message(42, "/start 老乡")
            replies = await asyncio.to_thread(server.wait_for_messages, 1, 42)
            await app.updater.stop()
            await app.stop()
        return replies

    t0 = time.monotonic()
    assert [m["text"] for m in asyncio.run(main())] == ["欢迎 老乡"]
    assert time.monotonic() - t0 < 3
