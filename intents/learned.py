"""A learned intent and out-of-scope model, trained from the knowledge base itself.

Every entry's title, questions and keywords, the lexicon's terms and the worker-style
examples of `data/training.yaml` are examples of their topic; out-of-scope examples come from
a real chit-chat corpus (chatterbot-corpus, Chinese) and from `data/near_miss.yaml` and
`data/training.yaml` (questions that share a topic word but ask for no measure). Follow-up turns
that name no topic (要去现场不, 我是本地人能不能有) are a class of their own, so that a turn leaning
on the card just shown is not taken for chit-chat.
So an admin's new entry or an attached question teaches the model at the next index build.

Features are character 1-3-grams of the rewritten question, its segmented words, and fuzzy-pinyin
syllable unigrams and bigrams (typing by sound lands on the same features), weighted by TF-IDF; the
classifier is scikit-learn's multinomial logistic regression, fitted with SAG. scikit-learn is imported only
to train: the fitted vocabulary, IDF and weights are cached on disk by a hash of the training
data, and prediction is a sparse dot product in numpy.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from knowledge.fastyaml import read_yaml

OOS = "out_of_scope"
FOLLOWUP = "followup"    # a turn that leans on the card just shown and names no topic ("要去现场不")
NOT_TOPICS = (OOS, "greeting", FOLLOWUP)
MODEL_VERSION = 8       # bumped when the features or the fit change (8: words of two characters or more)
MAX_EXAMPLES_PER_INTENT = 1500
NEAR_MISS_WEIGHT = 0.85 # one near-miss (data/near_miss.yaml), beside a worker-style example's 1 (chosen on the dev sets)
LIGHT_WEIGHT = 0.5      # one near-miss of the broad batch (data/near_miss.yaml: near_miss_light)
REGULARISATION = 30.0   # logistic regression's C: larger fits the examples closer


def _cache_dir() -> Path:
    path = Path(os.environ.get("NUANXIN_CACHE_DIR") or Path.home() / ".cache" / "nuanxin")
    path.mkdir(parents=True, exist_ok=True)
    return path


_LATIN = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"[0-9%]+")


def features(text: str, syllables: list[str], words: Iterable[str] = ()) -> list[str]:
    """The features of one (rewritten) text: character 1-3-grams of its Chinese, latin words
    and numbers whole (typed pinyin counts through its syllables), pinyin 1-2-grams, and its
    segmented words of two characters or more (没人带 as a word, not only as its characters)."""
    chars = _NUMBER.sub(" ", _LATIN.sub(" ", text)).replace(" ", "")
    out = [chars[i:i + n] for n in (1, 2, 3) for i in range(len(chars) - n + 1)]
    out += ["t:" + w for w in words if len(w) >= 2]
    out += ["w:" + w for w in _LATIN.findall(text)] + ["n:" + w for w in _NUMBER.findall(text)]
    out += ["p:" + s for s in syllables]
    out += ["p:" + a + "_" + b for a, b in zip(syllables, syllables[1:], strict=False)]
    return out


class IntentModel:
    """Topic probabilities for a question (classes: the topics, greeting, out_of_scope)."""

    def __init__(self, classes: list[str], vocab: dict[str, int], idf: np.ndarray,
                 coef: np.ndarray, intercept: np.ndarray) -> None:
        self.classes = classes
        self.vocab = vocab
        self.idf = idf
        self.coef = coef                 # (n_features, n_classes), for a sparse row dot product
        self.intercept = intercept

    # ------------------------------------------------------------------ train
    @classmethod
    def train(cls, examples: list[tuple[str, str, float]], featurize: Callable[[str], list[str]],
              salt: str = "", *, separate_process: bool = False) -> IntentModel:
        """Fit on (text, label, weight) examples; cached on disk by a hash of the examples and
        `salt` (what else decides the features: the rewrite and synonym tables)."""
        digest = hashlib.sha1(json.dumps([MODEL_VERSION, REGULARISATION, salt, examples], ensure_ascii=False).encode())
        path = _cache_dir() / f"intent_model.{digest.hexdigest()[:16]}.npz"
        if path.exists():
            try:
                return cls.load(path)
            except (OSError, ValueError, KeyError):
                pass
        featurized = [(featurize(text), label, weight) for text, label, weight in examples]
        featurized = [e for e in featurized if e[0]]
        if separate_process:
            # The fit holds the interpreter for seconds at a time: in a worker process it cannot
            # stall the bot's event loop (the index is rebuilt in a thread meanwhile).
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                pool.submit(_fit_and_save, featurized, str(path)).result()
            return cls.load(path)
        model = cls._fit(featurized)
        model.save(path)
        return model

    @classmethod
    def _fit(cls, examples: list[tuple[list[str], str, float]]) -> IntentModel:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        vocab: dict[str, int] = {}
        df: Counter[int] = Counter()
        rows, cols, vals = [], [], []
        for r, (feats, _label, _w) in enumerate(examples):
            counts = Counter(vocab.setdefault(f, len(vocab)) for f in feats)
            df.update(counts.keys())
            for c, n in counts.items():
                rows.append(r)
                cols.append(c)
                vals.append(1.0 + math.log(n))
        n_docs = len(examples)
        idf = np.array([math.log((1 + n_docs) / (1 + df[i])) + 1.0 for i in range(len(vocab))])
        x = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(vocab)))
        x = x.multiply(idf).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        x = csr_matrix(x.multiply(1.0 / norms[:, None]))
        labels = [label for _, label, _ in examples]
        weights = np.array([w for _, _, w in examples])
        # SAG reaches the optimum of this (strictly convex) objective in a few seconds; L-BFGS needed
        # half a minute on a fresh machine and stopped further from it.
        clf = LogisticRegression(C=REGULARISATION, solver="sag", max_iter=1000, random_state=0)
        clf.fit(x, labels, sample_weight=weights)
        classes = list(clf.classes_)
        coef = clf.coef_.T.astype(np.float32)
        intercept = clf.intercept_.astype(np.float32)
        if len(classes) == 2:          # binary: scikit-learn keeps one column
            coef = np.hstack([-coef, coef])
            intercept = np.array([-intercept[0], intercept[0]], dtype=np.float32)
        return cls(classes, vocab, idf.astype(np.float32), coef, intercept)

    # ------------------------------------------------------------- save/load
    def save(self, path: Path) -> None:
        """Write the fitted model (atomically)."""
        tmp = path.with_name(path.name + ".tmp.npz")
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez(tmp, classes=np.array(self.classes), words=np.array(words), idf=self.idf,
                 coef=self.coef, intercept=self.intercept)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Read a model written by `save`."""
        with np.load(path, allow_pickle=False) as data:
            words = [str(w) for w in data["words"]]
            return cls([str(c) for c in data["classes"]], {w: i for i, w in enumerate(words)},
                       data["idf"], data["coef"], data["intercept"])

    # ---------------------------------------------------------------- predict
    def predict(self, feats: Iterable[str]) -> dict[str, float]:
        """Probability of each class for a question's features."""
        counts = Counter(self.vocab[f] for f in feats if f in self.vocab)
        if not counts:
            return {OOS: 1.0} if OOS in self.classes else {}
        idx = np.fromiter(counts.keys(), dtype=np.int64)
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))
        w = tf * self.idf[idx]
        w /= np.linalg.norm(w) or 1.0
        logits = w @ self.coef[idx] + self.intercept
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


