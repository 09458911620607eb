"""Crash and concurrency safety: one bot per database, writers that wait, updates that survive kill -9."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.app import run_bot
from bot.config import Config
from bot.updates import InstanceLock
from knowledge import KnowledgeBase, open_db
from knowledge.outbox import Outbox
from knowledge.users import Users
from tests.botharness import ADMIN, TOKEN, process_env, running_bot, stop_application
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
ROOT = Path(__file__).resolve().parent.parent


def test_second_bot_on_the_same_database_refuses_with_one_line(db_path: Path, capsys) -> None:
    held = InstanceLock(db_path, "other:TOKEN").acquire()
    try:
        status = run_bot(Config(token="123:TEST", database=db_path))
    finally:
        held.release()
    err = capsys.readouterr().err.strip()
    assert status == 3 and len(err.splitlines()) == 1
    assert err.startswith("不启动：已有一个机器人进程") and f"数据库 {db_path}" in err


def test_second_bot_on_the_same_token_refuses(tmp_path: Path, capsys) -> None:
    held = InstanceLock(tmp_path / "a.db", "123:SAME").acquire()
    try:
        assert run_bot(Config(token="123:SAME", database=tmp_path / "b.db")) == 3
    finally:
        held.release()
    assert "同一个机器人 token" in capsys.readouterr().err


def test_unreachable_telegram_is_one_line_per_try_and_a_retry(db_path: Path, capsys, monkeypatch) -> None:
    import socket
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(db_path.parent))     # a token lock of its own

    with socket.socket() as probe:        # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/bot"
    config = Config(token="123:TEST", api_base_url=url, database=db_path)
    assert run_bot(config, retry_seconds=0.01, max_tries=2) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"连不上 Telegram（{url}）：httpx.ConnectError") for line in lines)
    assert lines[0].endswith("0 秒后重试。")


def test_concurrent_writers_wait_instead_of_failing(db_path: Path) -> None:
    db = open_db(db_path)
    kb = KnowledgeBase(db)
    Outbox(db, kb).create(sender_id=None, kind="notice", scope="x", text="t", recipients=list(range(400)))
    db.close()
    errors: list[BaseException] = []
    claimed: list[int] = []

    def worker(n: int) -> None:
        own = open_db(db_path)
        outbox, users = Outbox(own, KnowledgeBase(own)), Users(own)
        try:
            while (item := outbox.claim()) is not None:      # read, then write: the deferred-BEGIN trap
                claimed.append(item.chat_id)
                outbox.sent(item)
                users.set_region(10_000 + n, "上海市")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(claimed) == list(range(400))              # each row claimed once


def _broadcast_update(update_id: int, message_id: int) -> dict:
    text = "/broadcast 上海 春运专列加开"
    return {"update_id": update_id, "message": {
        "message_id": message_id, "date": 1_700_000_000, "text": text,
        "chat": {"id": ADMIN, "type": "private", "first_name": "管理员"},
        "from": {"id": ADMIN, "is_bot": False, "first_name": "管理员"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len("/broadcast")}]}}


async def _until(predicate, timeout: float) -> None:
    """Poll a condition the bot process writes to the database (no event to wait on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def _query(db_path: Path, sql: str) -> list:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql).fetchall()


def _done(db_path: Path, update_id: int) -> bool:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return bool(conn.execute("SELECT 1 FROM updates WHERE update_id = ? AND done_at IS NOT NULL",
                                 [update_id]).fetchone())


def _journal(db_path: Path, update: dict) -> None:
    db = open_db(db_path)
    with db.atomic():
        db.execute("INSERT OR REPLACE INTO updates (update_id, data, received_at) VALUES (?, ?, '2026-01-01')",
                   [update["update_id"], json.dumps(update)])
    db.close()


def _shanghai_subscribers(db_path: Path, ids: Iterable[int]) -> None:
    """The shipped knowledge base, and these workers subscribed in 上海."""
    db = open_db(db_path)
    KnowledgeBase(db).ensure_loaded()
    users = Users(db)
    for uid in ids:
        users.set_region(uid, "上海市")
        users.set_subscribed(uid, True)
    db.close()


