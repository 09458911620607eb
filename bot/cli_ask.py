"""`python -m bot ask|eval|chat|bench`: the matcher from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import json
import sys
from pathlib import Path

from bot.config import Config
from bot.services import Services
from intents.assistant import Assistant
from intents.conversation import State, turn
from intents.evaluate import default_files, evaluate, load_set
from intents.matcher import Matcher, MatchResult
from intents.reply import reply_text
from knowledge.errors import NotFound

LOCAL_USER = 0
CHAT_HELP = ("直接输入问题即可。命令：/region 地区（设置所在地区，如 /region 安庆市迎江区）、"
             "/forget（删除本地保存的信息）、/help、/quit")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ask, eval, chat and bench."""
    ask = sub.add_parser("ask", help="问一个问题，打印回答（--json 输出机器可读结果）")
    ask.add_argument("text", nargs="?", help="问题；用 --jsonl 时从标准输入读")
    ask.add_argument("--region", help="用户保存的地区（全称或简称）")
    ask.add_argument("--previous", metavar="ENTRY_ID", help="上一个话题的条目 id（用于追问）")
    ask.add_argument("--today", type=_day, help="假定今天是这一天（YYYY-MM-DD），看某个日期工人会看到什么")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    mode.add_argument("--jsonl", action="store_true",
                      help='从标准输入逐行读（纯文本或 {"text": ..., "region": ...}），每行输出一个 JSON 对象')
    ask.set_defaults(handler=cmd_ask)

    ev = sub.add_parser("eval", help="在标注集上评估：准确率、各意图精确率/召回率、混淆、错误")
    ev.add_argument("file", nargs="?", type=Path, help="JSONL 标注集（默认 tests/data/ 下所有 eval*.jsonl）")
    ev.add_argument("--json", action="store_true", help="JSON 输出")
    ev.add_argument("--misses", type=int, default=40, help="最多列出多少条错误")
    ev.add_argument("--robust", action="store_true",
                    help="再看稳定性：答对的每一轮换种打法（加“你好”“谢谢”、表情、繁体、不打空格）再问，还答对的比例")
    ev.set_defaults(handler=cmd_eval)

    chat_p = sub.add_parser("chat", help="在终端里和机器人聊天（不需要 token 和网络）")
    chat_p.add_argument("--region", help="先设置所在地区")
    chat_p.add_argument("--today", type=_day, help="假定今天是这一天（YYYY-MM-DD）")
    chat_p.set_defaults(handler=chat)

    bench = sub.add_parser("bench", help="性能测试：匹配延迟 p50/p99、内存、1 万条合成知识库、启动时间")
    bench.add_argument("--quick", action="store_true", help="少跑几轮（用于冒烟测试）")
    bench.set_defaults(handler=cmd_bench)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD: {text}") from None


def _with_today(config: Config, args: argparse.Namespace) -> Config:
    day = getattr(args, "today", None)
    return dataclasses.replace(config, today_override=day) if day else config


def result_json(result: MatchResult, services: Services) -> dict:
    """The JSON contract of `ask --json`."""
    entry = result.entry
    return {
        "intent": result.intent,
        "entry_id": entry.id if entry else None,
        "title": entry.title if entry else None,
        "score": result.score,
        "fallback": result.fallback,
        "region": result.region,
        "answer": reply_text(result, services.gazetteer, services.config.today()),
        "candidates": [c.to_dict() for c in result.candidates],
        "latency_ms": result.latency_ms,
        "needs_region": result.needs_region,
        "ambiguous": result.ambiguous,
        "followup": result.followup,
        "kind": result.kind,
        "aspect": result.aspect,
        "entries": [e.id for e in result.entries],
        "region_options": result.region_options,
    }