def _fit_and_save(featurized: list[tuple[list[str], str, float]], path: str) -> None:
    """In a worker process: fit and write the model where `train` reads it."""
    IntentModel._fit(featurized).save(Path(path))


def build_examples(entries: Iterable, lexicon: dict[str, dict[str, float]], negatives: Iterable[str],
                   greetings: Iterable[str], extra: dict[str, Iterable[str]] | None = None,
                   light: Iterable[str] = (), followups: Iterable[str] = ()) -> list[tuple[str, str, float]]:
    """Training examples (text, label, weight) from the knowledge base, the lexicon, the
    extra examples of `data/training.yaml`, out-of-scope texts (`light`: a broad batch
    counted LIGHT_WEIGHT each) and follow-up turns, in a stable order."""
    examples: list[tuple[str, str, float]] = []
    for intent, texts in sorted((extra or {}).items()):
        examples += [(text, intent, 1.0) for text in texts]
    per_intent: dict[str, list[tuple[str, str, float]]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        own = per_intent.setdefault(entry.intent, [])
        for text in dict.fromkeys([entry.title, *entry.questions]):
            own.append((text, entry.intent, 1.0))
        for keyword in entry.keywords:
            own.append((keyword, entry.intent, 0.5))
    for own in per_intent.values():
        # A very large knowledge base says the same things many times: an even spread of each
        # topic's examples keeps training time and memory bounded.
        step = max(1, -(-len(own) // MAX_EXAMPLES_PER_INTENT))
        examples += own[::step]
    for intent, terms in sorted(lexicon.items()):
        for term, weight in sorted(terms.items()):
            if weight >= 3:
                examples.append((term, intent, 0.5))
    examples += [(text, OOS, NEAR_MISS_WEIGHT) for text in negatives]
    examples += [(text, OOS, LIGHT_WEIGHT) for text in light]
    examples += [(text, "greeting", 0.5) for text in sorted(greetings)]
    examples += [(text, FOLLOWUP, 1.0) for text in followups]
    return examples


def chitchat_corpus() -> list[str]:
    """Chinese chit-chat lines shipped by chatterbot-corpus (both sides of each exchange)."""
    try:
        import chatterbot_corpus
    except ImportError:          # the corpus is an ordinary dependency; without it, no chit-chat
        return []
    folder = Path(chatterbot_corpus.__file__).parent / "data" / "chinese"
    lines: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path) or {}
        for convo in data.get("conversations") or []:
            lines.extend(str(line) for line in convo if line)
    return lines