async def test_acknowledged_update_is_replayed_and_a_replayed_broadcast_sends_once(db_path: Path) -> None:
    _shanghai_subscribers(db_path, (801, 802))
    update = _broadcast_update(77, 5)
    reports = []
    for _ in range(2):      # stored but not handled (the bot died), twice over
        _journal(db_path, update)
        async with running_bot(db_path) as bot:
            await asyncio.to_thread(bot.server.wait_for, lambda: _done(db_path, 77), 20)
            if not reports:
                await asyncio.to_thread(bot.server.wait_for, lambda b=bot: any(
                    "发送完成" in m["text"] for m in b.server.sent_messages(ADMIN)), 20)
            reports += [m["text"] for m in bot.server.sent_messages(ADMIN)]
    assert [r[:7] for r in reports] == ["已加入发送队列", "发送完成：共 "]     # the replay said nothing again
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM broadcasts").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetchone()[0] == 2
    assert db.execute("SELECT done_at IS NOT NULL FROM updates WHERE update_id = 77").fetchone()[0] == 1


async def test_kill_9_after_the_update_was_acknowledged_loses_nothing(db_path: Path) -> None:
    """The admin's /broadcast is fetched and acknowledged while the bot is still busy with the
    admin's previous message (its reply stalls); kill -9 then. After the restart, it is handled."""
    _shanghai_subscribers(db_path, range(300_000, 300_020))
    with FakeBotAPI(token=TOKEN) as server:
        env = process_env(db_path, server)
        server.stall_seconds = 30
        server.inject_fault("sendMessage", "timeout_after")      # the first reply hangs
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            server.push_message(ADMIN, "上海免费流量怎么领")
            await asyncio.to_thread(server.wait_for, lambda: server.sent_messages(ADMIN), 60)
            bid = server.push_message(ADMIN, "/broadcast 上海 春运专列加开")
            await asyncio.to_thread(server.wait_for, lambda: server.confirmed_offset > bid, 20)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            assert not any("春运专列" in m["text"] for m in server.sent_messages())   # not handled yet
            server.stall_seconds = 0
            proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.to_thread(server.wait_for, lambda: any(
                "发送完成" in m["text"] for m in server.sent_messages(ADMIN)), 60)
        finally:
            proc.terminate()
            proc.wait(10)
        counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages() if "春运专列" in m["text"])
    assert [c for c in range(300_000, 300_020) if counts[c] != 1] == []


def test_station_qr_takes_the_bot_username_from_telegram(db_path: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from bot.cli import main

    with FakeBotAPI(token=TOKEN, bot_username="nuanxin_real_bot") as server:
        for key, value in {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url,
                           "BOT_DATABASE": str(db_path)}.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
        assert main(["station", "add", "--name", "测试站", "--region", "上海市"]) == 0
        assert main(["station", "invite", "1"]) == 0
    assert "https://t.me/nuanxin_real_bot?start=op_" in capsys.readouterr().out


async def test_kill_9_during_a_429_wait_loses_nothing_and_leaves_nothing_in_flight(db_path: Path) -> None:
    recipients = list(range(310_000, 310_030))
    _shanghai_subscribers(db_path, recipients)
    with FakeBotAPI(token=TOKEN) as server:
        env = process_env(db_path, server)
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            server.push_message(ADMIN, "/broadcast 上海 元宵灯会")
            await asyncio.to_thread(server.wait_for, lambda: len(server.sent_messages()) >= 10, 60)
            server.fail_next("sendMessage", 429, retry_after=3)
            await asyncio.to_thread(server.wait_for, lambda: server.too_many_count == 1, 20)
            await _until(lambda: _query(db_path, "SELECT 1 FROM outbox WHERE error LIKE '429%'"), 20)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            with contextlib.closing(sqlite3.connect(db_path)) as conn:
                states = dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
                waiting = conn.execute("SELECT error FROM outbox WHERE error IS NOT NULL").fetchall()
            assert "sending" not in states and waiting == [("429 retry after 3",)]    # waiting is not in flight
            proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.to_thread(server.wait_for, lambda: any(
                m["text"].startswith("发送完成") for m in server.sent_messages(ADMIN)), 60)
        finally:
            proc.terminate()
            proc.wait(10)
        counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages() if "元宵灯会" in m["text"])
        [report] = [m["text"] for m in server.sent_messages(ADMIN) if m["text"].startswith("发送完成")]
    assert [c for c in recipients if counts[c] != 1] == []
    assert report.startswith("发送完成：共 30 人，成功 30，已屏蔽机器人 0，失败 0，仍在重试 0，可能重复 0")


