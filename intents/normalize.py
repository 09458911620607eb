"""Text normalisation: full-width to half-width, traditional to simplified, lower case,
emoji, punctuation and control characters removed."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import zhconv

#: Longest text the matcher looks at; longer messages are cut (the bot says so).
MAX_MATCH_CHARS = 300

_STICKER = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,4}\]")    # WeChat's stickers as text: [抱拳], [OK]
_KEEP = re.compile(r"[^0-9a-z%\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def normalize(text: str) -> str:
    """Plain simplified Chinese, half-width, lower case; everything else becomes one space."""
    text = to_simplified(unicodedata.normalize("NFKC", text or "")[: MAX_MATCH_CHARS * 2])
    text = _KEEP.sub(" ", _STICKER.sub(" ", text).lower())
    return " ".join(text.split())[:MAX_MATCH_CHARS]


def has_cjk(text: str) -> bool:
    """True when the text contains a Chinese character."""
    return bool(_CJK.search(text))


def is_cjk(char: str) -> bool:
    """True for one Chinese character."""
    return bool(_CJK.fullmatch(char))



def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones, by zhconv's phrase tables where it has them;
    characters that are simplified already stay as they are (zhconv would also turn the
    simplified "什么正件" into "什幺正件", after the maths term 幺正)."""
    converted = zhconv.convert(text, "zh-cn")
    if converted == text or len(converted) != len(text):
        return converted
    return "".join(o if _is_simplified(o) else c for o, c in zip(text, converted, strict=True))


@cache
def _is_simplified(char: str) -> bool:
    return zhconv.convert(char, "zh-cn") == char
