"""Load and validate the researcher's codebook (``entities.yml`` + ``topics.yml``).

The codebook is hand-edited YAML, so every mistake gets a message that names the file,
the line and the record, and says what to change.  Aliases are compared on their
*alias key* (normalised form, article stripped from every word): two entities may not
claim the same key, because the matcher could not tell them apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis.arabic import normalize, strip_article

__all__ = [
    "LABELS",
    "Codebook",
    "CodebookError",
    "Entity",
    "Topic",
    "alias_key",
    "entities_table",
    "load_codebook",
    "term_words",
    "topics_table",
    "word_key",
]

LABELS: frozenset[str] = frozenset({"PER", "ORG", "GPE", "LOC", "EVENT", "MISC"})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
_WORD_SPLIT_RE = re.compile(r"[^\w*]+")
_ENTITY_KEYS = {"id", "label", "name_ar", "name_en", "aliases", "wikidata"}
_ENTITY_REQUIRED = ("id", "label", "name_ar", "name_en")
_TOPIC_KEYS = {"id", "label_ar", "label_en", "terms"}
_TOPIC_REQUIRED = ("id", "label_ar", "label_en", "terms")


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...]
    wikidata: str | None


@dataclass(frozen=True)
class Topic:
    id: str
    label_ar: str
    label_en: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    entities: tuple[Entity, ...]
    topics: tuple[Topic, ...]
    fingerprint: str


class CodebookError(ValueError):
    """A malformed codebook; the message names the file, line and record."""


def word_key(word: str) -> str:
    """Matching key of one word of a name: normalised, article stripped, لل read as ل+ال.

    ``الرباط`` -> ``رباط``, ``للأمن`` -> ``امن``, ``حمـــوشي`` -> ``حموشي``.  Other
    proclitics are kept: they may belong to the name (``بانكي``).
    """
    form = normalize(word)
    if form.startswith("لل") and len(form) >= 4:
        return form[2:]
    return strip_article(form)


def alias_key(text: str) -> str:
    """Comparison key of a name: the :func:`word_key` of each word, space-joined.

    ``المديرية العامة للأمن الوطني`` and ``مديرية عامة الامن وطني`` share a key; used to
    detect an alias claimed by two entities.
    """
    words = _WORD_SPLIT_RE.split(normalize(text).replace("_", " "))
    return " ".join(word_key(word) for word in words if word)


def term_words(term: str) -> list[str]:
    """Normalised words of a topic term; a trailing ``*`` stays on its word."""
    return [word for word in _WORD_SPLIT_RE.split(normalize(term).replace("_", " ")) if word]


def load_codebook(folder: Path) -> Codebook:
    """Read ``entities.yml`` and ``topics.yml`` from ``folder`` and validate them."""
    folder = Path(folder)
    entity_records = _read_records(folder / "entities.yml")
    topic_records = _read_records(folder / "topics.yml")
    entities = _check_entities(entity_records)
    topics = _check_topics(topic_records)
    canonical = json.dumps(
        {"entities": [asdict(e) for e in entities], "topics": [asdict(t) for t in topics]},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    fingerprint = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return Codebook(entities=entities, topics=topics, fingerprint=fingerprint)


def entities_table(codebook: Codebook) -> pd.DataFrame:
    """One row per entity (codebook order): entity_id, label, name_ar, name_en, aliases
    (joined with " | "), wikidata ("" if none) -- for notebooks and label look-ups."""
    rows = [{"entity_id": e.id, "label": e.label, "name_ar": e.name_ar, "name_en": e.name_en,
             "aliases": " | ".join(e.aliases), "wikidata": e.wikidata or ""}
            for e in codebook.entities]
    return pd.DataFrame(rows, columns=["entity_id", "label", "name_ar", "name_en", "aliases",
                                       "wikidata"])


def topics_table(codebook: Codebook) -> pd.DataFrame:
    """One row per topic (codebook order): topic_id, label_ar, label_en, terms (" | "),
    n_terms."""
    rows = [{"topic_id": t.id, "label_ar": t.label_ar, "label_en": t.label_en,
             "terms": " | ".join(t.terms), "n_terms": len(t.terms)} for t in codebook.topics]
    return pd.DataFrame(rows, columns=["topic_id", "label_ar", "label_en", "terms", "n_terms"])


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

_Record = tuple[str, int, int, dict[str, Any]]  # file name, line, 1-based index, mapping


def _read_records(path: Path) -> list[_Record]:
    """Parse one YAML file into (file, line, index, mapping) records, or raise."""
    name = path.name
    if not path.is_file():
        raise CodebookError(f"{name}: file not found in codebook folder {path.parent}")
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"{name}: YAML syntax error{where}: {problem}") from exc
    if not isinstance(data, list):
        kind = "an empty file" if data is None else f"a {type(data).__name__}"
        raise CodebookError(f"{name}: expected a list of records (- id: ...), got {kind}")
    if not data:
        raise CodebookError(f"{name}: the list of records is empty")
    records: list[_Record] = []
    for index, (item, item_node) in enumerate(zip(data, node.value, strict=True), start=1):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            raise CodebookError(
                f"{name} line {line} (record {index}): expected a mapping with keys, "
                f"got {type(item).__name__}"
            )
        records.append((name, line, index, item))
    return records


def _where(record: _Record) -> str:
    name, line, index, item = record
    ident = item.get("id")
    label = f", id {ident!r}" if isinstance(ident, str) else ""
    return f"{name} line {line} (record {index}{label})"


def _check_keys(record: _Record, allowed: set[str], required: tuple[str, ...]) -> None:
    item = record[3]
    missing = [key for key in required if key not in item]
    if missing:
        raise CodebookError(f"{_where(record)}: missing key(s) {', '.join(missing)}")
    unknown = sorted(str(key) for key in item if key not in allowed)
    if unknown:
        raise CodebookError(
            f"{_where(record)}: unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def _text(record: _Record, key: str) -> str:
    value = record[3].get(key)
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"{_where(record)}: {key} must be a non-empty string")
    return value.strip()


def _text_list(record: _Record, key: str, *, allow_empty: bool) -> tuple[str, ...]:
    value = record[3].get(key)
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list):
        raise CodebookError(f"{_where(record)}: {key} must be a list, e.g. [a, b]")
    if not value and not allow_empty:
        raise CodebookError(f"{_where(record)}: {key} is an empty list")
    items = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise CodebookError(f"{_where(record)}: {key} holds {item!r}, not a non-empty string")
        items.append(item.strip())
    return tuple(dict.fromkeys(items))


def _check_id(record: _Record, seen: dict[str, _Record]) -> str:
    ident = record[3].get("id")
    if not isinstance(ident, str) or not _ID_RE.match(ident):
        raise CodebookError(f"{_where(record)}: id {ident!r} must be ascii snake_case")
    if ident in seen:
        raise CodebookError(
            f"{_where(record)}: duplicate id {ident!r} (first used at line {seen[ident][1]})"
        )
    seen[ident] = record
    return ident


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _check_entities(records: list[_Record]) -> tuple[Entity, ...]:
    seen_ids: dict[str, _Record] = {}
    key_owner: dict[str, tuple[str, str]] = {}  # alias key -> (entity id, surface form)
    entities = []
    for record in records:
        _check_keys(record, _ENTITY_KEYS, _ENTITY_REQUIRED)
        ident = _check_id(record, seen_ids)
        label = record[3].get("label")
        if label not in LABELS:
            raise CodebookError(
                f"{_where(record)}: unknown label {label!r}; use one of {', '.join(sorted(LABELS))}"
            )
        name_ar = _text(record, "name_ar")
        name_en = _text(record, "name_en")
        aliases = _text_list(record, "aliases", allow_empty=True)
        wikidata = record[3].get("wikidata")
        bad_wikidata = not isinstance(wikidata, str) or not _WIKIDATA_RE.match(wikidata)
        if wikidata is not None and bad_wikidata:
            raise CodebookError(f"{_where(record)}: wikidata {wikidata!r} is not an id like Q1028")
        for form in (name_ar, *aliases):
            key = alias_key(form)
            if not key:
                raise CodebookError(f"{_where(record)}: alias {form!r} has no letters")
            owner = key_owner.get(key)
            if owner is not None and owner[0] != ident:
                raise CodebookError(
                    f"{_where(record)}: alias {form!r} is already claimed by entity "
                    f"{owner[0]!r} (as {owner[1]!r}); the matcher cannot tell them apart"
                )
            key_owner[key] = (ident, form)
        entities.append(Entity(ident, label, name_ar, name_en, aliases, wikidata))
    return tuple(entities)


def _check_topics(records: list[_Record]) -> tuple[Topic, ...]:
    seen_ids: dict[str, _Record] = {}
    term_owner: dict[str, tuple[str, str]] = {}
    topics = []
    for record in records:
        _check_keys(record, _TOPIC_KEYS, _TOPIC_REQUIRED)
        ident = _check_id(record, seen_ids)
        label_ar = _text(record, "label_ar")
        label_en = _text(record, "label_en")
        terms = _text_list(record, "terms", allow_empty=False)
        for term in terms:
            words = term_words(term)
            bad = [w for w in words if "*" in w.rstrip("*") or len(w.rstrip("*")) < 2]
            if not words or bad:
                raise CodebookError(
                    f"{_where(record)}: term {term!r}: every word needs >= 2 letters and "
                    "'*' may only end a word"
                )
            key = " ".join(strip_article(w) for w in words)
            owner = term_owner.get(key)
            if owner is not None:
                where = "twice in this topic" if owner[0] == ident else f"also in {owner[0]!r}"
                raise CodebookError(
                    f"{_where(record)}: term {term!r} duplicates {owner[1]!r} ({where})"
                )
            term_owner[key] = (ident, term)
        topics.append(Topic(ident, label_ar, label_en, terms))
    return tuple(topics)
