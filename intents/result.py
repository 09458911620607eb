"""What the matcher answers: the kind of reply, the ranked entries, and everything the reply
layer and the adapters need to render it."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.models import Entry

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
    home: bool = False                    # ... and it is the worker's home place, not where they are
    elsewhere: bool = False               # ... or where someone else is (我兄弟在宣威): not remembered
    works_in: str | None = None           # where the worker said they work, when the answer is for home
    remark: bool = False                  # out of scope mid-conversation, and asks nothing ("算了 明年还是回广东过")
    home_place: str | None = None         # the worker's home place, named in a remark (我老家晋安北峰的 在上海做厨师)
    said_here: bool = False               # the place named is where the worker says they are (我在长沙芙蓉区)
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: bool = False               # top intents too close: ask "did you mean"
    needs_region: bool = False            # depends on region and none is known
    no_local: bool = False                # region known but it has no such measure
    group_missing: str | None = None      # the group of workers asked for (司机) has no measure of its own there
    region_options: list[str] = field(default_factory=list)
    followup: bool = False
    only_one: bool = False                # asked for another measure of the topic, and there is none
    needs_topic: bool = False             # a follow-up question with no topic to follow
    aspect: str | None = None             # how_to_claim, contact, amount, ...
    aspects: list[str] = field(default_factory=list)     # every aspect asked, the first being `aspect`
    kind: str = "out_of_scope"            # one of KINDS
    text_content: str = ""                # the question without places, filler and follow-up words
    entries: list[Entry] = field(default_factory=list)   # ranked answers for the region, most specific first
    learned: dict[str, float] = field(default_factory=dict)
    also: list[Entry] = field(default_factory=list)      # a second question in the same message, offered as a button
    left_out: Entry | None = None         # the measure asked for leaves out the worker's province (非湖南籍)
    stating: list[Entry] = field(default_factory=list)   # a follow-up: the place's other measures of the topic that state the part asked
    pointer: str | None = None            # out of scope, but whom to ask (社保卡 -> 12333)
    latency_ms: float = 0.0

    def answer(self, intent: str, kind: str = "measure", score: float = 80.0) -> MatchResult:
        """Mark this result as answered on `intent` (its entries are picked next)."""
        self.intent, self.fallback, self.score, self.kind = intent, False, score, kind
        return self

    def lead_with(self, entry: Entry) -> MatchResult:
        """Put `entry` first among the ranked entries and make it the answer."""
        self.entry, self.entries = entry, [entry, *(e for e in self.entries if e.id != entry.id)]
        return self
