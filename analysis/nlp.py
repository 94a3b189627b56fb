"""The spaCy pipeline for Arabic news: sentences, codebook entities, candidates, topics.

``build_pipeline(codebook)`` returns ``spacy.blank("ar")`` with a news-text tokenizer
(analysis/tokenizer.py) and these registered components, one job each:

* ``news_segmenter``: paragraphs (one line of the cleaned text) and sentences (. ! ? ؟ …
  and line breaks; not inside ``3.5``, ``(...)`` or ``د.``); sets ``doc.sents``,
  ``Doc._.paragraphs`` and ``Doc._.sentence_spans``;
* ``arabic_normalizer``: ``token.norm_ = arabic.normalize(token.text)``, computed once per
  distinct string (stored on the vocabulary's lexemes);
* ``codebook_entities``: codebook names -> ``doc.ents`` (analysis/matching.py);
* ``model_entities`` (optional): a user's spaCy NER model, added where the codebook found
  nothing, labels mapped to ours, linked to a codebook entry when the text is an alias;
* ``candidates`` (``discover=True``): unlisted actors -> ``doc.spans["candidates"]``;
* ``topic_terms``: codebook topic terms -> ``doc.spans["topics"]``.

Each entity span carries ``Span._.entity_id``, ``Span._.entity_name`` and ``Span._.method``
(codebook | model | pattern).  ``annotate`` turns docs into the DESIGN.md table rows.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy
import spacy
from spacy.attrs import IDX, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from analysis.arabic import normalize
from analysis.candidates import CandidateFinder
from analysis.codebook import Codebook, alias_key
from analysis.matching import EntityMatcher, TopicMatcher
from analysis.tokenizer import TextKeepingTokenizer, doc_text, fix_tokenizer

__all__ = ["Annotated", "annotate", "build_pipeline", "sentence_spans"]

for _name, _default in (("paragraphs", None), ("sentence_spans", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _position(span: Span, column: int) -> int:
    sentences = span.doc._.sentence_spans or []
    index = bisect_right([s[1] for s in sentences], span.start_char) - 1
    return sentences[max(index, 0)][column] if sentences else 0


if not Span.has_extension("para_id"):
    Span.set_extension("para_id", getter=lambda span: _position(span, 0))
if not Span.has_extension("sent_id"):
    Span.set_extension(
        "sent_id",
        getter=lambda span: bisect_right([s[1] for s in span.doc._.sentence_spans or []],
                                         span.start_char) - 1,
    )

# ---------------------------------------------------------------------------
# paragraphs and sentences
# ---------------------------------------------------------------------------

_LINE_RE = re.compile(r"[^\n]+")
_END_RUN_RE = re.compile(r"[.!?؟…]+")
_CLOSERS = "\"'”’»)]"
_ALNUM_RE = re.compile(r"\w")


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    """``د.`` ``U.S.``: the word before the period is one letter or letter.letter."""
    begin = max(text.rfind(" ", line_start, dot), line_start - 1) + 1
    word = text[begin:dot]
    parts = word.split(".")
    return bool(word) and all(len(p) == 1 and p.isalpha() for p in parts)


def _line_cuts(text: str, start: int, end: int) -> list[int]:
    cuts = [start]
    for match in _END_RUN_RE.finditer(text, start, end):
        s, e = match.span()
        before = text[s - 1] if s > start else ""
        after = text[e] if e < end else ""
        if match.group() == "." and before.isdigit() and after.isdigit():
            continue  # 3.5
        if before in "([" or (match.group() == "." and _is_abbreviation(text, start, s)):
            continue  # (...)  د. محمد
        while e < end and text[e] in _CLOSERS:
            e += 1
        if e < end and not text[e].isspace() and not ("\u0600" <= text[e] <= "\u06ff"):
            continue  # hespress.com, 1.5%: no sentence break before Latin or digits
        cuts.append(e)
    cuts.append(end)
    return cuts


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """``(para_id, start, end)`` of every sentence; a paragraph is one non-blank line.

    Offsets index ``text``; sentences are stripped of surrounding whitespace; a piece
    without letters or digits (a stray ``.``) is merged into its neighbour.
    """
    out: list[tuple[int, int, int]] = []
    para_id = -1
    for line in _LINE_RE.finditer(text):
        if not line.group().strip():
            continue
        para_id += 1
        cuts = _line_cuts(text, *line.span())
        pieces: list[list[int]] = []
        carry: int | None = None
        for a, b in zip(cuts, cuts[1:], strict=False):
            chunk = text[a:b]
            a, b = a + len(chunk) - len(chunk.lstrip()), b - len(chunk) + len(chunk.rstrip())
            if a >= b:
                continue
            if not _ALNUM_RE.search(text, a, b):
                if pieces:
                    pieces[-1][1] = b
                elif carry is None:
                    carry = a
                continue
            pieces.append([carry if carry is not None else a, b])
            carry = None
        if not pieces:
            stripped = line.group().strip()
            begin = line.start() + line.group().index(stripped)
            pieces.append([begin, begin + len(stripped)])
        out.extend((para_id, a, b) for a, b in pieces)
    return out


class NewsSegmenter:
    """Sets paragraphs, sentence spans and ``doc.sents`` from the text (see module doc)."""

    def __init__(self, nlp: Language, name: str = "news_segmenter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = sentence_spans(doc_text(doc))
        doc._.sentence_spans = spans
        paragraphs: dict[int, list[int]] = {}
        for para_id, start, end in spans:
            paragraphs.setdefault(para_id, [start, end])[1] = end
        doc._.paragraphs = [tuple(v) for _, v in sorted(paragraphs.items())]
        if len(doc):
            idx = doc.to_array(IDX)
            flags = numpy.full(len(doc), -1, dtype="int64")
            positions = numpy.searchsorted(idx, [s[1] for s in spans])
            flags[positions[positions < len(doc)]] = 1
            flags[0] = 1
            doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        return doc


class ArabicNormalizer:
    """``NORM`` of every lexeme = ``arabic.normalize(text)``, computed once per string.

    The component installs ``normalize`` as the vocabulary's ``NORM`` getter, so a lexeme
    gets its norm when the tokenizer creates it and a doc needs no pass of its own; lexemes
    that existed before (or a vocabulary whose getter was replaced since) are set here.
    """

    def __init__(self, nlp: Language, name: str = "arabic_normalizer") -> None:
        self.name = name
        self._done: set[int] = set()
        self.vocab = nlp.vocab
        for lexeme in nlp.vocab:
            lexeme.norm_ = normalize(lexeme.orth_)
        nlp.vocab.lex_attr_getters[NORM] = normalize

    def __call__(self, doc: Doc) -> Doc:
        if doc.vocab is self.vocab and doc.vocab.lex_attr_getters.get(NORM) is normalize:
            return doc
        if len(doc):
            new = set(doc.to_array(ORTH).tolist()) - self._done
            if new:
                vocab, strings = doc.vocab, doc.vocab.strings
                for orth in new:
                    vocab[orth].norm_ = normalize(strings[orth])
                self._done |= new
        return doc


# ---------------------------------------------------------------------------
# optional user NER model
# ---------------------------------------------------------------------------

MODEL_LABELS = {"PERSON": "PER", "PER": "PER", "GPE": "GPE", "LOC": "LOC", "ORG": "ORG",
                "NORP": "MISC", "EVENT": "EVENT", "FAC": "LOC"}


class ModelEntities:
    """Adds a user model's entities where the codebook found none (method ``model``)."""

    def __init__(self, nlp: Language, name: str, model: str) -> None:
        self.name = name
        self.model = spacy.load(model)
        self.matcher: EntityMatcher | None = None
        self.by_alias: dict[str, object] = {}

    def link(self, codebook: Codebook, matcher: EntityMatcher) -> ModelEntities:
        """Link model entities to ``codebook`` (alias keys and the matcher's key tuples)."""
        self.matcher = matcher
        self.by_alias = {}
        for entity in codebook.entities:
            for form in (entity.name_ar, *entity.aliases):
                self.by_alias.setdefault(alias_key(form), entity)
        return self

    def _linked(self, span: Span) -> object | None:
        if self.matcher is not None:
            keys = tuple(self.matcher.keys(span.as_doc()))
            index = self.matcher.patterns.get(keys)
            if index is not None:
                return self.matcher.entities[index]
        return self.by_alias.get(alias_key(span.text))

    def __call__(self, doc: Doc) -> Doc:
        taken = [False] * len(doc)
        for ent in doc.ents:
            taken[ent.start:ent.end] = [True] * len(ent)
        added = []
        for found in self.model(doc_text(doc)).ents:
            span = doc.char_span(found.start_char, found.end_char,
                                 label=MODEL_LABELS.get(found.label_, "MISC"),
                                 alignment_mode="expand")
            if span is None or any(taken[span.start:span.end]):
                continue
            taken[span.start:span.end] = [True] * len(span)
            entity = self._linked(span)
            if entity is not None:
                span._.entity_id, span._.entity_name = entity.id, entity.name_ar
            else:
                digest = hashlib.sha1(normalize(span.text).encode("utf-8")).hexdigest()[:10]
                span._.entity_id, span._.entity_name = "model_" + digest, span.text
            span._.method = "model"
            added.append(span)
        doc.ents = sorted([*doc.ents, *added], key=lambda s: s.start)
        return doc


