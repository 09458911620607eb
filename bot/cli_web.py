"""`python -m bot web`: serve the web chat (and `run --web`: the bot and the web chat in one process)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from bot.config import Config

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `web` command."""
    web = sub.add_parser("web", help="运行网页聊天（手机浏览器、微信扫码即可打开）")
    add_options(web)
    web.set_defaults(handler=cmd_web)


def add_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Options shared by `web` and `run --web`."""
    parser.add_argument(f"--{prefix}host", default="0.0.0.0", help="网页监听地址（默认 0.0.0.0）")
    parser.add_argument(f"--{prefix}port", type=int, help="网页端口（默认 BOT_WEB_PORT，否则 8080）")
    parser.add_argument(f"--{prefix}rate", type=float, default=1.0,
                        help="每个访客每秒可提问次数（默认 1，可短时连问 20 次；同一地址合计 10 倍；0 = 不限）")


def _server(config: Config, services, host: str, port: int | None, rate: float):
    import uvicorn

    from web.app import create_app

    app = create_app(services, rate=rate, trusted_proxies=config.web_trusted_proxies)
    settings = uvicorn.Config(app, host=host, port=port or config.web_port, access_log=False,
                              proxy_headers=False, server_header=False, log_level="info")
    return uvicorn.Server(settings)


def local_url(host: str, port: int) -> str:
    """The address to open on this machine."""
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}/"


def cmd_web(args: argparse.Namespace, config: Config) -> int:
    """Serve the web chat alone."""
    from bot.services import Services

    services = Services.open(config)
    try:
        server = _server(config, services, args.host, args.port, args.rate)
        port = args.port or config.web_port
        print(f"网页聊天已启动：在浏览器打开 {local_url(args.host, port)}"
              + (f"（公网地址 {config.public_url}/）" if config.public_url else ""), flush=True)
        server.run()
    finally:
        services.close()
    return 0


class _EmbeddedServer:
    """uvicorn inside the bot's event loop: the bot keeps the signal handlers."""

    def __init__(self, server) -> None:
        self.server = server
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.server.capture_signals = contextlib.nullcontext   # the bot handles Ctrl-C
        self.task = asyncio.create_task(self.server.serve())

    async def stop(self) -> None:
        if self.task is not None:
            self.server.should_exit = True
            with contextlib.suppress(Exception):
                await self.task


def run_bot_with_web(config: Config, args: argparse.Namespace) -> None:
    """The Telegram bot (long polling or webhook) and the web chat in one process, one database."""
    from telegram import Update

    from bot.app import build_application
    from bot.services import Services

    services = Services.open(config)
    app = build_application(config, services)
    embedded = _EmbeddedServer(_server(config, services, args.web_host, args.web_port, args.web_rate))
    bot_post_init, bot_post_stop = app.post_init, app.post_stop

    async def post_init(application) -> None:
        if bot_post_init:
            await bot_post_init(application)
        await embedded.start()
        log.info("web chat on %s", local_url(args.web_host, args.web_port or config.web_port))

    async def post_stop(application) -> None:
        await embedded.stop()
        if bot_post_stop:
            await bot_post_stop(application)

    app.post_init, app.post_stop = post_init, post_stop
    if args.webhook:
        path = config.token.split(":")[0]
        app.run_webhook(listen=args.listen, port=args.port, url_path=path, secret_token=args.secret,
                        webhook_url=f"{args.webhook.rstrip('/')}/{path}", allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
