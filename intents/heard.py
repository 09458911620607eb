"""Covered places typed by sound: 按庆 for 安庆, 麒林区 for 麒麟区, "anqing" typed as pinyin.

Pinyin input puts a homophone in place of a place name as often as in place of a topic word.
Only the regions the knowledge base covers are looked for this way (a homophone of one of
China's 3,000 counties is found in almost any sentence), and only where the heard word shares
a character with the name, or was typed as pinyin, is crossed by no dictionary word
(马上还钱 holds no 上海), is no word of jieba's dictionary itself (同城 is no 桐城) and is no covered
name itself (晋安 is 晋安, not 静安).
Those dictionary words are found once, by sound, and kept in the cache directory.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import jieba

from intents.index import Prepared
from intents.normalize import is_cjk
from intents.phonetic import syllables
from intents.segment import Segmenter, cache_dir
from knowledge.gazetteer import ROOT, Gazetteer, Region

SUFFIXES = frozenset("省市区县镇乡街道村")    # shared, these say nothing (风险区 is no 奉贤区)


class HeardPlaces:
    """The covered regions' names by their fuzzy syllables."""

    def __init__(self, gazetteer: Gazetteer, segmenter: Segmenter) -> None:
        self.gazetteer = gazetteer
        self.segmenter = segmenter
        weak = set(gazetteer.weak_names())      # 在宜, 留长: half of each is an everyday character
        #: Every covered name as typed (晋安 typed is 晋安, never a sound-alike of 静安).
        self._names = {name for region in gazetteer.regions.values() for name in (region.short, *region.aliases)}
        by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for region in gazetteer.regions.values():
            if region.name == ROOT:
                continue
            for name in {region.short, *region.aliases} - weak:
                if len(name) >= 2 and all(is_cjk(c) for c in name):
                    sound = tuple(syllables(name))
                    if len(sound) == len(name):
                        by_first[sound[0]].append((sound, name, region.name))
        for bucket in by_first.values():
            bucket.sort(key=lambda item: -len(item[0]))
        self._by_first = dict(by_first)
        self._words = _sound_alikes({name for bucket in by_first.values() for _, name, _ in bucket})

    def find(self, q: Prepared) -> Region | None:
        """The most specific covered region the question names by sound, or None."""
        found: list[Region] = []
        i = 0
        while i < len(q.syl):
            step = 1
            for sound, name, region in self._by_first.get(q.syl[i], ()):
                n = len(sound)
                if tuple(q.syl[i:i + n]) != sound:
                    continue
                written = q.chars[i:i + n]
                typed = all(c is None for c in written)
                heard = "" if typed else "".join(c or "" for c in written)
                if typed or (len(heard) == n and heard != name and heard not in self._names
                             and any(a == b and a not in SUFFIXES for a, b in zip(heard, name, strict=True))
                             and heard not in self._words and self._alone(q.canon, heard)):
                    found.append(self.gazetteer.regions[region])
                    step = n
                    break
            i += step
        return max(found, key=lambda r: len(self.gazetteer.chain(r.name)), default=None)

    def _alone(self, text: str, heard: str) -> bool:
        """No dictionary word crosses the heard word's edges (马上|还钱 holds no 上海), and it is
        not where someone comes from."""
        at = text.find(heard)
        if at < 0:
            return False
        end = at + len(heard)
        crossed = any(known and (start < at < stop or start < end < stop)
                      for start, stop, known in self.segmenter.spans(text))
        return not crossed and not self.gazetteer.is_home(text, at, end)


def _sound_alikes(names: set[str]) -> frozenset[str]:
    """Words of jieba's dictionary that sound like one of the names and share a character
    with it in the same place (同城 for 桐城), cached by the names."""
    digest = hashlib.sha1("\n".join(sorted(names)).encode()).hexdigest()[:16]
    path = cache_dir() / f"heard_places.{digest}.txt"
    if path.exists():
        return frozenset(path.read_text(encoding="utf-8").split())
    keys = {(len(n), i, c) for n in names for i, c in enumerate(n)}
    sounds = {tuple(syllables(n)) for n in names}
    lines = jieba.get_module_res(jieba.DEFAULT_DICT_NAME).read().decode("utf-8").splitlines()
    words = {line.split(" ", 1)[0] for line in lines}
    alike = sorted(w for w in words - names if any((len(w), i, c) in keys for i, c in enumerate(w))
                   and tuple(syllables(w)) in sounds)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(alike) + "\n", encoding="utf-8")
    tmp.replace(path)
    return frozenset(alike)
