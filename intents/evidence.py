"""Evidence for one question, gathered once: topic terms found in it (by characters or fuzzy
pinyin), rapidfuzz similarity to every entry's title and questions, and the learned model;
combined into a score per topic."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from intents.index import Hit, KBIndex, Prepared
from intents.learned import FOLLOWUP, OOS

LEX_CAP = 10.0           # evidence from terms saturates here
LEX_POINTS = 8.0         # points per unit of term evidence (max 80)
SIM_POINTS = 0.5         # points per similarity point (max 50)
SIM_CUTOFF = 40          # similarities below this are ignored
LEARN_POINTS = 150.0     # points for the learned model's probability of an intent (with 2,190 worker-style
                         # examples to learn from, it generalises best to phrasing no rule has seen)
PREFILTER_LIMIT = 1500   # choices compared at most per question
PARTIAL_SHARE = 0.4      # a choice sharing this share of the shorter one's syllables may hold it or be held
PARTIAL_ALL = 6          # a question of this many syllables or fewer is looked for in every choice
PARTIAL_MIN_HEARD = 2    # a question of fewer syllables is looked for inside longer texts not at all
PARTIAL_MIN_SYLLABLES = 3   # a choice of fewer syllables is not looked for inside a longer question
PARTIAL_LIMIT = 300      # ... a longer one in at most this many choices, those sharing the largest share
SPECIFIC_SIM = 88.0      # a question this close to one entry's wording names that measure (with a word of its own)
VERBATIM_SIM = 97.0      # ... this close, it names it outright


@dataclass
class Evidence:
    """All the evidence for one question, and the topics ranked by it."""

    hits: list[Hit]
    lex: dict[str, float]            # topic -> term evidence
    oos: float                       # out-of-scope term evidence
    entry_hits: dict[str, float]     # entry -> its own keywords found
    sims: dict[str, float]           # entry -> best similarity of its wording (0-100)
    learned: dict[str, float]        # topic -> the learned model's probability
    intent_sim: dict[str, float]     # topic -> best similarity of its entries
    scores: dict[str, float]         # topic -> combined score
    ranked: list[tuple[str, float]]  # topics, best first

    @property
    def top_lex(self) -> float:
        """The strongest topic's term evidence."""
        return max(self.lex.values(), default=0.0)

    @property
    def p_oos(self) -> float:
        """How sure the learned model is that the question asks for no measure."""
        return self.learned.get(OOS, 0.0)

    @property
    def p_chat(self) -> float:
        """How sure the learned model is that the turn is chit-chat: out of scope, or thanks and goodbyes."""
        return chat_share(self.learned)


def chat_share(learned: dict[str, float]) -> float:
    """The share of the learned model's belief that a text is chit-chat: out of scope, or thanks and goodbyes."""
    return learned.get(OOS, 0.0) + learned.get("greeting", 0.0)


def gather(index: KBIndex, q: Prepared, lex_extra: dict[str, float] | None = None,
           context: str | None = None, context_points: float = 0.0) -> Evidence:
    """Every kind of evidence for a prepared question. `lex_extra` adds term evidence (the
    asking clause of a long message); `context` is the topic being talked about, which gets
    `context_points` more."""
    hits = index.terms.scan(q.canon, q.syl, q.chars)
    lex, oos, entry_hits = term_evidence(hits)
    for intent, weight in (lex_extra or {}).items():
        lex[intent] = lex.get(intent, 0.0) + weight
    sims, intent_sim = _similar(index, q)
    learned = index.model.predict(q.features())
    if context is None and FOLLOWUP in learned:
        # With nothing to lean on, a turn is a topic, a greeting or out of scope.
        rest = 1.0 - learned.pop(FOLLOWUP)
        learned = {k: v / rest for k, v in learned.items()} if rest > 0 else learned
    scores = {i: min(lex.get(i, 0.0), LEX_CAP) * LEX_POINTS + intent_sim.get(i, 0.0) * SIM_POINTS
              + learned.get(i, 0.0) * LEARN_POINTS
              for i in set(lex) | set(intent_sim) | (set(learned) & set(index.by_intent))}
    if context in scores:          # a conversation tends to stay on its topic
        scores[context] += context_points
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    return Evidence(hits, lex, oos, entry_hits, sims, learned, dict(intent_sim), scores, ranked)


