"""The matcher's data files (lexicon, synonyms, small talk), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from intents.normalize import normalize

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Resources:
    """Everything the matcher reads from `intents/data/`."""

    lexicon: dict[str, dict[str, float]]      # intent -> term -> weight
    synonyms: dict[str, str]                  # variant -> canonical word
    greetings: frozenset[str]
    followups: dict[str, tuple[str, ...]]     # aspect -> phrases
    stopwords: frozenset[str]
    out_of_scope: dict[str, float]

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Resources:
        """Read and normalise the data files."""
        lex = yaml.safe_load((data_dir / "lexicon.yaml").read_text(encoding="utf-8"))["intents"]
        syn = yaml.safe_load((data_dir / "synonyms.yaml").read_text(encoding="utf-8"))["groups"]
        talk = yaml.safe_load((data_dir / "smalltalk.yaml").read_text(encoding="utf-8"))
        synonyms: dict[str, str] = {}
        for group in syn:
            words = [normalize(str(w)) for w in group]
            for word in words[1:]:
                synonyms[word] = words[0]
        resources = cls(
            lexicon={},
            synonyms=synonyms,
            greetings=frozenset(normalize(str(w)) for w in talk["greetings"]),
            followups={k: tuple(normalize(str(p)) for p in v) for k, v in talk["followups"].items()},
            stopwords=frozenset(normalize(str(w)) for w in talk["stopwords"]),
            out_of_scope={},
        )
        # Terms are written the way questions are rewritten, so they meet half-way.
        object.__setattr__(resources, "lexicon", {
            intent: {resources.canon(normalize(str(t))): float(w) for t, w in terms.items()}
            for intent, terms in lex.items()})
        object.__setattr__(resources, "out_of_scope", {
            resources.canon(normalize(str(t))): float(w) for t, w in talk["out_of_scope"].items()})
        return resources

    @cached_property
    def _synonym_re(self) -> re.Pattern[str] | None:
        words = sorted(set(self.synonyms) | set(self.synonyms.values()), key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in words)) if words else None

    def canon(self, text: str) -> str:
        """Rewrite synonyms to their group's first word (longest match first)."""
        if not self._synonym_re:
            return text
        return self._synonym_re.sub(lambda m: self.synonyms.get(m.group(0), m.group(0)), text)
