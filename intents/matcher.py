"""The matcher: a worker's question, region and previous topic to the right measure.

Evidence comes from three places, combined per intent:
- lexicon terms found by characters or fuzzy pinyin (data: `intents/data/lexicon.yaml`);
- rapidfuzz similarity to every entry's title and questions (characters and pinyin),
  over candidates pre-filtered by an inverted syllable index;
- out-of-scope terms, which veto a topic when they weigh more.
Then the region (named in the question, else saved) picks the entry of that intent.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from intents.index import Hit, KBIndex, Prepared, TextPipeline
from intents.learned import OOS
from intents.normalize import normalize
from intents.reading import Reading
from intents.resources import Resources
from intents.segment import Segmenter
from knowledge.gazetteer import ROOT, Region
from knowledge.models import Entry
from knowledge.store import KnowledgeBase

LEX_CAP = 10.0           # evidence from terms saturates here
LEX_POINTS = 8.0         # points per unit of term evidence (max 80)
SIM_POINTS = 0.5         # points per similarity point (max 50)
SIM_CUTOFF = 40          # similarities below this are ignored
ACCEPT = 40.0            # below this confidence the matcher falls back (a strong term alone is 40)
NO_TERM_PROB = 0.4       # without any topic term, the learned model must be this sure ...
NO_TERM_SIM = 75.0       # ... or the wording this close to an entry's
STRONG_TERM = 4.0        # one strong topic word (even by sound) is enough on its own
AMBIGUOUS_RATIO = 0.85   # second intent this close to the first: "did you mean"
CONFIDENT = 80.0         # above this, never ask "did you mean"
PREFILTER_LIMIT = 1500   # choices compared at most per question
REGION_STEP = 4.0        # preference per level of region distance
LEARN_POINTS = 60.0      # points for the learned model's probability of an intent
OOS_PROB = 0.6           # the learned model is this sure it asks for no measure: out of scope, unless
OOS_PROB_IN_CONVERSATION = 0.85
ADVICE_OOS_PROB = 0.1    # an advice question is out of scope unless the model is sure it is a topic
ADVICE_OOS_PROB_IN_CONVERSATION = 0.4    # ... mid-conversation, unless it is fairly sure
OOS_OVERRIDES_LEX = 8.0  # ... topic terms this strong (two words, not one: 体检 in 体检前能喝酒吗 is not enough)
OOS_OVERRIDES_SIM = 80.0 # ... or wording this close to an entry's question say otherwise
RELEVANT_MARGIN = 15.0   # entries this close to the best one count as equally relevant; the most specific region wins
SPECIFIC_SIM = 88.0      # a question this close to one entry's wording names that measure
OVERVIEW_LIMIT = 8       # measures listed in an overview
QUESTION_STRESS = 2.0    # extra weight of the asking clause's topic words in a long message
#: Parts of a measure only a measure has (what to bring, whom to call); "多少钱" and "怎么办" are
#: asked of anything.
SEEKING_ASPECTS = ("materials", "contact", "place", "validity", "family", "eligibility")
#: Topics whose measures are the home place's when the worker names it (care for the family left there).
HOME_TOPICS = ("family_care",)
CONTEXT_POINTS = 20.0    # mid-conversation, the topic being talked about gets this much more
CHITCHAT_PROB = 0.85     # mid-conversation, a question this surely chit-chat is not a follow-up
SIBLING_SCORE = 70.0     # a follow-up fits another measure of the topic this well ...
SIBLING_MARGIN = 15.0    # ... and this much better than the previous one: that measure answers
SIBLING_WORDS = 0.5      # ... or its text holds this share of the turn's word pairs ...
SIBLING_WORDS_MARGIN = 0.25   # ... this much more than the previous measure's text does
HIT_POINTS = 10.0        # an entry's own keyword in the question counts like this much similarity
TEXT_POINTS = 20.0       # an entry whose text holds all of the question's word pairs ranks this much higher
TEXT_RERANK = 24         # ... among this many of a topic's closest entries
CASE_OVERLAP = 0.5       # share of a long follow-up's word pairs found in the previous measure's text
#: What a reply is: one measure, an overview of a region's measures, a follow-up on the
#: previous measure, a request for the region, no local measure, out of scope, or a greeting.
KINDS = ("measure", "overview", "followup", "ask_region", "no_local", "needs_topic", "out_of_scope", "greeting",
         "empty")


@dataclass
class Candidate:
    """A possible answer, for "did you mean" buttons."""

    entry_id: str
    title: str
    intent: str
    score: float

    def to_dict(self) -> dict:
        """JSON form."""
        return {"entry_id": self.entry_id, "title": self.title, "intent": self.intent,
                "score": round(self.score, 1)}


@dataclass
class MatchResult:
    """Everything the bot needs to answer one question."""

    text: str
    intent: str
    entry: Entry | None = None
    score: float = 0.0
    fallback: bool = True
    region: str | None = None
    region_in_text: str | None = None     # a region named in the question
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: bool = False               # top intents too close: ask "did you mean"
    needs_region: bool = False            # depends on region and none is known
    no_local: bool = False                # region known but it has no such measure
    region_options: list[str] = field(default_factory=list)
    followup: bool = False
    needs_topic: bool = False             # a follow-up question with no topic to follow
    aspect: str | None = None             # how_to_claim, contact, amount, ...
    aspects: list[str] = field(default_factory=list)     # every aspect asked, the first being `aspect`
    kind: str = "out_of_scope"            # one of KINDS
    text_content: str = ""                # the question without places, filler and follow-up words
    entries: list[Entry] = field(default_factory=list)   # ranked answers for the region, most specific first
    learned: dict[str, float] = field(default_factory=dict)
    also: list[Entry] = field(default_factory=list)      # a second question in the same message, offered as a button
    pointer: str | None = None            # out of scope, but whom to ask (社保卡 -> 12333)
    latency_ms: float = 0.0


class Matcher:
    """Create once per knowledge base; picks up changes to it without a restart."""

    def __init__(self, kb: KnowledgeBase, resources: Resources | None = None, *, background: bool = False) -> None:
        self.kb = kb
        self.background = background          # rebuild after an edit in a thread, answering from the old index
        self._building: threading.Thread | None = None
        self._building_version = -1
        self._distances: dict[tuple[str, str], int | None] = {}    # (entry region, asked region) -> distance
        self.gazetteer = kb.gazetteer
        self.resources = resources or Resources.load()
        words = set(self.resources.greetings) | {a for r in self.gazetteer.regions.values() for a in r.aliases}
        for terms in self.resources.lexicon.values():
            words |= set(terms)
        words |= set(self.resources.out_of_scope)
        for phrases in self.resources.followups.values():
            words |= set(phrases)
        self.pipeline = TextPipeline(self.resources, self.gazetteer, Segmenter(words))
        self.reading = Reading(self.resources, self.pipeline)
        self._index: KBIndex | None = None
        self._version = -1

    # ------------------------------------------------------------------ index
    @property
    def index(self) -> KBIndex:
        """The prepared knowledge base, rebuilt when the knowledge base changed.

        In the background mode (the bot), an edit starts a rebuild in a thread and questions
        are answered from the previous index until the new one is swapped in, so a big
        knowledge base never stalls the event loop; the first build is always done at once."""
        version = self.kb.version()
        if self._index is not None and version == self._version:
            return self._index
        if self._index is None or not self.background:
            self._index, self._version = KBIndex(self.kb.entries(), self.resources, self.pipeline), version
        elif (self._building is None or not self._building.is_alive()) and version != self._building_version:
            entries = self.kb.entries()          # read here: the database connection stays on this thread
            self._building_version = version
            self._building = threading.Thread(target=self._rebuild, args=(entries, version),
                                              name="matcher-index", daemon=True)
            self._building.start()
        return self._index

    def _rebuild(self, entries: list[Entry], version: int) -> None:
        try:
            index = KBIndex(entries, self.resources, self.pipeline, fit_elsewhere=True)
        except Exception:                        # keep answering from the old index; the next edit retries
            logging.getLogger(__name__).exception("rebuilding the matcher index failed")
            return
        self._index, self._version = index, version

    def wait_for_index(self, timeout: float | None = None) -> KBIndex:
        """The index after any rebuild under way has finished (for tools and tests)."""
        _ = self.index
        if self._building is not None:
            self._building.join(timeout)
        return self.index

    # ------------------------------------------------------------------ match
    def match(self, text: str, region: str | None = None, previous: str | None = None,
              context_region: str | None = None, previous_intent: str | None = None,
              pending_text: str | None = None) -> MatchResult:
        """The best answer for `text`, given the saved region, the previous topic (entry id), the
        region the conversation is about (named in an earlier turn; beats the saved one) and the
        previous topic's intent when no measure was given (we asked where the worker is) and
        the question we asked the region for, which ranks the answers once the region is known."""
        index = self.index        # a rebuild after a knowledge-base change is not the question's latency
        start = time.perf_counter()
        result = self._match(index, text, region, previous, context_region, previous_intent, pending_text)
        if result.fallback and result.text:
            result.pointer = self.resources.pointer(result.text)
        result.latency_ms = round((time.perf_counter() - start) * 1000, 3)
        return result

    def _match(self, index: KBIndex, text: str, saved_region: str | None, previous: str | None,
               context_region: str | None = None, previous_intent: str | None = None,
               pending_text: str | None = None) -> MatchResult:
        q = self.pipeline.prepare(normalize(text), normalized=True, question=True)
        place_text = q.norm
        for keyword in index.place_like_keywords:          # 留长礼包 names a measure, not 长沙
            place_text = place_text.replace(keyword, " ")
        edges = self.pipeline.segmenter.boundaries(place_text)
        named = self.gazetteer.detect(place_text, edges)
        known = [r for r in (context_region, saved_region) if self.gazetteer.knows(r)]
        region = named.name if named else (known[0] if known else None)
        result = MatchResult(text=q.norm, intent="out_of_scope", region=region,
                             region_in_text=named.name if named else None)
        if not q.norm:
            result.kind = "empty"
            return result
        hits = index.terms.scan(q.canon, q.syl, q.chars)
        lex, oos, entry_hits = self._evidence(hits)
        self._stress_the_question(q, index, lex)
        sims = self._similarities(index, q)
        learned = index.model.predict(q.features())
        result.learned = {k: round(v, 3) for k, v in learned.items() if v >= 0.01}
        intent_sim: dict[str, float] = defaultdict(float)
        for entry_id, sim in sims.items():
            intent = index.entries[entry_id].intent
            intent_sim[intent] = max(intent_sim[intent], sim)
        scores = {i: min(lex.get(i, 0.0), LEX_CAP) * LEX_POINTS + intent_sim.get(i, 0.0) * SIM_POINTS
                  + learned.get(i, 0.0) * LEARN_POINTS
                  for i in set(lex) | set(intent_sim) | (set(learned) & set(index.by_intent))}
        context = index.entries[previous].intent if previous in index.entries else previous_intent
        if context in scores:          # a conversation tends to stay on its topic
            scores[context] += CONTEXT_POINTS
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        top_lex = max(lex.values(), default=0.0)
        p_oos = learned.get(OOS, 0.0)
        aspects = self.reading.aspects(q)
        aspect = aspects[0] if aspects else None
        result.aspect, result.aspects = aspect, aspects
        prev = index.entries.get(previous or "")
        if oos and (aspects or prev):
            # "要带身份证不" asks what to bring, not about identity cards; "户口不在安庆" after a card
            # for workers whose 户籍 is elsewhere speaks of that card.
            asked = {p for a in aspects for p in self.resources.followups.get(a, ())}
            vocabulary = index.vocabulary[prev.id] if prev else ""
            oos -= sum(hit.term.oos for hit in hits if not hit.by_sound and (
                hit.term.text in asked or vocabulary and hit.term.text in vocabulary))
        result.candidates = self._candidates(index, sims, entry_hits, region)
        residue = self.reading.residue(q)
        result.text_content = residue

        # 1. A greeting or thanks, then a follow-up ("怎么领？", "那迎江区呢", "老婆孩子能去吗"),
        #    which continues the previous topic.
        if top_lex == 0 and oos == 0 and not aspect and self.reading.is_greeting(q):
            result.intent, result.fallback, result.score, result.kind = "greeting", False, 100.0, "greeting"
            return result
        general = not aspect and self._is_general(q, lex, learned)
        other = self._named_measure(index, residue, sims, prev, region) if prev and oos == 0 else None
        if prev and oos == 0 and not general and not other and self._continues(
                q, index, prev.intent, aspect, named, residue, hits, learned, prev):
            sibling = None if named else self._sibling(index, prev, region, residue, sims, entry_hits,
                                                       another=self.reading.asks_another(q))
            if sibling is not None:        # "小卖部开几个钟头" after 粮油保供: the topic's other measure
                result.intent, result.fallback, result.score, result.kind = sibling.intent, False, 80.0, "measure"
                self._pick_entry(result, index, sibling.intent, sims, entry_hits, region)
                result.entry, result.entries = sibling, [sibling, *(e for e in result.entries if e.id != sibling.id)]
                return result
            return self._followup(result, index, prev, region, pending_text)
        if other is not None and (aspect or named or len(q.content) <= 4 or self.reading.asks(q.norm)):
            # "那交通费呢", "农民工是不是还有个一次性补助": another measure, named, in this conversation.
            result.intent, result.fallback, result.score, result.kind = other.intent, False, 80.0, "measure"
            self._pick_entry(result, index, other.intent, sims, {}, region)
            result.entry, result.entries = other, [other, *(e for e in result.entries if e.id != other.id)]
            return result
        if (not prev and previous_intent in index.by_intent and oos == 0 and named
                and self._continues(q, index, previous_intent, aspect, named, residue, hits, learned)):
            # "我在安庆" after we asked where: the topic asked before, for that region.
            result.intent, result.fallback, result.score, result.kind = previous_intent, False, 80.0, "measure"
            self._pick_pending(result, index, previous_intent, region, pending_text)
            return result
        if (not prev and previous_intent in index.by_intent and aspect and not named and oos == 0
                and self._continues(q, index, previous_intent, aspect, named, residue, hits, learned)):
            # "怎么领？" right after we asked where the worker is (or said there is nothing there):
            # still the same question.
            result.intent, result.fallback, result.followup = previous_intent, False, True
            if region is None:
                result.kind, result.needs_region = "ask_region", True
                result.region_options = self._region_list(
                    {index.entries[i].region for i in index.by_intent[previous_intent]})
            else:
                result.kind = "measure"
                self._pick_pending(result, index, previous_intent, region, pending_text)
            return result
        if aspect and top_lex == 0 and not residue and max(
                (p for i, p in learned.items() if i in index.by_intent), default=0.0) < 0.5:
            result.needs_topic, result.kind = True, "needs_topic"   # "怎么领？" with nothing before it
            return result
        # 2. Nothing topical: a greeting, or something we do not cover.
        if top_lex == 0 and oos == 0 and self.reading.is_greeting(q):
            result.intent, result.fallback, result.score, result.kind = "greeting", False, 100.0, "greeting"
            return result
        # 3. Out-of-scope words outweigh the topic words, or the learned model is sure it asks
        #    for no measure and no strong topic word says otherwise.
        if oos and oos >= top_lex:
            result.score = round(min(100.0, oos * 10), 1)
            return result
        if self.reading.asks_advice(q) and p_oos >= (ADVICE_OOS_PROB_IN_CONVERSATION if prev else ADVICE_OOS_PROB):
            return result
        if not ranked:
            return result
        best_intent, best_score = ranked[0]
        # 4. "有啥福利": an overview of the region's measures; "找工作这块有哪些": of one topic's.
        if self._is_general(q, lex, learned):
            return self._overview(result, index, region)
        if self._is_listing(q, lex, best_intent):
            return self._overview(result, index, region, best_intent)
        # Mid-conversation, or asking for a part of a measure (要带身份证不), a topic word is seldom
        # a near-miss: the model must be much surer.
        seeking = aspect in SEEKING_ASPECTS
        needed = OOS_PROB_IN_CONVERSATION if (prev or previous_intent or seeking) and top_lex >= STRONG_TERM else OOS_PROB
        if seeking and top_lex >= STRONG_TERM and p_oos >= needed and residue:
            # The part asked about (身份证 to bring) is no topic: judge the rest ("刚才那个体检").
            p_oos = min(p_oos, index.model.predict(self.pipeline.prepare(residue, normalized=True).features())
                        .get(OOS, 0.0))
        if p_oos >= needed and top_lex < OOS_OVERRIDES_LEX and max(intent_sim.values(), default=0.0) < OOS_OVERRIDES_SIM:
            result.score = round(best_score, 1)
            return result
        if best_score < ACCEPT and top_lex < STRONG_TERM or top_lex == 0 and (
                learned.get(best_intent, 0.0) < NO_TERM_PROB and intent_sim.get(best_intent, 0.0) < NO_TERM_SIM):
            result.score = round(best_score, 1)
            return result
        topics = self._clause_topics(q, index)
        if len(topics) >= 2 and best_intent in topics:      # two questions: the first one asked is the main one
            best_intent = topics[0]
            best_score = scores.get(best_intent, best_score)
        result.intent, result.score, result.fallback = best_intent, round(min(best_score, 100.0), 1), False
        result.kind = "measure"
        if len(ranked) > 1 and best_score < CONFIDENT and ranked[1][1] >= AMBIGUOUS_RATIO * best_score:
            result.ambiguous = True
            second = ranked[1][0]
            result.candidates = self._intent_first(result.candidates, [best_intent, second])
        if best_intent in HOME_TOPICS and not named and (home := self.gazetteer.home(place_text, edges)) and any(
                index.entries[i].region != ROOT and self._region_distance(index.entries[i], home.name) is not None
                for i in index.by_intent[best_intent]):
            # Care for the family left at home (我娃在怀宁老家，有人照看不) is the home place's measure.
            region = result.region = result.region_in_text = home.name
        self._pick_entry(result, index, best_intent, sims, entry_hits, region)
        second = [t for t in topics if t != best_intent]
        if second:
            other = MatchResult(text=q.norm, intent=second[0], region=region)
            self._pick_entry(other, index, second[0], sims, entry_hits, region)
            result.also = [other.entry] if other.entry is not None else []
        return result

    def _stress_the_question(self, q: Prepared, index: KBIndex, lex: dict[str, float]) -> None:
        """In a long story the question is the clause that asks; its topic words count more
        than the ones that set the scene ("孩子在老家……过年上班工资咋算")."""
        clauses = self.reading.clauses(q)
        if len(q.canon) < 20 or len(clauses) < 3:
            return
        asking = [c for c in clauses if self.reading.asks(c)]
        if not asking:
            return
        sub = self.pipeline.prepare(asking[-1], normalized=True)
        own, _, _ = self._evidence(index.terms.scan(sub.canon, sub.syl, sub.chars))
        for intent, weight in own.items():
            lex[intent] = lex.get(intent, 0.0) + QUESTION_STRESS * weight

    def _clause_topics(self, q: Prepared, index: KBIndex) -> list[str]:
        """"加班费怎么算？另外免费体检在哪": each clause's own strong topic, in the order asked."""
        clauses = self.reading.clauses(q, min_len=3)
        topics: list[str] = []
        if len(clauses) < 2:
            return topics
        for clause in clauses:
            sub = self.pipeline.prepare(clause, normalized=True)
            lex, oos, _ = self._evidence(index.terms.scan(sub.canon, sub.syl, sub.chars))
            if lex and not oos and self.reading.asks(clause):          # a story's statements are context
                intent, weight = max(lex.items(), key=lambda kv: kv[1])
                if weight >= STRONG_TERM and intent not in topics:
                    topics.append(intent)
        return topics

    def _pick_pending(self, result: MatchResult, index: KBIndex, intent: str, region: str | None,
                      question: str | None) -> None:
        """Entries for a topic asked before the region was known, ranked by that question."""
        sims: dict[str, float] = {}
        hits: dict[str, float] = {}
        if question:
            q = self.pipeline.prepare(normalize(question), normalized=True, question=True)
            sims = self._similarities(index, q)
            _, _, hits = self._evidence(index.terms.scan(q.canon, q.syl, q.chars))
        self._pick_entry(result, index, intent, sims, hits, region)

    def for_intent(self, intent: str, region: str, question: str | None = None) -> MatchResult:
        """The answer to a topic in a region (a region chosen after we asked for it)."""
        result = MatchResult(text="", intent=intent, region=region, fallback=False, score=80.0, kind="measure")
        self._pick_pending(result, self.index, intent, region, question)
        if result.entry is None and result.kind == "measure":
            result.fallback, result.kind = True, "out_of_scope"
        return result

    def _continues(self, q: Prepared, index: KBIndex, prev_intent: str, aspect: str | None, named: Region | None,
                   residue: str, hits: list[Hit], learned: dict[str, float], prev: Entry | None = None) -> bool:
        """Does this turn lean on the previous one? Yes when it names an aspect, a region or
        nothing of its own, or tells or asks about the worker's case, and has no topic of its own
        other than the previous one, unless it is plainly chit-chat. Words of the previous measure itself are not a topic of their own
        (我老家不是中高风险的能拿不, after a card about 中高风险地区户籍员工); what is left once
        aspect phrases, places and filler are gone is judged on its own ("芙蓉区隆平园上班" after
        we asked where: 隆平园 is no topic, whatever 上班 suggests in the whole sentence)."""
        asks = bool(aspect) or self.reading.asks(q.canon)
        vocabulary = index.vocabulary.get(prev.id, "") if prev else ""
        told = bool(vocabulary and residue) and _overlap(residue, vocabulary) >= CASE_OVERLAP
        if not (asks or named or told or len(q.content) <= 4 or learned.get(OOS, 0.0) < CHITCHAT_PROB):
            return False                 # a statement of its own ("我在隆平园规上企业" after 20G for 规上企业 is not)
        if not residue:
            return True
        own: dict[str, float] = defaultdict(float)
        for hit in hits:
            if vocabulary and hit.term.text in vocabulary:
                continue
            for intent, weight in hit.term.intents.items():
                if intent != prev_intent:
                    own[intent] += weight * hit.factor
        if max(own.values(), default=0.0) >= STRONG_TERM:
            return False
        if prev and residue in index.names[prev.id]:
            return True                  # "有补贴吗" after 培训和培训补贴: the measure's own name
        if told:
            return True                  # the worker's case, told in the previous measure's words
        if not aspect and self.reading.asks_advice(q):
            return False
        judged = index.model.predict(self.pipeline.prepare(residue, normalized=True).features())
        if self._elsewhere(learned, prev_intent) and self._elsewhere(judged, prev_intent):
            return False                 # the turn, and what is left of it, are about something else
        if len(residue) <= 4:
            return True
        # A longer question about the worker's case ("我交社保才半年", "我32了算青年不"), unless
        # the whole turn is plainly chit-chat.
        return learned.get(OOS, 0.0) < CHITCHAT_PROB

    def _sibling(self, index: KBIndex, prev: Entry, region: str | None, residue: str, sims: dict[str, float],
                 entry_hits: dict[str, float], *, another: bool = False) -> Entry | None:
        """Another measure of the same topic for the region that the turn's own words fit much
        better than the previous one, or the one they fit best when the turn asks for another."""
        if len(residue) < 2 and not another:
            return None
        here = [index.entries[i] for i in index.by_intent.get(prev.intent, [])
                if i != prev.id and self._region_distance(index.entries[i], region or prev.region) is not None]
        if not here:
            return None
        if another:                      # the next of the topic's measures, as they are ranked for the region
            ranked = MatchResult(text=residue, intent=prev.intent, text_content=residue)
            others = {k: v for k, v in sims.items() if k != prev.id}
            self._pick_entry(ranked, index, prev.intent, others, {k: v for k, v in entry_hits.items() if k != prev.id},
                             region or prev.region)
            return next((e for e in ranked.entries if e.id != prev.id), None)
        best = max(here, key=lambda e: self._entry_score(e, sims, entry_hits))
        score = self._entry_score(best, sims, entry_hits)
        if score >= SIBLING_SCORE and score >= self._entry_score(prev, sims, entry_hits) + SIBLING_MARGIN:
            return best
        if entry_hits.get(best.id) and not entry_hits.get(prev.id) and score > self._entry_score(prev, sims, entry_hits):
            return best                  # "节后能调休吗" names 调休, a word of the topic's other measure
        # ... or whose own text holds the turn's words far better ("看电影打折不" after 影院开门: 5家影院优惠).
        closest = heapq.nlargest(TEXT_RERANK, here, key=lambda e: self._entry_score(e, sims, entry_hits))
        covered = max(closest, key=lambda e: _overlap(residue, index.vocabulary[e.id]))
        share = _overlap(residue, index.vocabulary[covered.id])
        if share >= SIBLING_WORDS and share >= _overlap(residue, index.vocabulary[prev.id]) + SIBLING_WORDS_MARGIN:
            return covered
        return None

    @staticmethod
    def _elsewhere(learned: dict[str, float], intent: str) -> bool:
        """The learned model is fairly sure the text is about another topic."""
        best = max(learned, key=learned.get, default=OOS)
        return best not in (intent, OOS, "greeting") and learned[best] >= 0.5

    def _named_measure(self, index: KBIndex, residue: str, sims: dict[str, float], prev: Entry,
                       region: str | None) -> Entry | None:
        """"那交通费呢": a measure for the region, other than the previous one, that the turn names
        (its words are in the measure's title or keywords, or its wording is that close)."""
        if len(residue) < 2 or residue in index.vocabulary[prev.id] or sims.get(prev.id, 0.0) >= SPECIFIC_SIM:
            return None
        # A name holding the turn's words is also close to it by similarity: only those are looked at.
        named = [(sim, index.entries[entry_id]) for entry_id, sim in sims.items()
                 if entry_id != prev.id and (sim >= SPECIFIC_SIM or residue in index.names[entry_id])
                 and self._region_distance(index.entries[entry_id], region) is not None]
        if not named:
            return None
        # Several: the one on the same topic (电信的也有吗 after a data card is 电信's data, not 电信诈骗).
        return max(named, key=lambda pair: (pair[1].intent == prev.intent, pair[0],
                                            -(self._region_distance(pair[1], region) or 0)))[1]

    def _is_general(self, q: Prepared, lex: dict[str, float], learned: dict[str, float]) -> bool:
        """"有啥福利", "留下来有啥好处": asks what there is, with no particular topic."""
        if not self.reading.has_general_phrase(q):
            return False
        specific = max((p for i, p in learned.items() if i not in ("red_packet", OOS, "greeting")), default=0.0)
        return max(lex.values(), default=0.0) < STRONG_TERM and specific < 0.7

    def _is_listing(self, q: Prepared, lex: dict[str, float], intent: str) -> bool:
        """"学技术这块有啥政策": a list of one topic's measures."""
        return lex.get(intent, 0.0) >= STRONG_TERM and self.reading.has_listing_phrase(q) and (
            self.reading.has_general_phrase(q))

    def _overview(self, result: MatchResult, index: KBIndex, region: str | None,
                  intent: str | None = None) -> MatchResult:
        result.intent, result.fallback, result.score = intent or "red_packet", False, 80.0
        if intent is not None:
            self._pick_entry(result, index, intent, {}, {}, region)
            if result.kind != "ask_region" and len(result.entries) > 1:
                result.kind = "overview"
                result.entries = result.entries[:OVERVIEW_LIMIT]
            elif result.entry is not None:
                result.kind = "measure"
            return result
        if region is None:
            result.kind, result.needs_region = "ask_region", True
            result.region_options = self._region_list({e.region for e in index.entries.values()} - {ROOT})
            return result
        chain = self.gazetteer.ancestors(region)
        local = [e for e in index.entries.values() if e.region in chain and e.region != ROOT]
        if not local:
            result.kind, result.no_local = "no_local", True
            result.region_options = self._region_list({e.region for e in index.entries.values()} - {ROOT})
            return result
        order = list(self.gazetteer.regions)
        intents = list(index.by_intent)
        local.sort(key=lambda e: (chain.index(e.region), not e.amount, e.intent != "red_packet",
                                  intents.index(e.intent), order.index(e.region) if e.region in order else 0, e.id))
        result.entries = local[:OVERVIEW_LIMIT]
        result.entry, result.kind = result.entries[0], "overview"
        return result

    # --------------------------------------------------------------- evidence
    @staticmethod
    def _evidence(hits: list[Hit]) -> tuple[dict[str, float], float, dict[str, float]]:
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

    @staticmethod
    def _similarities(index: KBIndex, q: Prepared) -> dict[str, float]:
        """Best similarity (0-100) of the question to each entry's title and questions."""
        if not q.pinyin or not index.choices:
            return {}
        found = index.candidates(q.pinyin, PREFILTER_LIMIT)
        if len(found) == 0:
            return {}
        pinyin = [index.choice_pinyin[i] for i in found]
        content = [index.choice_content[i] for i in found]
        by_sound = process.cdist([q.pinyin], pinyin, scorer=fuzz.ratio, processor=None,
                                 score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
        by_char = process.cdist([q.content], content, scorer=fuzz.ratio, processor=None,
                                score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
        partial = process.cdist([q.pinyin], pinyin, scorer=fuzz.partial_ratio, processor=None,
                                score_cutoff=SIM_CUTOFF, dtype=np.float32)[0]
        # A short question inside a longer one counts, but less than a whole match.
        short = len(q.content) <= 6
        best = np.maximum(np.maximum(by_sound, by_char), partial * (0.8 if short else 0.7))
        sims: dict[str, float] = {}
        for pos in np.flatnonzero(best >= SIM_CUTOFF):
            entry_id = index.choice_entry[found[pos]]
            value = float(best[pos])
            if value > sims.get(entry_id, 0.0):
                sims[entry_id] = value
        return sims

    # ------------------------------------------------------------------ entry
    def _region_distance(self, entry: Entry, region: str | None) -> int | None:
        """0 for the same region, 1 for its parent, ...; a sub-region (a district of the city the
        worker named) counts after all of those; None when it does not apply there."""
        if region is None:
            return 0
        key = (entry.region, region)
        if key not in self._distances:
            self._distances[key] = self._distance(entry.region, region)
        return self._distances[key]

    def _distance(self, entry_region: str, region: str) -> int | None:
        chain = self.gazetteer.chain(region)
        if entry_region in chain:
            return chain.index(entry_region)
        below = self.gazetteer.chain(entry_region)
        if region != ROOT and region in below:
            return len(below)          # deeper than every ancestor: after all of them
        return None

    def _entry_score(self, entry: Entry, sims: dict[str, float], entry_hits: dict[str, float]) -> float:
        return sims.get(entry.id, 0.0) + HIT_POINTS * entry_hits.get(entry.id, 0.0)

    def _pick_entry(self, result: MatchResult, index: KBIndex, intent: str, sims: dict[str, float],
                    entry_hits: dict[str, float], region: str | None) -> None:
        """The entries that answer `intent` for the region, most specific region first among
        the ones about as relevant as the best; without a region, the measure the question
        names, else the national rule, else ask where the worker is."""
        entries = [index.entries[i] for i in index.by_intent.get(intent, [])]
        if not entries:
            return
        score = {e.id: self._entry_score(e, sims, entry_hits) for e in entries}
        words = result.text_content
        if len(words) >= 4:            # of the closest, the one whose own text holds the question's words ranks higher
            for entry_id in heapq.nlargest(TEXT_RERANK, score, key=score.__getitem__):
                score[entry_id] += TEXT_POINTS * _overlap(words, index.vocabulary[entry_id])
        if region is None:
            ranked = sorted(entries, key=lambda e: score[e.id], reverse=True)
            best = ranked[0]
            national = [e for e in ranked if e.region == ROOT]
            # Wording close to one place's question names that measure only where no national
            # rule answers the same thing; a keyword of its own always does.
            named = [e for e in entries if e.region != ROOT and (
                not national and sims.get(e.id, 0) >= SPECIFIC_SIM or entry_hits.get(e.id, 0) > 0
                and score[e.id] >= max((score[o.id] for o in entries if o.region != e.region), default=0) + 15)]
            named_regions = {e.region for e in named}
            if named and len(named_regions) == 1:
                pick = max(named, key=lambda e: score[e.id])
                result.entry, result.region, result.kind = pick, pick.region, "measure"
                result.entries = sorted(named, key=lambda e: -score[e.id])
                return
            regional = {e.region for e in entries if e.region != ROOT}
            if national:
                result.entry, result.region, result.entries = national[0], ROOT, national
                return
            if len(regional) == 1 and best.region != ROOT and (entry_hits.get(best.id) or len(entries) == 1):
                result.entry, result.region, result.entries = best, best.region, ranked
                return
            result.kind, result.needs_region, result.entry = "ask_region", True, None
            result.region_options = self._region_list(regional)
            return
        applicable = [(e, d) for e in entries if (d := self._region_distance(e, region)) is not None]
        if not applicable:
            result.kind, result.no_local = "no_local", True
            result.region_options = self._region_list({e.region for e in entries})
            return
        best_score = max(score[e.id] for e, _ in applicable)
        # A bare topic ("红包多少") says nothing about which measure: every one is relevant.
        margin = RELEVANT_MARGIN if len(result.text_content) >= 4 else float("inf")
        relevant = [(e, d) for e, d in applicable if score[e.id] >= best_score - margin]
        relevant.sort(key=lambda pair: (pair[1], -score[pair[0].id], not pair[0].amount, pair[0].id))
        chosen = {e.id for e, _ in relevant}
        rest = sorted((p for p in applicable if p[0].id not in chosen), key=lambda p: (-score[p[0].id], p[1]))
        result.entries = [e for e, _ in relevant + rest]
        result.entry = result.entries[0]

    def _region_list(self, regions: set[str]) -> list[str]:
        order = list(self.gazetteer.regions)
        return sorted(regions, key=order.index)

    def _followup(self, result: MatchResult, index: KBIndex, prev: Entry, region: str | None,
                  question: str | None = None) -> MatchResult:
        result.followup, result.fallback, result.intent = True, False, prev.intent
        result.score, result.kind = 80.0, "followup"
        if region is None or self._region_distance(prev, region) is not None and (
                result.region_in_text is None or prev.region == region):
            result.entry, result.entries = prev, [prev]
            # A follow-up is about that measure: a district's measure asked about in its city is the district's.
            result.region = prev.region if region is None or region in self.gazetteer.ancestors(prev.region) \
                else region
            return result
        # "那迎江区呢": the same topic in another region, judged by how close each measure there is
        # to the previous one (a national rule stays unless the region has its own like it).
        q = self.pipeline.prepare(prev.title)
        sims = self._similarities(index, q)
        hits: dict[str, float] = {}
        if question:                         # ... and to the question that opened the topic
            asked = self.pipeline.prepare(normalize(question), normalized=True, question=True)
            for entry_id, sim in self._similarities(index, asked).items():
                sims[entry_id] = max(sims.get(entry_id, 0.0), sim)
            _, _, hits = self._evidence(index.terms.scan(asked.canon, asked.syl, asked.chars))
            hits.pop(prev.id, None)
        if prev.region in self.gazetteer.chain(region) and (prev.region == ROOT or prev.kind == "standing"):
            sims[prev.id] = 100.0            # a right that holds there too stays, unless the place has its own like it
        else:
            sims.pop(prev.id, None)          # a seasonal measure: the new place's own measures answer first
        result.text_content = q.content
        self._pick_entry(result, index, prev.intent, sims, hits, region)
        if result.entry is None and result.kind == "followup":
            result.kind = "no_local"
        return result

    def _candidates(self, index: KBIndex, sims: dict[str, float], entry_hits: dict[str, float],
                    region: str | None, limit: int = 5) -> list[Candidate]:
        scores = {i: sims.get(i, 0.0) + HIT_POINTS * entry_hits.get(i, 0.0) for i in set(sims) | set(entry_hits)}
        out: list[Candidate] = []
        for pool in (heapq.nlargest(8 * limit, scores, key=scores.__getitem__), scores):   # the best first
            out = []
            for entry_id in sorted(pool, key=lambda i: (-scores[i], i)):
                entry = index.entries[entry_id]
                if self._region_distance(entry, region) is not None:
                    out.append(Candidate(entry_id, entry.title, entry.intent, min(100.0, scores[entry_id])))
                    if len(out) == limit:
                        return out
        return out

    @staticmethod
    def _intent_first(candidates: list[Candidate], intents: list[str]) -> list[Candidate]:
        """One candidate per intent in `intents` first (for "did you mean" buttons), then the rest."""
        firsts = []
        for intent in intents:
            for cand in candidates:
                if cand.intent == intent and cand not in firsts:
                    firsts.append(cand)
                    break
        return firsts + [c for c in candidates if c not in firsts]

    def region_of(self, text: str) -> Region | None:
        """A region named in free text."""
        text = normalize(text)
        return self.gazetteer.detect(text, self.pipeline.segmenter.boundaries(text))


def _overlap(text: str, vocabulary: str) -> float:
    """Share of the text's character pairs that occur in the vocabulary."""
    pairs = [text[i:i + 2] for i in range(len(text) - 1)]
    return sum(p in vocabulary for p in pairs) / len(pairs) if pairs else 0.0
