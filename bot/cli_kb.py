"""`python -m bot kb ...`: load, validate, export and inspect the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import Config
from knowledge import Gazetteer, KnowledgeBase, open_db
from knowledge.errors import ValidationError
from knowledge.gazetteer import DATA_DIR
from knowledge.tabular import apply_import, export_csv, export_xlsx, plan_import
from knowledge.yamlio import read_dir, write_dir

DELETE_LIMIT = 0.2   # --delete-missing may remove at most this share of the KB without --yes


def _outputs(parser: argparse.ArgumentParser, yaml_help: str, xlsx_help: str) -> None:
    """--json (the default) | --yaml FILE | --xlsx FILE, for commands that print drafts."""
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help='打印 {"entries": [...]}（默认）')
    out.add_argument("--yaml", type=Path, metavar="FILE", help=yaml_help)
    out.add_argument("--xlsx", type=Path, metavar="FILE", help=xlsx_help)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `kb` command group."""
    kb = sub.add_parser("kb", help="知识库：加载、校验、导出、统计")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="kb_command", required=True)

    load = kb_sub.add_parser("load", help="把 YAML 文件加载进数据库（可重复执行；保留管理员的修改）")
    load.add_argument("--dir", type=Path, default=DATA_DIR, help="YAML 目录（默认随程序发布的 knowledge/data）")
    load.add_argument("--force", action="store_true", help="以 YAML 为准，覆盖管理员的修改（会写审计日志）")
    load.set_defaults(handler=cmd_load)

    validate = kb_sub.add_parser("validate", help="只校验 YAML 文件，不改数据库")
    validate.add_argument("--dir", type=Path, default=DATA_DIR, help="YAML 目录")
    validate.set_defaults(handler=cmd_validate)

    export = kb_sub.add_parser("export", help="导出知识库（--json 打印到屏幕，--yaml 写入目录）")
    group = export.add_mutually_exclusive_group(required=True)
    group.add_argument("--json", action="store_true", help='打印 {"entries": [...]}')
    group.add_argument("--yaml", type=Path, metavar="DIR", help="按来源文件写成 YAML")
    group.add_argument("--csv", type=Path, metavar="FILE", help="写成 CSV（列表字段用 | 分隔）")
    group.add_argument("--xlsx", type=Path, metavar="FILE", help="写成 Excel 表格（带下拉框和“说明”表）")
    export.add_argument("--headers", choices=("zh", "en"), default="zh",
                        help="表格表头用中文（默认）还是英文字段名；导入时两种都认")
    export.set_defaults(handler=cmd_export)

    imp = kb_sub.add_parser("import", help="从 YAML/CSV/XLSX 导入：先全部校验，列出增改删，再一次性写入")
    imp.add_argument("file", type=Path, help=".yaml、.csv 或 .xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只显示会做什么，不写入")
    imp.add_argument("--delete-missing", action="store_true",
                     help=f"删除文件里没有的条目（超过知识库的 {DELETE_LIMIT:.0%} 时还要加 --yes；都可以用审计日志撤销）")
    imp.add_argument("--yes", action="store_true", help="确认大批量删除")
    imp.add_argument("--actor", default="cli", help="写进审计日志的操作人")
    imp.set_defaults(handler=cmd_import)

    draft = kb_sub.add_parser("draft", help="把一份新通知拆成待审核的草稿条目（不会给工人看）")
    draft.add_argument("notice", type=Path, help="通知的文本文件（.txt / .md）")
    draft.add_argument("--region", required=True, help="通知所属地区（全称或简称）")
    draft.add_argument("--season", type=int, help="哪一年春节的措施（默认：即将到来的春节）")
    draft.add_argument("--name", help="来源里怎么称呼这份通知（默认：文件名）")
    _outputs(draft, "写成 YAML（可直接 kb import）", "写成 Excel 表格，带“待核实”列")
    draft.set_defaults(handler=cmd_draft)

    roll = kb_sub.add_parser("rollover", help="把某地区上一年的措施复制成新一年的草稿（日期清空、未确认）")
    roll.add_argument("--region", required=True, help="地区（全称或简称；含下辖地区）")
    roll.add_argument("--to-season", type=int, required=True, help="新的一年，如 2027")
    _outputs(roll, "写成 YAML", "写成 Excel 表格")
    roll.set_defaults(handler=cmd_rollover)

    sea = kb_sub.add_parser("season", help="即将到来的春节，以及各地区有没有这一年的措施")
    sea.add_argument("--region", help="只看一个地区（含上级地区的措施）")
    sea.add_argument("--today", help="假定今天是这一天（YYYY-MM-DD）")
    sea.set_defaults(handler=cmd_season)

    stats = kb_sub.add_parser("stats", help="条目数：按意图、地区、来源")
    stats.add_argument("--json", action="store_true", help="JSON 输出")
    stats.set_defaults(handler=cmd_stats)


