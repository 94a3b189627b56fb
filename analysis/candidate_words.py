"""Word analysis for candidate discovery: which words can be part of a name.

Arabic has no capital letters, so :mod:`analysis.candidates` recognises names by
context; this module says, for one normalised word, whether it is a stop word,
verb, common noun, place, role, title or organisation head, or name-like. Word
lists live in ``resources/candidate_words.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from analysis.arabic import MONTHS, STOPWORDS, WEEKDAYS, normalize, strip_article
from analysis.matching import readings


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
QUOTES_OPEN = frozenset("“«\"‘")
QUOTES_CLOSE = frozenset("”»\"’")
TANWEEN = frozenset("\u064b\u064c\u064d")
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
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'&.-]*$")
MAX_NAME_WORDS = 4
MAX_TITLE_WORDS = 8


@dataclass(eq=False, slots=True)  # identity comparison; not frozen: cheaper to build
class Word:
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


def _non_arabic(comma: bool) -> Word:
    """The analysis of a form without Arabic letters (numbers, Latin, punctuation)."""
    return Word(False, False, False, False, False, None, 0, False, True, False, False, False,
                 clitic=False, coordination=False, preposition=False, lam=False,
                 lam_phrase=False, lam_generic=False, adjective=False, nisba=False,
                 nationality=False, generic=False, comma=comma, trigger=comma)


_NO_ARABIC = {False: _non_arabic(False), True: _non_arabic(True)}


def analyse_word(norm: str) -> Word:
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
    return Word(
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
