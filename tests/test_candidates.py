"""Discovery of actors missing from the codebook: examples, non-examples, the table."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analysis.arabic import normalize
from analysis.candidates import candidate_id, candidate_table
from analysis.codebook import load_codebook
from analysis.nlp import annotate, build_pipeline

MINI = Path(__file__).parent / "fixtures" / "codebook_mini"


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_codebook(MINI))


def found(nlp, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(s.text, s.label_, s._.entity_name) for s in doc.spans["candidates"]]


@pytest.mark.parametrize("text,expected", [
    # role + nationality adjective, then the name; stops at the verb-like stop word
    ("وقال وزير الخارجية الإسباني خوسيه مانويل إن بلاده مستعدة",
     ("خوسيه مانويل", "PER", "خوسيه مانويل")),
    # title modifiers, a codebook place inside the title, a comma before the name
    ("وقال السفير الفرنسي المعتمد بالرباط، كريم بنعلي، إن الزيارة ناجحة",
     ("كريم بنعلي", "PER", "كريم بنعلي")),
    # apposition: the name comes before "، زعيم ..."
    ("اعتقلت الشرطة سمير بوزيان، زعيم شبكة للتهريب",
     ("سمير بوزيان", "PER", "سمير بوزيان")),
    # organisation head + definite words
    ("وقالت وزارة الصحة المغربية في بيان", ("وزارة الصحة المغربية", "ORG",
                                          "وزارة الصحة المغربية")),
    # head with the proclitic ل + article written لل: display restores المديرية
    ("أكد بيان للمديرية العامة للوقاية المدنية أن الحريق",
     ("للمديرية العامة للوقاية المدنية", "ORG", "المديرية العامة للوقاية المدنية")),
    # head + quoted name; quotes dropped from the display name
    ("ونشرت مجلة «لوبوان» تقريرا", ("مجلة «لوبوان»", "ORG", "مجلة لوبوان")),
    ("وأفادت صحيفة لوموند أن", ("صحيفة لوموند", "ORG", "صحيفة لوموند")),
])
def test_candidates_found(nlp, text: str, expected: tuple[str, str, str]) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize("text", [
    "وزير الداخلية الفرنسي خلال زيارته للمغرب",         # no name after the title
    "مكافحة الجريمة المنظمة العابرة للحدود",            # المنظمة is an adjective here
    "وصلت الشرطة إلى موقع الحادث",                     # موقع needs a quoted/Latin name
    "وقالت الوكالة الفرنسية إن",                       # definite head needs 2 words
    "رئيس الحكومة يوم الاثنين الماضي",                 # weekday and time words
    "المدير العام للأمن الوطني زيارة عمل",             # ta marbuta: a common noun
    "استقبل نظيره المغربي عبد الوافي لفتيت",            # codebook person: codebook wins
    "ونشرت مجلة «جون أفريك» تقريرا",                   # quoted name is a codebook entity
])
def test_non_examples(nlp, text: str) -> None:
    assert found(nlp, text) == []


@pytest.mark.parametrize("text,expected", [
    # a perfect verb glued after the name (listed verb شكر)
    ("وأعلن الإليزيه أن الرئيس فرانسوا هولاند شكر الملك على المساعدة",
     [("فرانسوا هولاند", "PER")]),
    # a future verb (shape سيفعل) after the name
    ("وقال وزير الخارجية البريطاني فيليب هاموند سيصدر بيانا", [("فيليب هاموند", "PER")]),
    # an imperfect verb (shape يفعل with و) before a name in apposition
    ("ويشرح مارك دوبوويتز، المدير التنفيذي للمؤسسة، أن العقوبات فشلت",
     [("مارك دوبوويتز", "PER")]),
    # a prepositional phrase (ب + تفعيل) after a two-word name
    ("وقام سفير الجمهورية الفرنسية كريستوف لوكورتييه بتوشيح الضيف",
     [("كريستوف لوكورتييه", "PER")]),
    # an accusative noun after a one-word name: no candidate at all
    ("ويضم الوفد المرافق للرئيس ماكرون عددا من الوزراء", []),
    # و + a common word after the name is a coordination
    ("واستقبل الرئيس حسن روحاني وكثيرا من المسؤولين", [("حسن روحاني", "PER")]),
    # a country and a place noun + place between the role and the name are skipped
    ("وقال وزير خارجية إيران محمد جواد ظريف إن الاتفاق صامد",
     [("محمد جواد ظريف", "PER")]),
    ("وأكد حاكم ولاية تكساس غريغ أبوت أن الحدود آمنة", [("غريغ أبوت", "PER")]),
    # a pronoun-suffixed title noun (بلاده) is skipped, a particle joins the name
    ("وقال وزير خارجية بلاده سامح شكري إن", [("سامح شكري", "PER")]),
    ("واستقبل المدير العام عبد الرحيم بنعلي الوفد", [("عبد الرحيم بنعلي", "PER")]),
    # لو- after a two-word first name is the Le/Lo of a name, not the preposition ل
    ("وقال وزير الخارجية جان إيف لودريان إن", [("جان إيف لودريان", "PER")]),
    # a relative pronoun and a preposition end the name
    ("التقى السفير بيتر كازيمير الذي يزور المغرب", [("بيتر كازيمير", "PER")]),
])
def test_person_names_stop_at_verbs_phrases_and_coordination(
        nlp, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(name, label) for _, label, name in found(nlp, text)] == expected


@pytest.mark.parametrize("text,expected", [
    # coordination of two organisations: two candidates, not one
    ("وقعت الهيئة الوطنية للنزاهة والهيئة العليا للاتصال اتفاقية",
     ["الهيئة الوطنية للنزاهة", "الهيئة العليا للاتصال"]),
    # a second ل-phrase (purpose) ends the name
    ("أوفدت المديرية العامة للوقاية المدنية للمشاركة في التمرين",
     ["المديرية العامة للوقاية المدنية"]),
    # ب + place after a definite head: no name is left
    ("استقبله بمقر المديرية العامة بفاس", []),
    # a definite head with descriptive (nationality) adjectives only is no name
    ("تحظى المؤسسة الأمنية المغربية بثقة الشركاء", []),
    # a definite head followed by its object, by a verb, by a quotation
    ("وقالت الشركة إمكاناتها كبيرة", []),
    ("وأكد أن المجلس يصادق على الاتفاق", []),
    ("ومن تطبيقات الشركة «لوحة مفاتيح» الجديدة", []),
    # an indefinite head with a feminine adjective, a generic body of an organisation
    ("أسست شركة ناشئة في الدار البيضاء", []),
    ("اجتمع مجلس الإدارة أمس", []),
    ("وهي عبارة تلخص في نظر هيئة التحرير طبيعة العلاقة", []),
    # a nationality adjective ends an indefinite-head name
    ("أعلنت وزارة التربية التونسية لمواجهة الظاهرة خطة", ["وزارة التربية التونسية"]),
    # a definite head with two naming adjectives, or a ل-phrase
    ("أصدرت المحكمة الجنائية الدولية مذكرة", ["المحكمة الجنائية الدولية"]),
])
def test_organisation_names_stop_at_phrases_and_descriptions(
        nlp, text: str, expected: list[str]) -> None:
    assert [name for _, label, name in found(nlp, text) if label == "ORG"] == expected


def test_tanween_marks_a_common_noun(nlp) -> None:
    # "مرسومًا" (with tanween) is an accusative noun, never a name word
    assert found(nlp, "وأصدر الرئيس مرسومًا يقضي بتجريم الاحتكار") == []


def test_codebook_wins_and_rows_use_pattern_method(nlp) -> None:
    text = "استقبل نظيره المغربي عبد الوافي لفتيت والسفير الإسباني خوان مارتينيث"
    (result,) = list(annotate(nlp, [("d", text)]))
    rows = [(m["text"], m["method"], m["entity_id"]) for m in result.mentions]
    assert rows == [("عبد الوافي لفتيت", "codebook", "abdelouafi_laftit"),
                    ("خوان مارتينيث", "pattern", candidate_id("خوان مارتينيث"))]
    assert not any(m["method"] == "pattern" for m in list(annotate(
        build_pipeline(load_codebook(MINI), discover=False), [("d", text)]))[0].mentions)


def test_candidate_id_is_stable_and_normalised() -> None:
    expected = "cand_" + hashlib.sha1(normalize("صحيفة لوموند").encode()).hexdigest()[:10]
    assert candidate_id("صحيفة لوموند") == expected
    assert candidate_id("صحيفـة لوموند") == expected      # tatweel: same normalised name
    assert candidate_id("صحيفة لوموند").startswith("cand_") and len(expected) == 15


def test_candidate_table_counts_docs_and_example() -> None:
    mentions = pd.DataFrame([
        # doc_id, sent_id, start, text, entity_id, entity_name, label, method
        ("b", 0, 5, "X1", "cand_x", "سمير بوزيان", "PER", "pattern"),
        ("a", 1, 9, "X2", "cand_x", "سمير بوزيان", "PER", "pattern"),
        ("a", 2, 3, "X3", "cand_x", "سمير  بوزيان", "PER", "pattern"),
        ("a", 0, 0, "Y", "cand_y", "صحيفة لوموند", "ORG", "pattern"),
        ("a", 0, 7, "Z", "rabat", "الرباط", "GPE", "codebook"),
    ], columns=["doc_id", "sent_id", "start", "text", "entity_id", "entity_name", "label",
                "method"])
    mentions["end"] = mentions["start"] + 2
    sentences = pd.DataFrame([("a", 0, "جملة أ0"), ("a", 1, "جملة أ1"), ("a", 2, "جملة أ2"),
                              ("b", 0, "جملة ب0")], columns=["doc_id", "sent_id", "text"])
    table = candidate_table(mentions, sentences)
    # cand_x: 3 mentions in 2 docs; first by (doc_id, start) is doc a start 3 -> sentence a/2;
    # most frequent display name "سمير بوزيان" (2 of 3). cand_y: 1 mention in 1 doc.
    assert table.to_dict("records") == [
        {"entity_id": "cand_x", "name": "سمير بوزيان", "label": "PER", "count": 3, "docs": 2,
         "example": "جملة أ2"},
        {"entity_id": "cand_y", "name": "صحيفة لوموند", "label": "ORG", "count": 1, "docs": 1,
         "example": "جملة أ0"},
    ]
    empty = candidate_table(mentions[mentions["method"] == "codebook"], sentences)
    assert list(empty.columns) == ["entity_id", "name", "label", "count", "docs", "example"]
    assert empty.empty
