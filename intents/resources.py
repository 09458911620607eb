"""The matcher's data files (lexicon, synonyms, small talk), loaded once."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pypinyin import lazy_pinyin

from intents.normalize import normalize
from knowledge.fastyaml import read_yaml

DATA_DIR = Path(__file__).parent / "data"
#: Latin words that are never read as pinyin initials.
COMMON_LATIN = frozenset({"ok", "hi", "gb", "id", "tv", "pc", "vip", "app", "wifi", "qq", "sb", "nb", "ps", "pk", "dj",
                          "ktv", "atm", "usb", "cpu", "gps", "ai", "bj", "sh", "gz", "sz", "hz", "xm", "fz", "cs", "nj",
                          "wh", "cd", "cq", "km", "xa", "ha", "he", "me", "my", "no", "on", "so", "to", "up", "us", "we"})


@dataclass(frozen=True)
class Resources:
    """Everything the matcher reads from `intents/data/`."""

    lexicon: dict[str, dict[str, float]]      # intent -> term -> weight
    synonyms: dict[str, str]                  # variant -> canonical word
    greetings: frozenset[str]
    about_bot: frozenset[str]                 # "你是真人吗": about the assistant itself, answered as a greeting
    followups: dict[str, tuple[str, ...]]     # aspect -> phrases
    followup_patterns: dict[str, tuple[re.Pattern[str], ...]]   # aspect -> patterns (去哪申请, 几号截止)
    stopwords: frozenset[str]
    out_of_scope: dict[str, float]
    general: tuple[str, ...]                  # "有啥福利": asks for an overview
    general_patterns: tuple[re.Pattern[str], ...]   # ... built many ways ("有啥给我们的没", "管不管我们")
    listing: tuple[str, ...]                  # "找工作这块有哪些": a topic's overview
    offer_words: frozenset[str]               # "能领什么东西": what a general question asks for (东西, 好处)
    another: tuple[str, ...]                  # "还有个一次性补助": another measure of the topic
    back_to: tuple[str, ...]                  # "还是说回那个补贴": the measure talked about before
    conditions: frozenset[str]                # the worker's case (低风险, 临时工): a condition asked about
    elders: tuple[str, ...]                   # 奶奶, 老娘: the family's old people (老人, choosing a measure)
    rewrites: dict[str, str]                  # colloquial, dialect or code-mixed word -> plain word
    patterns: tuple[tuple[re.Pattern[str], str], ...]     # question forms ("要钱不" -> "要钱吗")
    near_miss: tuple[str, ...]                # questions on a topic word that ask for no measure
    training: dict[str, tuple[str, ...]]      # intent -> colloquial, dialect, code-mixed examples
    near_miss_light: tuple[str, ...] = ()     # ... a broad batch of those, each counting half
    followup_turns: tuple[str, ...] = ()      # turns that lean on the card just shown ("我是本地人能不能有")
    pointers: tuple[tuple[tuple[str, ...], str], ...] = ()   # out of scope, but here is whom to ask
    advice_cues: tuple[str, ...] = ()         # "吃饺子还是汤圆": advice or taste, not a measure ...
    taste_cues: tuple[str, ...] = ()          # ... of those, taste (好吃, 怎么做): refused mid-conversation too
    verify_cues: tuple[str, ...] = ()         # ... "真的假的": advice unless a part of a measure is asked too
    seeking_cues: tuple[str, ...] = ()        # ... unless it asks for what a measure gives (领, 补贴)
    not_seeking: tuple[str, ...] = ()         # ... which these words hold without seeking it (领导, 送礼)
    greeting_filler: frozenset[str] = frozenset()   # 老铁, 喂, 侬: beside a greeting, still a greeting
    withheld: tuple[str, ...] = ()            # "老板不给": the boss withholds the measure just answered ...
    withheld_objects: tuple[str, ...] = ()    # ... unless it names what (工资, 红包)
    aspect_answers: dict[str, re.Pattern[str]] = field(default_factory=dict)   # cost -> 免费|不收费: a card answers it
    complaints: tuple[str, ...] = ()          # 能告他不, 去哪举报: where to complain is asked ...
    complaint_names: tuple[str, ...] = ()     # ... answered by a measure named so (价格投诉)
    positive_marks: tuple[str, ...] = ()      # 👍, [抱拳]: sent alone, thanks
    lost: re.Pattern[str] | None = None      # "身份证银行卡全没了": a thing lost, not asked about ...
    closings: tuple[re.Pattern[str], ...] = ()    # "那我先去问问厂里": the worker closes the conversation
    understood: tuple[re.Pattern[str], ...] = ()  # "我知道怎么弄了": understood, asking nothing
    groups: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()   # (how workers say a group, how notices do)
    staying: tuple[str, ...] = ()             # 留下来过年, 不回家: the stay itself, which names no measure
    employers: tuple[str, ...] = ()           # 厂里, 公司, 单位: who gives a measure on top ...
    signoffs: tuple[str, ...] = ()            # 谢, 拜拜, 去忙: thanks or goodbye said outright
    reactions: tuple[str, ...] = ()           # 哈哈, 笑死: laughing, judging
    resigned: tuple[re.Pattern[str], ...] = ()    # 也没办法, 没指望: giving up
    reaction_marks: str = ""                  # 😂, 🙃: the same, as emoji
    reaches: tuple[str, ...] = ()             # 全国, 本地, 省内: where a measure holds, said without a place name
    shifts: tuple[str, ...] = ()              # 对了, 顺便问: what follows is another matter
    rhetorical: tuple[re.Pattern[str], ...] = ()   # 凭啥, 哪轮得到: a clause judging what was said, put as a question
    judging: tuple[re.Pattern[str], ...] = ()   # 也太少了, 才50个人啊: an exclamation judging what was said
    courtesy_open: tuple[str, ...] = ()       # 你好, 请问 opening a message, longest first
    courtesy_close: tuple[str, ...] = ()      # 谢谢 closing it, longest first
    courtesy_clause: frozenset[str] = frozenset()   # 那个, 嗯: hesitations, as a first clause of their own
    government: tuple[str, ...] = ()          # 政府, 区里: a measure the government gives, not an employer
    topped_up: tuple[re.Pattern[str], ...] = ()   # ... asked as 另外给, 还补
    meaning: tuple[str, ...] = ()             # "规上是啥意思": asks what a word means

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Resources:
        """Read and normalise the data files."""
        lex = read_yaml(data_dir / "lexicon.yaml")["intents"]
        syn_data = read_yaml(data_dir / "synonyms.yaml")
        syn = syn_data["groups"]
        talk = read_yaml(data_dir / "smalltalk.yaml")
        edges = talk.get("courtesy_edges", {})
        rewrite_data = read_yaml(data_dir / "rewrites.yaml")
        rules = rewrite_data["rules"]
        near_data = read_yaml(data_dir / "near_miss.yaml")
        # Every batch of near-misses counts whole, but the broad light one (each counts half).
        near = [t for key in _batches(near_data, "near_miss") if key != "near_miss_light" for t in near_data[key]]
        train = read_yaml(data_dir / "training.yaml")
        near = [*near, *train.get("near_miss", [])]
        examples: dict[str, list[str]] = defaultdict(list)    # `examples` and each later batch (`examples_*`)
        for key in _batches(train, "examples"):
            for intent, lines in train[key].items():
                examples[intent].extend(lines)
        rewrites = {normalize(str(word)): normalize(str(rule.get("to") or ""))
                    for rule in rules for word in rule["from"]}
        synonyms: dict[str, str] = {}
        for group in syn:
            words = [normalize(str(w)) for w in group]
            for word in words[1:]:
                synonyms[word] = words[0]
        for word in syn_data.get("keep") or ():      # 找工会 holds 找工 but asks for the union: it stays
            synonyms[normalize(str(word))] = normalize(str(word))
        resources = cls(
            lexicon={},
            synonyms=synonyms,
            greetings=frozenset(normalize(str(w)) for w in talk["greetings"]),
            about_bot=frozenset(normalize(str(w)) for w in talk.get("about_bot", [])),
            followups={k: tuple(normalize(str(p)) for p in v) for k, v in talk["followups"].items()},
            followup_patterns={k: tuple(re.compile(p) for p in v)
                               for k, v in (talk.get("followup_patterns") or {}).items()},
            stopwords=frozenset(normalize(str(w)) for w in talk["stopwords"]),
            out_of_scope={},
            general=tuple(normalize(str(p)) for p in talk.get("general", [])),
            general_patterns=tuple(re.compile(p) for p in talk.get("general_patterns", [])),
            groups=tuple((tuple(normalize(str(w)) for w in g["says"]), tuple(str(w) for w in g["entries"]))
                         for g in talk.get("groups", [])),
            listing=tuple(normalize(str(p)) for p in talk.get("listing", [])),
            offer_words=frozenset(normalize(str(p)) for p in talk.get("offer_words", [])),
            another=tuple(normalize(str(p)) for p in talk.get("another", [])),
            back_to=tuple(normalize(str(p)) for p in talk.get("back_to", [])),
            conditions=frozenset(normalize(str(p)) for p in talk.get("conditions", [])),
            elders=tuple(normalize(str(p)) for p in talk.get("elders", [])),
            advice_cues=tuple(normalize(str(p)) for p in talk.get("advice_cues", [])),
            taste_cues=tuple(normalize(str(p)) for p in talk.get("taste_cues", [])),
            verify_cues=tuple(normalize(str(p)) for p in talk.get("verify_cues", [])),
            seeking_cues=tuple(normalize(str(p)) for p in talk.get("seeking_cues", [])),
            not_seeking=tuple(sorted((normalize(str(p)) for p in talk.get("not_seeking", [])), key=len, reverse=True)),
            greeting_filler=frozenset(normalize(str(p)) for p in talk.get("greeting_filler", [])),
            withheld=tuple(normalize(str(p)) for p in talk.get("withheld", [])),
            withheld_objects=tuple(normalize(str(p)) for p in talk.get("withheld_objects", [])),
            aspect_answers={k: re.compile(v) for k, v in (talk.get("aspect_answers") or {}).items()},
            complaints=tuple(normalize(str(p)) for p in talk.get("complaints", [])),
            complaint_names=tuple(normalize(str(p)) for p in talk.get("complaint_names", [])),
            positive_marks=tuple(str(p) for p in talk.get("positive_marks", [])),
            closings=tuple(re.compile(p) for p in talk.get("closings", [])),
            lost=re.compile(talk["lost"]) if talk.get("lost") else None,
            understood=tuple(re.compile(p) for p in talk.get("understood", [])),
            employers=tuple(normalize(str(p)) for p in talk.get("employers", [])),
            staying=_longest_first(talk.get("staying", [])),
            signoffs=tuple(normalize(str(p)) for p in talk.get("signoffs", [])),
            reactions=tuple(normalize(str(p)) for p in talk.get("reactions", [])),
            resigned=tuple(re.compile(p) for p in talk.get("resigned", [])),
            reaction_marks="".join(str(p) for p in talk.get("reaction_marks", [])),
            judging=tuple(re.compile(p) for p in talk.get("judging", [])),
            rhetorical=tuple(re.compile(p) for p in talk.get("rhetorical", [])),
            shifts=tuple(normalize(str(p)) for p in talk.get("shifts", [])),
            reaches=tuple(normalize(str(p)) for p in talk.get("reaches", [])),
            courtesy_open=_longest_first(edges.get("open", [])),
            courtesy_close=_longest_first(edges.get("close", [])),
            courtesy_clause=frozenset(normalize(str(p)) for p in edges.get("open_clause", [])),
            government=tuple(normalize(str(p)) for p in talk.get("government", [])),
            topped_up=tuple(re.compile(p) for p in talk.get("topped_up", [])),
            meaning=tuple(normalize(str(p)) for p in talk.get("meaning", [])),
            pointers=tuple((tuple(normalize(str(w)) for w in p["words"]), str(p["say"]))
                           for p in talk.get("pointers", [])),
            rewrites=rewrites,
            patterns=tuple((re.compile(p["pattern"]), str(p.get("to") or "")) for p in rewrite_data.get("patterns") or ()),
            near_miss=tuple(normalize(str(t)) for t in near),
            near_miss_light=tuple(normalize(str(t)) for t in near_data.get("near_miss_light") or ()),
            followup_turns=tuple(normalize(str(t)) for key in _batches(train, "followup_turns") for t in train[key]),
            training={k: tuple(normalize(str(t)) for t in v) for k, v in examples.items()},
        )
        # Terms are written the way questions are rewritten, so they meet half-way.
        object.__setattr__(resources, "lexicon", {
            intent: {resources.canon(normalize(str(t))): float(w) for t, w in terms.items()}
            for intent, terms in lex.items()})
        # Follow-up and general phrases are looked for in the rewritten question, longest first.
        object.__setattr__(resources, "followups", {
            k: tuple(sorted(dict.fromkeys(v + tuple(resources.canon(p) for p in v)), key=len, reverse=True))
            for k, v in resources.followups.items()})
        # Pinyin initials of strong topic words of three or more characters (nyf 年夜饭, fwz 服务站),
        # where only one word has them; two-letter ones (ll, tj) are listed in rewrites.yaml.
        initials: dict[str, set[str]] = {}
        for terms in resources.lexicon.values():
            for term, weight in terms.items():
                if weight >= 4 and 2 <= len(term) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in term):
                    initials.setdefault("".join(p[0] for p in lazy_pinyin(term)), set()).add(term)
        taken = set(rewrites) | set(resources.greetings) | set(resources.out_of_scope) | {
            t for terms in resources.lexicon.values() for t in terms}
        for abbr, words in initials.items():
            if len(abbr) >= 3 and len(words) == 1 and abbr not in taken and abbr not in COMMON_LATIN:
                rewrites[abbr] = next(iter(words))
        # Asked in the rewritten question ("啥意思" reads "什么意思"), longest first.
        object.__setattr__(resources, "meaning", tuple(sorted(
            dict.fromkeys(resources.meaning + tuple(map(resources.canon, resources.meaning))), key=len, reverse=True)))
        for name in ("general", "listing"):
            phrases = getattr(resources, name)
            object.__setattr__(resources, name, tuple(dict.fromkeys(phrases + tuple(map(resources.canon, phrases)))))
        object.__setattr__(resources, "out_of_scope", {
            resources.canon(normalize(str(t))): float(w) for t, w in talk["out_of_scope"].items()})
        return resources

    @cached_property
    def _synonym_re(self) -> re.Pattern[str] | None:
        words = sorted(set(self.synonyms) | set(self.synonyms.values()), key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in words)) if words else None

    @cached_property
    def digest(self) -> str:
        """A hash of the tables that decide how a text is rewritten (for caches)."""
        import hashlib
        import json
        data = [sorted(self.synonyms.items()), sorted(self.rewrites.items()),
                [(p.pattern, to) for p, to in self.patterns]]
        return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    @cached_property
    def _rewrite_re(self) -> re.Pattern[str] | None:
        # A plain word that holds a rewritten one (怎么样 holds 么样) is matched whole and kept as it is.
        kept = {to for to in self.rewrites.values() if any(w in to and w != to for w in self.rewrites)}
        words = sorted(set(self.rewrites) | kept, key=len, reverse=True)
        # Latin words only as whole words: "ot" is overtime, "hot" is not. The lookarounds go
        # round one group, so that the other words keep the regex's fast literal scan.
        parts = [re.escape(w) for w in words if not w.isascii()]
        latin = [re.escape(w) for w in words if w.isascii()]
        if latin:
            parts.append(rf"(?<![a-z])(?:{'|'.join(latin)})(?![a-z])")
        return re.compile("|".join(parts)) if parts else None

    def rewrite(self, text: str) -> str:
        """Colloquial, dialect and code-mixed words to plain Mandarin (questions only)."""
        text = spoken_amounts(text)
        if self._rewrite_re:
            text = " ".join(self._rewrite_re.sub(lambda m: self.rewrites.get(m.group(0), m.group(0)), text).split())
        return self.question_forms(text)

    def question_forms(self, text: str) -> str:
        """The patterns only (能喝酒不 -> 能喝酒吗; 工资还没发 -> 欠薪), not the word rewrites."""
        for pattern, to in self.patterns:
            text = pattern.sub(to, text)
        return " ".join(text.split())

    def pointer(self, text: str) -> str | None:
        """Whom to ask about an out-of-scope question, when the data names someone."""
        return next((say for words, say in self.pointers if any(w in text for w in words)), None)

    def canon(self, text: str) -> str:
        """Rewrite synonyms to their group's first word (longest match first)."""
        if not self._synonym_re:
            return text
        return self._synonym_re.sub(lambda m: self.synonyms.get(m.group(0), m.group(0)), text)


