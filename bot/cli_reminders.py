"""`python -m bot reminders ...`: plan, queue due reminders, and edit the definitions."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from bot.cli_kb import open_kb
from bot.config import Config
from knowledge.outbox import Outbox
from scheduler.definitions import DEADLINE_KEY
from scheduler.holidays import HOLIDAY_NAMES
from scheduler.reminders import Reminders

ACTOR = "cli"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期要写成 YYYY-MM-DD，不是 {text!r}") from None


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间要写成 ISO 格式（如 2027-01-29T10:05），不是 {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `reminders` command group."""
    rem = sub.add_parser("reminders", help="节日和截止日期提醒：计划、发送、修改",
                         description="节日提醒（小年、除夕、元宵等，按农历计算）、措施截止提醒和自定义提醒。"
                                     "22:00 到 08:00 不发，推到 08:00。")
    rs = rem.add_subparsers(dest="reminders_command", metavar="reminders_command", required=True)

    plan = rs.add_parser("plan", help="列出某年的提醒计划（日期、时间已按免打扰时段调整）")
    plan.add_argument("--year", type=int, required=True, help="春节所在的公历年份，如 2027")
    plan.add_argument("--region", help="只看这个地区的工友会收到的提醒（默认：每个有措施的地区）")
    plan.add_argument("--json", action="store_true", help='打印 {"reminders": [...]}')
    plan.set_defaults(handler=cmd_plan)

    due = rs.add_parser("send-due", help="把此刻到期的提醒放进发送队列（可重复执行，不会重复发送）")
    due.add_argument("--now", type=_moment, help="当作现在的时间，ISO 格式，如 2027-01-29T10:05:00+08:00；"
                                                 "不带时区按 BOT_TIMEZONE（默认：现在）")
    due.set_defaults(handler=cmd_send_due)

    ls = rs.add_parser("list", help="列出所有提醒的定义（含已取消的）")
    ls.add_argument("--json", action="store_true", help='打印 {"definitions": [...]}')
    ls.set_defaults(handler=cmd_list)

    edit = rs.add_parser("edit", help="修改提醒的文字或时间（写审计日志）")
    edit.add_argument("key", help="提醒的 key（见 reminders list），截止提醒的模板是 deadline")
    edit.add_argument("--text", help="新文字，可用占位符 {region} {measures} {meals} {overtime} {stations} "
                                     "{activities} {jobs} {items} {date} {year}")
    edit.add_argument("--time", help="新时间 HH:MM（当地时间）")
    edit.set_defaults(handler=cmd_edit)

    add = rs.add_parser("add", help="给某地区（含下级地区）加一个自定义提醒")
    add.add_argument("--region", required=True, help="地区名或简称，如 安庆、上海市")
    add.add_argument("--date", required=True, type=_date, help="日期 YYYY-MM-DD")
    add.add_argument("--time", required=True, help="时间 HH:MM（22:00-08:00 会推到 08:00）")
    add.add_argument("--text", required=True, help="提醒文字（也可用占位符，如 {region}）")
    add.set_defaults(handler=cmd_add)

    cancel = rs.add_parser("cancel", help="取消一个提醒；deadline-<条目id> 只取消这条措施的截止提醒")
    cancel.add_argument("key", help="提醒的 key，或 deadline-<条目id>")
    cancel.set_defaults(handler=cmd_cancel)


def _reminders(config: Config) -> Reminders:
    kb = open_kb(config)
    return Reminders(kb.db, kb, config.tz)


def cmd_plan(args: argparse.Namespace, config: Config) -> int:
    """Print the plan of a year."""
    items = _reminders(config).plan(args.year, args.region)
    if args.json:
        print(json.dumps({"reminders": [i.to_dict() for i in items]}, ensure_ascii=False, indent=1))
        return 0
    for i in items:
        print(f"{i.date} {i.time:%H:%M} [{i.kind}] {i.name}（{i.region}）\n  " + i.text.replace("\n", "\n  "))
    print(f"共 {len(items)} 条提醒")
    return 0


def cmd_send_due(args: argparse.Namespace, config: Config) -> int:
    """Queue what is due now into the outbox."""
    reminders = _reminders(config)
    now = args.now or dt.datetime.now(config.tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=config.tz)
    queued = reminders.send_due(now, Outbox(reminders.db, reminders.kb))
    for origin, count in queued:
        print(f"{origin}: {count} 人")
    print(f"共放入发送队列 {len(queued)} 条提醒")
    return 0


def _when(row: dict) -> str:
    if row["kind"] == "custom":
        return f"{row['date']} {row['time']}"
    if row["kind"] == "holiday":
        return f"{HOLIDAY_NAMES.get(row['holiday'], row['holiday'])}{row['offset_days'] or 0:+d}天 {row['time']}"
    if row["key"] == DEADLINE_KEY:
        return f"截止前{-(row['offset_days'] or 0)}天 {row['time']}"
    return "不提醒"


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """Print every definition."""
    rows = _reminders(config).list()
    if args.json:
        print(json.dumps({"definitions": rows}, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        state = "（已取消）" if row["cancelled"] else ""
        where = f" {row['region']}" if row["region"] else ""
        print(f"{row['key']}\t{_when(row)}\t{row['name']}{where}{state}")
        if row["text"]:
            print("  " + row["text"].replace("\n", "\n  "))
    return 0


def cmd_edit(args: argparse.Namespace, config: Config) -> int:
    """Change text or time."""
    row = _reminders(config).edit(args.key, ACTOR, text=args.text, time=args.time)
    print(f"已修改 {args.key}：{row['time']} {row['text']}")
    return 0


def cmd_add(args: argparse.Namespace, config: Config) -> int:
    """Add a custom reminder."""
    key = _reminders(config).add_custom(args.region, args.date, args.time, args.text, ACTOR)
    print(f"已添加 {key}")
    return 0


def cmd_cancel(args: argparse.Namespace, config: Config) -> int:
    """Cancel a reminder."""
    _reminders(config).cancel(args.key, ACTOR)
    print(f"已取消 {args.key}")
    return 0