def _region(services: Services, name: str | None) -> str | None:
    if not name:
        return None
    try:
        return services.gazetteer.resolve(name).name
    except NotFound:
        print(f"不认识的地区: {name}", file=sys.stderr)
        return None


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    """Answer one question, or every line of standard input (the conversation carries on)."""
    services = Services.open(_with_today(config, args))
    default_region = _region(services, args.region)
    if args.jsonl:
        state = State(topic=args.previous)
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace") \
            if hasattr(sys.stdin, "buffer") else sys.stdin
        for n, line in enumerate(stdin, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            try:
                text, region, state = _jsonl_line(services, line, default_region, state)
                result, state = turn(services.matcher, state, text, region)
                out = result_json(result, services)
            except (BadLine, NotFound) as exc:
                out = {"line": n, "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if args.text is None:
        print("请给出问题，例如: python -m bot ask \"留岗红包怎么领\"", file=sys.stderr)
        return 2
    result = services.matcher.match(args.text, default_region, args.previous)
    if args.json:
        print(json.dumps(result_json(result, services), ensure_ascii=False))
    else:
        print(reply_text(result, services.gazetteer, services.config.today()))
    return 0


class BadLine(ValueError):
    """A line of `ask --jsonl` that is not a question."""


def _jsonl_line(services: Services, line: str, default_region: str | None,
                state: State) -> tuple[str, str | None, State]:
    """(text, saved region, state) from one input line: plain text or a JSON object."""
    if not line.lstrip().startswith(("{", "[", '"')):
        return line, default_region, state
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise BadLine(f"不是有效的 JSON: {str(exc)[:80]}") from None
    if isinstance(obj, str):
        return obj, default_region, state
    if not isinstance(obj, dict):
        raise BadLine("每行应是一个问题，或 {\"text\": ..., \"region\": ...} 形式的对象")
    text = obj.get("text")
    if not isinstance(text, str):
        raise BadLine("text 必须是字符串")
    region = default_region
    if obj.get("region") is not None:
        if not isinstance(obj["region"], str):
            raise BadLine("region 必须是字符串")
        region = _region(services, obj["region"])
        if region != state.saved:          # the line says the worker is somewhere else now
            state = State(topic=state.topic, intent=state.intent, saved=region)
    if "previous" in obj:
        previous = obj["previous"]
        if previous is not None and not isinstance(previous, str):
            raise BadLine("previous 必须是条目 id 字符串")
        state = State(topic=previous, region=state.region)
    elif isinstance(obj.get("context"), str) and obj["context"]:
        _, state = turn(services.matcher, State(), obj["context"], region)
    if obj.get("reset"):
        state = State()
    return text, region, state


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    """Evaluate the matcher on a labelled set."""
    files = [args.file] if args.file else default_files()
    if not files:            # an installed package has no tests/data: say so instead of failing
        print("没有找到标注集（默认在源码的 tests/data/eval*.jsonl）。请指定文件：python -m bot eval 标注集.jsonl",
              file=sys.stderr)
        return 1
    services = Services.open(config)
    try:
        rows = [row for path in files for row in load_set(path)]
    except (OSError, ValueError) as exc:
        print(f"读不了标注集: {exc}", file=sys.stderr)
        return 1
    today = dt.date.today()
    report = evaluate(services.matcher, rows, today)
    steady = None
    if args.robust:
        from intents.robustness import robustness  # (its replays and zhconv only when asked)

        steady = robustness(services.matcher, rows, today)
    if args.json:
        out = report.to_dict()
        if steady is not None:
            out["robustness"] = {name: {"tried": s.tried, "kept": s.kept, "share": s.share} for name, s in steady.items()}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(report.text(args.misses))
        if steady is not None:
            from intents.robustness import robustness_text

            print("\n" + robustness_text(steady))
    return 0


def chat(args: argparse.Namespace, config: Config) -> int:
    """A terminal chat on the same engine as the Telegram bot."""
    services = Services.open(_with_today(config, args))
    assistant = Assistant(services.matcher, services.users, today=services.config.today)
    if getattr(args, "region", None):
        _chat_region(assistant, args.region)
    print("暖心助手（终端版）。" + CHAT_HELP)
    while True:
        try:
            line = input("你> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            return 0
        if line in ("/help", "/start"):
            print(CHAT_HELP)
            continue
        if line.startswith("/region"):
            _chat_region(assistant, line[len("/region"):].strip())
            continue
        if line == "/forget":
            services.users.forget(LOCAL_USER)
            print("已删除本地保存的地区和话题。")
            continue
        if line.startswith("/"):
            print("没有这个命令。" + CHAT_HELP)
            continue
        answer = assistant.ask(LOCAL_USER, line)
        print("助手> " + answer.card.plain().replace("\n", "\n      "))
        if answer.offer_region:
            print(f"      （要把地区保存为{services.gazetteer.short(answer.offer_region)}吗？输入 /region "
                  f"{services.gazetteer.short(answer.offer_region)}）")


def _chat_region(assistant: Assistant, text: str) -> None:
    if not text:
        user = assistant.users.get(LOCAL_USER)
        print(f"当前地区：{assistant.gazetteer.short(user.region) or '未设置'}。用法：/region 安庆市迎江区")
        return
    try:
        region = assistant.gazetteer.resolve(text)
    except NotFound:
        print(f"没找到“{text}”这个地区。可以试试：安庆、迎江区、上海、长沙芙蓉区、福州晋安区、曲靖麒麟区。")
        return
    answer = assistant.save_region(LOCAL_USER, region.name)
    print(f"好的，地区已设为{region.short}。")
    if answer is not None:
        print("助手> " + answer.card.plain().replace("\n", "\n      "))


def cmd_bench(args: argparse.Namespace, config: Config) -> int:
    """Run the matcher benchmark and print its table."""
    from intents.benchmark import run_benchmark

    print(run_benchmark(quick=args.quick))
    return 0


__all__ = ["Matcher", "chat", "register"]
