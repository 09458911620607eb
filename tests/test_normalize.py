"""Text normalisation and fuzzy pinyin: what workers type becomes comparable."""

from __future__ import annotations

import pytest

from intents.normalize import normalize
from intents.phonetic import split_pinyin, syllables
from intents.resources import spoken_amounts


@pytest.mark.parametrize(("raw", "expected"), [
    ("紅包怎麼領？！", "红包怎么领"),
    ("免費體檢", "免费体检"),
    ("ＨＯＮＧＢＡＯ，２０Ｇ流量", "hongbao 20g流量"),
    ("🧧🧧红包🎉", "红包"),
    ("<script>alert(1)</script>", "script alert 1 script"),
    ("\x00\x07年夜饭\u200b\t", "年夜饭"),
    ("", ""),
])
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_long_text_is_capped() -> None:
    assert len(normalize("红包" * 5000)) == 300


@pytest.mark.parametrize(("typo", "right"), [
    ("流亮", "流量"), ("宏包", "红包"), ("提检", "体检"), ("年叶饭", "年夜饭"), ("加斑费", "加班费"),
    ("liuliang", "流量"), ("hongbao", "红包"), ("tijian", "体检"), ("nianyefan", "年夜饭"),
    ("zhusu", "住宿"), ("zusu", "住宿"), ("shiye", "失业"), ("siye", "失业"),
])
def test_homophones_and_typed_pinyin_sound_the_same(typo: str, right: str) -> None:
    assert syllables(normalize(typo)) == syllables(normalize(right))


def test_split_pinyin() -> None:
    assert split_pinyin("hongbaozenmeling") == ("hong", "bao", "zen", "me", "ling")
    assert split_pinyin("qwrtx") is None


def test_simplified_text_is_left_as_it_is_while_traditional_is_converted() -> None:
    assert normalize("要准备什么正件") == "要准备什么正件"          # zhconv alone gives 什幺正件
    assert normalize("什麼證件 加班費怎麼算") == "什么证件 加班费怎么算"


@pytest.mark.parametrize(("said", "written"), [("再给五百", "再给500"), ("五百到一千", "500到1000"), ("除了这个两千", "除了这个2000"),
                                               ("百分之三百", "百分之三百"), ("三倍工资", "三倍工资"), ("千万别", "千万别")])
def test_amounts_said_in_words_are_read_as_figures(said: str, written: str) -> None:
    assert spoken_amounts(said) == written


@pytest.mark.parametrize(("typed", "word", "same"), [("话废", "话费", True), ("正府", "政府", True),
                                                    ("口找", "口罩", False), ("乡下", "线下", False)])
def test_a_character_typed_for_another_of_the_same_sound_and_tone_is_that_word(typed: str, word: str, same: bool) -> None:
    from intents.phonetic import same_tones
    assert same_tones(typed, word) is same
