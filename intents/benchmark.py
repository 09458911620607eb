"""Matcher benchmark: latency p50/p99 and memory on the shipped KB and on a synthetic
10,000-entry KB, and time from start to first answer. Run with `python -m bot bench`."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

from intents.evaluate import DEFAULT_SET, load_set
from intents.matcher import Matcher
from knowledge import KnowledgeBase, open_db
from knowledge.models import Entry

FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _questions() -> list[str]:
    """The questions of the labelled sets in tests/data (the way workers type)."""
    texts = []
    for path in sorted(DEFAULT_SET.parent.glob("eval*.jsonl")):
        texts += [row["text"] for row in load_set(path)]
    return texts or ["留岗红包怎么领", "流亮怎么领", "过年加班几倍工资", "免费体检在哪", "年夜饭"]


def _time(matcher: Matcher, questions: list[str], rounds: int) -> tuple[float, float, float]:
    for q in questions[:50]:
        matcher.match(q)                       # warm caches
    samples = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            matcher.match(q, "安徽省安庆市迎江区")
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), _percentile(samples, 0.99), len(samples)


def _time_turns(matcher: Matcher) -> tuple[float, float, int]:
    """Each turn of the labelled conversations, the state carried over (follow-ups, switches)."""
    from intents.conversation import State, turn

    samples = []
    for path in sorted(DEFAULT_SET.parent.glob("conversations*.jsonl")):
        for convo in load_set(path):
            state = State()
            for row in convo["turns"]:
                start = time.perf_counter()
                _, state = turn(matcher, state, row["text"], convo.get("region"))
                samples.append((time.perf_counter() - start) * 1000)
    if not samples:
        return 0.0, 0.0, 0
    return statistics.median(samples), _percentile(samples, 0.99), len(samples)


def synthetic_kb(base: KnowledgeBase, size: int, seed: int = 7) -> KnowledgeBase:
    """A KB of `size` entries made from the shipped ones: other regions, altered wording."""
    rng = random.Random(seed)
    kb = KnowledgeBase(open_db(memory=True), base.gazetteer)
    kb.sync_regions()
    entries = base.entries()
    regions = list(base.gazetteer.regions)

    def alter(text: str) -> str:
        chars = list(text)
        for _ in range(max(1, len(chars) // 4)):
            chars[rng.randrange(len(chars))] = rng.choice(FILLER)
        return "".join(chars)

    with kb.db.atomic():
        for i in range(size):
            src = entries[i % len(entries)]
            entry: Entry = replace(src, id=f"syn-{i}", region=rng.choice(regions),
                                   title=alter(src.title) if i >= len(entries) else src.title,
                                   questions=[alter(q) for q in src.questions] if i >= len(entries) else src.questions)
            kb._write(entry, origin="yaml", yaml_file="synthetic.yaml", document=None, admin_edited=False,
                      actor="bench")
        kb._bump()
    return kb


def startup_seconds() -> float:
    """Wall time of `python -m bot ask` (start to first answer), warm: best of three."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["BOT_DATABASE"] = os.path.join(tmp, "bench.db")
        env.pop("TELEGRAM_BOT_TOKEN", None)
        cmd = [sys.executable, "-m", "bot", "ask", "留岗红包怎么领"]
        subprocess.run(cmd, env=env, capture_output=True, check=True)   # first start: creates the DB
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    return min(times)


def _share(pair: tuple[int, int] | None) -> str:
    return f"{pair[1] / pair[0]:.1%}" if pair and pair[0] else "–"


