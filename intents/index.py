"""What the matcher prepares once per knowledge-base version: terms, choices, an inverted index."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

import numpy as np

from intents.learned import OOS, IntentModel, build_examples, chitchat_corpus, features
from intents.normalize import normalize
from intents.phonetic import same_tones, syllables, syllables_with_source
from intents.resources import Resources
from intents.segment import Segmenter
from knowledge.gazetteer import Gazetteer
from knowledge.models import Entry

PINYIN_FACTOR = 0.85          # a term found only through its sound counts a little less
KEYWORD_WEIGHT = 2.0          # weight of an entry's own keyword for its intent
HOTLINE = re.compile(r"\d{5}|\d{3,4}-\d{7,8}")   # a hotline number as an entry keyword ...
HOTLINE_WEIGHT = 8.0          # ... is a strong word for its topic
STRONG_TERM = 4.0             # a topic word this strong names its topic (a keyword holding one is about it)
MEMO_LIMIT = 2048              # values kept with the index (`KBIndex.remember`) before they are dropped
CHITCHAT_WEIGHT = 0.3         # weight of one chit-chat line in the learned model's out-of-scope class


#: A figure in an entry's amount: 2000, 10gb, 20g, 500-1000.
T = TypeVar("T")
AMOUNT_FIGURE = re.compile(r"\d+(?:-\d+)?(?:gb|g)?")


@dataclass
class Term:
    """A word that is evidence for intents, for out-of-scope, or for particular entries."""

    text: str
    syl: tuple[str, ...]
    intents: dict[str, float] = field(default_factory=dict)
    oos: float = 0.0
    entries: set[str] = field(default_factory=set)


@dataclass
class Hit:
    """A term found in a question, by its characters or by its sound."""

    term: Term
    by_sound: bool

    @property
    def factor(self) -> float:
        """How much the hit counts."""
        return PINYIN_FACTOR if self.by_sound else 1.0


class TermSet:
    """Finds terms in a question by characters (longest first) and by fuzzy pinyin."""

    def __init__(self, terms: dict[str, Term], variants: dict[str, list[str]] | None = None,
                 spans: Callable[[str], list[tuple[int, int, bool]]] | None = None) -> None:
        """`variants`: other ways of writing a term (the synonyms rewritten to it), heard by sound
        too: "qian gongzi" is 欠工资, a variant of 欠薪. `spans`: the words of a text (start, end,
        in the dictionary), to tell a word heard from words typed (see `scan`)."""
        self.terms = terms
        self._spans = spans
        words = sorted(terms, key=len, reverse=True)
        # A latin term ("gb", "select") must be a word of its own, not part of "hongbao"; a number
        # (12345) not part of a longer one (1234567).
        self._re = re.compile("|".join(_bounded(w) for w in words)) if words else None
        by_first: dict[str, list[tuple[tuple[str, ...], Term, str]]] = defaultdict(list)
        for term in terms.values():
            # A variant is heard from three syllables up: 年饭 would be heard in 过年放假.
            sounds = {(term.syl, term.text)} | {(syl, v) for v in (variants or {}).get(term.text, ())
                                               if len(syl := tuple(syllables(v))) >= 3}
            for syl, written in sounds:
                if len(syl) >= 2:
                    by_first[syl[0]].append((syl, term, written))
        for bucket in by_first.values():
            bucket.sort(key=lambda s: (-len(s[0]), s[2]))
        self._by_first = dict(by_first)

    def without(self, text: str, intent: str) -> str:
        """The text without the words of one topic ("红包人" -> "人")."""
        if not self._re:
            return text
        return self._re.sub(lambda m: "" if intent in self.terms[m.group(0)].intents else m.group(0), text)

    def scan(self, text: str, syl: list[str], chars: list[str | None] | None = None) -> list[Hit]:
        """Every term in the text; a term seen by characters is not counted again by sound.

        A match by sound alone must share a character with the term, or come from typed
        pinyin: 流亮 is 流量, but 过年有 does not hide 粮油. Nor is a word heard where the
        characters typed are a dictionary word of their own (乡下 is no 线下) or are crossed by
        one (家门口|找 holds no 口罩).
        """
        spans = None
        hits: dict[str, Hit] = {}
        if self._re:
            for match in self._re.finditer(text):
                hits[match.group(0)] = Hit(self.terms[match.group(0)], False)
        i = 0
        while i < len(syl):
            step = 1
            for sound, term, written in self._by_first.get(syl[i], ()):
                n = len(sound)
                if tuple(syl[i:i + n]) == sound:
                    source = chars[i:i + n] if chars is not None else [None]
                    if any(c is None or c in written for c in source):
                        if term.text not in hits and self._spans is not None and None not in source:
                            spans = spans if spans is not None else self._spans(text)
                            if _typed_otherwise(text, "".join(source), written, spans):   # type: ignore[arg-type]
                                continue
                        hits.setdefault(term.text, Hit(term, True))
                        step = n
                        break
            i += step
        return list(hits.values())


def _bounded(word: str) -> str:
    """The pattern of a term: a latin or numeric one with no letter (or, at a digit, no digit) next to it."""
    if not word.isascii():
        return re.escape(word)
    before = "a-z0-9" if word[0].isdigit() else "a-z"
    after = "a-z0-9" if word[-1].isdigit() else "a-z"
    return rf"(?<![{before}]){re.escape(word)}(?![{after}])"


def _typed_otherwise(text: str, heard: str, written: str, spans: list[tuple[int, int, bool]]) -> bool:
    """The characters heard as a term are a dictionary word of their own, or part of one, unless
    each character that differs sounds exactly like the term's, tone and all (话废 is 话费 even
    inside 发话: 废 and 费 are both fèi; 口找 is no 口罩: zhǎo is not zhào)."""
    if heard == written or same_tones(heard, written):
        return False
    at = text.find(heard)
    if at < 0:
        return False
    end = at + len(heard)
    return any(known and (start < at < stop or start < end < stop or (start, stop) == (at, end))
               for start, stop, known in spans)


@dataclass
class Prepared:
    """A question or knowledge-base text after every normalisation step."""

    norm: str                  # normalised
    canon: str                 # synonyms rewritten
    content: str               # region names and filler removed
    tokens: list[str]
    syl: list[str]             # fuzzy syllables of `canon`
    chars: list[str | None]    # the character each syllable came from (None: typed pinyin)
    pinyin: str                # fuzzy syllables of `content`, space-separated
    plain: str = ""            # `canon` without place names (what the learned model reads)
    marks: str = ""            # the emoji typed, which normalising drops (😂: a laugh)
    question_mark: bool = False    # a question mark typed, which normalising drops too
    shifted: bool = False      # opened with "by the way" (对了, 顺便问), which the courtesy reading may drop

    def features(self) -> list[str]:
        """Features for the learned model."""
        return features(self.plain, syllables(self.plain), self.tokens)


class TextPipeline:
    """normalise -> synonyms -> segment -> drop regions and filler -> fuzzy pinyin."""

    def __init__(self, resources: Resources, gazetteer: Gazetteer, segmenter: Segmenter) -> None:
        self.resources = resources
        self.gazetteer = gazetteer
        self.segmenter = segmenter
        aliases = sorted({a for r in gazetteer.regions.values() for a in (*r.aliases, r.short, r.name)},
                         key=len, reverse=True)
        # (A lookahead finds every place name at every position, overlapping ones included.)
        self._region_re = re.compile("(?=(" + "|".join(re.escape(normalize(a)) for a in aliases if a) + "))")
        self._drop = resources.stopwords | resources.greetings

    def _without_places(self, text: str, spans: list[tuple[int, int]]) -> str:
        """The text with every place name taken out: the `spans` given and every alias found, overlapping
        ones included, as one stretch where they overlap ("在宜秀": 在宜 is 安庆's and 宜秀 the district's;
        "南京鼓楼区": the gazetteer's 南京鼓楼 and the alias 鼓楼区)."""
        found = sorted([*spans, *((m.start(), m.start() + len(m.group(1))) for m in self._region_re.finditer(text))])
        if not found:
            return text
        merged = [found[0]]
        for start, end in found[1:]:
            if start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        for start, end in reversed(merged):
            text = text[:start] + " " + text[end:]
        return text

    def prepare(self, text: str, *, normalized: bool = False, question: bool = False) -> Prepared:
        """All forms of one text; a worker's question also gets the dialect and code-mixed
        rewrites, and every place it names is taken out of its content."""
        norm = text if normalized else normalize(text)
        canon = self.resources.canon(self.resources.rewrite(norm) if question else norm)
        spans = []
        if question:            # the places the gazetteer reads at word boundaries too (在宜宾: 宜宾)
            edges = self.segmenter.boundaries(canon)
            spans = [(start, end) for _region, start, end in self.gazetteer.find_all(canon, edges, homes=True)]
        without_region = self._without_places(canon, spans)
        tokens = self.segmenter.cut(without_region)
        content_tokens = [t for t in tokens if t not in self._drop]
        content = "".join(content_tokens)
        sourced = syllables_with_source(canon)
        return Prepared(norm=norm, canon=canon, content=content, tokens=content_tokens,
                        syl=[s for s, _ in sourced], chars=[c for _, c in sourced],
                        pinyin=" ".join(syllables(content)), plain=" ".join(without_region.split()))


@dataclass
class Choice:
    """One string of one entry the question is compared with."""

    entry_id: str
    content: str
    pinyin: str


@cache
def _chitchat() -> tuple[str, ...]:
    """The chit-chat corpus, normalised once per process."""
    return tuple(normalize(t) for t in chitchat_corpus())


#: A town, township, village or neighbourhood named in a measure's keywords (平山镇, 大墩村).
LOCALITY = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:镇|乡|村|街道|社区)")


