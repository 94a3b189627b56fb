"""Direct and reported quotes, speaker attribution, grouping, cited sources."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.quotes import (
    QUOTE_COLUMNS,
    cited_sources,
    cue_form,
    extract_quotes,
    quote_groups,
    quote_spans,
)

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"
CODEBOOK = Path(__file__).resolve().parents[1] / "data" / "codebook"


def tables(docs: list[tuple[str, str, str]], entities: dict[str, tuple[str, str, str]]):
    """documents, sentences, mentions for (doc_id, source, text) docs.

    One line = one paragraph; sentences end at ". " inside a line. `entities`
    maps a surface string to (entity_id, label, name); every occurrence is a mention.
    """
    documents, sentences, mentions = [], [], []
    for doc_id, source, text in docs:
        documents.append({"doc_id": doc_id, "source": source, "text": text})
        sent_id, offset = 0, 0
        for para_id, line in enumerate(text.split("\n")):
            for match in re.finditer(r"[^.]+(?:\.|$)", line):
                if match.group().strip():
                    sentences.append({"doc_id": doc_id, "para_id": para_id, "sent_id": sent_id,
                                      "start": offset + match.start(),
                                      "end": offset + match.end()})
                    sent_id += 1
            offset += len(line) + 1
        for surface, (entity_id, label, name) in entities.items():
            for match in re.finditer(re.escape(surface), text):
                mentions.append({"doc_id": doc_id, "start": match.start(), "end": match.end(),
                                 "text": surface, "label": label, "entity_id": entity_id,
                                 "entity_name": name})
    mentions_frame = pd.DataFrame(mentions, columns=["doc_id", "start", "end", "text", "label",
                                                     "entity_id", "entity_name"])
    return pd.DataFrame(documents), pd.DataFrame(sentences), mentions_frame


PEOPLE = {
    "عبد الوافي لفتيت": ("laftit", "PER", "عبد الوافي لفتيت"),
    "مصطفى بايتاس": ("baitas", "PER", "مصطفى بايتاس"),
    "نادية فتاح": ("fettah", "PER", "نادية فتاح"),
}


def test_each_quote_mark_style_gives_a_direct_quote_with_its_speaker() -> None:
    text = (
        "قال وزير الداخلية عبد الوافي لفتيت: “إن الحكومة ستواصل دعم الأسر المتضررة”.\n"
        "وأكد الناطق الرسمي باسم الحكومة مصطفى بايتاس أن «الإجراءات الجديدة ستدخل حيز "
        "التنفيذ مطلع الشهر المقبل».\n"
        'وأضافت الوزيرة نادية فتاح "سنعمل على تبسيط المساطر الإدارية" خلال ندوة صحفية.'
    )
    quotes = extract_quotes(*tables([("d1", "hespress", text)], PEOPLE))
    assert list(quotes.columns) == QUOTE_COLUMNS
    assert quotes["kind"].tolist() == ["direct"] * 3
    for inner in ("إن الحكومة ستواصل دعم الأسر المتضررة",
                  "الإجراءات الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل",
                  "سنعمل على تبسيط المساطر الإدارية"):
        row = quotes[quotes["quote"] == inner].iloc[0]
        assert (row["start"], row["end"]) == (text.index(inner), text.index(inner) + len(inner))
    assert quotes["speaker_id"].tolist() == ["laftit", "baitas", "fettah"]
    assert quotes["cue"].tolist() == ["قال", "اكد", "اضافت"]  # clitic و removed, normalised


def test_quote_marks_pair_inside_a_paragraph_and_tolerate_a_wrong_closing_mark() -> None:
    text = 'وصف “الدور الريادي“ و«نص آخر» و"بلا إغلاق\nسطر جديد" و"نص ثالث"'
    newline = text.index("\n")
    spans = quote_spans(text, [(0, newline), (newline + 1, len(text))])
    found = [text[s:e] for s, e in spans]
    # “…“ is closed by the second opening mark; the straight quote of line 1 has no
    # partner in its paragraph, so it is dropped; line 2 pairs its two straight quotes
    assert found == ["الدور الريادي", "نص آخر", " و"]


def test_a_quote_spanning_two_sentences_and_a_participle_cue() -> None:
    text = ("وقال رئيس الجمعية سعيد بنعلي: “لقد طالبنا بفتح تحقيق عاجل. ولم نتلق أي رد حتى "
            "الآن”، مضيفا أن الساكنة ستنظم وقفة احتجاجية.")
    quotes = extract_quotes(*tables([("d1", "alyaoum24", text)],
                                    {"سعيد بنعلي": ("benali", "PER", "سعيد بنعلي")}))
    direct = quotes[quotes["kind"] == "direct"].iloc[0]
    assert direct["quote"] == "لقد طالبنا بفتح تحقيق عاجل. ولم نتلق أي رد حتى الآن"
    assert direct["speaker_id"] == "benali" and direct["sent_id"] == 0
    reported = quotes[quotes["kind"] == "reported"].iloc[0]
    assert reported["quote"] == "الساكنة ستنظم وقفة احتجاجية"
    # مضيفا has no finite cue in its sentence: the paragraph's previous speaker
    assert (reported["cue"], reported["speaker_id"]) == ("مضيفا", "benali")


def test_attribution_to_the_nearest_preceding_speaker_without_a_cue() -> None:
    text = ("استقبل عامل إقليم الحسيمة فريد شوراق ممثلي التجار المتضررين. وجاء في كلمته: "
            "“لن نترك أي متضرر دون تعويض منصف”.")
    quotes = extract_quotes(*tables([("d1", "le360", text)],
                                    {"فريد شوراق": ("chourak", "PER", "فريد شوراق")}))
    assert quotes[["kind", "cue", "speaker_id"]].values.tolist() == [["direct", "", "chourak"]]


def test_a_role_phrase_is_resolved_to_the_person_introduced_with_that_role() -> None:
    text = ("أجرى وزير الخارجية الإسباني خوسيه مانويل ألباريس مباحثات مع نظيره ناصر بوريطة. "
            "وقال الوزير الإسباني إن “العلاقات بين البلدين تعيش أفضل مراحلها”.")
    people = {"خوسيه مانويل ألباريس": ("albares", "PER", "خوسيه مانويل ألباريس"),
              "ناصر بوريطة": ("bourita", "PER", "ناصر بوريطة")}
    quotes = extract_quotes(*tables([("d1", "hespress", text)], people))
    # Bourita is the nearest person, but "الوزير الإسباني" matches the words before Albares
    assert quotes[["kind", "speaker_id"]].values.tolist() == [["direct", "albares"]]


def test_a_magazine_is_the_speaker_and_its_quoted_name_is_not_a_quote() -> None:
    text = ("وكتبت مجلة “جون أفريك” أن “الرباط أصبحت شريكا لا غنى عنه في مكافحة الإرهاب "
            "بمنطقة الساحل”.")
    quotes = extract_quotes(*tables([("d1", "hespress", text)],
                                    {"جون أفريك": ("jeune_afrique", "ORG", "جون أفريك")}))
    assert quotes[["kind", "cue", "speaker_id", "speaker_name"]].values.tolist() == [
        ["direct", "كتبت", "jeune_afrique", "جون أفريك"]]
    assert quotes["quote"].iloc[0].startswith("الرباط أصبحت")


def test_the_same_quote_in_two_outlets_is_one_group() -> None:
    quote_1 = ("سنواصل العمل من أجل تحسين ظروف عيش المواطنين في العالم القروي وتقريب الخدمات "
               "الصحية والتعليمية من الأسر")
    quote_2 = quote_1.replace("من الأسر", "من العائلات")
    other = "لا نية لدينا لرفع أسعار المحروقات خلال هذه السنة"
    docs = [("a", "hespress", f"وقال رئيس الحكومة عزيز أخنوش: “{quote_1}”."),
            ("b", "le360", f"وأكد عزيز أخنوش أن “{quote_2}”."),
            ("c", "le360", f"وقال عزيز أخنوش: “{other}”.")]
    quotes = extract_quotes(*tables(docs, {"عزيز أخنوش": ("akhannouch", "PER", "عزيز أخنوش")}))
    # 17 words each, 15 trigrams each; the last word differs, so 14 are shared:
    # Jaccard = 14 / (15 + 15 - 14) = 14 / 16 = 0.875 >= 0.6
    groups = dict(zip(quotes["doc_id"], quotes["group_id"], strict=True))
    assert groups["a"] == groups["b"] != groups["c"]
    assert (quotes["speaker_id"] == "akhannouch").all()
    assert quote_groups(pd.Series([quote_1, quote_2, other])) == [0, 0, 1]


def test_cue_forms_drop_conjunctions() -> None:
    assert [cue_form(w) for w in ("وقال", "فقالت", "واكد", "قائلا", "والي")] == [
        "قال", "قالت", "اكد", "", ""]
    assert cue_form("قايلا") == "قايلا"


def test_cited_sources_are_found_and_linked_to_entities() -> None:
    text = ("أوردت وكالة الأنباء الفرنسية خبر الاجتماع.\n"
            "وحسب بلاغ صادر عن المديرية العامة للأمن الوطني، فقد تم توقيف المشتبه فيه بمدينة فاس. "
            "ونقلا عن مصادر مطلعة، فإن التحقيق ما زال جاريا. وأضافت الوكالة الفرنسية أن "
            "الاجتماع دام ساعتين.")
    entities = {"المديرية العامة للأمن الوطني": ("dgsn", "ORG", "المديرية العامة للأمن الوطني"),
                "وكالة الأنباء الفرنسية": ("afp", "ORG", "وكالة الأنباء الفرنسية")}
    cited = cited_sources(*tables([("d1", "hespress", text)], entities))
    assert cited["cue"].tolist() == ["وكاله", "حسب", "نقلا عن", "وكاله"]
    assert cited["cited_text"].tolist() == [
        "وكالة الأنباء الفرنسية خبر الاجتماع", "بلاغ صادر عن المديرية العامة للأمن الوطني",
        "مصادر مطلعة", "الوكالة الفرنسية أن الاجتماع دام ساعتين"]
    assert cited["cited_id"].fillna("").tolist() == ["afp", "dgsn", "", "afp"]
    assert cited["sent_id"].tolist() == [0, 1, 2, 3]


def test_seed_quotes_are_attributed_to_the_minister_and_the_magazine() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seed corpus not available at {SEEDS}")
    cleaning = pytest.importorskip("analysis.cleaning", reason="analysis.cleaning not importable")
    nlp = pytest.importorskip("analysis.nlp", reason="entity pipeline analysis.nlp not importable")
    codebook = pytest.importorskip("analysis.codebook", reason="analysis.codebook not importable")
    if not (CODEBOOK / "entities.yml").exists():
        pytest.skip("data/codebook/entities.yml not written yet")
    pipeline = nlp.build_pipeline(codebook.load_codebook(CODEBOOK))
    docs = [(p.stem[:3], cleaning.clean_text(p.read_text(encoding="utf-8")).text)
            for p in sorted(SEEDS.glob("*.txt"))]
    sentences, mentions = [], []
    for annotated in nlp.annotate(pipeline, docs):
        sentences.extend(annotated.sentences)
        mentions.extend(annotated.mentions)
    documents = pd.DataFrame([{"doc_id": d, "source": d, "text": t} for d, t in docs])
    quotes = extract_quotes(documents, pd.DataFrame(sentences), pd.DataFrame(mentions))
    direct = quotes[quotes["kind"] == "direct"]
    # the minister's quotes carried by both 000 and 001 (same group in both articles)
    shared = set(direct.loc[direct["doc_id"] == "000", "group_id"]) & set(
        direct.loc[direct["doc_id"] == "001", "group_id"])
    assert len(shared) >= 2
    carried = direct[direct["group_id"].isin(shared)]
    assert set(carried["doc_id"]) == {"000", "001"}
    assert (carried["speaker_id"] == "gerald_darmanin").all()
    # every direct quote introduced by قال in 000 is his too
    said = direct[(direct["doc_id"] == "000") & (direct["cue"] == "قال")]
    assert len(said) >= 2 and (said["speaker_id"] == "gerald_darmanin").all()
    # the magazine's quotes in 003 (cue كتبت) are attributed to it
    written = direct[(direct["doc_id"] == "003") & (direct["cue"] == "كتبت")]
    assert len(written) == 1 and written["speaker_id"].iloc[0] == "jeune_afrique"
