"""Group the unanswered questions of recent days by similarity, most frequent first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from intents.normalize import normalize
from intents.phonetic import pinyin_key

SAME_GROUP = 75


@dataclass
class Group:
    """Similar questions; `example` is the most common wording."""

    example: str
    texts: list[str]

    @property
    def count(self) -> int:
        """How many times it was asked."""
        return len(self.texts)


def group_questions(texts: list[str], limit: int = 10) -> list[Group]:
    """Greedy clustering on fuzzy pinyin similarity (one cdist call for all pairs)."""
    cleaned = [(t, pinyin_key(normalize(t))) for t in texts if normalize(t)]
    if not cleaned:
        return []
    keys = [k for _, k in cleaned]
    matrix = process.cdist(keys, keys, scorer=fuzz.ratio, processor=None, score_cutoff=SAME_GROUP, dtype=np.uint8)
    unassigned = set(range(len(cleaned)))
    groups = []
    order = np.argsort(-(matrix > 0).sum(axis=1), kind="stable")
    for i in order:
        if i not in unassigned:
            continue
        members = [j for j in np.flatnonzero(matrix[i]) if j in unassigned]
        unassigned -= set(members)
        texts_in = [cleaned[j][0] for j in members]
        example = max(set(texts_in), key=texts_in.count)
        groups.append(Group(example, texts_in))
    groups.sort(key=lambda g: -g.count)
    return groups[:limit]
