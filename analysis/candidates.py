"""Discovery of actors the codebook lacks (mentions with method ``pattern``).

Arabic has no capital letters, so a name is recognised by its *context*, never alone:

* a person is introduced by a role or title (``وزير الداخلية الفرنسي X``, ``السفير X``,
  ``نظيره X``, ``وزير خارجية إيران X``) or followed by an apposition (``X، المدير العام``);
  the name is 2-4 name-like words;
* an organisation is a head noun (وزارة، مديرية، وكالة، مجلة، إذاعة، صحيفة، الفرقة ...)
  followed by nominal words, or by a quoted or Latin name (``مجلة “جون أفريك”``).

Precision over recall: an unclear context yields nothing.  A *name-like* word is Arabic and
none of: a stop word, a verb (listed, or an imperfect/future/derived-perfect shape such as
يفتعل سيفعل استفعل), a common noun or adverb, a place, a month, weekday or time word, a
role, title or head noun; it has no article (except after عبد/أبو/بن: ``عبد اللطيف``), no
ta marbuta, no tanween, no pronoun suffix (ـها ـهم ـته) and no verbal-noun or plural shape.
A word with a proclitic (و ف ب ل ك) is no name word when what follows the clitic is one of
those (``بتوشيح``, ``بالرباط``), and ends a name that already has two words (``X Y بـ...``);
``وَ`` + an Arabic word inside a name is a coordination (``X وغيره``).  An organisation
name stops at a preposition ب, at a second ل-phrase (``... للأمن الوطني للعمل``), at a
coordination and at descriptive adjectives; a definite head (``الشركة``) is only a name
when a ل-phrase or two naming adjectives follow (``المحكمة الجنائية الدولية``), not for
``المؤسسة الأمنية المغربية``.  Word lists: ``resources/candidate_words.txt``.
Candidates never overlap a codebook match (codebook wins).
"""

from __future__ import annotations

import hashlib

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analysis.arabic import normalize
from analysis.candidate_words import (
    LATIN_WORD,
    MAX_NAME_WORDS,
    MAX_TITLE_WORDS,
    PARTY,
    QUOTES_CLOSE,
    QUOTES_OPEN,
    STRICT_HEADS,
    TANWEEN,
    Word,
    analyse_word,
)
from analysis.matching import per_token_cached

__all__ = ["CandidateFinder", "candidate_id", "candidate_table"]


def candidate_id(name: str) -> str:
    """Stable id of a candidate: ``cand_`` + 10 hex digits of sha1(normalised name)."""
    return "cand_" + hashlib.sha1(normalize(name).encode("utf-8")).hexdigest()[:10]


def _display(text: str) -> str:
    """Display name: quotes removed, whitespace collapsed."""
    return " ".join("".join(ch for ch in text if ch not in QUOTES_OPEN | QUOTES_CLOSE).split())


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


def _plain_name_word(text: str) -> bool:
    """Surface checks the matching form cannot make: no ta marbuta, no tanween."""
    return not text.rstrip("\u0640").endswith("ة") and TANWEEN.isdisjoint(text)


