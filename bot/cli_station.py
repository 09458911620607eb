"""`python -m bot station ...`: create, list and edit stations, invite operators, print QR codes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.cli_kb import open_kb
from bot.config import Config
from knowledge.stations import STATION_FIELDS, Stations


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `station` command group."""
    st = sub.add_parser("station", help="服务站：新增、列表、修改、邀请工作人员、二维码")
    st_sub = st.add_subparsers(dest="station_command", metavar="station_command", required=True)

    add = st_sub.add_parser("add", help="新增服务站")
    add.add_argument("--name", required=True, help="名称")
    add.add_argument("--region", required=True, help="地区（全称或简称）")
    for name, text in (("address", "地址"), ("phone", "电话"), ("hours", "春节开放时间")):
        add.add_argument(f"--{name}", default="", help=text)
    add.add_argument("--lat", type=float, help="纬度")
    add.add_argument("--lon", type=float, help="经度")
    add.set_defaults(handler=cmd_add)

    ls = st_sub.add_parser("list", help="列出服务站")
    ls.set_defaults(handler=cmd_list)

    edit = st_sub.add_parser("edit", help="修改服务站的一个字段")
    edit.add_argument("id", type=int, help="服务站编号")
    edit.add_argument("field", choices=STATION_FIELDS, help="字段")
    edit.add_argument("value", help="新值")
    edit.set_defaults(handler=cmd_edit)

    qr = st_sub.add_parser("qr", help="生成可打印的 A4 二维码海报（PNG 和 PDF）；设了 BOT_PUBLIC_URL 时大码打开网页聊天")
    qr.add_argument("id", type=int, help="服务站编号")
    qr.add_argument("--bot", default=os.environ.get("TELEGRAM_BOT_USERNAME", ""),
                    help="机器人用户名（默认取 TELEGRAM_BOT_USERNAME，没有就用 token 向 Telegram 查询）")
    qr.add_argument("--url", help="网页聊天的公网地址（默认取 BOT_PUBLIC_URL）")
    qr.add_argument("--out", type=Path, help="PNG 文件（默认 station-<ID>.png；PDF 写在旁边）")
    qr.add_argument("--code-only", action="store_true", help="只要二维码图片，不要海报")
    qr.set_defaults(handler=cmd_qr)

    invite = st_sub.add_parser("invite", help="生成一次性工作人员邀请链接（48 小时有效）")
    invite.add_argument("id", type=int, help="服务站编号")
    invite.add_argument("--bot", default=os.environ.get("TELEGRAM_BOT_USERNAME", ""), help="机器人用户名")
    invite.set_defaults(handler=cmd_invite)


def _stations(config: Config) -> Stations:
    kb = open_kb(config)
    return Stations(kb.db, kb, config.admin_ids)


def cmd_add(args: argparse.Namespace, config: Config) -> int:
    """Create a station."""
    data = {k: getattr(args, k) for k in STATION_FIELDS}
    station = _stations(config).create(data, "cli")
    print(f"已创建服务站 #{station.id} {station.name}（{station.region}）")
    return 0


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """Print every station."""
    for s in _stations(config).all():
        print(f"#{s.id}\t{s.name}\t{s.region}\t{s.address}\t{s.phone}\t{s.hours}")
    return 0


def cmd_edit(args: argparse.Namespace, config: Config) -> int:
    """Change one field."""
    station = _stations(config).update(args.id, {args.field: args.value}, "cli")
    print(f"已更新 #{station.id} {station.name}")
    return 0


def bot_username(config: Config) -> str:
    """The bot's username from Telegram (getMe); empty without a token or when unreachable."""
    if not config.token:
        return ""
    import asyncio

    from telegram import Bot
    from telegram.error import TelegramError

    async def ask() -> str:
        async with Bot(config.token, base_url=config.api_base_url) as bot:
            return bot.username

    try:
        return asyncio.run(ask())
    except TelegramError as exc:
        print(f"没能从 Telegram 取得机器人用户名：{exc}", file=sys.stderr)
        return ""


def cmd_qr(args: argparse.Namespace, config: Config) -> int:
    """Write the station's poster (A4 PNG and PDF), or with --code-only just its QR code."""
    from bot.handlers_admin import qr_png, station_link
    from bot.poster import station_web_link, write_poster

    public_url = (args.url or config.public_url).rstrip("/")
    username = args.bot.lstrip("@") or bot_username(config)
    if not username and not public_url:
        print("请用 --bot 指定机器人用户名（或设置 TELEGRAM_BOT_TOKEN，从 Telegram 取得），或设置 BOT_PUBLIC_URL（网页聊天）")
        return 2
    stations = _stations(config)
    station = stations.get(args.id)
    out = args.out or Path(f"station-{station.id}.png")
    if args.code_only:
        link = station_web_link(public_url, station.id) if public_url else station_link(username, station.id)
        out.write_bytes(qr_png(link))
        print(f"已写入 {out}：{link}")
        return 0
    files = write_poster(station, stations.gazetteer.short(station.region), out, public_url=public_url,
                         bot_username=username)
    print(f"已写入海报 {files.png}" + (f" 和 {files.pdf}" if files.pdf else "") + f"：{files.main_link}")
    if files.second_link:
        print(f"  小码（Telegram）：{files.second_link}")
    return 0


def cmd_invite(args: argparse.Namespace, config: Config) -> int:
    """Print a one-time operator invite link."""
    token = _stations(config).create_invite(args.id, 0)
    bot = args.bot.lstrip("@") or bot_username(config) or "<机器人用户名>"
    print(f"https://t.me/{bot}?start=op_{token}")
    return 0
