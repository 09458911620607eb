"""`python -m bot <command>`: one parser, each command a small function with help text."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from bot import cli_ask, cli_kb, cli_reminders, cli_station, cli_web
from bot.config import Config, ConfigError
from knowledge.errors import KnowledgeError

Handler = Callable[[argparse.Namespace, Config], int]


def build_parser() -> argparse.ArgumentParser:
    """Every command and option, each with help text."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="暖心助手：就地过年帮扶政策问答机器人。"
                                     "不带命令时：设置了 TELEGRAM_BOT_TOKEN 就运行机器人，否则打开终端聊天。")
    sub = parser.add_subparsers(dest="command", metavar="command")

    run = sub.add_parser("run", help="运行 Telegram 机器人（默认长轮询）")
    run.add_argument("--webhook", metavar="URL", help="用 webhook 模式，Telegram 推送到这个公网 URL")
    run.add_argument("--listen", default="0.0.0.0", help="webhook 监听地址（默认 0.0.0.0）")
    run.add_argument("--port", type=int, default=8443, help="webhook 监听端口（默认 8443）")
    run.add_argument("--secret", help="webhook secret token（建议设置）")
    run.add_argument("--web", action="store_true", help="同时运行网页聊天（同一进程、同一数据库）")
    cli_web.add_options(run, prefix="web-")
    run.set_defaults(handler=_run)

    cli_ask.register(sub)
    cli_kb.register(sub)
    cli_station.register(sub)
    cli_reminders.register(sub)
    cli_web.register(sub)
    return parser


def _run(args: argparse.Namespace, config: Config) -> int:
    from bot.app import run_bot

    if not config.token:
        print("没有设置 TELEGRAM_BOT_TOKEN。请在 .env 里填写，或用 `python -m bot chat` 在终端里聊天。",
              file=sys.stderr)
        return 2
    if getattr(args, "web", False):
        cli_web.run_bot_with_web(config, args)
        return 0
    return run_bot(config, webhook_url=args.webhook, listen=args.listen, port=args.port, secret=args.secret)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command; errors become one clear line."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "apscheduler", "telegram.ext"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"配置错误: {exc}", file=sys.stderr)
        return 2
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if config.token:
            return _run(argparse.Namespace(webhook=None, listen="0.0.0.0", port=8443, secret=None), config)
        return cli_ask.chat(argparse.Namespace(region=None), config)
    try:
        return handler(args, config)
    except KnowledgeError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
