"""Measure `kb draft` on the five seed notices against the reviewed knowledge base.

    python bench/draft_seeds.py [--seeds DIR] [--show SEED]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intents import Matcher  # noqa: E402
from knowledge import Gazetteer, KnowledgeBase, open_db  # noqa: E402
from knowledge.draft import draft_notice, score  # noqa: E402

SEEDS = {
    "000_7cbf7fbbcbf816b6.txt": "福建省福州市晋安区",
    "001_9d88c35ee852e4e4.txt": "湖南省长沙市芙蓉区",
    "002_60bd64d57be0b4f7.txt": "云南省曲靖市麒麟区",
    "003_609b574e90775410.txt": "上海市",
    "004_d6351ebb26b60c94.txt": "安徽省安庆市",
}
HEADER = ("| seed | items drafted | measures found | amounts exact | hotlines exact | amounts+hotlines | "
          "deadlines exact |\n|---|---|---|---|---|---|---|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    parser.add_argument("--show", help="print the drafts of one seed")
    args = parser.parse_args()
    gazetteer = Gazetteer.from_yaml()
    kb = KnowledgeBase(open_db(Path(tempfile.mkdtemp()) / "kb.db"), gazetteer)
    kb.ensure_loaded()
    matcher = Matcher(kb)
    print(HEADER)
    for seed, region in SEEDS.items():
        text = (args.seeds / seed).read_text(encoding="utf-8")
        drafts = draft_notice(text, region, gazetteer, lambda t: matcher.match(t).intent, 2021, seed)
        reviewed = [e for e in kb.entries() if e.source.split()[0] == seed]
        print(score(seed, drafts, reviewed).row())
        if args.show == seed:
            for d in drafts:
                print("  ", d.entry.id, d.entry.region, d.entry.intent, d.entry.title, "|", d.entry.amount, "|",
                      d.entry.contact, "|", d.entry.valid_from, d.entry.valid_to, "|", d.entry.kind)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