def accuracy_table(matcher: Matcher) -> str:
    """Per labelled set and per style: this matcher beside the peer baseline (TF-IDF + LR)."""
    from intents.evaluate import default_files, evaluate
    from intents.peer import PeerBaseline, score

    today = dt.date(2026, 11, 23)     # fixed, so the figures do not drift with the season
    peer = PeerBaseline(list(matcher.index.entries.values()))
    holdout = sorted((DEFAULT_SET.parent / "holdout").glob("*.jsonl"))
    out = ["| set | in scope | out of scope rejected | answer facts | turns | peer in scope | peer out of scope |",
           "|---|---|---|---|---|---|---|"]
    styles: dict[str, tuple[int, int]] = {}
    peer_styles: dict[str, tuple[int, int]] = {}
    for path in [*default_files(), *holdout]:
        rows = load_set(path)
        result = evaluate(matcher, rows, today)
        report = result.to_dict()
        theirs = score(peer, rows)
        turns = f"{report['turn_accuracy']:.1%}" if report["turns"] else "–"
        facts = f"{report['facts_accuracy']:.1%}" if report["facts_accuracy"] else "–"
        ins = f"{report['in_scope_accuracy']:.1%}" if result.in_scope else "–"
        oos = f"{report['oos_rejection']:.1%}" if result.oos else "–"
        out.append(f"| {path.parent.name + '/' if path.parent.name == 'holdout' else ''}{path.name} | "
                   f"{ins} | {oos} | {facts} | {turns} | "
                   f"{_share(theirs.get('in_scope'))} | {_share(theirs.get('oos'))} |")
        if path.parent.name != "holdout":
            for tag, row in report["per_tag"].items():
                n, ok = styles.get(tag, (0, 0))
                styles[tag] = (n + row["n"], ok + round(row["accuracy"] * row["n"]))
            for key, (n, ok) in theirs.items():
                if key.startswith("tag:"):
                    pn, pok = peer_styles.get(key[4:], (0, 0))
                    peer_styles[key[4:]] = (pn + n, pok + ok)
    out += ["", "| style (own sets) | matcher | peer | n |", "|---|---|---|---|"]
    for tag, (n, ok) in sorted(styles.items()):
        out.append(f"| {tag} | {ok / n:.1%} | {_share(peer_styles.get(tag))} | {n} |")
    return "\n".join(out)


def run_benchmark(quick: bool = False) -> str:
    """Run everything and return a Markdown table."""
    rounds = 1 if quick else 5
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kb = KnowledgeBase(open_db(memory=True))
    kb.ensure_loaded()
    start = time.perf_counter()
    matcher = Matcher(kb)
    _ = matcher.index
    build_ms = (time.perf_counter() - start) * 1000
    questions = _questions()
    p50, p99, n = _time(matcher, questions, rounds)
    tp50, tp99, tn = _time_turns(matcher)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = 2000 if quick else 10000
    big = synthetic_kb(kb, size)
    start = time.perf_counter()
    big_matcher = Matcher(big)
    _ = big_matcher.index
    big_build = time.perf_counter() - start
    bp50, bp99, bn = _time(big_matcher, questions, 1 if quick else 2)
    btp50, btp99, btn = _time_turns(big_matcher)
    rss2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    boot = startup_seconds()
    rows = [
        ("shipped KB", f"{len(kb.entries())} entries", f"{p50:.2f}", f"{p99:.2f}", n,
         f"index {build_ms:.0f} ms, peak RSS {rss1:.0f} MB (+{rss1 - rss0:.0f})"),
        (f"synthetic {size}", f"{size} entries", f"{bp50:.2f}", f"{bp99:.2f}", bn,
         f"index {big_build:.1f} s, peak RSS {rss2:.0f} MB"),
        ("shipped KB, conversation turns", f"{len(kb.entries())} entries", f"{tp50:.2f}", f"{tp99:.2f}", tn,
         "each turn of the labelled conversations, state carried over"),
        (f"synthetic {size}, conversation turns", f"{size} entries", f"{btp50:.2f}", f"{btp99:.2f}", btn, ""),
    ]
    out = ["| KB | size | p50 ms | p99 ms | questions | notes |", "|---|---|---|---|---|---|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    out.append(f"\nstart to first answer (`python -m bot ask`, warm): {boot:.2f} s")
    out.append("pre-filter: an inverted index from fuzzy syllables to choices; only the "
               "1,500 choices sharing the most syllables with the question are scored.")
    out += ["", accuracy_table(matcher)]
    return "\n".join(out)