@Language.factory("news_segmenter")
def _make_segmenter(nlp: Language, name: str) -> NewsSegmenter:
    return NewsSegmenter(nlp, name)


@Language.factory("arabic_normalizer")
def _make_normalizer(nlp: Language, name: str) -> ArabicNormalizer:
    return ArabicNormalizer(nlp, name)


@Language.factory("codebook_entities")
def _make_entity_matcher(nlp: Language, name: str) -> EntityMatcher:
    return EntityMatcher(nlp, name)


@Language.factory("model_entities", default_config={"model": ""})
def _make_model_entities(nlp: Language, name: str, model: str) -> ModelEntities:
    return ModelEntities(nlp, name, model)


@Language.factory("candidates")
def _make_candidates(nlp: Language, name: str) -> CandidateFinder:
    return CandidateFinder(nlp, name)


@Language.factory("topic_terms")
def _make_topics(nlp: Language, name: str) -> TopicMatcher:
    return TopicMatcher(nlp, name)


def build_pipeline(codebook: Codebook, ner_model: str | None = None,
                   discover: bool = True) -> Language:
    """The full pipeline for ``codebook``; ``ner_model`` = name or path of a spaCy model
    the user installed (never downloaded); ``discover`` adds candidate discovery."""
    nlp = fix_tokenizer(spacy.blank("ar"))
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("news_segmenter")
    nlp.add_pipe("arabic_normalizer")
    matcher = nlp.add_pipe("codebook_entities").load(codebook)
    if ner_model:
        nlp.add_pipe("model_entities", config={"model": str(ner_model)}).link(codebook, matcher)
    if discover:
        nlp.add_pipe("candidates")
    nlp.add_pipe("topic_terms").load(codebook)
    return nlp


