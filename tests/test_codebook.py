"""Codebook loading, fingerprint and the schema check (one test per error kind)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.codebook import (
    CodebookError,
    alias_key,
    entities_table,
    load_codebook,
    term_words,
    topics_table,
    word_key,
)

MINI = Path(__file__).parent / "fixtures" / "codebook_mini"

GOOD_ENTITY = """\
- id: rabat
  label: GPE
  name_ar: الرباط
  name_en: Rabat
"""
GOOD_TOPIC = """\
- id: terrorism
  label_ar: الإرهاب
  label_en: Terrorism
  terms: [إرهاب*]
"""


def write(folder: Path, entities: str = GOOD_ENTITY, topics: str = GOOD_TOPIC) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.yml").write_text(entities, encoding="utf-8")
    (folder / "topics.yml").write_text(topics, encoding="utf-8")
    return folder


def error_of(folder: Path) -> str:
    with pytest.raises(CodebookError) as info:
        load_codebook(folder)
    return str(info.value)


def test_mini_codebook_loads_with_stable_fingerprint(tmp_path: Path) -> None:
    book = load_codebook(MINI)
    assert [e.id for e in book.entities][:3] == [
        "abdellatif_hammouchi", "gerald_darmanin", "frederic_veaux"]
    hammouchi = book.entities[0]
    assert hammouchi.aliases == ("حموشي",)
    assert hammouchi.wikidata == "Q2824040"
    assert book.entities[2].aliases == () and book.entities[2].wikidata is None
    assert book.topics[0].terms == ("إرهاب*", "داعش")
    assert len(book.fingerprint) == 64
    assert load_codebook(MINI).fingerprint == book.fingerprint
    copy = tmp_path / "copy"
    shutil.copytree(MINI, copy)
    # a comment does not change the content, an added alias does
    text = (copy / "entities.yml").read_text(encoding="utf-8")
    (copy / "entities.yml").write_text("# note\n" + text, encoding="utf-8")
    assert load_codebook(copy).fingerprint == book.fingerprint
    (copy / "entities.yml").write_text(text.replace("[حموشي]", "[حموشي, الحموشي]"), "utf-8")
    assert load_codebook(copy).fingerprint != book.fingerprint


def test_word_and_alias_keys() -> None:
    assert word_key("الرباط") == "رباط"
    assert word_key("للأمن") == "امن"            # لل = ل + ال
    assert word_key("حمـــوشي") == "حموشي"       # tatweel
    assert word_key("بانكي") == "بانكي"          # other proclitics stay: part of the name
    assert alias_key("المديرية العامة للأمن الوطني") == "مديريه عامه امن وطني"
    assert term_words("الجريمة  المنظمة*") == ["الجريمه", "المنظمه*"]


def test_missing_file(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "topics.yml").unlink()
    assert "topics.yml: file not found" in error_of(tmp_path)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    broken = GOOD_ENTITY + "- id: paris\n  label: [GPE\n  name_ar: باريس\n"
    message = error_of(write(tmp_path, entities=broken))
    assert message.startswith("entities.yml: YAML syntax error at line")
    # the unclosed "[" opens on line 6; PyYAML reports where the flow sequence broke (7)
    assert "line 7" in message


def test_not_a_list(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, entities="id: rabat\nlabel: GPE\n"))
    assert "entities.yml: expected a list of records" in message and "dict" in message


def test_empty_file_and_empty_list(tmp_path: Path) -> None:
    assert "got an empty file" in error_of(write(tmp_path / "a", topics=""))
    assert "topics.yml: the list of records is empty" in error_of(write(tmp_path / "b",
                                                                         topics="[]\n"))


def test_record_not_a_mapping(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, entities=GOOD_ENTITY + "- just a string\n"))
    assert message.startswith("entities.yml line 5 (record 2): expected a mapping")


def test_missing_key(tmp_path: Path) -> None:
    bad = GOOD_ENTITY + "- id: paris\n  label: GPE\n  name_ar: باريس\n"
    message = error_of(write(tmp_path, entities=bad))
    assert message == "entities.yml line 5 (record 2, id 'paris'): missing key(s) name_en"


def test_unknown_key(tmp_path: Path) -> None:
    bad = GOOD_ENTITY + "  alias: [رباط]\n"
    assert "unknown key(s) alias" in error_of(write(tmp_path, entities=bad))


def test_duplicate_id(tmp_path: Path) -> None:
    bad = GOOD_ENTITY + GOOD_ENTITY.replace("الرباط", "رباط الفتح")
    message = error_of(write(tmp_path, entities=bad))
    assert "line 5 (record 2, id 'rabat'): duplicate id 'rabat' (first used at line 1)" in message


def test_alias_claimed_by_two_entities(tmp_path: Path) -> None:
    # "رباط" is الرباط without the article: same alias key, so it is ambiguous
    other = "- id: ribat\n  label: LOC\n  name_ar: رباط\n  name_en: Ribat\n"
    message = error_of(write(tmp_path, entities=GOOD_ENTITY + other))
    assert "alias 'رباط' is already claimed by entity 'rabat'" in message
    assert "id 'ribat'" in message


def test_unknown_label(tmp_path: Path) -> None:
    bad = GOOD_ENTITY.replace("label: GPE", "label: CITY")
    assert "unknown label 'CITY'; use one of EVENT, GPE, LOC, MISC, ORG, PER" in error_of(
        write(tmp_path, entities=bad))


def test_bad_wikidata_id(tmp_path: Path) -> None:
    bad = GOOD_ENTITY + "  wikidata: 3551\n"
    assert "wikidata 3551 is not an id like Q1028" in error_of(write(tmp_path, entities=bad))


def test_bad_id_and_alias_types(tmp_path: Path) -> None:
    assert "ascii snake_case" in error_of(write(tmp_path / "a",
                                                entities=GOOD_ENTITY.replace("rabat", "Rabat")))
    bad = GOOD_ENTITY + "  aliases: رباط الفتح\n"
    assert "aliases must be a list" in error_of(write(tmp_path / "b", entities=bad))


def test_topic_term_duplicates(tmp_path: Path) -> None:
    same_topic = GOOD_TOPIC.replace("[إرهاب*]", "[إرهاب*, الإرهاب*]")
    assert "term 'الإرهاب*' duplicates 'إرهاب*' (twice in this topic)" in error_of(
        write(tmp_path / "a", topics=same_topic))
    other = "- id: extremism\n  label_ar: التطرف\n  label_en: Extremism\n  terms: [ارهاب*]\n"
    assert "also in 'terrorism'" in error_of(write(tmp_path / "b", topics=GOOD_TOPIC + other))


def test_topic_empty_terms_and_bad_star(tmp_path: Path) -> None:
    assert "terms is an empty list" in error_of(
        write(tmp_path / "a", topics=GOOD_TOPIC.replace("[إرهاب*]", "[]")))
    assert "'*' may only end a word" in error_of(
        write(tmp_path / "b", topics=GOOD_TOPIC.replace("[إرهاب*]", "[إر*هاب]")))


def test_tables_for_notebooks() -> None:
    book = load_codebook(MINI)
    topics = topics_table(book)
    assert topics.to_dict("records")[0] == {
        "topic_id": "terrorism", "label_ar": "الإرهاب", "label_en": "Terrorism",
        "terms": "إرهاب* | داعش", "n_terms": 2}
    entities = entities_table(book)
    assert len(entities) == 12  # the mini codebook lists 12 entities
    assert entities.iloc[0].to_dict() == {
        "entity_id": "abdellatif_hammouchi", "label": "PER", "name_ar": "عبد اللطيف حموشي",
        "name_en": "Abdellatif Hammouchi", "aliases": "حموشي", "wikidata": "Q2824040"}
    assert entities.iloc[2]["wikidata"] == ""
