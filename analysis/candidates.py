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
import re
from dataclasses import dataclass
from importlib import resources

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analysis.arabic import MONTHS, STOPWORDS, WEEKDAYS, normalize, strip_article
from analysis.matching import norm_ids, readings

__all__ = ["CandidateFinder", "candidate_id", "candidate_table", "load_word_lists"]


def _forms(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


def load_word_lists() -> dict[str, frozenset[str]]:
    """The sections of ``resources/candidate_words.txt``, each in matching form."""
    raw = resources.files("analysis").joinpath("resources/candidate_words.txt").read_text("utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line:
            current.extend(line.split())
    return {name: _forms(" ".join(words)) for name, words in sections.items()}


_LISTS = load_word_lists()
ROLE_WORDS = _forms(
    "وزير وزيرة سفير سفيرة مدير مديرة نظير نظيره نظيرها نظيرته ناطق متحدث رئيس رئيسة "
    "أمين قائد زعيم مستشار مستشارة نائب عقيد لواء جنرال مفوض قاضي محافظ ملك أمير "
    "مندوب مبعوث ممثل منسق عمدة الدكتور السيد السيدة كاتب مدرب حاكم كولونيل"
)
TITLE_NOUNS = _forms(
    "خارجية داخلية دولة شؤون عدل مالية دفاع إعلام اقتصاد صحة تعليم أمن شرطة عام عامة "
    "أعلى باسم لدى عهد حكومة جمهورية دولي وزراء إقليم ولاية مقاطعة بلدية مدينة صندوق "
    "نادي منتخب قصر ديوان حركة جماعة كتلة اتحاد أركان بنك برلمان مجموعة بلاده بلادها "
    "داخليته خارجيته حكومته حكومتها"
) | _LISTS["places"]
ORG_HEADS = _forms(
    "وزارة مديرية وكالة مجلة إذاعة صحيفة جريدة موقع قناة فرقة مكتب مجلس جمعية منظمة "
    "هيئة لجنة مفوضية نقابة حزب مؤسسة شركة جامعة محكمة مركز"
)
STRICT_HEADS = _forms("موقع مكتب مركز")  # need a quoted or Latin name after them
PARTY = normalize("حزب")
NAME_PARTICLES = _forms("عبد أبو أبا أبي ابن بن بنت ولد آل")
_perfect, _imperfect = _LISTS["verbs_perfect"], _LISTS["verbs_imperfect"]
VERBS = (_perfect | _imperfect | {v + "ت" for v in _perfect if v[-1] not in "اي"}
         | {v + "وا" for v in _perfect if v[-1] not in "اي"}
         | {"ت" + v[1:] for v in _imperfect if v.startswith("ي")})
NOUNS = _LISTS["nouns"]
PLACES = _LISTS["places"]
PLACE_NOUNS = _forms("ولاية مدينة إقليم مقاطعة بلدية عاصمة جزيرة منطقة محافظة")
NATIONALITIES = _LISTS["nationalities"] | {n + "ه" for n in _LISTS["nationalities"]}
GENERIC_ADJECTIVES = _LISTS["generic_adjectives"] | {
    a + "ه" for a in _LISTS["generic_adjectives"] if not a.endswith(("ا", "ه"))}
GENERIC_COMPLEMENTS = _LISTS["generic_complements"]
NAMING_ADJECTIVES = _forms(
    "عام عامة عليا أعلى كبرى متحدة مشتركة مستقلة مصدرة موحدة مسلحة أحمر حمراء أخضر أبيض")
TIME_WORDS = _forms(
    "أمس اليوم غدا صباح مساء الأسبوع الشهر السنة الماضي الماضية الجاري المقبل المقبلة "
    "المنصرم القادم الحالي يوم شهر سنة عام مطلع منتصف نهاية"
)
_QUOTES_OPEN = frozenset("“«\"‘")
_QUOTES_CLOSE = frozenset("”»\"’")
_TANWEEN = frozenset("\u064b\u064c\u064d")
_NOT_NAME_SHAPES = re.compile(r"^(?:است..+|ا.ت.ا.|ان..ا.|ت..ي.|ت.ا..|.+يين|.+يتين|.+ات)$")
# what follows a clitic ب/ل/ك/و/ف that makes the word a phrase: also إفعال and مفاعلة
_CLITIC_STEM_SHAPES = re.compile(r"^(?:است..+|ا.ت.ا.|ان..ا.|ت..ي.|ت.ا..|ا..ا.|م.ا..ه|.+ات)$")
_C = "[ءبتثجحخدذرزسشصضطظعغفقكلمنه]"  # a consonant (no long vowel) in matching form
_VERB_SHAPES = re.compile(
    f"^(?:س?(?:ي{_C}{{3}}|[يت]{_C}ت{_C}{{2}}|[يت]ت{_C}{{3}}|ي{_C}ا{_C}{{2}}|[يت]ست{_C}{{3}}"
    f"|[يت]ت{_C}ا{_C}{{2}}"
    f"|[يت]ن{_C}{{3}})(?:ه|ها|هم)?|(?:ا{_C}ت{_C}{{2}}|است{_C}{{3}}|ان{_C}{{3}})(?:ت|وا)?)$"
)
_PRONOUN_SUFFIX = re.compile(r"^.{3,}(?:ها|هم|هما|هن|كم|ته)$")
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'&.-]*$")
_MAX_NAME = 4
_MAX_TITLE = 8


@dataclass(eq=False, slots=True)  # identity comparison; not frozen: cheaper to build
class _Word:
    """What the candidate rules need to know about one normalised token form."""
    arabic: bool
    article: bool
    role: bool
    title: bool          # skipped between a role and the name (titles, places ...)
    place_noun: bool     # ولاية، مدينة ...: the next word is a place name
    head: str | None
    head_cut: int        # letters of proclitics before the head in the surface form
    head_lam_article: bool
    stop: bool           # stop word, verb, month, weekday, time word, common noun
    conj: bool           # و/ف + a definite or ل-word: a coordination
    name_like: bool
    particle: bool       # عبد أبو بن ...
    clitic: bool         # starts with a letter that may be a proclitic (و ف ب ل ك)
    coordination: bool   # و + a word (not وي/وو, the W of a transliterated name)
    preposition: bool    # ب + ...: a prepositional phrase, never inside an organisation name
    lam: bool            # starts with ل (a ل-phrase if ``lam_phrase`` or an idafa follows)
    lam_phrase: bool     # ل + a definite word, a verbal noun, a stop word ...
    lam_generic: bool    # ل + a common noun (لجهة): never inside an organisation name
    adjective: bool      # a naming adjective after an organisation head (nisba, listed)
    nisba: bool          # an adjective ending in ي/ية (الجمهوري، الاشتراكي)
    nationality: bool
    generic: bool        # a descriptive adjective or a generic body (الإدارة)
    comma: bool
    trigger: bool        # may start a role, organisation or apposition pattern


_STOPLIKE = STOPWORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) | NOUNS | VERBS
_PHRASE_WORDS = STOPWORDS | NOUNS | PLACES | VERBS
_ANY_ARABIC = re.compile("[\u0621-\u064a]")


def _phrase_stem(stem: str) -> bool:
    """What follows a proclitic makes the word a phrase (بتوشيح، بالرباط، لجهة ...)."""
    return (stem.startswith("ال") or stem in _PHRASE_WORDS or _VERB_SHAPES.match(stem) is not None
            or _CLITIC_STEM_SHAPES.match(stem) is not None
            or _PRONOUN_SUFFIX.match(stem) is not None)


def _non_arabic(comma: bool) -> _Word:
    """The analysis of a form without Arabic letters (numbers, Latin, punctuation)."""
    return _Word(False, False, False, False, False, None, 0, False, True, False, False, False,
                 clitic=False, coordination=False, preposition=False, lam=False,
                 lam_phrase=False, lam_generic=False, adjective=False, nisba=False,
                 nationality=False, generic=False, comma=comma, trigger=comma)


_NO_ARABIC = {False: _non_arabic(False), True: _non_arabic(True)}


def _analyse(norm: str) -> _Word:
    norm = normalize(norm)
    if _ANY_ARABIC.search(norm) is None:  # no proclitic reading, no listed word: a shortcut
        return _NO_ARABIC[norm in (",", "،")]
    splits = readings(norm)
    stems = {strip_article(stem) for _, stem in splits}
    arabic = _ARABIC_WORD.match(norm) is not None
    article = any(stem.startswith("ال") and len(stem) >= 4 for _, stem in splits)
    role = not ROLE_WORDS.isdisjoint(stems)
    title = not TITLE_NOUNS.isdisjoint(stems)
    head, cut, lam_article = None, 0, False
    for prefix, stem in splits:
        key = strip_article(stem)
        if key in ORG_HEADS:
            restored = not norm[len(prefix):].startswith(stem)  # لل written for ل + ال
            lam_article = restored and prefix.endswith("ل")
            head, cut = key, len(prefix) + (1 if lam_article else 0)
            break
    stop = (
        not arabic
        or any(s in _STOPLIKE or _VERB_SHAPES.match(s) is not None
               for p, s in splits if p in ("", "و", "ف"))
        or norm in TIME_WORDS or strip_article(norm) in TIME_WORDS
    )
    place = not PLACES.isdisjoint(stems)
    first = norm[:1]
    conj = first in ("و", "ف") and head is None and not role and any(
        p in ("و", "ف") and (s.startswith("ال") or s.startswith("ل")) for p, s in splits
    )
    particle = norm in NAME_PARTICLES
    may_name = (arabic and len(norm) >= 2 and not stop and not article and not role
                and not title and not place and head is None and not particle)
    by_bi = any(p.startswith(("ب", "وب", "فب")) for p, _ in splits[1:])
    phrase = (may_name or by_bi or first == "ل") and any(
        p and _phrase_stem(s) for p, s in splits[1:])
    name_like = (may_name and not phrase and not _NOT_NAME_SHAPES.match(norm)
                 and not _PRONOUN_SUFFIX.match(norm))
    bare = strip_article(norm[1:] if norm[:2] == "لل" else norm)
    comma = norm in (",", "،")
    nisba = bare.endswith(("ي", "يه"))
    return _Word(
        arabic, article, role, title, not PLACE_NOUNS.isdisjoint(stems), head, cut,
        lam_article, stop, conj, name_like, particle,
        clitic=len(norm) >= 3 and first in "وفبلك",
        coordination=first == "و" and len(norm) >= 3 and norm[1] not in "وي",
        preposition=by_bi and (phrase or norm.startswith(("بال", "وبال", "فبال"))),
        lam=first == "ل" and len(splits) > 1,
        lam_phrase=first == "ل" and (phrase or norm.startswith("لل")),
        lam_generic=first == "ل" and any(p == "ل" and s in NOUNS for p, s in splits),
        adjective=(nisba or bare in NAMING_ADJECTIVES) and not bare.endswith(("ين", "ون", "ات")),
        nisba=nisba,
        nationality=bare in NATIONALITIES,
        generic=bare in GENERIC_ADJECTIVES or bare in GENERIC_COMPLEMENTS,
        comma=comma,
        trigger=role or head is not None or comma,
    )


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


def _plain_name_word(text: str) -> bool:
    """Surface checks the matching form cannot make: no ta marbuta, no tanween."""
    return not text.rstrip("\u0640").endswith("ة") and _TANWEEN.isdisjoint(text)


class CandidateFinder:
    """spaCy component: candidate PER/ORG spans in ``doc.spans["candidates"]``."""

    def __init__(self, nlp: Language, name: str = "candidates") -> None:
        self.name = name
        self._cache: dict[int, _Word] = {}

    def words(self, doc: Doc) -> list[_Word]:
        """The cached :class:`_Word` of every token of ``doc``."""
        cache = self._cache
        norms = norm_ids(doc)
        try:
            return [cache[norm] for norm in norms]
        except KeyError:  # strings not seen before: analyse each once, then look up again
            strings = doc.vocab.strings
            for norm in set(norms).difference(cache):
                cache[norm] = _analyse(strings[norm])
            return [cache[norm] for norm in norms]

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

    def _name(self, doc: Doc, words: list[_Word], ent_at: list, start: int, step: int) -> list[int]:
        """Indices of the name-like run starting at ``start`` going ``step`` (+1/-1)."""
        run: list[int] = []
        units = 0  # name words, a particle and the word after it counting as one
        k = start
        while 0 <= k < len(doc) and len(run) <= _MAX_NAME and ent_at[k] is None:
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
        if not 2 <= len(run) <= _MAX_NAME or units < 2 or words[run[-1]].particle:
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

    def _apposition(self, doc: Doc, words: list[_Word], ent_at: list, comma: int) -> list:
        run = self._name(doc, words, ent_at, comma - 1, -1)
        if not run or (run[0] > 0 and words[run[0] - 1].role):
            return []  # a role right before the name is handled by _after_role
        span = Span(doc, run[0], run[-1] + 1, label="PER")
        return [(span, _display(span.text))]

    def _organisation(self, doc: Doc, words: list[_Word], ent_at: list, i: int) -> list:
        head = words[i]
        definite = doc[i].norm_[head.head_cut:].startswith("ال") or head.head_lam_article
        if definite and not head.head_cut and i > 0 and words[i - 1].article:
            return []  # an adjective after a definite noun: الجريمة المنظمة
        end, nominal, quoted, after_article = i + 1, 0, False, definite
        lam_phrases = adjectives = nisbas = 0
        after_lam = idafa = after_nationality = False
        while end < len(doc) and end - i < 7 and ent_at[end] is None:
            text, word = doc[end].text, words[end]
            if not definite and nominal == 0 and text in _QUOTES_OPEN:
                close = next((k for k in range(end + 1, min(end + 7, len(doc)))
                              if doc[k].text in _QUOTES_CLOSE), None)
                inside_free = close is not None and all(
                    ent_at[k] is None for k in range(end, close + 1))
                if close is not None and close > end + 1 and inside_free:
                    end, quoted = close + 1, True
                break
            if not definite and nominal == 0 and _LATIN_WORD.match(text):
                while end < len(doc) and end - i < 5 and _LATIN_WORD.match(doc[end].text):
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
