"""jieba segmentation with a user dictionary built from the knowledge base and data files.

The main dictionary is cached on disk (`NUANXIN_CACHE_DIR`, default ~/.cache/nuanxin), so a
warm start loads it in a fraction of a second.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)


def cache_dir() -> Path:
    """Where jieba's prefix dictionary cache lives."""
    path = Path(os.environ.get("NUANXIN_CACHE_DIR") or Path.home() / ".cache" / "nuanxin")
    path.mkdir(parents=True, exist_ok=True)
    return path


class Segmenter:
    """A private jieba tokenizer (the global one is left alone)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._tk = jieba.Tokenizer()
        self._tk.tmp_dir = str(cache_dir())
        self._tk.cache_file = "jieba.cache"
        self._tk.initialize()
        self._added: set[str] = set()
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Make sure these words are kept whole."""
        for word in words:
            if len(word) >= 2 and word not in self._added:
                self._tk.add_word(word, freq=50000)
                self._added.add(word)

    def cut(self, text: str) -> list[str]:
        """Tokens of the text, spaces dropped."""
        return [t for t in self._tk.lcut(text, HMM=True) if t.strip()]
