"""Checks on the shipped codebook data (data/codebook/entities.yml and topics.yml).

These tests validate the *data* a researcher edits, independently of the loader in
``analysis/codebook.py``: counts, required keys, labels, unique ids, no surface form or
topic term claimed twice, Wikidata id shape.  They use their own small normaliser so a
broken data file is caught even while the loader is being changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

CODEBOOK_DIR = Path(__file__).resolve().parents[1] / "data" / "codebook"

ENTITY_KEYS_REQUIRED = {"id", "label", "name_ar", "name_en", "aliases"}
ENTITY_KEYS_ALLOWED = ENTITY_KEYS_REQUIRED | {"wikidata"}
TOPIC_KEYS = {"id", "label_ar", "label_en", "terms"}
LABELS = {"PER", "ORG", "GPE", "LOC", "EVENT", "MISC"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
WIKIDATA_RE = re.compile(r"^Q\d+$")
ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a]")

# Ordinary words that must never be an alias on their own (titles, common nouns).
GENERIC_WORDS = {
    "الرئيس", "الوزير", "الملك", "المدير", "السفير", "الحكومة", "الشرطة", "الامن",
    "الساحل", "المتوسط", "البيضاء", "القاعده", "الصحراء", "كان", "المملكه", "السفاره",
    "الفرقه الوطنيه", "النيابه العامه", "الداخليه",
}

_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ى": "ي", "ی": "ي",
    "ڤ": "ف", "گ": "ك", "ک": "ك", "-": " ",
    **{chr(0x0660 + d): str(d) for d in range(10)},
})


def matching_key(text: str) -> str:
    """Simple matching form: no tatweel/diacritics, one alef, ؤ->و, ئ->ي, ة->ه, ى->ي, no ال.

    The article ال is dropped from the start of every word when at least two letters
    remain, so "الدار البيضاء" and "دار بيضاء" compare equal.
    """
    folded = _DIACRITICS_RE.sub("", text).translate(_LETTERS).casefold()
    words = []
    for word in folded.split():
        if word.startswith("ال") and len(word) >= 4:
            word = word[2:]
        words.append(word)
    return " ".join(words)


def surface_keys(record: dict) -> set[str]:
    """Matching forms of an entity's Arabic display name and aliases."""
    return {matching_key(form) for form in [record["name_ar"], *record["aliases"]]}


def _load(name: str) -> list[dict]:
    with (CODEBOOK_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, list), f"{name} must be a YAML list of records"
    return data


@pytest.fixture(scope="module")
def entities() -> list[dict]:
    return _load("entities.yml")


@pytest.fixture(scope="module")
def topics() -> list[dict]:
    return _load("topics.yml")


def test_matching_key_folds_spelling_variants() -> None:
    # "الإرهابـيّة": tatweel and shadda removed -> الإرهابية; إ -> ا; ة -> ه; article
    # dropped -> "ارهابيه".
    assert matching_key("الإرهابـيّة") == "ارهابيه"
    # every word loses its article; ڤ -> ف; hyphen splits words.
    assert matching_key("الدار البيضاء") == "دار بيضاء"
    assert matching_key("ڤو") == matching_key("فو") == "فو"
    assert matching_key("دوبون-موريتي") == "دوبون موريتي"
    # "الى" keeps its article-like start (only 3 letters) but ى -> ي: "الي".
    assert matching_key("الى") == "الي"
    # Arabic-Indic digits and Latin case: "فرانس ٢٤" == "فرانس 24"; "DGSN" -> "dgsn".
    assert matching_key("فرانس ٢٤") == matching_key("فرانس 24")
    assert matching_key("DGSN") == "dgsn"


# ---------------------------------------------------------------- entities


def test_entity_count(entities: list[dict]) -> None:
    assert len(entities) >= 70


def test_entity_records_have_required_keys_and_types(entities: list[dict]) -> None:
    for record in entities:
        keys = set(record)
        missing, unknown = ENTITY_KEYS_REQUIRED - keys, keys - ENTITY_KEYS_ALLOWED
        assert not missing, f"{record.get('id')}: missing keys {sorted(missing)}"
        assert not unknown, f"{record['id']}: unknown keys {sorted(unknown)}"
        assert ID_RE.match(str(record["id"])), f"bad id {record['id']!r}"
        for field in ("name_ar", "name_en"):
            assert isinstance(record[field], str) and record[field].strip(), (record["id"], field)
        assert ARABIC_LETTER_RE.search(record["name_ar"]), f"{record['id']}: name_ar not Arabic"
        aliases = record["aliases"]
        assert isinstance(aliases, list), f"{record['id']}: aliases must be a list"
        for alias in aliases:
            assert isinstance(alias, str) and alias.strip(), f"{record['id']}: empty alias"
            assert alias == alias.strip(), f"{record['id']}: alias with outer spaces {alias!r}"


def test_entity_labels_are_allowed(entities: list[dict]) -> None:
    bad = {record["id"]: record["label"] for record in entities if record["label"] not in LABELS}
    assert not bad


def test_entity_ids_are_unique(entities: list[dict]) -> None:
    ids = [record["id"] for record in entities]
    duplicates = sorted({entity_id for entity_id in ids if ids.count(entity_id) > 1})
    assert not duplicates


