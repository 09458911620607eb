"""How steady the answers are when a worker types the same turn another way.

Every labelled question or conversation turn the matcher answers right is typed again in each
way below, that turn alone (a conversation keeps its state up to it), and checked the same way.
A way that often turns a right answer wrong is a weak spot to look at; `python -m bot eval
--robust` prints the share kept for each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import zhconv

from intents.conversation import State, turn
from intents.evaluate import check, replay
from intents.matcher import Matcher


def _bare(text: str) -> str:
    """The text without the marks that end it (so one can be put in their place)."""
    return text.rstrip("？?。.!！~ ")


#: The ways of typing a turn differently, each a change to its text that asks nothing new.
VARIANTS: dict[str, Callable[[str], str]] = {
    "你好，…": lambda t: f"你好，{t}",
    "请问…": lambda t: f"请问{t}",
    "我想问一下 …": lambda t: f"我想问一下 {t}",
    "那个，…": lambda t: f"那个，{t}",
    "… 谢谢": lambda t: f"{t} 谢谢",
    "…？": lambda t: f"{_bare(t)}？",
    "…😂": lambda t: f"{t}😂",
    "🙏…": lambda t: f"🙏{t}",
    "繁体": lambda t: zhconv.convert(t, "zh-hant"),
    "不打空格": lambda t: t.replace(" ", ""),
    "空格换成逗号": lambda t: t.replace(" ", "，"),
    "…啊": lambda t: f"{_bare(t)}啊",
}
#: Turns that only say thanks or hello, or chat, are only typed again in traditional characters
#: (a hello put around them changes what they are).
NOT_VARIED = ("greeting", "out_of_scope")
ALWAYS_VARIED = "繁体"


@dataclass
class Steadiness:
    """For one way of typing: how many right answers were typed again, and how many stayed right."""

    tried: int = 0
    kept: int = 0

    @property
    def share(self) -> float | None:
        """The share of right answers that stayed right (None when none was tried this way)."""
        return round(self.kept / self.tried, 4) if self.tried else None


def robustness(matcher: Matcher, rows: list[dict], today: dt.date) -> dict[str, Steadiness]:
    """Each way of typing, with how often a right answer (as the evaluation checks it) stays right."""
    found = {name: Steadiness() for name in VARIANTS}
    for row in rows:
        for state, labelled, region in _answered_right(matcher, row, today):
            for name, vary in VARIANTS.items():
                text = vary(labelled["text"])
                if text == labelled["text"] or (labelled["intent"] in NOT_VARIED and name != ALWAYS_VARIED):
                    continue
                result, _ = turn(matcher, state, text, region)
                found[name].tried += 1
                found[name].kept += check(matcher, labelled, result, today)[1]
    return found


def _answered_right(matcher: Matcher, row: dict, today: dt.date) -> Iterator[tuple[State, dict, str | None]]:
    """The turns of a row answered right, each with the conversation's state before it."""
    return ((state, labelled, row.get("region")) for state, labelled, result in replay(matcher, row)
            if check(matcher, labelled, result, today)[1])


def robustness_text(found: dict[str, Steadiness]) -> str:
    """The report's lines: each way of typing and the share of right answers it kept."""
    lines = ["换一种打法（同一轮，答对的再问一遍）:"]
    lines += [f"  {name:12} {s.share:.1%}（{s.kept}/{s.tried}）" for name, s in found.items() if s.tried]
    return "\n".join(lines)