# ---------------------------------------------------------------------------
# docs -> table rows
# ---------------------------------------------------------------------------


@dataclass
class Annotated:
    """Rows of the sentences, mentions and topic_hits tables for one document."""
    doc_id: str
    sentences: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    topic_hits: list[dict] = field(default_factory=list)


def _rows(doc_id: str, doc: Doc) -> Annotated:
    text = doc_text(doc)
    spans = doc._.sentence_spans
    if spans is None:
        spans = sentence_spans(text)
    starts = [start for _, start, _ in spans]
    result = Annotated(doc_id)
    for sent_id, (para_id, start, end) in enumerate(spans):
        result.sentences.append({"doc_id": doc_id, "para_id": para_id, "sent_id": sent_id,
                                 "start": start, "end": end, "text": text[start:end]})

    def where(char: int) -> tuple[int, int]:
        sent_id = max(bisect_right(starts, char) - 1, 0)
        return (spans[sent_id][0], sent_id) if spans else (0, 0)

    found = list(doc.ents)
    if "candidates" in doc.spans:
        found.extend(doc.spans["candidates"])
    for span in found:
        para_id, sent_id = where(span.start_char)
        surface = text[span.start_char:span.end_char]
        result.mentions.append({
            "doc_id": doc_id, "para_id": para_id, "sent_id": sent_id,
            "start": span.start_char, "end": span.end_char, "text": surface,
            "label": span.label_, "entity_id": span._.entity_id or span.kb_id_,
            "entity_name": span._.entity_name or surface, "method": span._.method or "model",
        })
    result.mentions.sort(key=lambda row: (row["start"], row["end"], row["entity_id"]))
    hits = []
    for span in doc.spans.get("topics", []):
        hits.append((where(span.start_char)[1], span.start_char, span.label_, span.id_))
    result.topic_hits = [{"doc_id": doc_id, "sent_id": sent_id, "topic_id": topic, "term": term}
                         for sent_id, _, topic, term in sorted(hits)]
    return result


def annotate(nlp: Language, docs: Iterable[tuple[str, str]],
             batch_size: int = 64) -> Iterator[Annotated]:
    """Run ``nlp`` over ``(doc_id, text)`` pairs (streamed with ``nlp.pipe``) and yield one
    :class:`Annotated` per input, in input order; offsets index the given text."""
    stream = ((text, doc_id) for doc_id, text in docs)
    for doc, doc_id in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield _rows(doc_id, doc)