def test_no_surface_form_belongs_to_two_entities(entities: list[dict]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for record in entities:
        for key in surface_keys(record):
            owners[key].add(record["id"])
    shared = {form: sorted(ids) for form, ids in owners.items() if len(ids) > 1}
    assert not shared, f"surface forms claimed by several entities: {shared}"


# Proclitic combinations (conjunction and/or preposition, optionally + article).
_PROCLITICS = sorted(
    {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")}
    - {"", "ال"},  # the bare article is stripped from alias words too, so it never shadows
    key=len,
)
# Alias words whose attached preposition is part of an official name and cannot be
# written otherwise (المديرية العامة لمراقبة التراب الوطني, وزارة أوروبا والشؤون الخارجية).
INHERENT_PROCLITIC_WORDS = {"لمراقبه", "ومراقبه", "لمكافحه", "لحرس", "لتنظيم", "والشوون"}


def test_alias_words_do_not_carry_optional_proclitics(entities: list[dict]) -> None:
    # An alias word written with an attached preposition (بالرباط) becomes a word form of
    # its own, and the text word بالرباط is then read as that form instead of as الرباط:
    # Rabat would be missed.  Aliases therefore use "في الرباط", not "بالرباط".
    words = {w for record in entities for key in surface_keys(record) for w in key.split()}
    offenders = set()
    for word in words - INHERENT_PROCLITIC_WORDS:
        for prefix in _PROCLITICS:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 2 and matching_key(rest) in words:
                offenders.add((word, matching_key(rest)))
    assert not offenders, sorted(offenders)


def test_no_alias_is_a_generic_word(entities: list[dict]) -> None:
    generic = {matching_key(word) for word in GENERIC_WORDS}
    offenders = {record["id"]: surface_keys(record) & generic for record in entities}
    offenders = {entity_id: keys for entity_id, keys in offenders.items() if keys}
    assert not offenders


def test_wikidata_ids_are_well_formed_and_unique(entities: list[dict]) -> None:
    qids = [record["wikidata"] for record in entities if "wikidata" in record]
    assert qids, "expected at least some Wikidata ids"
    assert all(isinstance(q, str) and WIKIDATA_RE.match(q) for q in qids), qids
    assert len(qids) == len(set(qids))


def test_paris_is_only_the_city(entities: list[dict]) -> None:
    owners = [record["id"] for record in entities if matching_key("باريس") in surface_keys(record)]
    assert owners == ["paris"]


def test_core_actors_of_the_demo_domain_are_present(entities: list[dict]) -> None:
    by_id = {record["id"]: record for record in entities}
    expected = {
        "abdellatif_hammouchi": "PER", "gerald_darmanin": "PER", "bruno_retailleau": "PER",
        "frederic_veaux": "PER", "nicolas_lerner": "PER", "felix_bingui": "PER",
        "dgsn": "ORG", "dgst": "ORG", "bcij": "ORG", "dgpn": "ORG", "dgsi": "ORG",
        "interpol": "ORG", "europol": "ORG", "isis": "ORG", "morocco": "GPE",
        "france": "GPE", "sahara": "LOC", "paris_2024_olympics": "EVENT",
        "legion_of_honour": "MISC", "pegasus": "MISC",
    }
    found = {entity_id: by_id[entity_id]["label"] for entity_id in expected if entity_id in by_id}
    assert found == expected
    assert {matching_key("الصحراء المغربية"), matching_key("الصحراء الغربية")} <= surface_keys(
        by_id["sahara"]
    )


# ---------------------------------------------------------------- topics


def test_topic_count_and_required_ids(topics: list[dict]) -> None:
    assert len(topics) >= 12
    required = {
        "terrorism", "drug_trafficking", "irregular_migration", "cybercrime",
        "organised_crime", "major_event_security", "intelligence_sharing",
        "training_technical_assistance", "visas_consular", "diplomatic_tension",
        "honours_decorations", "arrests_extradition",
    }
    assert required <= {topic["id"] for topic in topics}


def test_topic_records_have_required_keys(topics: list[dict]) -> None:
    for topic in topics:
        assert set(topic) == TOPIC_KEYS, f"{topic.get('id')}: keys {sorted(topic)}"
        assert ID_RE.match(str(topic["id"])), topic["id"]
        assert ARABIC_LETTER_RE.search(topic["label_ar"]), topic["id"]
        assert isinstance(topic["label_en"], str) and topic["label_en"].strip()
        assert isinstance(topic["terms"], list) and len(topic["terms"]) >= 8, topic["id"]
        assert all(isinstance(term, str) and term.strip() for term in topic["terms"])


def test_topic_ids_are_unique(topics: list[dict]) -> None:
    ids = [topic["id"] for topic in topics]
    assert len(ids) == len(set(ids))


def test_prefix_terms_are_single_specific_words(topics: list[dict]) -> None:
    for topic in topics:
        for term in topic["terms"]:
            if "*" not in term:
                continue
            stem = term[:-1]
            assert term.endswith("*") and "*" not in stem, f"{topic['id']}: {term!r}"
            assert " " not in stem, f"{topic['id']}: prefix term must be one word: {term!r}"
            # three letters at least, counted on the matching form (article dropped)
            assert len(matching_key(stem)) >= 3, f"{topic['id']}: prefix too short: {term!r}"


def test_no_term_is_listed_twice(topics: list[dict]) -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for topic in topics:
        for term in topic["terms"]:
            owners[matching_key(term)].append(topic["id"])
    repeated = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert not repeated, f"terms listed twice (same or different topics): {repeated}"


def test_prefix_terms_do_not_capture_other_topics_words(topics: list[dict]) -> None:
    # A stem like "مخدر*" in one topic must not swallow a word of another topic's term.
    words_by_topic = {
        topic["id"]: {w for term in topic["terms"] for w in matching_key(term.rstrip("*")).split()}
        for topic in topics
    }
    clashes = []
    for topic in topics:
        for term in topic["terms"]:
            if not term.endswith("*"):
                continue
            stem = matching_key(term[:-1])
            for other_id, words in words_by_topic.items():
                if other_id == topic["id"]:
                    continue
                clashes += [(topic["id"], term, other_id, w) for w in words if w.startswith(stem)]
    assert not clashes, clashes
