"""`python -m bot reminders ...`: plan, queue due reminders, and edit the definitions."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from bot.cli_kb import open_kb
from bot.config import Config
from knowledge.outbox import Outbox
from scheduler.reminders import Reminders


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `reminders` command group."""
    rem = sub.add_parser("reminders", help="节日和截止日期提醒：计划、发送、修改")
    rs = rem.add_subparsers(dest="reminders_command", metavar="reminders_command", required=True)
    plan = rs.add_parser("plan", help="某年的提醒计划")
    plan.add_argument("--year", type=int, required=True, help="公历年份，如 2027")
    plan.add_argument("--region", help="地区（默认：所有有措施的地区）")
    plan.add_argument("--json", action="store_true", help='打印 {"reminders": [...]}')
    plan.set_defaults(handler=cmd_plan)
    due = rs.add_parser("send-due", help="把此刻到期的提醒放进发送队列（可重复执行，不会重复发送）")
    due.add_argument("--now", help="ISO 时间，如 2027-01-29T10:05:00+08:00（默认现在）")
    due.set_defaults(handler=cmd_send_due)
    ls = rs.add_parser("list", help="列出所有提醒")
    ls.set_defaults(handler=cmd_list)
    edit = rs.add_parser("edit", help="修改提醒的文字或时间")
    edit.add_argument("key", help="提醒的 key")
    edit.add_argument("--text", help="新文字（可用 {region} {measures} {overtime} 等占位）")
    edit.add_argument("--time", help="新时间 HH:MM")
    edit.set_defaults(handler=cmd_edit)
    add = rs.add_parser("add", help="给某地区加一个自定义提醒")
    add.add_argument("--region", required=True, help="地区")
    add.add_argument("--date", required=True, help="YYYY-MM-DD")
    add.add_argument("--time", required=True, help="HH:MM")
    add.add_argument("--text", required=True, help="提醒文字")
    add.set_defaults(handler=cmd_add)
    cancel = rs.add_parser("cancel", help="取消一个提醒")
    cancel.add_argument("key", help="提醒的 key")
    cancel.set_defaults(handler=cmd_cancel)


def _reminders(config: Config) -> Reminders:
    kb = open_kb(config)
    return Reminders(kb.db, kb, config.tz)


def cmd_plan(args: argparse.Namespace, config: Config) -> int:
    """Print the plan of a year."""
    items = _reminders(config).plan(args.year, args.region)
    if args.json:
        print(json.dumps({"reminders": [i.to_dict() for i in items]}, ensure_ascii=False, indent=1))
    else:
        for i in items:
            print(f"{i.date} {i.time:%H:%M} [{i.kind}] {i.name}（{i.region}）: {i.text}")
    return 0


def cmd_send_due(args: argparse.Namespace, config: Config) -> int:
    """Queue what is due now into the outbox."""
    reminders = _reminders(config)
    now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now(config.tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=config.tz)
    queued = reminders.send_due(now, Outbox(reminders.db, reminders.kb))
    for origin, count in queued:
        print(f"{origin}: {count} 人")
    print(f"共放入发送队列 {len(queued)} 条提醒")
    return 0


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """Print every definition."""
    for row in _reminders(config).list():
        state = "（已取消）" if row["cancelled"] else ""
        when = row["date"] or f"{row['holiday']}{row['offset_days']:+d}天"
        print(f"{row['key']}\t{when} {row['time']}\t{row['name']}{state}\t{row['text']}")
    return 0


def cmd_edit(args: argparse.Namespace, config: Config) -> int:
    """Change text or time."""
    _reminders(config).edit(args.key, "cli", text=args.text, time=args.time)
    print(f"已修改 {args.key}")
    return 0


def cmd_add(args: argparse.Namespace, config: Config) -> int:
    """Add a custom reminder."""
    key = _reminders(config).add_custom(args.region, dt.date.fromisoformat(args.date), args.time, args.text, "cli")
    print(f"已添加 {key}")
    return 0


def cmd_cancel(args: argparse.Namespace, config: Config) -> int:
    """Cancel a reminder."""
    _reminders(config).cancel(args.key, "cli")
    print(f"已取消 {args.key}")
    return 0
