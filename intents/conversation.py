"""The state of a conversation, and one turn of it.

The state is explicit: the topic (the last measure answered), the region the conversation is
about (named in an earlier turn; it beats the saved one until another is named) and the
aspect last asked. The Telegram bot and the terminal chat keep it in the `users` table; `ask
--jsonl` and `eval` keep it in memory from line to line. All of them call `turn`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from intents.matcher import Matcher, MatchResult

PLACE_ONLY_CHARS = 4      # what is left of a turn besides its place and filler, when it only says where


@dataclass(frozen=True)
class State:
    """What a conversation remembers between turns."""

    topic: str | None = None        # entry id of the last measure answered
    intent: str | None = None       # its topic, also when we asked where the worker is
    question: str | None = None     # the question that opened the topic, or that we asked the region for
    region: str | None = None       # region named earlier in the conversation
    aspect: str | None = None
    saved: str | None = None        # the saved region these were remembered under (ask --jsonl)
    earlier: str | None = None      # entry id of the measure talked about before `topic` (another topic)
    someone: str | None = None      # where someone else spoken of is (我儿子在芙蓉区), or the family's
                                    # home place, for "他那边呢" or "我哥有残疾证 能领不"


def turn(matcher: Matcher, state: State, text: str, saved_region: str | None) -> tuple[MatchResult, State]:
    """Answer one turn and return the state after it."""
    result = matcher.match(text, saved_region, state.topic, state.region, state.intent, pending_text=state.question,
                           earlier=state.earlier, someone=state.someone)
    return result, advance(state, result, saved_region)


def advance(state: State, result: MatchResult, saved_region: str | None = None) -> State:
    """The state after a turn: a named region and an answered measure are remembered; a turn
    we could not answer keeps the thread as it was."""
    new = state
    # The family's home place is not where the worker is; nor is a place in a side remark we do
    # not answer ("想自己弄两个江西菜"), unless the remark is little more than the place ("我在宜秀区")
    # or says the worker is there ("我在长沙芙蓉区，娃放寒假了没人带").
    aside = result.kind == "out_of_scope" and len(result.text_content or "") > PLACE_ONLY_CHARS and not result.said_here
    # Nor is where someone else is ("我兄弟在宣威"): the next topic is the worker's own, where they are
    # (saved, or said earlier in the conversation).
    if result.region_in_text and not result.home and not aside and not (result.elsewhere and (saved_region or state.region)):
        new = replace(new, region=result.region_in_text)
    if result.works_in and not saved_region:
        new = replace(new, region=result.works_in)      # where the worker said they work, answered for home
    if result.elsewhere and result.region_in_text:
        new = replace(new, someone=result.region_in_text)    # "他那边呢" next: there
    elif result.home and result.region:
        new = replace(new, someone=result.region)    # the family's home place: "我哥有残疾证 能领不" next
    elif result.home_place and not state.someone:
        new = replace(new, someone=result.home_place)    # the home place said in a remark: "老家那边…" later
    if result.entry is not None and not result.fallback and result.kind in ("measure", "followup"):
        # The question that opened the topic ranks its answers again when the region switches.
        question = state.question if result.kind == "followup" else result.text or None
        earlier = state.earlier
        if state.topic and state.topic != result.entry.id and state.intent != result.intent:
            earlier = state.topic        # the measure before this one, to come back to
        new = replace(new, topic=result.entry.id, intent=result.intent, aspect=result.aspect, question=question,
                      earlier=earlier)
    elif result.kind == "no_local" and result.elsewhere and state.topic and state.intent == result.intent:
        pass                             # none of it where someone else is: the worker's own measure is still the thread
    elif result.kind in ("ask_region", "no_local"):
        question = result.text if result.kind == "ask_region" and not result.followup else state.question
        new = replace(new, topic=None, intent=result.intent, aspect=result.aspect, question=question)
    elif result.kind == "overview" and result.entry is not None:
        # "有啥补贴" then "咋个领": the follow-up is about the first measure listed, the one that fits best.
        new = replace(new, topic=result.entry.id, intent=result.entry.intent, aspect=None, question=result.text or None)
    elif result.kind == "overview":
        new = replace(new, topic=None, intent=None, aspect=None, question=None)
    return new
