"""The matcher on the labelled sets: the accuracy targets of the matcher issue."""

from __future__ import annotations

from pathlib import Path

from intents import Matcher
from intents.evaluate import evaluate, load_set

DATA = Path(__file__).parent / "data"


def test_labelled_sets_meet_targets(matcher: Matcher) -> None:
    rows = [row for name in ("eval_core.jsonl", "eval_more.jsonl") for row in load_set(DATA / name)]
    assert len(rows) >= 400 and sum(r["intent"] == "out_of_scope" for r in rows) >= 60
    report = evaluate(matcher, rows)
    assert report.in_scope_correct / report.in_scope >= 0.95
    assert report.oos_rejected / report.oos >= 0.90
    tags = {t for r in rows for t in r.get("tags", [])}
    assert {"typo", "pinyin", "traditional", "emoji", "fullwidth", "region", "followup"} <= tags


def test_the_region_check_accepts_the_workers_region_or_the_measures_own(matcher: Matcher) -> None:
    rows = [{"text": "过年加班工资怎么算", "intent": "wage_rights", "region": "贵州省", "expect_region": region}
            for region in ("贵州省", "全国", "上海市")]
    report = evaluate(matcher, rows)
    assert (report.region_checked, report.region_correct) == (3, 2)
