"""Fuzzy pinyin: Chinese characters and typed pinyin to comparable syllables.

Homophone typos from pinyin input (流亮 for 流量, 宏包 for 红包) and typed pinyin
("hongbao", "liuliang") end up as the same syllables as the right words. The usual
fuzzy-sound pairs are merged: z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from intents.normalize import is_cjk

SYLLABLES_FILE = Path(__file__).parent / "data" / "pinyin_syllables.txt"
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z]+|[0-9%]+")


@lru_cache(maxsize=1)
def valid_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (from the data file generated from pypinyin)."""
    lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4096)
def fuzzy(syllable: str) -> str:
    """Merge the fuzzy-sound pairs so that near-homophones compare equal."""
    s = syllable
    for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(retroflex):
            s = flat + s[2:]
            break
    if s.startswith("l"):
        s = "n" + s[1:]
    for nasal, plain in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if s.endswith(nasal):
            s = s[: -len(nasal)] + plain
            break
    return s


@lru_cache(maxsize=4096)
def split_pinyin(word: str) -> tuple[str, ...] | None:
    """Split typed pinyin ("hongbaozenmeling") into syllables; None if it is not pinyin."""
    valid = valid_syllables()
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(min(n, i + 6), i, -1):   # longest syllable first: fewest syllables win
            piece = word[i:j]
            if piece in valid:
                candidate = best[i] + (piece,)  # type: ignore[operator]
                if best[j] is None or len(candidate) < len(best[j]):  # type: ignore[arg-type]
                    best[j] = candidate
    return best[n]


@lru_cache(maxsize=1 << 16)
def _run_sounds(run: str) -> tuple[str, ...]:
    """Fuzzy syllables of a run of Chinese characters (a question's runs come back several
    times while it is read: whole, without its aspect phrases, clause by clause)."""
    return tuple(fuzzy(s) for s in lazy_pinyin(run, style=Style.NORMAL))


def syllables_with_source(text: str) -> list[tuple[str, str | None]]:
    """Fuzzy syllables with the Chinese character each came from (None for typed pinyin,
    digits and other latin words, which stay as they are)."""
    result: list[tuple[str, str | None]] = []
    for run in _RUN.findall(text):
        if is_cjk(run[0]):
            result.extend(zip(_run_sounds(run), run, strict=False))
        elif run.isalpha():
            split = split_pinyin(run) if len(run) > 1 else None
            result.extend((fuzzy(s), None) for s in split) if split else result.append((run, None))
        else:
            result.append((run, None))
    return result


def syllables(text: str) -> list[str]:
    """Fuzzy syllables of normalised text; digits and non-pinyin latin words stay as they are."""
    return [s for s, _ in syllables_with_source(text)]


def pinyin_key(text: str) -> str:
    """Space-separated fuzzy syllables of the text: a string rapidfuzz can compare."""
    return " ".join(syllables(text))


def same_tones(typed: str, word: str) -> bool:
    """Every character typed that differs from the word's sounds exactly like it, tone and all."""
    if len(typed) != len(word):
        return False
    pairs = [(a, b) for a, b in zip(typed, word, strict=True) if a != b]
    if not pairs or len(pairs) == len(word):
        return False             # (one character at least is typed as the word has it)
    toned = lazy_pinyin("".join(a for a, _ in pairs), style=Style.TONE3, errors="ignore")
    wanted = lazy_pinyin("".join(b for _, b in pairs), style=Style.TONE3, errors="ignore")
    return len(toned) == len(pairs) and toned == wanted
