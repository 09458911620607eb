"""The clauses of a long message: which one asks, its topic words, and every clause's own topic
when one message asks two things. The matcher weighs the asking clause's words more than the
ones that set the scene, judges a story by the clause that names its topic, and answers the
first of two questions while offering the other."""

from __future__ import annotations

from intents.evidence import Evidence, term_evidence
from intents.index import STRONG_TERM, KBIndex, Prepared
from intents.phonetic import syllables_with_source
from intents.reading import Reading
from intents.resources import Resources

STORY_CHARS = 20         # a message this long, of this many clauses, tells a story around its question
STORY_CLAUSES = 3
ASPECT_CLAUSE = 4        # an asking clause this short with no topic ("在哪做") asks about the clause before it
ONLY_ASKS = 2            # a clause that leaves this little besides its asking words only asks (我该怎么办, 这可咋整)
QUESTION_STRESS = 2.0    # extra weight of the asking clause's topic words in a long message


class Clauses:
    """Create once per matcher; reads the clauses of prepared questions."""

    def __init__(self, resources: Resources, reading: Reading) -> None:
        self.resources = resources
        self.reading = reading

    def stressed(self, q: Prepared, index: KBIndex) -> dict[str, float]:
        """In a long story the question is the clause that asks; its topic words count more
        than the ones that set the scene ("孩子在老家……过年上班工资咋算")."""
        clauses = self.story(q)
        asking = [i for i, c in enumerate(clauses) if self.reading.asks(c)]
        if not asking:
            return {}
        question = clauses[asking[-1]]
        if self.reading.has_general_phrase(self.reading.pipeline.prepare(question, normalized=True, question=True)):
            return {}                    # "……留下来过年有啥好处": what there is, no topic to stress
        own, _, _ = self.terms_in(index, question)
        if not own and asking[-1] > 0 and len(clauses[asking[-1]]) <= ASPECT_CLAUSE:
            # "听说有免费的体检 在哪做啊": an asking clause with no topic asks about the clause before it.
            own, _, _ = self.terms_in(index, clauses[asking[-1] - 1])
        return {intent: QUESTION_STRESS * weight for intent, weight in own.items()}

    def story(self, q: Prepared) -> list[str]:
        """The clauses of a long story (20 characters or more, three clauses or more); none otherwise."""
        clauses = self.reading.clauses(q)
        return clauses if len(q.canon) >= STORY_CHARS and len(clauses) >= STORY_CLAUSES else []

    def terms_in(self, index: KBIndex, clause: str) -> tuple[dict[str, float], float, dict[str, float]]:
        """The term evidence of a clause of the question (written and heard; nothing else is needed)."""
        canon = self.resources.canon(clause)
        sourced = syllables_with_source(canon)
        return term_evidence(index.terms.scan(canon, [s for s, _ in sourced], [c for _, c in sourced]))

    def topics(self, q: Prepared, index: KBIndex) -> list[str]:
        """"加班费怎么算？另外免费体检在哪": each clause's own strong topic, in the order asked."""
        clauses = self.reading.clauses(q, min_len=3)
        topics: list[str] = []
        if len(clauses) < 2:
            return topics
        for clause in clauses:
            lex, oos, _ = self.terms_in(index, clause)
            if lex and not oos and self.reading.asks(clause):          # a story's statements are context
                intent, weight = max(lex.items(), key=lambda kv: kv[1])
                if weight >= STRONG_TERM and intent not in topics:
                    topics.append(intent)
        return topics

    def topical(self, q: Prepared, ev: Evidence) -> str | None:
        """In a long story (three clauses or more), the clause that asks with its strongest topic word typed;
        or that clause with the next one, when the next one only asks ("现在连饭都没钱 这可怎么办啊"); or,
        when that word only sets the scene, the one clause that asks, with a word of the same topic."""
        clauses = self.story(q)
        if not clauses:
            return None
        typed = [h for h in ev.hits if not h.by_sound and max(h.term.intents.values(), default=0.0) >= STRONG_TERM]
        if not typed:
            return None
        strongest = max(typed, key=lambda h: max(h.term.intents.values())).term
        word = strongest.text
        asking = next((c for c in clauses if word in c and self.reading.asks(c)), None)
        at = next((i for i, c in enumerate(clauses) if word in c), -1)
        if asking is None and 0 <= at < len(clauses) - 1 and self.reading.asks(clauses[at + 1]) \
                and len(self.reading.residue(self.reading.pipeline.prepare(
                    clauses[at + 1], normalized=True, question=True))) <= ONLY_ASKS:
            # "……现在连饭都没钱 怎么办": a clause that only asks asks about the clause before it.
            asking = f"{clauses[at]} {clauses[at + 1]}"
        if asking is None:
            # "我家娃寒假跟我在长沙 天天抱着手机玩 有没有啥网课给他上": the strong word sets the scene;
            # the one clause that asks, with a word of the same topic (网课), is the question.
            topic = max(strongest.intents, key=strongest.intents.__getitem__)
            words = [h.term.text for h in ev.hits if not h.by_sound and h.term.text != word and h.term.intents.get(topic)]
            asks = [c for c in clauses if self.reading.asks(c)]
            asking = asks[0] if len(asks) == 1 and any(w in asks[0] for w in words) else None
        return asking