def _batches(data: dict, kind: str) -> list[str]:
    """The keys of a data file's batches of one kind (`examples`, `examples_batch5`, ...), in the
    file's order: a new batch is a new key, and no code names it. Empty batches are left out."""
    return [key for key in data if key.startswith(kind) and data[key]]


_SPOKEN_AMOUNT = re.compile(r"(?<!分之)[零一二两三四五六七八九十]+[百千万][零一二两三四五六七八九十百千万]*")


def spoken_amounts(text: str) -> str:
    """Amounts said in words, as the notices write them in figures: 五百 -> 500, 两千 -> 2000,
    一千五 -> 1500 (cn2an); 百分之三百 and words without 百/千/万 (三倍, 一线) stay as they are."""
    if not _SPOKEN_AMOUNT.search(text):
        return text
    # cn2an takes 0.2 s to import: only once an amount is said in words.
    import cn2an

    def figure(match: re.Match[str]) -> str:
        try:
            return str(int(cn2an.cn2an(match.group(0), "smart")))
        except (ValueError, KeyError):
            return match.group(0)

    return _SPOKEN_AMOUNT.sub(figure, text)


def _longest_first(phrases: Iterable[object]) -> tuple[str, ...]:
    """Phrases normalised, the longest first (谢谢你 is tried before 谢谢); none empty."""
    return tuple(sorted({normalize(str(p)) for p in phrases} - {""}, key=lambda p: (-len(p), p)))
