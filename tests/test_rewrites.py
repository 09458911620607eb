"""Colloquial, dialect and code-mixed rewrites (intents/data/rewrites.yaml): every rule
rewrites its words, and its example question reaches the topic it names; a new batch of training
lines is read from the data files alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from intents import Matcher
from intents.normalize import normalize
from intents.resources import DATA_DIR, Resources

DATA = yaml.safe_load((DATA_DIR / "rewrites.yaml").read_text(encoding="utf-8"))
RESOURCES = Resources.load()
RULES, PATTERNS = DATA["rules"], DATA["patterns"]


@pytest.mark.parametrize("rule", RULES, ids=[r["from"][0] for r in RULES])
def test_rule_rewrites_its_words_and_its_example_reaches_its_topic(rule: dict, matcher: Matcher) -> None:
    resources = RESOURCES
    for word in rule["from"]:
        rewritten = resources.rewrite(f"问 {normalize(word)} 呢")
        assert normalize(word) not in rewritten.split() or normalize(word) == normalize(rule.get("to") or "")
    assert matcher.match(rule["example"], "上海市").intent == rule["intent"]


@pytest.mark.parametrize("rule", PATTERNS, ids=[p["example"] for p in PATTERNS])
def test_pattern_rewrites_its_example_and_the_example_reaches_its_topic(rule: dict, matcher: Matcher) -> None:
    assert RESOURCES.rewrite(normalize(rule["example"])) == rule["becomes"] != normalize(rule["example"])
    assert matcher.match(rule["example"], "上海市").intent == rule["intent"]


def test_a_statement_that_ends_in_a_negative_is_left_alone() -> None:
    resources = Resources.load()
    assert [resources.rewrite(t) for t in ("工资还没", "我没有", "我不")] == ["工资还没", "我没有", "我不"]
    assert [resources.rewrite(t) for t in ("要钱不", "发了没 谢谢")] == ["要钱吗", "发了吗 谢谢"]


def test_latin_words_are_rewritten_only_whole() -> None:
    resources = Resources.load()
    assert resources.rewrite("ot费怎么算") == "加班费怎么算"
    assert resources.rewrite("hot pot 好吃") == "hot pot 好吃"
    assert resources.rewrite("nyf能送到宿舍吗") == "年夜饭能送到宿舍吗"


@pytest.mark.parametrize("rule", [r for r in RULES if r.get("to")], ids=[r["from"][0] for r in RULES if r.get("to")])
def test_the_plain_word_a_rule_writes_is_left_as_it_is(rule: dict) -> None:
    plain = normalize(rule["to"])          # 怎么样 holds 么样, 被辞退 holds 被辞: typed plainly, not doubled
    assert RESOURCES.rewrite(f"问 {plain} 呢").count(plain) == 1


def test_a_new_batch_of_training_lines_is_read_without_touching_code(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    with (tmp_path / "near_miss.yaml").open("a", encoding="utf-8") as f:
        f.write("\nnear_miss_next_year:\n- 电动车上牌要带啥材料\n")
    with (tmp_path / "training.yaml").open("a", encoding="utf-8") as f:
        f.write("\nexamples_next_year:\n  red_packet:\n    - 留下过年的钱打到哪张卡上\n")
    resources = Resources.load(tmp_path)
    assert "电动车上牌要带啥材料" in resources.near_miss
    assert "电动车上牌要带啥材料" not in resources.near_miss_light
    assert resources.training["red_packet"][-1] == "留下过年的钱打到哪张卡上"
    assert len(resources.training["red_packet"]) == len(RESOURCES.training["red_packet"]) + 1


def test_a_voucher_typed_as_a_roll_is_a_voucher_but_an_exam_paper_is_not() -> None:
    assert [RESOURCES.rewrite(t) for t in ("那个卷呢", "这个卷咋用", "这个卷子好难")] == ["那个券呢", "这个券咋用", "这个卷子好难"]


def test_standing_or_keeping_watch_longer_is_overtime(matcher: Matcher) -> None:
    assert RESOURCES.rewrite("保安每晚多站三个钟头") == "保安每晚加班三小时"
    assert matcher.match("看门的 每晚多守两个钟头 给钱不", "上海市").intent == "wage_rights"


def test_short_of_money_is_hardship_unless_it_is_about_paying_a_lawyer(matcher: Matcher) -> None:
    assert matcher.match("干活摔了 看病花了不少 手头紧巴", "上海市").intent == "hardship_relief"
    assert matcher.match("手头紧 请不起律师 老板欠钱不给", "上海市").intent == "legal_aid"