def open_kb(config: Config) -> KnowledgeBase:
    """The knowledge base in the configured database, loaded on first use."""
    kb = KnowledgeBase(open_db(config.database), Gazetteer.from_yaml())
    kb.ensure_loaded()
    return kb


def cmd_load(args: argparse.Namespace, config: Config) -> int:
    """Load YAML into the database in one transaction."""
    kb = KnowledgeBase(open_db(config.database), Gazetteer.from_yaml())
    try:
        report = kb.load(args.dir, force=args.force)
    except ValidationError as exc:
        print("YAML 有错误，数据库没有改动：\n" + exc.describe(), file=sys.stderr)
        return 1
    print(report.summary())
    changed = set(report.added) | set(report.updated)
    if changed:
        _announce(kb, config, [e for e in kb.entries() if e.id in changed])
    return 0


def cmd_validate(args: argparse.Namespace, config: Config) -> int:
    """Check every file and entry; print all problems."""
    try:
        items = read_dir(args.dir, Gazetteer.from_yaml())
    except ValidationError as exc:
        print(exc.describe(), file=sys.stderr)
        return 1
    print(f"没有问题：{len(items)} 个条目")
    return 0


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    """Print JSON or write YAML files."""
    kb = open_kb(config)
    if args.json:
        json.dump({"entries": [e.to_dict() for e in kb.entries(include_unconfirmed=True)]}, sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if args.csv:
        args.csv.write_text(export_csv(kb.entries(include_unconfirmed=True), args.headers), encoding="utf-8-sig")
        print(f"已写入 {args.csv}")
        return 0
    if args.xlsx:
        export_xlsx(kb.entries(include_unconfirmed=True), args.xlsx, args.headers, sorted(kb.gazetteer.regions))
        print(f"已写入 {args.xlsx}")
        return 0
    written = write_dir(kb.sourced(), args.yaml)
    print(f"已写入 {len(written)} 个文件到 {args.yaml}")
    return 0


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    """Validate a whole file, show the plan, apply it in one transaction."""
    kb = open_kb(config)
    try:
        plan = plan_import(kb, args.file)
    except ValidationError as exc:
        print("文件有错误，什么都没有改：\n" + exc.describe(), file=sys.stderr)
        return 1
    print(plan.text(args.delete_missing))
    total = len(kb.entries())
    if args.delete_missing and plan.missing and len(plan.missing) > DELETE_LIMIT * total and not args.yes:
        print(f"不导入：--delete-missing 会删除 {len(plan.missing)} 条，占知识库 {total} 条的 "
              f"{len(plan.missing) / max(total, 1):.0%}（超过 {DELETE_LIMIT:.0%}）。确认无误请加 --yes。",
              file=sys.stderr)
        return 1
    if args.dry_run:
        print("（--dry-run：没有写入）")
        return 0
    apply_import(kb, plan, f"cli:{args.actor}", args.delete_missing)
    print("已导入。")
    _announce(kb, config, [*plan.add, *(entry for entry, _ in plan.change)])
    return 0


def _announce(kb: KnowledgeBase, config: Config, changed: list) -> None:
    """Queue the one-time "this season's measures are out" notice for the regions concerned."""
    from knowledge.outbox import Outbox
    from knowledge.season_notice import announce
    from knowledge.stations import Stations

    created = announce(changed, kb.entries(), Stations(kb.db, kb, config.admin_ids), Outbox(kb.db, kb),
                       config.today())
    if created:
        print(f"已排队通知订阅者：{len(created)} 个地区的新措施（机器人运行时会发出）。")


def cmd_stats(args: argparse.Namespace, config: Config) -> int:
    """Counts per intent, region and source."""
    stats = open_kb(config).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    print(f"条目 {stats['entries']}，问法 {stats['questions']}")
    print(f"待确认的草稿 {stats['unconfirmed']}（不会给工人看）")
    for key, title in (("by_kind", "按类型"), ("by_season", "当年措施按年份"), ("by_intent", "按意图"),
                       ("by_region", "按地区"), ("by_source", "按来源")):
        print(f"\n{title}:")
        for name, n in stats[key].items():
            print(f"  {name:32} {n}")
    return 0


def _write_drafts(entries: list, review: dict[str, list[str]], args: argparse.Namespace, kb: KnowledgeBase) -> None:
    import yaml

    from knowledge.yamlio import entry_to_yaml_dict

    if args.xlsx:
        export_xlsx(entries, args.xlsx, "zh", sorted(kb.gazetteer.regions), review=review)
        print(f"已写入 {args.xlsx}（{len(entries)} 条草稿，“待核实”列写了要核对的地方；核实后把“已确认”改成“是”再导入）")
        return
    rows = []
    for entry in entries:
        row = entry_to_yaml_dict(entry) | {"confirmed": False}
        if review.get(entry.id):
            row["review"] = review[entry.id]
        rows.append(row)
    if args.yaml:
        args.yaml.write_text(yaml.safe_dump({"entries": rows}, allow_unicode=True, sort_keys=False, width=1000),
                             encoding="utf-8")
        print(f"已写入 {args.yaml}（{len(entries)} 条草稿）")
        return
    data = []
    for entry in entries:
        item = entry.to_dict()
        item.pop("issued", None)
        item.pop("cited_as", None)
        data.append(item | {"review": review.get(entry.id, [])})
    json.dump({"entries": data}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def cmd_draft(args: argparse.Namespace, config: Config) -> int:
    """Draft entries from a notice, for review."""
    from intents import Matcher
    from knowledge.draft import draft_notice
    from knowledge.season import coming_season

    kb = open_kb(config)
    region = kb.gazetteer.resolve(args.region).name
    try:
        text = args.notice.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"读不了通知: {exc}", file=sys.stderr)
        return 1
    season = args.season or coming_season(config.today()).year
    matcher = Matcher(kb)
    drafts = draft_notice(text, region, kb.gazetteer, lambda t: matcher.match(t).intent, season,
                          args.name or args.notice.name)
    if not drafts:
        print("没在通知里找到编号的条目（一、（一）、1.）。", file=sys.stderr)
        return 1
    _write_drafts([d.entry for d in drafts], {d.entry.id: d.review for d in drafts}, args, kb)
    return 0


def cmd_rollover(args: argparse.Namespace, config: Config) -> int:
    """Last year's measures of a region as an unconfirmed draft for the new season."""
    from knowledge.draft import rollover

    kb = open_kb(config)
    region = kb.gazetteer.resolve(args.region).name
    copies = rollover(kb.entries(), region, args.to_season, kb.gazetteer.descendants(region) | {region})
    if not copies:
        print(f"{kb.gazetteer.short(region)}没有更早年份的当年措施可以沿用。", file=sys.stderr)
        return 1
    note = [f"沿用上一年的做法：{args.to_season}年有没有、金额和日期都要按新通知核实；没有的整行删除"]
    _write_drafts(copies, {e.id: list(note) for e in copies}, args, kb)
    return 0


def cmd_season(args: argparse.Namespace, config: Config) -> int:
    """The coming Spring Festival and, per region, whether its measures are in the knowledge base."""
    import datetime as dt

    from knowledge.season import coming_season, has_measures, measures_for

    today = dt.date.fromisoformat(args.today) if args.today else config.today()
    kb = open_kb(config)
    coming = coming_season(today)
    print(f"今天 {today}：即将到来的是{coming.year}年春节（除夕 {coming.chuxi}，春节 {coming.chunjie}），"
          f"这一季到 {coming.ends} 为止。")
    entries = kb.entries()
    regions = sorted({e.region for e in entries if e.kind == "seasonal"})
    if args.region:
        regions = [kb.gazetteer.resolve(args.region).name]
    for region in regions:
        chain = set(kb.gazetteer.ancestors(region)) | {region}
        own = measures_for(entries, region, coming.year)
        state = (f"已有 {len(own)} 项" if own else
                 "上级地区已有" if has_measures(entries, region, today, chain) else "还没有")
        print(f"  {kb.gazetteer.short(region):12} {coming.year}年措施：{state}")
    return 0
