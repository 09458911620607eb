"""jieba segmentation with a user dictionary built from the knowledge base and data files.

Workers' questions are short and everyday, so the tokenizer uses the 60,000 most frequent
words of jieba's own dictionary (written once to `NUANXIN_CACHE_DIR`, default
~/.cache/nuanxin) plus our own words; jieba caches the prefix dictionary next to it, so a
warm start loads it in a fraction of a second.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[^\s\u3400-\u4dbf\u4e00-\u9fff]+")


def cache_dir() -> Path:
    """Where jieba's prefix dictionary cache lives."""
    path = Path(os.environ.get("NUANXIN_CACHE_DIR") or Path.home() / ".cache" / "nuanxin")
    path.mkdir(parents=True, exist_ok=True)
    return path


SMALL_DICT_WORDS = 60_000
CUT_CACHE = 20_000          # runs whose pieces are remembered


def small_dictionary() -> Path:
    """The most frequent words of jieba's dictionary, written once to the cache directory."""
    path = cache_dir() / f"jieba.top{SMALL_DICT_WORDS}.txt"
    if not path.exists():
        lines = jieba.get_module_res(jieba.DEFAULT_DICT_NAME).read().decode("utf-8").splitlines()
        lines.sort(key=lambda line: int(line.split()[1]), reverse=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines[:SMALL_DICT_WORDS]) + "\n", encoding="utf-8")
        tmp.replace(path)
    return path


class Segmenter:
    """A private jieba tokenizer (the global one is left alone)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._tk = jieba.Tokenizer(dictionary=str(small_dictionary()))
        self._tk.tmp_dir = str(cache_dir())
        self._tk.initialize()
        self._added: set[str] = set()
        self._cuts: dict[str, list[str]] = {}     # run -> jieba's pieces (a question is cut several times)
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Make sure these words are kept whole."""
        for word in words:
            if len(word) >= 2 and word not in self._added:
                self._tk.add_word(word, freq=50000)
                self._added.add(word)
                self._cuts.clear()

    def spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, in the dictionary) of each word of the text's Chinese runs."""
        out = []
        for run in _RUNS.finditer(text):
            if "\u3400" <= run.group()[0] <= "\u9fff":
                pos = run.start()
                for piece in self._lcut(run.group()):
                    out.append((pos, pos + len(piece), bool(self._tk.FREQ.get(piece))))
                    pos += len(piece)
        return out

    def _lcut(self, run: str) -> list[str]:
        """jieba's pieces of one Chinese run, remembered (bounded) until the dictionary changes."""
        pieces = self._cuts.get(run)
        if pieces is None:
            if len(self._cuts) >= CUT_CACHE:
                self._cuts.clear()
            pieces = self._cuts[run] = self._tk.lcut(run, HMM=True)
        return pieces

    def boundaries(self, text: str) -> set[int]:
        """Offsets in the text where a word starts or ends."""
        edges = {0, len(text)}
        for run in _RUNS.finditer(text):
            pos = run.start()
            edges.add(pos)
            pieces = self._lcut(run.group()) if "\u3400" <= run.group()[0] <= "\u9fff" else [run.group()]
            for piece in pieces:
                pos += len(piece)
                edges.add(pos)
        return edges

    def cut(self, text: str) -> list[str]:
        """Tokens of the text: Chinese runs segmented by jieba, latin words and numbers kept whole."""
        tokens: list[str] = []
        for run in _RUNS.findall(text):
            if "\u3400" <= run[0] <= "\u9fff":
                tokens.extend(t for t in self._lcut(run) if t.strip())
            else:
                tokens.append(run)
        return tokens

    def pieces(self, text: str) -> list[str]:
        """The finest words of the text: a long word is split into the shorter words it holds
        (免费年夜饭 -> 免费, 年夜饭), so that what it is made of can be judged."""
        out: list[str] = []
        for token in self.cut(text):
            if len(token) <= 2 or not "\u3400" <= token[0] <= "\u9fff":
                out.append(token)
                continue
            subs = [w for w in self._tk.lcut_for_search(token) if len(w) >= 2 and w != token]
            subs = [w for w in subs if not any(o != w and o in w for o in subs)]
            covered = [False] * len(token)
            for word in subs:
                at = token.find(word)
                covered[at:at + len(word)] = [True] * len(word)
            out.extend(subs)
            rest = "".join(" " if c else ch for ch, c in zip(token, covered, strict=True))
            out.extend(run for run in rest.split() if len(run) >= 2)
        return out

