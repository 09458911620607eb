"""Facts read off the seed notices, as the shipped knowledge base states them."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import KnowledgeBase
from knowledge.models import ENTRY_INTENTS

SEEDS = ("000_7cbf7fbbcbf816b6.txt", "001_9d88c35ee852e4e4.txt", "002_60bd64d57be0b4f7.txt",
         "003_609b574e90775410.txt", "004_d6351ebb26b60c94.txt")


def _find(kb: KnowledgeBase, region: str, *words: str):
    found = [e for e in kb.entries() if e.region == region
             and all(w in " ".join([e.title, e.answer, e.amount or "", e.eligibility]) for w in words)]
    assert found, f"no entry in {region} with {words}"
    return found


def test_every_intent_and_seed_is_covered(shipped_kb: KnowledgeBase) -> None:
    entries = shipped_kb.entries()
    assert {e.intent for e in entries} == set(ENTRY_INTENTS)
    sources = {e.source.split()[0] for e in entries}
    for seed in SEEDS:
        assert seed in sources
    assert len(entries) >= 100
    assert all(len(e.questions) >= 3 for e in entries)


@pytest.mark.parametrize(("region", "words", "amount"), [
    ("安徽省安庆市迎江区", ("2000元",), "每人2000元"),
    ("安徽省安庆市迎江区", ("500元",), "500元/人"),
    ("安徽省安庆市大观区", ("1000元",), "1000元/人"),
    ("安徽省安庆市宜秀区", ("500-1000元",), "500-1000元"),
    ("安徽省安庆市桐城市", ("1000元",), "一次性1000元"),
    ("安徽省安庆市", ("10GB",), "10GB"),
    ("安徽省安庆市潜山市", ("10GB",), "10GB"),
    ("安徽省安庆市", ("1369",), "每户约1000元慰问金和物资"),
])
def test_anqing_amounts(shipped_kb: KnowledgeBase, region: str, words: tuple[str, ...], amount: str) -> None:
    assert amount in [e.amount for e in _find(shipped_kb, region, *words)]


def test_anqing_legal_aid_waiver_deadline(shipped_kb: KnowledgeBase) -> None:
    entry = shipped_kb.get("anqing-legal-aid-means-test-waiver")
    assert entry.valid_to == dt.date(2021, 2, 28) and "12348" in entry.contact
    assert entry.intent == "legal_aid"


def test_anqing_work_for_training_extended(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.get("anqing-hrss-yigongdaixun-extended").valid_to == dt.date(2021, 12, 31)


def test_national_overtime_rates(shipped_kb: KnowledgeBase) -> None:
    assert "300%" in shipped_kb.get("national-overtime-statutory-holiday").amount
    assert "200%" in shipped_kb.get("national-overtime-rest-day").amount
    assert "第四十四条" in shipped_kb.get("national-overtime-statutory-holiday").source


def test_hotlines(shipped_kb: KnowledgeBase) -> None:
    contacts = " ".join(e.contact for e in shipped_kb.entries())
    for hotline in ("12348", "12333", "12351", "12345", "12315"):
        assert hotline in contacts


def test_qilin_and_shanghai(shipped_kb: KnowledgeBase) -> None:
    _find(shipped_kb, "云南省曲靖市麒麟区", "8小时")
    _find(shipped_kb, "上海市", "通讯费")
    assert shipped_kb.get("shanghai-phone-subsidy").intent == "data_bundle"


def test_audit_fixes_against_the_seeds(shipped_kb: KnowledgeBase) -> None:
    """The line-by-line audit of issue #11, each checked against the seed text."""
    get = shipped_kb.get
    for entry_id in ("anqing-cloud-recruit-double-code", "anqing-livestream-jobs-0207"):
        assert "5897061" not in get(entry_id).contact   # the bulletin's own number, not a jobs line
    assert "书法家送春联" in get("anqing-museum-offline-exhibitions").answer
    assert "全家福" not in " ".join([*get("anqing-daguan-new-year-photo").questions,
                                     *get("anqing-daguan-new-year-photo").keywords])
    assert "600" not in get("furong-hunan-staff-subsidy").answer
    assert "三类" in get("furong-stay-initiative").answer
    assert "重点项目" in get("jinan-stay-initiative").answer
    assert "是否免费" in get("jinan-wangzhuang-checkup").answer
    assert "劳动仲裁" in get("anqing-legal-aid-arbitration-notary-fast").answer
    assert "可以找当地的潜山驻外" not in get("anqing-qianshan-outside-service-station").answer
    assert "给组织培训的企业" not in get("shanghai-online-training-subsidy").answer
    assert get("anqing-qianshan-online-job-fair").valid_to == dt.date(2021, 2, 11)
    for entry in shipped_kb.entries():
        for phrase in ("视情启动", "挂钩联动机制", "多元化解机制"):
            assert phrase not in entry.answer, (entry.id, phrase)
    missing = {"qilin-epidemic-frontline-overtime-allowance": "historical", "anqing-union-stay-proposal": "historical",
               "anqing-boc-huiguonian": "seasonal", "anqing-banks-new-cash-service": "seasonal"}
    for entry_id, kind in missing.items():
        assert get(entry_id).kind == kind and len(get(entry_id).questions) >= 3
