"""Runs the real Application (HTTP stack included) against the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.config import Config
from tests.fakebotapi import FakeBotAPI

ADMIN = 900001
TOKEN = "123:TEST"
ROOT = Path(__file__).resolve().parent.parent


def process_env(db_path: Path, server: FakeBotAPI) -> dict[str, str]:
    """Environment for a `python -m bot run` process against the stand-in; its token lock lives
    in the test's own temp dir, so two test runs at once never collide."""
    import os

    return {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url,
            "BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(ADMIN),
            "NUANXIN_CACHE_DIR": str(ROOT / ".cache"), "TMPDIR": str(db_path.parent)}


async def stop_application(app: Application) -> None:
    """Stop an Application started by hand (updater, then app, then the shutdown hooks)."""
    await app.updater.stop()
    await app.stop()
    await app.post_stop(app)
    await app.shutdown()
    await app.post_shutdown(app)


@dataclass
class Running:
    """A running bot and its stand-in server."""

    server: FakeBotAPI
    app: Application
    config: Config

    async def say(self, chat_id: int, text: str, replies: int = 1, timeout: float = 10.0) -> list[dict]:
        """Send a message as a user and wait for the bot's replies to that chat."""
        before = len(self.server.sent_messages(chat_id))
        self.server.push_message(chat_id, text)
        await asyncio.to_thread(self.server.wait_for_messages, before + replies, chat_id, timeout)
        return self.server.sent_messages(chat_id)[before:before + replies]

    async def tap(self, chat_id: int, data: str, replies: int = 1, timeout: float = 10.0) -> list[dict]:
        """Tap an inline button and wait for the replies (new messages or edits)."""
        before = len(self._outputs(chat_id))
        self.server.push_callback(chat_id, data)
        await asyncio.to_thread(self.server.wait_for, lambda: len(self._outputs(chat_id)) >= before + replies, timeout)
        return self._outputs(chat_id)[before:]

    def button(self, chat_id: int, label: str, nth_last: int = 1) -> str:
        """The callback data of the button labelled `label` under the nth-last message showing it."""
        found = [b["callback_data"] for m in self.server.sent_messages(chat_id)
                 for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
                 if b.get("text") == label and "callback_data" in b]
        return found[-nth_last]

    def _outputs(self, chat_id: int) -> list[dict]:
        return [c.params for c in self.server.calls
                if c.method in ("sendMessage", "editMessageText", "sendPhoto")
                and str(c.params.get("chat_id")) == str(chat_id)]

    async def wait(self, chat_id: int, total: int, timeout: float = 10.0) -> list[dict]:
        """Wait until the chat has `total` messages; return the last one as a list."""
        before = total - 1
        await asyncio.to_thread(self.server.wait_for_messages, total, chat_id, timeout)
        return self.server.sent_messages(chat_id)[before:]

    def answered_callbacks(self) -> int:
        """How many callback queries were acknowledged."""
        return sum(1 for c in self.server.calls if c.method == "answerCallbackQuery")


@contextlib.asynccontextmanager
async def running_bot(db_path: Path, server: FakeBotAPI | None = None, outbox_rate: float = 28.0) -> AsyncIterator[Running]:
    """Start the bot with long polling against a stand-in server; stop it cleanly after."""
    own = server is None
    server = server or FakeBotAPI(token=TOKEN)
    if own:
        server.start()
    config = Config(token=TOKEN, api_base_url=server.base_url, database=db_path, admin_ids=frozenset({ADMIN}),
                    quiet_hours=False,
                    outbox_rate=outbox_rate)
    app = build_application(config)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield Running(server, app, config)
    finally:
        await stop_application(app)
        if own:
            server.stop()
