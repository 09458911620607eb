"""How long the bot stops answering when an admin edits a 10,000-entry knowledge base: the index
is rebuilt in a thread, so a question during the rebuild is answered from the old index.

    python bench/index_stall.py [--size 10000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from intents.benchmark import _questions, synthetic_kb
from intents.matcher import Matcher
from knowledge import KnowledgeBase, open_db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    base = KnowledgeBase(open_db(memory=True))
    base.ensure_loaded()
    kb = synthetic_kb(base, args.size)
    matcher = Matcher(kb, background=True)
    _ = matcher.index
    questions = _questions()[:200]
    entry = kb.entries()[0]
    kb.update(entry.id, {"questions": [*entry.questions, "暖宝宝发不发"]}, "bench")
    start = time.perf_counter()
    waits = []
    answered = 0
    while matcher._building is None or matcher._building.is_alive():
        q = questions[answered % len(questions)]
        t = time.perf_counter()
        matcher.match(q, "安徽省安庆市迎江区")
        waits.append((time.perf_counter() - t) * 1000)
        answered += 1
    rebuild = time.perf_counter() - start
    print(f"{args.size} entries: rebuild in the background {rebuild:.1f} s; {answered} questions answered meanwhile, "
          f"p50 {statistics.median(waits):.1f} ms, max {max(waits):.1f} ms (longest stall)")


if __name__ == "__main__":
    main()