class KBIndex:
    """Entries, their terms and choices, and an inverted index over syllables."""

    def __init__(self, entries: list[Entry], resources: Resources, pipeline: TextPipeline, *,
                 fit_elsewhere: bool = False) -> None:
        self.entries = {e.id: e for e in entries}
        #: Values derived from this index and reused across questions (a measure title's
        #: similarities, for region switches); they die with the index. See `remember`.
        self.memo: dict[tuple, object] = {}
        self.by_intent: dict[str, list[str]] = defaultdict(list)
        for entry in entries:
            self.by_intent[entry.intent].append(entry.id)
        #: Each entry's names: its title and keywords (那交通费呢 names 交通费补贴).
        def joined(parts: list[str]) -> str:       # each part whole (normalize keeps a question's 300 characters)
            return resources.canon(" ".join(normalize(p) for p in parts if p))

        self.names = {e.id: joined([e.title, *e.keywords]) for e in entries}
        self.terms = self._build_terms(entries, self.by_intent, self.names, resources, pipeline)
        #: Each entry's own words, as a follow-up sees them (规上, 中高风险 in 我厂不是规上的能领吗).
        self.vocabulary = {e.id: joined([e.title, e.answer, e.eligibility or "", e.how_to_claim or "", *e.keywords,
                                         *e.questions]) for e in entries}
        #: Each entry's own terms: its title, who qualifies, its keywords and questions (中高风险地区户籍员工,
        #: 年夜饭能送到宿舍吗), not what its text mentions in passing (12333's card names 欠薪);
        #: a topic word a follow-up shares with them is no topic of its own.
        self.own_terms = {e.id: joined([e.title, e.eligibility or "", *e.keywords, *e.questions]) for e in entries}
        pipeline.segmenter.add_words(self.terms.terms)
        self.choices: list[Choice] = []
        for entry in entries:
            for text in dict.fromkeys([entry.title, *entry.questions]):
                prepared = pipeline.prepare(text)
                if prepared.content:
                    self.choices.append(Choice(entry.id, prepared.content, prepared.pinyin))
        self.choice_entry = np.array([c.entry_id for c in self.choices], dtype=object)
        #: Each choice's entry as a number (its place in `owner_ids`), for taking the best per entry in numpy.
        self.owner_ids = np.array(list(dict.fromkeys(c.entry_id for c in self.choices)), dtype=object)
        owner_at = {entry_id: i for i, entry_id in enumerate(self.owner_ids)}
        self.choice_owner = np.array([owner_at[c.entry_id] for c in self.choices], dtype=np.int32)
        #: Each of those entries' topic as a number (its place in `topic_names`).
        self.topic_names = sorted({self.entries[i].intent for i in self.owner_ids})
        topic_at = {topic: i for i, topic in enumerate(self.topic_names)}
        self.owner_topic = np.array([topic_at[self.entries[i].intent] for i in self.owner_ids], dtype=np.int32)
        self.choice_content = np.array([c.content for c in self.choices], dtype=object)
        self.choice_pinyin = np.array([c.pinyin for c in self.choices], dtype=object)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, choice in enumerate(self.choices):
            for syl in set(choice.pinyin.split()):
                postings[syl].append(i)
        self.postings = {k: np.array(v, dtype=np.int32) for k, v in postings.items()}
        #: How many different syllables each choice has (how much of a question it can hold).
        self.choice_syllables = np.array([len(set(c.pinyin.split())) for c in self.choices], dtype=np.int64)
        weak = pipeline.gazetteer.weak_names()
        #: Measure names that hold a one-character place form (留长礼包): no place when named.
        self.place_like_keywords = sorted((t for t, term in self.terms.terms.items()
                                           if (term.entries or term.intents) and any(w in t and w != t for w in weak)),
                                          key=len, reverse=True)
        examples = build_examples(entries, resources.lexicon, resources.near_miss, resources.greetings,
                                  resources.training, light=resources.near_miss_light,
                                  followups=resources.followup_turns)
        # Chit-chat is plentiful and unlike any question about a measure: it counts less.
        examples += [(text, OOS, CHITCHAT_WEIGHT) for text in _chitchat()]
        self.model = IntentModel.train(examples, lambda text: pipeline.prepare(text).features(),
                                       salt=resources.digest, separate_process=fit_elsewhere)

    def holding(self, field: str, word: str) -> tuple[str, ...]:
        """The entries whose `field` text ("names", "own_terms" or "vocabulary") holds the word, in
        the knowledge base's order (kept with the index)."""
        texts: dict[str, str] = getattr(self, field)
        return self.remember(("holding", field, word), lambda: tuple(i for i, text in texts.items() if word in text))

    def remember(self, key: tuple, make: Callable[[], T]) -> T:
        """The value kept under `key`, made once (at most MEMO_LIMIT values are kept)."""
        if key not in self.memo:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[return-value]

    @staticmethod
    def _build_terms(entries: list[Entry], by_intent: dict[str, list[str]], names: dict[str, str],
                     resources: Resources, pipeline: TextPipeline) -> TermSet:
        terms: dict[str, Term] = {}

        def term(text: str) -> Term:
            if text not in terms:
                terms[text] = Term(text=text, syl=tuple(syllables(text)))
            return terms[text]

        for intent, words in resources.lexicon.items():
            for word, weight in words.items():
                term(word).intents[intent] = weight
        for word, weight in resources.out_of_scope.items():
            term(word).oos = weight
        # Entry keywords: evidence for that entry, and (diluted when shared) for its intent.
        keyword_intents: dict[str, Counter[str]] = defaultdict(Counter)
        named_by: dict[tuple[str, str], set[str]] = {}     # (word, topic) -> the topic's measures its names hold
        for entry in entries:
            # The figures of its amount name a measure too ("2000那个", "那个10g"): 3 characters or more.
            figures = [f for f in AMOUNT_FIGURE.findall(normalize(entry.amount or "")) if len(f) >= 3]
            # A town or village of the measure is named without its 镇, 乡 or 村 too ("平山" for 平山镇).
            stems = [m.group(1) for k in entry.keywords if (m := LOCALITY.fullmatch(normalize(k)))]
            for keyword in [*entry.keywords, *figures, *stems]:
                word = resources.canon(normalize(keyword))
                if len(word) < 2 or word in resources.stopwords or keyword not in stems and pipeline.gazetteer.detect(word):
                    continue
                keyword_intents[word][entry.intent] += 1
                # A topic's own word (红包 for red_packet) names the topic, not this measure, unless
                # no other measure of the topic is named by it (经济困难审查 for the legal-aid waiver).
                if resources.lexicon.get(entry.intent, {}).get(word, 0) >= STRONG_TERM:
                    key = (word, entry.intent)
                    if key not in named_by:
                        named_by[key] = {i for i in by_intent[entry.intent] if word in names[i]}
                    if named_by[key] - {entry.id}:
                        continue
                term(word).entries.add(entry.id)
        for word, counts in keyword_intents.items():
            total = sum(counts.values())
            t = terms[word]
            # A hotline's number (12333, 12348) names it as surely as a topic word.
            hotline = bool(HOTLINE.fullmatch(word))
            weight = HOTLINE_WEIGHT if hotline else KEYWORD_WEIGHT
            for intent, n in counts.items():
                if hotline:          # (the lexicon may name it too: the number says no less than this)
                    t.intents[intent] = max(t.intents.get(intent, 0.0), weight * n / total)
                else:
                    t.intents.setdefault(intent, weight * n / total)
            # A longer phrase never says less than a topic word inside it (过年加班 holds 加班), unless a
            # strong word of its measures' own topic inside it says what it is (话费补贴 is about 话费, not 补贴).
            inside = {intent: max((w for term_word, w in words.items() if term_word in word and term_word != word),
                                  default=0.0) for intent, words in resources.lexicon.items()}
            own = len(counts) == 1 and inside.get(next(iter(counts)), 0.0) >= STRONG_TERM
            for intent, weight in inside.items():
                if weight > t.intents.get(intent, 0.0) and (not own or intent in counts or weight >= STRONG_TERM):
                    t.intents[intent] = weight
        variants: dict[str, list[str]] = defaultdict(list)
        for variant, canonical in resources.synonyms.items():
            if canonical in terms and variant != canonical:
                variants[canonical].append(normalize(variant))
        return TermSet(terms, variants, pipeline.segmenter.spans)

    def candidates(self, pinyin: str, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the choices sharing the most syllables with the question (pre-filter), and
        how many syllables each shares."""
        lists = [self.postings[s] for s in set(pinyin.split()) if s in self.postings]
        if not lists:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(lists), minlength=len(self.choices))
        found = np.flatnonzero(counts)
        if len(found) > limit:
            found = found[np.argpartition(-counts[found], limit)[:limit]]
        return found, counts[found]