class CandidateFinder:
    """spaCy component: candidate PER/ORG spans in ``doc.spans["candidates"]``."""

    def __init__(self, nlp: Language, name: str = "candidates") -> None:
        self.name = name
        self._cache: dict[int, Word] = {}

    def words(self, doc: Doc) -> list[Word]:
        """The cached :class:`Word` of every token of ``doc``."""
        return per_token_cached(doc, self._cache, analyse_word)

    def __call__(self, doc: Doc) -> Doc:
        words = self.words(doc)
        triggers = [i for i, word in enumerate(words) if word.trigger]
        if not triggers:
            doc.spans["candidates"] = []
            return doc
        ent_at: list[Span | None] = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                ent_at[i] = ent
        found: list[tuple[Span, str]] = []
        for i in triggers:
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

    def _name(self, doc: Doc, words: list[Word], ent_at: list, start: int, step: int) -> list[int]:
        """Indices of the name-like run starting at ``start`` going ``step`` (+1/-1)."""
        run: list[int] = []
        units = 0  # name words, a particle and the word after it counting as one
        k = start
        while 0 <= k < len(doc) and len(run) <= MAX_NAME_WORDS and ent_at[k] is None:
            word = words[k]
            after_particle = step > 0 and bool(run) and words[run[-1]].particle
            before_particle = step < 0 and k > 0 and words[k - 1].particle
            if word.particle:
                run.append(k)
                units += 1 if step > 0 else 0  # backwards, the word after it counted
                k += step
                continue
            if word.name_like and _plain_name_word(doc[k].text):
                norm = doc[k].norm_
                if run and not after_particle and (
                        (word.clitic and units >= 2 and norm[1:2] not in "اوي")
                        or (step > 0 and word.coordination)):
                    break  # X Y بـ...، X وغيره (but جان إيف لودريان: لو- is a Lo/Le name)
            elif not (word.article and not word.stop and (after_particle or before_particle)):
                break
            run.append(k)
            units += 0 if after_particle else 1  # عبد + الوافي: one unit
            k += step
        run.sort()
        if not 2 <= len(run) <= MAX_NAME_WORDS or units < 2 or words[run[-1]].particle:
            return []
        return run

    def _after_role(self, doc: Doc, words: list[Word], ent_at: list, i: int) -> list:
        j, steps = i + 1, 0
        while j < len(doc) and steps < MAX_TITLE_WORDS:
            ent = ent_at[j]
            if ent is not None:
                if ent.label_ == "PER":
                    return []
                j, steps = ent.end, steps + 1
                continue
            word = words[j]
            if word.article or word.role or word.title or word.head is not None:
                # ولاية تكساس، مدينة نيروبي: the word after a place noun is the place
                j, steps = j + (2 if word.place_noun else 1), steps + 1
                continue
            if word.comma:
                j += 1
            break
        run = self._name(doc, words, ent_at, j, 1)
        if not run:
            return []
        span = Span(doc, run[0], run[-1] + 1, label="PER")
        return [(span, _display(span.text))]

    def _apposition(self, doc: Doc, words: list[Word], ent_at: list, comma: int) -> list:
        run = self._name(doc, words, ent_at, comma - 1, -1)
        if not run or (run[0] > 0 and words[run[0] - 1].role):
            return []  # a role right before the name is handled by _after_role
        span = Span(doc, run[0], run[-1] + 1, label="PER")
        return [(span, _display(span.text))]

    def _organisation(self, doc: Doc, words: list[Word], ent_at: list, i: int) -> list:
        head = words[i]
        definite = doc[i].norm_[head.head_cut:].startswith("ال") or head.head_lam_article
        if definite and not head.head_cut and i > 0 and words[i - 1].article:
            return []  # an adjective after a definite noun: الجريمة المنظمة
        end, nominal, quoted, after_article = i + 1, 0, False, definite
        lam_phrases = adjectives = nisbas = 0
        after_lam = idafa = after_nationality = False
        while end < len(doc) and end - i < 7 and ent_at[end] is None:
            text, word = doc[end].text, words[end]
            if not definite and nominal == 0 and text in QUOTES_OPEN:
                close = next((k for k in range(end + 1, min(end + 7, len(doc)))
                              if doc[k].text in QUOTES_CLOSE), None)
                inside_free = close is not None and all(
                    ent_at[k] is None for k in range(end, close + 1))
                if close is not None and close > end + 1 and inside_free:
                    end, quoted = close + 1, True
                break
            if not definite and nominal == 0 and LATIN_WORD.match(text):
                while end < len(doc) and end - i < 5 and LATIN_WORD.match(doc[end].text):
                    end += 1
                quoted = True
                break
            if (word.stop or word.conj or word.role or word.preposition or word.generic
                    or not word.arabic or (word.coordination and not word.name_like)
                    or (doc[end].norm_[:1] == "و" and (word.head is None or word.head_cut))
                    or (after_nationality and not word.nationality and not (
                        definite and not lam_phrases and word.lam))
                    or (nominal and doc[end].norm_[:1] == "ب")):
                break  # ... والمديرية العامة; وزارة الدفاع الأميركية لمواجهة; بفحص
            if word.lam and (word.lam_phrase or (end + 1 < len(doc) and words[end + 1].article)):
                if nominal == 0 or lam_phrases or word.lam_generic:
                    break  # شركة لتأجير ...; المديرية العامة للأمن الوطني للعمل; لجهة
                lam_phrases += 1
                after_article, after_lam, after_nationality = True, True, False
                idafa = doc[end].norm_.startswith("لل")  # already definite: adjectives only
            elif word.article:
                if definite and not lam_phrases and not word.adjective:
                    break  # الوزارة الخطوط العامة: a definite noun, not an adjective
                if idafa and not word.adjective:
                    break  # مجلس النواب السلطة ...: one idafa noun, then adjectives
                idafa = True
                after_article = True
                after_nationality = word.nationality
                if not after_lam and not word.nationality:
                    adjectives += 1
                    nisbas += word.nisba
            elif word.head is not None and head.head is not None and nominal == 0:
                pass  # هيئة قناة السويس
            elif (not after_article and nominal < 2 and (word.name_like or word.title)
                  and not word.nationality and _plain_name_word(text)):
                pass
            else:
                break
            nominal += 1
            end += 1
        if head.head in STRICT_HEADS and not quoted:
            return []
        if not quoted and (nominal == 0 or (definite and not lam_phrases and not (
                adjectives >= 2 or (head.head == PARTY and nisbas >= 1)))):
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