def term_evidence(hits: list[Hit]) -> tuple[dict[str, float], float, dict[str, float]]:
    """(topic -> weight, out-of-scope weight, entry -> keyword hits) of the terms found."""
    lex: dict[str, float] = defaultdict(float)
    entry_hits: dict[str, float] = defaultdict(float)
    oos = 0.0
    for hit in hits:
        for intent, weight in hit.term.intents.items():
            lex[intent] += weight * hit.factor
        if not hit.by_sound:       # "节前" sounds like "借钱": only the written word vetoes a topic
            oos += hit.term.oos
        for entry_id in hit.term.entries:
            entry_hits[entry_id] += hit.factor
    return dict(lex), oos, dict(entry_hits)


def similarities(index: KBIndex, q: Prepared) -> dict[str, float]:
    """Best similarity (0-100) of the question to each entry's title and questions."""
    return _similar(index, q)[0]


def _similar(index: KBIndex, q: Prepared) -> tuple[dict[str, float], dict[str, float]]:
    """(entry -> best similarity, topic -> best similarity of its entries)."""
    if not q.pinyin or not index.choices:
        return {}, {}
    found, shared = index.candidates(q.pinyin, PREFILTER_LIMIT)
    if len(found) == 0:
        return {}, {}
    pinyin = index.choice_pinyin[found].tolist()
    content = index.choice_content[found].tolist()
    by_sound = process.cdist([q.pinyin], pinyin, scorer=fuzz.ratio, processor=None,
                             score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
    by_char = process.cdist([q.content], content, scorer=fuzz.ratio, processor=None,
                            score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
    # A short question inside a longer one counts, but less than a whole match. Only a choice
    # sharing a good share of the syllables of the shorter of the two can hold it or be held
    # (the costliest comparison, so it is made only there).
    short = len(q.content) <= 6
    heard = len(set(q.pinyin.split()))
    if heard < PARTIAL_MIN_HEARD:        # one syllable inside a title names nothing (切 in 切实做好)
        partial = np.zeros(len(found), dtype=np.float32)
    elif heard <= PARTIAL_ALL:           # a short question is cheap to look for everywhere
        partial = process.cdist([q.pinyin], pinyin, scorer=fuzz.partial_ratio, processor=None,
                                score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
    else:
        partial = np.zeros(len(found), dtype=np.float32)
        share = shared / np.maximum(np.minimum(index.choice_syllables[found], heard), 1)
        inside = np.flatnonzero(share >= PARTIAL_SHARE)
        if len(inside) > PARTIAL_LIMIT:
            inside = inside[np.argpartition(-share[inside], PARTIAL_LIMIT)[:PARTIAL_LIMIT]]
        if len(inside):
            partial[inside] = process.cdist([q.pinyin], index.choice_pinyin[found[inside]].tolist(),
                                            scorer=fuzz.partial_ratio, processor=None, score_cutoff=SIM_CUTOFF,
                                            dtype=np.float32)[0]
    whole = np.maximum(by_sound, by_char)
    best = np.maximum(whole, partial * (0.8 if short else 0.7))
    # A two-syllable name found inside a longer question says which measure, but not that the
    # question asks for one (福包 in 支付宝, 体检 in 入职体检要空腹不): the lexicon's terms say the
    # topic, and the topic's similarity counts only longer ones.
    long_enough = index.choice_syllables[found] >= PARTIAL_MIN_SYLLABLES
    topical = np.maximum(whole, np.where(long_enough, partial, 0.0) * (0.8 if short else 0.7))
    kept = np.flatnonzero(best >= SIM_CUTOFF)
    if len(kept) == 0:
        return {}, {}
    # The best of each entry's choices, entries in the order their first choice was found.
    owners, values = index.choice_owner[found[kept]], best[kept]
    order = np.argsort(owners, kind="stable")
    ranked = owners[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    top = np.maximum.reduceat(values[order], starts)
    top_topical = np.maximum.reduceat(topical[kept][order], starts)
    first = order[starts]                 # where each entry was first found
    seq = np.argsort(first, kind="stable")
    entries = ranked[starts]
    topics = index.owner_topic[entries]
    by_topic = np.zeros(len(index.topic_names))
    np.maximum.at(by_topic, topics, top_topical)
    return (dict(zip(index.owner_ids[entries[seq]].tolist(), top[seq].tolist(), strict=True)),
            {index.topic_names[k]: float(by_topic[k]) for k in np.unique(topics)})


def overlap(text: str, vocabulary: str) -> float:
    """Share of the text's character pairs that occur in the vocabulary (an entry's own words)."""
    pairs = [text[i:i + 2] for i in range(len(text) - 1)]
    return sum(p in vocabulary for p in pairs) / len(pairs) if pairs else 0.0
