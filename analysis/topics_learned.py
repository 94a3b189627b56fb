"""Topics learned from the corpus: NMF on TF-IDF of normalised Arabic tokens.

Complements the codebook topics: what the articles talk about that nobody wrote
a term list for.  Tokens are the matching forms of ``analysis.arabic.word_tokens``
(hamza/alef, ta marbuta, tatweel and diacritics folded) minus the Arabic stop
words, words shorter than 2 letters and anything containing a digit.  NMF runs
with ``init="nndsvda"`` and a fixed ``random_state`` so the same corpus and
parameters give the same topics.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.arabic import STOPWORDS, word_spans, word_tokens
from analysis.timeline import add_shares, document_periods, period_grid

TOPIC_COLUMNS = ["topic", "label", "terms", "weights", "terms_normalized"]
DOC_TOPIC_COLUMNS = ["doc_id", "topic", "weight", "share", "dominant"]


def is_content_token(token: str) -> bool:
    """A normalised token worth modelling: 2+ characters, no digit, not a stop word."""
    return len(token) >= 2 and token not in STOPWORDS and not any(c.isdigit() for c in token)


def without_conjunction(token: str) -> tuple[str, int]:
    """(token, characters dropped) with an attached و/ف removed where that is unambiguous.

    Only before the article (والجزائر -> الجزائر) or a stop word (وفي -> في, then
    dropped as a stop word): a و/ف before anything else may be the word's own first
    letter (وزير، فرنسا), so it stays.
    """
    if len(token) >= 5 and token[0] in "وف" and token[1:3] == "ال":
        return token[1:], 1
    if len(token) >= 3 and token[0] in "وف" and token[1:] in STOPWORDS:
        return token[1:], 1
    return token, 0


def content_tokens(text: str) -> list[str]:
    """Normalised tokens kept for topic modelling (no stop words, digits, 1-letter words)."""
    tokens = (without_conjunction(token)[0] for token in word_tokens(text))
    return [token for token in tokens if is_content_token(token)]


class _SurfaceRecorder:
    """Analyzer for TfidfVectorizer that also counts the spellings behind each token.

    Topics are fitted on matching forms (ة -> ه, أ -> ا ...), but readers should see
    the spelling the articles use most often.
    """

    def __init__(self) -> None:
        self.spellings: Counter[tuple[str, str]] = Counter()

    def __call__(self, text: str) -> list[str]:
        tokens = []
        for start, end, token in word_spans(text):
            token, dropped = without_conjunction(token)
            if is_content_token(token):
                tokens.append(token)
                self.spellings[(token, text[start + dropped:end])] += 1
        return tokens

    def display_forms(self) -> dict[str, str]:
        best: dict[str, tuple[int, str]] = {}
        for (token, surface), count in self.spellings.items():
            current = best.get(token)
            if current is None or (-count, surface) < (-current[0], current[1]):
                best[token] = (count, surface)
        return {token: surface for token, (_, surface) in best.items()}


def learned_topics(
    documents: pd.DataFrame,
    n_topics: int = 8,
    top_terms: int = 10,
    seed: int = 0,
    max_df: float = 0.5,
    min_df: int | float = 2,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NMF topics of ``documents.text``; returns (topics, doc_topics).

    topics: topic (0..k-1), label (top 3 terms joined " · "), terms (the
    ``top_terms`` terms, each in the spelling most frequent in the corpus), weights
    (their NMF weights, rounded to 6 decimals), terms_normalized (matching forms).
    doc_topics: one row per (doc_id, topic) with weight > 0: weight (NMF W),
    share (weight / the document's total), dominant (the document's top topic;
    ties -> lowest topic number).  ``n_topics`` is lowered to what the data
    supports (documents and vocabulary size); the number used is in
    ``topics.attrs["n_topics"]``.  A corpus too small for ``min_df``/``max_df``
    (a handful of articles) is modelled with the limits relaxed, first
    ``max_df=1.0`` then ``min_df=1``; the limits used are in ``topics.attrs``.
    Raises ValueError if no term survives even then.
    """
    docs = documents.sort_values("doc_id", ignore_index=True)
    texts = docs["text"].fillna("").astype("str")
    for limits in ((min_df, max_df), (min_df, 1.0), (1, 1.0)):
        recorder = _SurfaceRecorder()
        vectorizer = TfidfVectorizer(
            analyzer=recorder, min_df=limits[0], max_df=limits[1], sublinear_tf=True,
            dtype=np.float64,
        )
        try:
            tfidf = vectorizer.fit_transform(texts)
            break
        except ValueError as error:  # empty vocabulary or max_df < min_df
            last_error = error
    else:
        raise ValueError(
            f"no terms left for topic modelling ({len(docs)} documents, "
            f"min_df={min_df}, max_df={max_df}): {last_error}") from last_error
    vocabulary = vectorizer.get_feature_names_out()
    k = max(1, min(n_topics, tfidf.shape[0], tfidf.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
    doc_weights = model.fit_transform(tfidf)
    term_weights = model.components_

    display = recorder.display_forms()
    topic_rows = []
    for topic, weights in enumerate(term_weights):
        order = np.lexsort((vocabulary, -np.round(weights, 12)))[:top_terms]
        order = [i for i in order if weights[i] > 0]
        normalized = [str(vocabulary[i]) for i in order]
        terms = [display.get(term, term) for term in normalized]
        topic_rows.append({
            "topic": topic, "label": " · ".join(terms[:3]), "terms": terms,
            "weights": [round(float(weights[i]), 6) for i in order],
            "terms_normalized": normalized,
        })
    topics = pd.DataFrame(topic_rows, columns=TOPIC_COLUMNS)
    topics.attrs = {"n_topics": k, "n_terms": len(vocabulary), "n_docs": len(docs),
                    "min_df": limits[0], "max_df": limits[1]}

    doc_weights = np.round(doc_weights, 10)
    totals = doc_weights.sum(axis=1)
    dominant = np.where(totals > 0, doc_weights.argmax(axis=1), -1)
    rows, cols = np.nonzero(doc_weights > 0)
    doc_topics = pd.DataFrame({
        "doc_id": docs["doc_id"].to_numpy()[rows], "topic": cols.astype("int64"),
        "weight": doc_weights[rows, cols], "share": doc_weights[rows, cols] / totals[rows],
        "dominant": dominant[rows] == cols,
    }, columns=DOC_TOPIC_COLUMNS)
    doc_topics = doc_topics.sort_values(["doc_id", "topic"], ignore_index=True)
    return topics, doc_topics


def learned_topic_frequency(
    doc_topics: pd.DataFrame,
    documents: pd.DataFrame,
    freq: str = "M",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Per (period, topic): documents whose dominant topic it is, and mean topic share.

    Columns: period, period_start, topic, n_docs, docs_dominant, share
    (docs_dominant / n_docs), ci_low, ci_high (95% Wilson), mean_share (mean of
    the topic's share over all documents of the period, 0 for documents without
    it).  Periods follow the rule of :mod:`analysis.timeline`.
    """
    kept, periods, counts = document_periods(documents, freq, start, end)
    topic_ids = sorted(int(t) for t in doc_topics["topic"].unique())
    grid = period_grid(periods, topic_ids, "topic")
    per_period = kept.groupby("period", sort=True).agg(n_docs=("doc_id", "size"))
    rows = doc_topics.merge(kept[["doc_id", "period"]], on="doc_id", how="inner")
    per_topic = rows.groupby(["period", "topic"], sort=True).agg(
        docs_dominant=("dominant", "sum"), share_sum=("share", "sum"))
    frame = grid.join(per_period, on="period").join(per_topic, on=["period", "topic"])
    frame["n_docs"] = frame["n_docs"].fillna(0).astype("int64")
    frame["docs_dominant"] = frame["docs_dominant"].fillna(0).astype("int64")
    frame["mean_share"] = frame["share_sum"].fillna(0.0) / frame["n_docs"].where(
        frame["n_docs"] > 0)
    frame = add_shares(frame, "docs_dominant", counts, freq)
    columns = ["period", "period_start", "topic", "n_docs", "docs_dominant", "share", "ci_low",
               "ci_high", "mean_share"]
    return frame[columns]
