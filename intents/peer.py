"""The peer baseline the matcher is measured against: character 1-3-gram TF-IDF and logistic
regression (scikit-learn), trained only on the knowledge base's own titles and questions, as
an afternoon's work would build it. A question whose best class is below `threshold` is taken
as out of scope. Used by `python -m bot bench`."""

from __future__ import annotations

from collections import defaultdict

from intents.normalize import normalize
from knowledge.models import Entry

OOS = "out_of_scope"


class PeerBaseline:
    """TF-IDF + logistic regression over the knowledge base's titles and questions."""

    def __init__(self, entries: list[Entry], threshold: float = 0.3) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts, labels = [], []
        for entry in entries:
            for text in dict.fromkeys([entry.title, *entry.questions]):
                texts.append(normalize(text))
                labels.append(entry.intent)
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.model = LogisticRegression(C=10.0, max_iter=1000).fit(self.vectorizer.fit_transform(texts), labels)
        self.threshold = threshold

    def predict(self, text: str) -> str:
        """The intent, or out_of_scope below the threshold."""
        probs = self.model.predict_proba(self.vectorizer.transform([normalize(text)]))[0]
        best = probs.argmax()
        return str(self.model.classes_[best]) if probs[best] >= self.threshold else OOS


def score(peer: PeerBaseline, rows: list[dict]) -> dict[str, tuple[int, int]]:
    """(count, right) for in scope, out of scope (rejected) and each tag, on labelled questions
    (conversation turns are scored one by one, without their context: the peer has none)."""
    flat = [t for row in rows for t in (row["turns"] if "turns" in row else [row])]
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in flat:
        expected, got = row["intent"], peer.predict(row["text"])
        ok = expected == got
        tally["oos" if expected == OOS else "in_scope"][0] += 1
        tally["oos" if expected == OOS else "in_scope"][1] += ok
        for tag in row.get("tags", []):
            tally["tag:" + tag][0] += 1
            tally["tag:" + tag][1] += ok
    return {k: (n, c) for k, (n, c) in tally.items() if n}
