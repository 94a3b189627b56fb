"""Discovery of actors the codebook lacks (mentions with method ``pattern``).

Arabic has no capital letters, so a name is recognised by its *context*, never alone:

* a person is introduced by a role or title (``وزير الداخلية الفرنسي X``, ``السفير X``,
  ``نظيره X``, ``المدير العام للشرطة الوطنية، X``) or followed by an apposition
  (``X، المدير العام ...``); the name is 2-4 name-like words;
* an organisation is a head noun (وزارة، مديرية، وكالة، مجلة، إذاعة، صحيفة، الفرقة ...)
  followed by nominal words, or by a quoted or Latin name (``مجلة “جون أفريك”``).

A *name-like* word is Arabic, not a stop word, verb, month, weekday, number, role or head
noun, has no article (except after عبد/أبو/بن: ``عبد اللطيف``), no ta marbuta and no
verbal-noun or plural shape.  Candidates never overlap a codebook match (codebook
wins).  Precision over recall: an unclear context yields nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pandas as pd
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analysis.arabic import MONTHS, STOPWORDS, WEEKDAYS, normalize, strip_article
from analysis.matching import readings

__all__ = ["CandidateFinder", "candidate_id", "candidate_table"]


def _forms(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


ROLE_WORDS = _forms(
    "وزير وزيرة سفير سفيرة مدير مديرة نظير نظيره نظيرها نظيرته ناطق متحدث رئيس رئيسة "
    "أمين قائد زعيم مستشار مستشارة نائب عقيد لواء جنرال مفوض قاضي محافظ ملك أمير "
    "مندوب مبعوث ممثل منسق عمدة الدكتور السيد السيدة كاتب مدرب"
)
TITLE_NOUNS = _forms(
    "خارجية داخلية دولة شؤون عدل مالية دفاع إعلام اقتصاد صحة تعليم أمن شرطة عام عامة "
    "أعلى باسم لدى عهد حكومة جمهورية دولي"
)
ORG_HEADS = _forms(
    "وزارة مديرية وكالة مجلة إذاعة صحيفة جريدة موقع قناة فرقة مكتب مجلس جمعية منظمة "
    "هيئة لجنة مفوضية نقابة حزب مؤسسة شركة جامعة محكمة مركز"
)
STRICT_HEADS = _forms("موقع مكتب مركز")  # need a quoted or Latin name after them
NAME_PARTICLES = _forms("عبد أبو أبا أبي ابن بن بنت ولد آل")
VERBS = _forms(
    "استقبل التقى زار أجرى وقع ناقش بحث عقد ترأس أشاد كشف دعا اتهم طالب غادر وصل حل "
    "يزور يستقبل يلتقي يرأس قام أكد قال أعلن"
)
TIME_WORDS = _forms(
    "أمس اليوم غدا صباح مساء الأسبوع الشهر السنة الماضي الماضية الجاري المقبل المقبلة "
    "المنصرم القادم الحالي يوم شهر سنة عام مطلع منتصف نهاية"
)
_QUOTES_OPEN = frozenset("“«\"‘")
_QUOTES_CLOSE = frozenset("”»\"’")
_NOT_NAME_SHAPES = re.compile(r"^(?:است..+|ا.ت.ا.|ان..ا.|ت..ي.|ت.ا..|.+يين|.+ات)$")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'&.-]*$")
_MAX_NAME = 4
_MAX_TITLE = 8


@dataclass(frozen=True, eq=False)  # identity comparison: `None in words` stays fast
class _Word:
    """What the candidate rules need to know about one normalised token form."""
    arabic: bool
    article: bool
    role: bool
    title: bool
    head: str | None
    head_cut: int        # letters of proclitics before the head in the surface form
    head_lam_article: bool
    stop: bool
    conj: bool
    name_like: bool
    comma: bool
    trigger: bool        # may start a role, organisation or apposition pattern


def _analyse(norm: str) -> _Word:
    norm = normalize(norm)
    splits = readings(norm)
    stems = [strip_article(stem) for _, stem in splits]
    arabic = bool(_ARABIC_WORD.match(norm))
    article = any(stem.startswith("ال") and len(stem) >= 4 for _, stem in splits)
    role = any(s in ROLE_WORDS for s in stems)
    title = any(s in TITLE_NOUNS for s in stems)
    head, cut, lam = None, 0, False
    for (prefix, stem), key in zip(splits, stems, strict=True):
        if key in ORG_HEADS:
            restored = not norm[len(prefix):].startswith(stem)  # لل written for ل + ال
            lam = restored and prefix.endswith("ل")
            head, cut = key, len(prefix) + (1 if lam else 0)
            break
    plain = [s for p, s in splits if p in ("", "و", "ف")]
    stop = (
        not arabic
        or any(s in STOPWORDS or s in VERBS or s in MONTHS or s in WEEKDAYS for s in plain)
        or norm in TIME_WORDS or strip_article(norm) in TIME_WORDS
    )
    conj = norm[:1] in ("و", "ف") and head is None and not role and any(
        p in ("و", "ف") and (s.startswith("ال") or s.startswith("ل")) for p, s in splits
    )
    name_like = (
        arabic and len(norm) >= 2 and not stop and not article and not role and not title
        and head is None and norm not in NAME_PARTICLES and not _NOT_NAME_SHAPES.match(norm)
    )
    comma = norm in (",", "،")
    trigger = role or head is not None or comma
    return _Word(arabic, article, role, title, head, cut, lam, stop, conj, name_like, comma,
                 trigger)


def candidate_id(name: str) -> str:
    """Stable id of a candidate: ``cand_`` + 10 hex digits of sha1(normalised name)."""
    return "cand_" + hashlib.sha1(normalize(name).encode("utf-8")).hexdigest()[:10]


def _display(text: str) -> str:
    """Display name: quotes removed, whitespace collapsed."""
    return " ".join("".join(ch for ch in text if ch not in _QUOTES_OPEN | _QUOTES_CLOSE).split())


def _drop_letters(text: str, count: int) -> str:
    """``text`` without its first ``count`` letters (their marks and tatweel go too)."""
    index = dropped = 0
    while index < len(text) and dropped < count:
        if text[index].isalpha() and text[index] != "\u0640":
            dropped += 1
        index += 1
    while index < len(text) and (not text[index].isalpha() or text[index] == "\u0640"):
        index += 1
    return text[index:]


class CandidateFinder:
    """spaCy component: candidate PER/ORG spans in ``doc.spans["candidates"]``."""

    def __init__(self, nlp: Language, name: str = "candidates") -> None:
        self.name = name
        self._cache: dict[int, _Word] = {}

    def words(self, doc: Doc) -> list[_Word]:
        cache, strings = self._cache, doc.vocab.strings
        norms = doc.to_array(NORM).tolist() if len(doc) else []
        out = [cache.get(norm) for norm in norms]
        if None in out:
            for i, word in enumerate(out):
                if word is None:
                    norm = norms[i]
                    if norm not in cache:
                        cache[norm] = _analyse(strings[norm])
                    out[i] = cache[norm]
        return out

    def __call__(self, doc: Doc) -> Doc:
        words = self.words(doc)
        ent_at: list[Span | None] = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                ent_at[i] = ent
        found: list[tuple[Span, str]] = []
        for i in [i for i, word in enumerate(words) if word.trigger]:
            word = words[i]
            if ent_at[i] is not None:
                continue
            if word.role:
                found.extend(self._after_role(doc, words, ent_at, i))
            if word.head is not None:
                found.extend(self._organisation(doc, words, ent_at, i))
            if word.comma and i + 1 < len(doc) and words[i + 1].role:
                found.extend(self._apposition(doc, words, ent_at, i))
        kept = set(filter_spans([span for span, _ in found]))
        spans = []
        for span, name in found:
            if span in kept:
                kept.discard(span)
                span._.entity_id = candidate_id(name)
                span._.entity_name = name
                span._.method = "pattern"
                spans.append(span)
        doc.spans["candidates"] = sorted(spans, key=lambda s: s.start)
        return doc

    def _name(self, doc: Doc, words: list[_Word], ent_at: list, start: int, step: int) -> list[int]:
        """Indices of the name-like run starting at ``start`` going ``step`` (+1/-1)."""
        run: list[int] = []
        k = start
        while 0 <= k < len(doc) and len(run) <= _MAX_NAME and ent_at[k] is None:
            word, text = words[k], doc[k].text
            after_particle = step > 0 and run and doc[run[-1]].norm_ in NAME_PARTICLES
            before_particle = step < 0 and k > 0 and doc[k - 1].norm_ in NAME_PARTICLES
            if word.name_like and not text.rstrip("\u0640").endswith("ة"):
                run.append(k)
            elif word.article and not word.stop and (after_particle or before_particle):
                run.append(k)
            else:
                break
            k += step
        run.sort()
        if not 2 <= len(run) <= _MAX_NAME or doc[run[-1]].norm_ in NAME_PARTICLES:
            return []
        return run

    def _after_role(self, doc: Doc, words: list[_Word], ent_at: list, i: int) -> list:
        j, steps = i + 1, 0
        while j < len(doc) and steps < _MAX_TITLE:
            ent = ent_at[j]
            if ent is not None:
                if ent.label_ == "PER":
                    return []
                j, steps = ent.end, steps + 1
                continue
            word = words[j]
            if word.article or word.role or word.title or word.head is not None:
                j, steps = j + 1, steps + 1
                continue
            if word.comma:
                j += 1
            break
        run = self._name(doc, words, ent_at, j, 1)
        if not run:
            return []
        span = Span(doc, run[0], run[-1] + 1, label="PER")
        return [(span, _display(span.text))]

    def _apposition(self, doc: Doc, words: list[_Word], ent_at: list, comma: int) -> list:
        run = self._name(doc, words, ent_at, comma - 1, -1)
        if not run or (run[0] > 0 and words[run[0] - 1].role):
            return []  # a role right before the name is handled by _after_role
        span = Span(doc, run[0], run[-1] + 1, label="PER")
        return [(span, _display(span.text))]

    def _organisation(self, doc: Doc, words: list[_Word], ent_at: list, i: int) -> list:
        head = words[i]
        has_article = doc[i].norm_[head.head_cut:].startswith("ال") or head.head_lam_article
        if has_article and i > 0 and words[i - 1].article:
            return []  # an adjective after a definite noun: الجريمة المنظمة
        end, nominal, quoted, after_article = i + 1, 0, False, False
        while end < len(doc) and end - i < 7 and ent_at[end] is None:
            text, word = doc[end].text, words[end]
            if text in _QUOTES_OPEN:
                close = next((k for k in range(end + 1, min(end + 7, len(doc)))
                              if doc[k].text in _QUOTES_CLOSE), None)
                inside_free = close is not None and all(
                    ent_at[k] is None for k in range(end, close + 1))
                if close is not None and close > end + 1 and inside_free:
                    end, quoted = close + 1, True
                break
            if _LATIN_WORD.match(text):
                while end < len(doc) and end - i < 5 and _LATIN_WORD.match(doc[end].text):
                    end += 1
                quoted = True
                break
            if word.stop or word.conj or not word.arabic:
                break
            if doc[end].norm_.startswith("و") and word.head is None:
                break  # coordination: وتهريب المخدرات, والمديرية ...
            if word.article or (word.head is not None and head.head is not None and nominal == 0):
                after_article = after_article or word.article
                nominal += 1
            elif not after_article and nominal < 2 and (word.name_like or word.title):
                nominal += 1
            elif doc[end].norm_.startswith("ل") and not after_article and word.arabic:
                nominal += 1
            else:
                break
            end += 1
        if head.head in STRICT_HEADS and not quoted:
            return []
        if not quoted and nominal < (2 if has_article else 1):
            return []
        span = Span(doc, i, end, label="ORG")
        first = doc[i].text
        surface = span.text
        trimmed = _drop_letters(first, head.head_cut)
        if head.head_lam_article:
            trimmed = "ال" + trimmed
        name = _display(trimmed + surface[len(first):])
        return [(span, name)]


def candidate_table(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Candidates (method ``pattern``) for codebook curation, most frequent first.

    Columns: entity_id, name (most frequent display name), label, count (mentions),
    docs (distinct documents), example (sentence of the first mention, by doc_id/start).
    """
    columns = ["entity_id", "name", "label", "count", "docs", "example"]
    found = mentions[mentions["method"] == "pattern"]
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("count", "docs") else "str")
                             for c in columns})
    found = found.sort_values(["doc_id", "start", "end"], kind="stable")
    sent_text = sentences.set_index(["doc_id", "sent_id"])["text"]
    rows = []
    for entity_id, group in found.groupby("entity_id", sort=True):
        names = group["entity_name"].value_counts()
        name = sorted(names[names == names.max()].index)[0]
        labels = group["label"].value_counts()
        label = sorted(labels[labels == labels.max()].index)[0]
        first = group.iloc[0]
        example = sent_text.get((first["doc_id"], first["sent_id"]), first["text"])
        rows.append({"entity_id": entity_id, "name": name, "label": label,
                     "count": len(group), "docs": group["doc_id"].nunique(),
                     "example": example})
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["count", "docs", "name"], ascending=[False, False, True],
                              kind="stable")
    return table.reset_index(drop=True)
