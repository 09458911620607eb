"""Evaluation on a labelled set: top-1 intent accuracy, per-intent precision and recall,
confusions, out-of-scope rejection, region accuracy and the misses."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from intents.conversation import State, turn
from intents.matcher import Matcher, MatchResult
from intents.reply import reply_text

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval.jsonl"
NOT_IN_SCOPE = {"out_of_scope"}


@dataclass
class EvalReport:
    """Numbers from one evaluation run."""

    total: int = 0
    correct: int = 0
    in_scope: int = 0
    in_scope_correct: int = 0
    oos: int = 0
    oos_rejected: int = 0
    region_checked: int = 0
    region_correct: int = 0
    facts_checked: int = 0
    facts_correct: int = 0
    kind_checked: int = 0
    kind_correct: int = 0
    conversations: int = 0
    conversations_correct: int = 0
    turns: int = 0
    turns_correct: int = 0
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    per_tag: dict[str, tuple[int, int]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form (misses included)."""
        lat = sorted(self.latencies)
        return {
            "total": self.total, "top1_accuracy": _ratio(self.correct, self.total),
            "in_scope_accuracy": _ratio(self.in_scope_correct, self.in_scope),
            "oos_rejection": _ratio(self.oos_rejected, self.oos),
            "region_accuracy": _ratio(self.region_correct, self.region_checked),
            "facts_accuracy": _ratio(self.facts_correct, self.facts_checked),
            "kind_accuracy": _ratio(self.kind_correct, self.kind_checked),
            "conversations": self.conversations,
            "conversations_accuracy": _ratio(self.conversations_correct, self.conversations),
            "turns": self.turns, "turn_accuracy": _ratio(self.turns_correct, self.turns),
            "per_intent": self.per_intent,
            "per_tag": {k: {"n": n, "accuracy": _ratio(c, n)} for k, (n, c) in self.per_tag.items()},
            "confusions": [{"expected": a, "got": b, "count": n} for a, b, n in self.confusions],
            "latency_ms_p50": lat[len(lat) // 2] if lat else None,
            "latency_ms_p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else None,
            "misses": self.misses,
        }

    def text(self, max_misses: int = 40) -> str:
        """Human-readable report."""
        d = self.to_dict()
        out = [f"问题数 {self.total}，top-1 意图准确率 {d['top1_accuracy']:.1%}",
               f"范围内准确率 {d['in_scope_accuracy']:.1%}（{self.in_scope_correct}/{self.in_scope}）",
               f"范围外拒答率 {d['oos_rejection']:.1%}（{self.oos_rejected}/{self.oos}）",
               f"地区准确率 {d['region_accuracy']:.1%}（{self.region_correct}/{self.region_checked}）",
               f"答案含所问事实 {d['facts_accuracy']:.1%}（{self.facts_correct}/{self.facts_checked}）",
               f"回答类型 {d['kind_accuracy']:.1%}（{self.kind_correct}/{self.kind_checked}）",
               f"多轮对话：每轮答对 {d['turn_accuracy']:.1%}（{self.turns_correct}/{self.turns}），"
               f"整段答对 {self.conversations_correct}/{self.conversations}"]
        if self.latencies:
            out.append(f"延迟 p50 {d['latency_ms_p50']:.2f} ms，p99 {d['latency_ms_p99']:.2f} ms")
        out += ["", f"{'intent':22} {'precision':>9} {'recall':>7} {'n':>4}"]
        for intent, row in sorted(self.per_intent.items()):
            out.append(f"{intent:22} {row['precision']:9.1%} {row['recall']:7.1%} {int(row['n']):4}")
        out += ["", "按风格（标签）:"] + [f"  {k:12} {v['accuracy']:.1%} ({v['n']})" for k, v in sorted(d["per_tag"].items())]
        out += ["", "最常混淆:"] + [f"  {a} → {b}: {n}" for a, b, n in self.confusions[:10]]
        out += ["", f"错误（前 {max_misses} 条）:"]
        out += [f"  {m['text']!r} 期望 {m['expected']} 得到 {m['got']} {m.get('why', '')}".rstrip()
                for m in self.misses[:max_misses]]
        return "\n".join(out)


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def load_set(path: Path) -> list[dict]:
    """Read a JSONL labelled set (questions, or conversations with `turns`)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name} 第{n}行不是有效的 JSON: {exc}") from exc
    return rows


def default_files(folder: Path = DEFAULT_SET.parent) -> list[Path]:
    """The labelled sets `eval` runs by default (the held-out folder is left out)."""
    return sorted(folder.glob("eval*.jsonl")) + sorted(folder.glob("conversations*.jsonl"))


def check(matcher: Matcher, row: dict, result: MatchResult, today: dt.date) -> tuple[bool, bool, str]:
    """(intent right, whole answer right, why not) for one labelled question or turn."""
    expected, got = row["intent"], result.intent
    intent_ok = expected == got or (expected in NOT_IN_SCOPE and got in NOT_IN_SCOPE)
    if not intent_ok:
        return False, False, ""
    why = []
    if row.get("expect_region") and expected not in ("out_of_scope", "greeting") and not _region_ok(row, result):
        why.append(f"地区 {result.region}")
    if row.get("facts"):
        answer = reply_text(result, matcher.gazetteer, today)
        missing = [f for f in row["facts"] if f not in answer]
        if missing:
            why.append("缺 " + "、".join(missing))
    return True, not why, "；".join(why)


def _region_ok(row: dict, result: MatchResult) -> bool:
    """The answer is for the expected region: the region it was given for (the worker's district), or
    the region of the measure it gives (全国 for a national rule, the city for a city-wide one)."""
    expected = row["expect_region"]
    return result.region == expected or result.entry is not None and result.entry.region == expected


def evaluate(matcher: Matcher, rows: list[dict], today: dt.date | None = None) -> EvalReport:
    """Run every labelled question and conversation through the matcher."""
    today = today or dt.date.today()
    report = EvalReport()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    support: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    tags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if "turns" in row:
            _conversation(matcher, row, report, tags, today)
            continue
        _, _, result = next(replay(matcher, row))
        report.latencies.append(result.latency_ms)
        expected, got = row["intent"], result.intent
        ok, whole, why = check(matcher, row, result, today)
        report.total += 1
        report.correct += ok
        support[expected] += 1
        if expected in NOT_IN_SCOPE:
            report.oos += 1
            report.oos_rejected += got in NOT_IN_SCOPE
        else:
            report.in_scope += 1
            report.in_scope_correct += ok
        if ok:
            tp[expected] += 1
        else:
            fp[got] += 1
            fn[expected] += 1
            confusion[(expected, got)] += 1
        if not whole:
            report.misses.append({"text": row["text"], "expected": expected, "got": got, "why": why,
                                  "entry": result.entry.id if result.entry else None, "score": result.score})
        if row.get("expect_region") and expected not in ("out_of_scope", "greeting"):
            report.region_checked += 1
            report.region_correct += _region_ok(row, result)
        if row.get("facts") and expected not in NOT_IN_SCOPE:
            report.facts_checked += 1
            report.facts_correct += whole
        if row.get("kind"):
            report.kind_checked += 1
            report.kind_correct += row["kind"] == result.kind
        for tag in row.get("tags", []):
            tags[tag][0] += 1
            tags[tag][1] += ok
    for intent in sorted(set(support) | set(fp)):
        p_den = tp[intent] + fp[intent]
        r_den = tp[intent] + fn[intent]
        report.per_intent[intent] = {"precision": _ratio(tp[intent], p_den) if p_den else 0.0,
                                     "recall": _ratio(tp[intent], r_den) if r_den else 0.0,
                                     "n": support[intent]}
    report.per_tag = {k: (v[0], v[1]) for k, v in tags.items()}
    report.confusions = [(a, b, n) for (a, b), n in confusion.most_common()]
    return report


def replay(matcher: Matcher, row: dict) -> Iterator[tuple[State, dict, MatchResult]]:
    """Each labelled question or conversation turn of a row, answered: the state of the
    conversation before it (after the question's `context`, or the turns before), the labelled
    question or turn, and the answer."""
    region = row.get("region")
    state = State()
    if "turns" not in row:
        if row.get("context"):
            _, state = turn(matcher, state, row["context"], region)
        yield state, row, turn(matcher, state, row["text"], region)[0]
        return
    for labelled in row["turns"]:
        result, after = turn(matcher, state, labelled["text"], region)
        yield state, labelled, result
        state = after


def _conversation(matcher: Matcher, convo: dict, report: EvalReport, tags: dict[str, list[int]],
                  today: dt.date) -> None:
    """Score a conversation turn by turn; the state carries from turn to turn."""
    all_ok = True
    for n, (_, row, result) in enumerate(replay(matcher, convo), 1):
        _, whole, why = check(matcher, row, result, today)
        report.turns += 1
        report.turns_correct += whole
        all_ok &= whole
        tags["turn"][0] += 1
        tags["turn"][1] += whole
        if not whole:
            report.misses.append({"text": f"[{convo.get('id', '?')}#{n}] {row['text']}", "expected": row["intent"],
                                  "got": result.intent, "why": why,
                                  "entry": result.entry.id if result.entry else None, "score": result.score})
    report.conversations += 1
    report.conversations_correct += all_ok
