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
    group.add_argument("--xlsx", type=Path, metavar="FILE", help="写成 Excel 表格")
    export.set_defaults(handler=cmd_export)

    imp = kb_sub.add_parser("import", help="从 YAML/CSV/XLSX 导入：先全部校验，列出增改删，再一次性写入")
    imp.add_argument("file", type=Path, help=".yaml、.csv 或 .xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只显示会做什么，不写入")
    imp.add_argument("--delete-missing", action="store_true",
                     help=f"删除文件里没有的条目（超过知识库的 {DELETE_LIMIT:.0%} 时还要加 --yes；都可以用审计日志撤销）")
    imp.add_argument("--yes", action="store_true", help="确认大批量删除")
    imp.add_argument("--actor", default="cli", help="写进审计日志的操作人")
    imp.set_defaults(handler=cmd_import)

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
        json.dump({"entries": [e.to_dict() for e in kb.entries()]}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if args.csv:
        args.csv.write_text(export_csv(kb.entries()), encoding="utf-8")
        print(f"已写入 {args.csv}")
        return 0
    if args.xlsx:
        export_xlsx(kb.entries(), args.xlsx)
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
    return 0


def cmd_stats(args: argparse.Namespace, config: Config) -> int:
    """Counts per intent, region and source."""
    stats = open_kb(config).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    print(f"条目 {stats['entries']}，问法 {stats['questions']}")
    for key, title in (("by_intent", "按意图"), ("by_region", "按地区"), ("by_source", "按来源")):
        print(f"\n{title}:")
        for name, n in stats[key].items():
            print(f"  {name:32} {n}")
    return 0
