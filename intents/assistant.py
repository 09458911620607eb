"""The conversation logic shared by the Telegram bot and the terminal chat:
remember region and last topic, match, log, and build the reply card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from intents.conversation import State, turn
from intents.matcher import Matcher, MatchResult
from intents.normalize import MAX_MATCH_CHARS
from intents.reply import Card, result_card
from knowledge.errors import NotFound
from knowledge.gazetteer import Region
from knowledge.users import Users

MAX_MESSAGE = 4096


@dataclass
class Answer:
    """A reply to one question."""

    result: MatchResult
    card: Card
    offer_region: str | None = None   # a region named in the question that differs from the saved one
    truncated: bool = False


class Assistant:
    """Answers questions for a user, keeping their region and previous topic in the database."""

    def __init__(self, matcher: Matcher, users: Users, today: Callable[[], dt.date] | None = None) -> None:
        self.matcher = matcher
        self.users = users
        self.gazetteer = matcher.gazetteer
        self.today = today or dt.date.today

    def ask(self, user_id: int, text: str, *, log: bool = True) -> Answer:
        """Answer one question of a user and remember its topic."""
        truncated = len(text) > MAX_MATCH_CHARS
        user = self.users.get(user_id)
        state = State(topic=user.last_topic, region=user.context_region, intent=user.context_intent,
                      question=user.context_question, earlier=user.earlier_topic, someone=user.someone_region)
        result, after = turn(self.matcher, state, text[:MAX_MESSAGE], user.region)
        self._fresh(result)
        if after != state:
            self.users.set_context(user_id, after.topic, after.region, after.intent, after.question, after.earlier,
                                   after.someone)
        if log:
            self.users.log_question(user_id, text, result.intent, result.entry.id if result.entry else None,
                                    result.score, result.fallback, result.region)
        offer = result.region_in_text if result.region_in_text and result.region_in_text != user.region \
            and not result.elsewhere and not result.home else None   # (someone else's place, or home: not to save)
        return Answer(result=result, card=result_card(result, self.gazetteer, self.today()),
                      offer_region=offer, truncated=truncated)

    def _fresh(self, result: MatchResult) -> None:
        """Cards show the measures as they are now, even while the index of an admin's edit is
        still being rebuilt (the index only decides which measures answer)."""
        fresh = []
        for entry in result.entries or ([result.entry] if result.entry else []):
            try:
                fresh.append(self.matcher.kb.get(entry.id))
            except NotFound:
                continue
        if result.entry is not None:
            result.entries = fresh
            result.entry = next((e for e in fresh if e.id == result.entry.id), fresh[0] if fresh else None)
            if result.entry is None:
                result.fallback, result.intent, result.kind = True, "out_of_scope", "out_of_scope"

    def answer_entry(self, user_id: int, entry_id: str) -> Answer:
        """Answer with a given entry (a tapped button)."""
        entry = self.matcher.kb.get(entry_id)
        result = MatchResult(text=entry.title, intent=entry.intent, entry=entry, score=100.0, fallback=False,
                             region=entry.region)
        self.users.set_last_topic(user_id, entry.id)
        return Answer(result=result, card=result_card(result, self.gazetteer, self.today()))

    def set_region(self, user_id: int, text: str) -> Region:
        """Save a region named by the user (NotFound if it is not known)."""
        region = self.gazetteer.resolve(text)
        self.save_region(user_id, region.name)
        return region

    def save_region(self, user_id: int, name: str) -> Answer | None:
        """Save the worker's region; when we had asked for it to answer a topic, the answer."""
        user = self.users.get(user_id)
        pending = user.context_intent
        self.users.set_region(user_id, name)
        if not pending or user.last_topic:
            return None
        result = self.matcher.for_intent(pending, name, user.context_question)
        self._fresh(result)
        if result.entry is None:              # nothing there either: the worker was already told
            return None
        self.users.set_context(user_id, result.entry.id, None, result.intent, user.context_question,
                               someone=user.someone_region)
        return Answer(result=result, card=result_card(result, self.gazetteer, self.today()))

    def related(self, answer: Answer, limit: int = 3) -> list[tuple[str, str]]:
        """A few other measures (entry id, title) of the same topic and region, for buttons."""
        result = answer.result
        if result.entry is None or result.fallback:
            return []
        # The matcher's own ranking (most specific region first), then the rest of the topic.
        chain = self.gazetteer.ancestors(result.region or result.entry.region)
        others = [*result.also, *(e for e in result.entries if e.id != result.entry.id)]
        rest = [e for e in self.matcher.index.entries.values()
                if e.intent == result.intent and e.region in chain and e not in others and e.id != result.entry.id]
        rest.sort(key=lambda e: (chain.index(e.region), e.id))
        return [(e.id, e.title) for e in (others + rest)[:limit]]
