"""Codebook entity matcher and topic-term matcher (spaCy components).

Both work on a per-string cache: each distinct normalised token form (``token.norm_``,
set by the ``arabic_normalizer`` component) is analysed once, and a document is then a
list of cached keys walked by a small trie.  That keeps the per-token cost to a couple
of dict look-ups, which matters over millions of tokens.

Entity keys.  Every word of every alias is reduced to a *word key*: normalised, the
article stripped, a leading ``لل`` read as ``ل + ال`` (so ``للأمن`` -> ``امن``).  A text
token's key is the word key of its first proclitic reading (least stripped first, see
``arabic.proclitic_splits``) that is a known alias word: ``وبالرباط`` -> ``رباط``,
``لحموشي`` -> ``حموشي``, ``حمـــوشي`` -> ``حموشي``.  A token that is none of these may
still be a *vowel variant* of a known PER/ORG word of >= 5 letters: same consonant
skeleton, differing only by inserted/dropped long vowels (``دارامانان`` ~ ``دارمانان``).
Skeletons shared by two known words are dropped, so variants never create ambiguity.
Longest match wins (``spacy.util.filter_spans``); a name never spans a line break,
because the newline is a token of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analysis.arabic import normalize, proclitic_splits, strip_article
from analysis.codebook import Codebook, term_words, word_key

__all__ = ["EntityMatcher", "TopicMatcher", "norm_ids", "readings", "skeleton", "vowel_variant"]

_LONG_VOWELS = frozenset("اوي")
_DROP_LONG_VOWELS = str.maketrans("", "", "اوي")
_NORMS_KEY = "analysis.norm_ids"
_MIN_VARIANT_LETTERS = 5
_MIN_SKELETON = 4

for _name in ("entity_id", "entity_name", "method"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@lru_cache(maxsize=1 << 20)
def readings(norm: str) -> tuple[tuple[str, str], ...]:
    """``proclitic_splits`` of ``normalize(norm)``, cached: shared by all components."""
    return tuple(proclitic_splits(normalize(norm)))


def skeleton(word: str) -> str:
    """First letter + the following letters without long vowels: دارمانان -> درمنن."""
    return word[:1] + word[1:].translate(_DROP_LONG_VOWELS)


def vowel_variant(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ only by 1-2 inserted/dropped long vowels (ا و ي)."""
    if a == b or abs(len(a) - len(b)) not in (1, 2) or a[:1] != b[:1]:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)

    def walk(i: int, j: int) -> bool:  # long[i:] can reduce to short[j:] by dropping vowels
        if j == len(short):
            return all(ch in _LONG_VOWELS for ch in long[i:])
        if i == len(long):
            return False
        if long[i] == short[j] and walk(i + 1, j + 1):
            return True
        return long[i] in _LONG_VOWELS and walk(i + 1, j)

    return walk(0, 0)


def norm_ids(doc: Doc) -> list[int]:
    """``NORM`` id of every token, read from the doc once and shared by all components
    (kept in ``doc.user_data``; re-read if the doc was retokenised since)."""
    cached = doc.user_data.get(_NORMS_KEY)
    if cached is None or len(cached) != len(doc):
        cached = doc.to_array(NORM).tolist() if len(doc) else []
        doc.user_data[_NORMS_KEY] = cached
    return cached


def per_token_cached(doc: Doc, cache: dict, compute) -> list:
    """``compute(norm string)`` for every token of ``doc``, cached by the token's NORM id.

    News text repeats a small vocabulary, so each distinct string is analysed once
    per process; the first lookup that misses fills the cache for the whole doc.
    """
    norms = norm_ids(doc)
    try:
        return [cache[norm] for norm in norms]
    except KeyError:
        strings = doc.vocab.strings
        for norm in set(norms).difference(cache):
            cache[norm] = compute(strings[norm])
        return [cache[norm] for norm in norms]