async def test_webhook_answers_200_only_after_the_update_is_stored(db_path: Path) -> None:
    import socket
    import urllib.error
    import urllib.request

    from bot.app import build_application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeBotAPI(token=TOKEN) as server:
        app = build_application(Config(token=TOKEN, api_base_url=server.base_url, database=db_path,
                                       admin_ids=frozenset({ADMIN})))
        await app.initialize()
        await app.post_init(app)
        await app.start()
        await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook",
                                        webhook_url=f"http://127.0.0.1:{port}/hook")
        try:
            def post(update: dict) -> int:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/hook", json.dumps(update).encode(),
                                                 {"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return response.status
                except urllib.error.HTTPError as exc:
                    return exc.code

            assert await asyncio.to_thread(post, _broadcast_update(501, 1)) == 200
            assert _query(db_path, "SELECT update_id FROM updates WHERE update_id = 501") == [(501,)]
            journal = app.update_queue.journal

            def refuse(update: object) -> None:
                raise sqlite3.OperationalError("disk I/O error")

            journal.store = refuse                  # storing fails: Telegram must not get a 200
            assert await asyncio.to_thread(post, _broadcast_update(502, 2)) == 500
        finally:
            await stop_application(app)


async def test_two_bot_processes_on_one_database_the_second_refuses(db_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        env = process_env(db_path, server)
        first = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await asyncio.to_thread(server.wait_for, lambda: any(c.method == "deleteWebhook" for c in server.calls), 60)
            second = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                             capture_output=True, text=True, timeout=60)
            server.push_message(1001, "/help")
            await asyncio.to_thread(server.wait_for_messages, 1, 1001, 20)
        finally:
            first.kill()
            first.wait(10)
    assert second.returncode == 3
    assert second.stderr.strip().splitlines() == [
        f"不启动：已有一个机器人进程（pid {first.pid}）在用数据库 {db_path}；同一个数据库和 token 只能运行一个 `python -m bot run`。"]
    assert len(server.sent_messages(1001)) == 1          # answered once, by the first


async def test_replayed_station_add_creates_one_station(db_path: Path) -> None:
    update = _broadcast_update(90, 9)
    update["message"]["text"] = "/station add 迎江区服务站；安庆市迎江区；人民路1号"
    update["message"]["entities"][0]["length"] = len("/station")
    for _ in range(2):
        _journal(db_path, update)
        async with running_bot(db_path) as bot:
            await asyncio.to_thread(bot.server.wait_for, lambda: _done(db_path, 90), 20)
    assert _query(db_path, "SELECT name FROM stations") == [("迎江区服务站",)]


def test_journal_keeps_undone_updates_and_forgets_handled_ones_after_a_day(db_path: Path) -> None:
    import datetime as dt

    from telegram import Update

    from bot.updates import UpdateJournal

    journal = UpdateJournal(open_db(db_path))
    first, second = (Update.de_json(_broadcast_update(n, n), None) for n in (1, 2))
    journal.store(first)
    journal.store(second)
    journal.done(first)
    journal.store(first)                                    # re-fetched after it was handled: still done
    assert journal.is_done(1) and [u["update_id"] for u in journal.undone()] == [2]
    assert journal.prune(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)) == 1
    assert [u["update_id"] for u in journal.undone()] == [2]
    assert _query(db_path, "SELECT update_id FROM updates") == [(2,)]
