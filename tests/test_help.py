"""Every CLI command and every bot command has help text."""

from __future__ import annotations

import argparse
import re

from telegram.ext import CommandHandler

from bot.app import build_application
from bot.cli import build_parser
from bot.config import Config
from bot.handlers_worker import WORKER_COMMANDS, help_text


def _walk(parser: argparse.ArgumentParser, path: str = "") -> list[tuple[str, str | None]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((f"{path} {name}".strip(), helps.get(name)))
                found.extend(_walk(sub, f"{path} {name}"))
        elif action.dest != "help":
            found.append((f"{path} {'/'.join(action.option_strings) or action.dest}".strip(), action.help))
    return found


def test_every_cli_command_and_option_has_help() -> None:
    items = _walk(build_parser())
    names = {name for name, _ in items}
    for expected in ("run", "chat", "ask", "eval", "bench", "kb load", "kb export", "kb validate", "kb stats",
                     "kb import", "station qr"):
        assert expected in names
    missing = [name for name, text in items if not text]
    assert missing == []


def test_every_bot_command_has_help_text() -> None:
    app = build_application(Config(token="1:TEST"))
    registered = {c for group in app.handlers.values() for h in group if isinstance(h, CommandHandler)
                  for c in h.commands}
    described = {name for name, _ in WORKER_COMMANDS}
    admin_only = {"notice", "broadcast", "faq", "unanswered", "stats", "station", "grant", "revoke", "cancel", "remind"}
    assert registered - described - admin_only == set()
    text = help_text()
    for name in described:
        assert f"/{name}" in text
    for name in admin_only - {"cancel", "remind"}:
        assert not re.search(rf"/{name}\b", text)