class EntityMatcher:
    """Finds codebook names (all aliases, clitic/variant tolerant) and sets ``doc.ents``."""

    def __init__(self, nlp: Language, name: str = "codebook_entities") -> None:
        self.nlp = nlp
        self.name = name
        self.entities: list = []
        self.patterns: dict[tuple[str, ...], int] = {}
        self.first: dict[str, list[int]] = {}   # first key -> pattern lengths, longest first
        self.known: set[str] = set()
        self.skeletons: dict[str, str] = {}
        self._cache: dict[int, str | None] = {}

    def load(self, codebook: Codebook) -> EntityMatcher:
        """Index every name and alias of ``codebook`` (replaces any previous index)."""
        self.entities = list(codebook.entities)
        forms: list[tuple[int, list[str]]] = []
        for index, entity in enumerate(self.entities):
            for form in (entity.name_ar, *entity.aliases):
                words = [t.text for t in self.nlp.make_doc(form) if not t.is_space]
                keys = [word_key(w) for w in words]
                keys = [k for k in keys if k]
                if keys:
                    forms.append((index, keys))
        self.known = {k for _, keys in forms for k in keys}
        candidates: dict[str, set[str]] = {}
        for index, keys in forms:
            if self.entities[index].label in ("PER", "ORG"):
                for key in keys:
                    if len(key) >= _MIN_VARIANT_LETTERS and len(skeleton(key)) >= _MIN_SKELETON:
                        candidates.setdefault(skeleton(key), set()).add(key)
        all_skeletons: dict[str, set[str]] = {}
        for key in self.known:
            all_skeletons.setdefault(skeleton(key), set()).add(key)
        self.skeletons = {
            sk: next(iter(words)) for sk, words in candidates.items()
            if len(words) == 1 and len(all_skeletons[sk]) == 1
        }
        self.patterns = {}
        lengths: dict[str, set[int]] = {}
        for index, keys in forms:
            self.patterns.setdefault(tuple(keys), index)  # first entity in file order wins
            lengths.setdefault(keys[0], set()).add(len(keys))
        self.first = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        self._cache = {}
        return self

    def key(self, norm: str) -> str | None:
        """Match key of one normalised token, or None if it can be no part of a name."""
        splits = readings(norm)
        for _prefix, stem in splits:
            key = strip_article(stem)
            if key in self.known:
                return key
        for _prefix, stem in splits:
            key = strip_article(stem)
            if len(key) >= _MIN_VARIANT_LETTERS:
                target = self.skeletons.get(skeleton(key))
                if target is not None and vowel_variant(key, target):
                    return target
        return None

    def keys(self, doc: Doc) -> list[str | None]:
        """Cached match key of every token of ``doc``."""
        return per_token_cached(doc, self._cache, self.key)

    def __call__(self, doc: Doc) -> Doc:
        keys = self.keys(doc)
        first, patterns = self.first, self.patterns
        spans = []
        for i in [i for i, key in enumerate(keys) if key in first]:
            for length in first[keys[i]]:
                if i + length > len(keys):
                    continue
                index = patterns.get(tuple(keys[i:i + length]))
                if index is not None:
                    entity = self.entities[index]
                    span = Span(doc, i, i + length, label=entity.label, kb_id=entity.id)
                    spans.append((span, entity))
                    break
        kept = set(filter_spans([span for span, _ in spans]))
        for span, entity in spans:
            if span in kept:
                span._.entity_id = entity.id
                span._.entity_name = entity.name_ar
                span._.method = "codebook"
        doc.ents = sorted(kept, key=lambda s: s.start)
        return doc


class TopicMatcher:
    """Finds codebook topic terms; results in ``doc.spans["topics"]`` (label = topic id,
    ``span.id_`` = the term as written in the codebook)."""

    def __init__(self, nlp: Language, name: str = "topic_terms") -> None:
        self.nlp = nlp
        self.name = name
        self.terms: list[tuple[str, str, tuple[int, ...]]] = []  # topic id, term, word ids
        self.exact: dict[str, set[int]] = {}
        self.prefixes: dict[int, dict[str, set[int]]] = {}
        self.starting: dict[int, list[int]] = {}  # first word id -> term indices
        self.leads: frozenset[str] | None = None  # first two letters of every term stem
        self._cache: dict[int, frozenset[int]] = {}

    def load(self, codebook: Codebook) -> TopicMatcher:
        """Index every term of every topic (replaces any previous index)."""
        word_ids: dict[str, int] = {}
        self.terms, self.exact, self.prefixes, self.starting = [], {}, {}, {}
        for topic in codebook.topics:
            for term in topic.terms:
                ids = []
                for word in term_words(term):
                    wid = word_ids.setdefault(word, len(word_ids))
                    ids.append(wid)
                    stem = strip_article(word.rstrip("*"))
                    if word.endswith("*"):
                        self.prefixes.setdefault(len(stem), {}).setdefault(stem, set()).add(wid)
                    else:
                        self.exact.setdefault(stem, set()).add(wid)
                self.starting.setdefault(ids[0], []).append(len(self.terms))
                self.terms.append((topic.id, term, tuple(ids)))
        stems = [*self.exact, *(stem for table in self.prefixes.values() for stem in table)]
        # a quick reject for the many tokens no term can match (None: a term stem is too
        # short for the two-letter test, so every token is checked in full)
        self.leads = (frozenset(stem[:2] for stem in stems)
                      if all(len(stem) >= 2 for stem in stems) else None)
        self._cache = {}
        return self

    def word_ids(self, norm: str) -> frozenset[int]:
        """Ids of the term words that one normalised token satisfies (any clitic reading)."""
        found: set[int] = set()
        leads = self.leads
        for _prefix, stem in readings(norm):
            stem = strip_article(stem)
            if leads is not None and stem[:2] not in leads:
                continue
            found.update(self.exact.get(stem, ()))
            for length, table in self.prefixes.items():
                if len(stem) >= length:
                    found.update(table.get(stem[:length], ()))
        return frozenset(found)

    def matches(self, doc: Doc) -> Iterable[tuple[int, int, int]]:
        """(start token, end token, term index) of every term occurrence."""
        cache = self._cache
        norms = norm_ids(doc)
        try:
            ids = [cache[norm] for norm in norms]
        except KeyError:  # strings not seen before: analyse each once, then look up again
            strings = doc.vocab.strings
            for norm in set(norms).difference(cache):
                cache[norm] = self.word_ids(strings[norm])
            ids = [cache[norm] for norm in norms]
        for i in [i for i, here in enumerate(ids) if here]:
            for wid in ids[i]:
                for t in self.starting.get(wid, ()):
                    words = self.terms[t][2]
                    end = i + len(words)
                    if end <= len(ids) and all(w in ids[i + k] for k, w in enumerate(words)):
                        yield i, end, t

    def __call__(self, doc: Doc) -> Doc:
        by_topic: dict[str, list[Span]] = {}
        for start, end, t in self.matches(doc):
            topic_id, term, _ = self.terms[t]
            by_topic.setdefault(topic_id, []).append(
                Span(doc, start, end, label=topic_id, span_id=term)
            )
        spans = [s for group in by_topic.values() for s in filter_spans(group)]
        doc.spans["topics"] = sorted(spans, key=lambda s: (s.start, s.label_))
        return doc
