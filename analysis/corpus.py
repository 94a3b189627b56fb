"""Read a corpus folder into :class:`RawDocument` objects plus a list of :class:`Problem`.

Article files (recursive, read in order of relative path, then row):

* ``.txt``, ``.html``/``.htm``: one article per file; HTML bodies are extracted by trafilatura;
* ``.json`` (one object or an array of objects), ``.jsonl`` (one object per line), ``.csv``
  (header line; quoted fields may span lines): one article per row.

``doc_id`` is the file's path relative to the folder without its extension (the file stem
for files at the top level); rows use their ``doc_id``/``id`` field (or ``id_field``), else
``<path without extension>:<row number>`` (rows count from 1; ``.jsonl`` rows are line numbers).

Not articles: hidden files/folders, the top-level ``metadata.csv`` and ``corpus.yml``, and
README/LICENSE files (``README*``, ``*_README.md`` ... with .md/.txt/.rst or no extension),
which are skipped silently. Other extensions (.pdf, .docx ...) are skipped with a warning.

``metadata.csv`` (columns ``doc_id,source,published,title,url``, any blank) fills in what
the files do not give; its ``title`` and ``published`` override values found in the files.
``corpus.yml`` holds :class:`CorpusOptions` keys; options passed in code override it.
The folder is only ever opened for reading. Encodings: see :mod:`analysis.formats`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from analysis.formats import (
    DecodeFailure,
    FormatFailure,
    RowItem,
    canonical_json,
    clean_value,
    csv_rows,
    decode_bytes,
    extract_html,
    json_array_rows,
    jsonl_rows,
    parse_metadata_csv,
)

ARTICLE_FORMATS = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".csv": "csv",
}
METADATA_FILE = "metadata.csv"
OPTIONS_FILE = "corpus.yml"
SOURCE_FROM_CHOICES = ("field", "folder", "none")
_DOC_FILE_RE = re.compile(r"(?i)^([\w.-]*[_.-])?(readme|licen[cs]e|copying)(\.(md|txt|rst))?$")


class CorpusError(ValueError):
    """The corpus folder as a whole cannot be read (missing folder, malformed corpus.yml)."""


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (severity "error") or repaired/partly used ("warning")."""

    path: str  # path relative to the corpus folder ("" if none)
    doc_id: str | None
    severity: str  # "error" | "warning"
    message: str  # one line, says what and why


@dataclass
class RawDocument:
    """One article as read from the corpus folder, before cleaning."""

    doc_id: str
    path: str  # relative to the corpus folder
    fmt: str  # txt | html | json | jsonl | csv
    text: str  # decoded text (HTML: body extracted by trafilatura), not yet cleaned
    encoding: str  # utf-8 | utf-8-sig | utf-16 | utf-16-le | utf-16-be | cp1256
    sha256: str  # of the raw bytes of the file (json/csv rows: of the row's canonical JSON)
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # metadata value as given (string), parsed later


@dataclass(frozen=True)
class CorpusOptions:
    """How to map row fields and sources. ``None`` means "not set": corpus.yml, then the default.

    Defaults: ids from ``doc_id`` then ``id``; fields ``text``, ``source``, ``published``,
    ``title``, ``url``; ``source_from="field"`` (the row's source field; ``"folder"``: the
    first sub-folder of the file; ``"none"``: only metadata.csv/``default_source``).
    """

    id_field: str | None = None
    text_field: str | None = None
    source_field: str | None = None
    published_field: str | None = None
    title_field: str | None = None
    url_field: str | None = None
    default_source: str | None = None
    source_from: str | None = None

    def overriding(self, base: CorpusOptions) -> CorpusOptions:
        """Options whose set (non-None) fields come from ``self``, the others from ``base``."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return replace(base, **{name: v for name, v in values.items() if v is not None})


DEFAULT_OPTIONS = CorpusOptions(
    text_field="text",
    source_field="source",
    published_field="published",
    title_field="title",
    url_field="url",
    source_from="field",
)
OPTION_KEYS = tuple(f.name for f in fields(CorpusOptions))


def _validate_options(options: CorpusOptions, where: str) -> None:
    for key in OPTION_KEYS:
        value = getattr(options, key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise CorpusError(f"{where}: option {key!r} must be a non-empty string, got {value!r}")
    if options.source_from is not None and options.source_from not in SOURCE_FROM_CHOICES:
        raise CorpusError(
            f"{where}: source_from must be one of {', '.join(SOURCE_FROM_CHOICES)}, "
            f"got {options.source_from!r}"
        )


def load_corpus_options(folder: Path) -> CorpusOptions:
    """Options from ``folder/corpus.yml`` (all unset if there is none).

    Raises :class:`CorpusError` for malformed YAML, a non-mapping, unknown keys or bad values:
    the whole run depends on these options, so guessing would silently read the wrong fields.
    """
    path = folder / OPTIONS_FILE
    if not path.is_file():
        return CorpusOptions()
    try:
        text = decode_bytes(path.read_bytes()).text
        data = yaml.safe_load(text)
    except DecodeFailure as exc:
        if exc.kind == "empty":
            return CorpusOptions()
        raise CorpusError(f"{OPTIONS_FILE}: {exc.message}") from None
    except yaml.YAMLError as exc:
        detail = str(exc).replace("\n", " ")
        raise CorpusError(f"{OPTIONS_FILE} is not valid YAML: {detail}") from None
    if data is None:
        return CorpusOptions()
    if not isinstance(data, dict):
        raise CorpusError(f"{OPTIONS_FILE} must be a mapping of option: value")
    unknown = sorted(str(key) for key in data if key not in OPTION_KEYS)
    if unknown:
        raise CorpusError(
            f"{OPTIONS_FILE}: unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(OPTION_KEYS)}"
        )
    options = CorpusOptions(**data)
    _validate_options(options, OPTIONS_FILE)
    return options


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_documentation(name: str) -> bool:
    return bool(_DOC_FILE_RE.match(name))


class CorpusReader:
    """Stream the articles of a corpus folder; ``problems`` is filled during iteration.

    Each iteration starts afresh (problems are reset). Problems for metadata.csv rows that
    match no article are added when the iteration has finished.
    """

    def __init__(self, folder: Path, options: CorpusOptions | None = None) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise CorpusError(f"corpus folder not found: {self.folder}")
        explicit = options or CorpusOptions()
        _validate_options(explicit, "options")
        self.options = explicit.overriding(load_corpus_options(self.folder).overriding(
            DEFAULT_OPTIONS
        ))
        self.problems: list[Problem] = []
        self._metadata: dict[str, dict[str, str | None]] = {}
        self._emitted: dict[str, str] = {}  # doc_id -> path it was read from
        self._ids_seen: set[str] = set()  # every doc_id met, read or skipped

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> Iterator[RawDocument]:
        self.problems = []
        self._metadata = self._load_metadata()
        self._emitted = {}
        self._ids_seen = set()
        for rel_path, path in self._files():
            yield from self._read_file(rel_path, path)
        for doc_id in sorted(set(self._metadata) - self._ids_seen):
            self._problem(
                METADATA_FILE, doc_id, "warning",
                f"metadata row for doc_id {doc_id!r} matches no article file or row",
            )

    def _problem(self, path: str, doc_id: str | None, severity: str, message: str) -> None:
        self.problems.append(Problem(path, doc_id, severity, message))

    def _files(self) -> list[tuple[str, Path]]:
        """Article candidates sorted by relative path; warns about unknown extensions."""
        found: list[tuple[str, Path]] = []
        for root, dirs, files in os.walk(self.folder):
            dirs[:] = [name for name in dirs if not name.startswith(".")]  # prune hidden
            for name in files:
                path = Path(root) / name
                if not name.startswith(".") and path.is_file():
                    found.append((path.relative_to(self.folder).as_posix(), path))
        found.sort(key=lambda item: item[0])
        articles: list[tuple[str, Path]] = []
        for rel_path, path in found:
            if rel_path in (METADATA_FILE, OPTIONS_FILE) or _is_documentation(path.name):
                continue
            if path.name in (METADATA_FILE, OPTIONS_FILE):
                self._problem(rel_path, None, "warning",
                              f"ignored: only the top-level {path.name} is read")
            elif path.suffix.lower() not in ARTICLE_FORMATS:
                kind = path.suffix.lower() or "no extension"
                self._problem(rel_path, None, "warning",
                              f"skipped: unknown file type ({kind}); articles must be "
                              ".txt, .html, .htm, .json, .jsonl or .csv")
            else:
                articles.append((rel_path, path))
        return articles

    # ------------------------------------------------------------------ metadata.csv
    def _load_metadata(self) -> dict[str, dict[str, str | None]]:
        path = self.folder / METADATA_FILE
        if not path.is_file():
            return {}
        try:
            text = decode_bytes(path.read_bytes()).text
        except DecodeFailure as exc:
            if exc.kind != "empty":
                self._problem(METADATA_FILE, None, "error", f"metadata.csv ignored: {exc.message}")
            return {}
        metadata, issues = parse_metadata_csv(text)
        for severity, doc_id, message in issues:
            self._problem(METADATA_FILE, doc_id, severity, message)
        return metadata

    # ------------------------------------------------------------------ files and rows
    def _read_file(self, rel_path: str, path: Path) -> Iterator[RawDocument]:
        fmt = ARTICLE_FORMATS[path.suffix.lower()]
        stem_id = rel_path.rsplit(".", 1)[0]
        try:
            with path.open("rb") as handle:  # read-only
                data = handle.read()
            decoded = decode_bytes(data)
        except OSError as exc:
            self._problem(rel_path, None, "error", f"cannot read file: {exc.strerror}")
            return
        except DecodeFailure as exc:
            doc_id = stem_id if fmt in ("txt", "html") else None
            if doc_id is not None:
                self._ids_seen.add(doc_id)
            self._problem(rel_path, doc_id, "error", exc.message)
            return
        if fmt in ("txt", "html"):
            doc = self._single_document(rel_path, fmt, stem_id, decoded.text, decoded.encoding,
                                        _sha256(data))
            if doc is not None:
                yield doc
            return
        try:
            if fmt == "json":
                items: Any = json_array_rows(decoded.text)
            elif fmt == "jsonl":
                items = jsonl_rows(decoded.text)
            else:
                items = csv_rows(decoded.text)
            for item in items:
                doc = self._row_document(rel_path, fmt, stem_id, item, decoded.encoding)
                if doc is not None:
                    yield doc
        except FormatFailure as exc:
            self._problem(rel_path, None, "error", f"file skipped: {exc}")

    def _single_document(self, rel_path: str, fmt: str, doc_id: str, text: str,
                         encoding: str, sha256: str) -> RawDocument | None:
        self._ids_seen.add(doc_id)
        title = published = url = None
        if fmt == "html":
            try:
                article = extract_html(text)
            except Exception as exc:  # a broken page must not stop the run
                self._problem(rel_path, doc_id, "error", f"HTML could not be parsed: {exc!r}")
                return None
            if article is None:
                self._problem(rel_path, doc_id, "error",
                              "no article text: trafilatura extracted no body from the HTML")
                return None
            text, title, published, url = (article.text, article.title, article.published,
                                            article.url)
        if not text.strip():
            self._problem(rel_path, doc_id, "error", "no text: the file holds only whitespace")
            return None
        doc = RawDocument(doc_id, rel_path, fmt, text, encoding, sha256, None, title, url,
                          published)
        return self._finish(doc, row_source=None)

    def _row_document(self, rel_path: str, fmt: str, stem_id: str, item: RowItem,
                      encoding: str) -> RawDocument | None:
        fallback_id = f"{stem_id}:{item.row}"
        if item.error is not None:
            self._problem(rel_path, fallback_id, "error", f"row skipped: {item.error}")
            return None
        row = item.value
        if not isinstance(row, dict):
            self._problem(rel_path, fallback_id, "error",
                          f"row {item.row} skipped: a {type(row).__name__}, not an object")
            return None
        opts = self.options
        id_fields = [opts.id_field] if opts.id_field else ["doc_id", "id"]
        doc_id = next((v for f in id_fields if (v := clean_value(row.get(f))) is not None),
                      fallback_id)
        self._ids_seen.add(doc_id)
        text = row.get(opts.text_field)
        if not isinstance(text, str) or not text.strip():
            what = "is empty" if isinstance(text, str) or text is None else (
                f"is a {type(text).__name__}, not a string")
            if opts.text_field not in row:
                what = "is missing"
            self._problem(rel_path, doc_id, "error",
                          f"row {item.row} skipped: no text (field {opts.text_field!r} {what})")
            return None
        sha256 = _sha256(canonical_json(row).encode("utf-8"))
        doc = RawDocument(
            doc_id, rel_path, fmt, text, encoding, sha256, None,
            title=clean_value(row.get(opts.title_field)),
            url=clean_value(row.get(opts.url_field)),
            published=clean_value(row.get(opts.published_field)),
        )
        row_source = clean_value(row.get(opts.source_field)) if opts.source_from == "field" \
            else None
        return self._finish(doc, row_source)

    def _finish(self, doc: RawDocument, row_source: str | None) -> RawDocument | None:
        """Apply metadata.csv and source rules; reject duplicate doc_ids."""
        first_path = self._emitted.get(doc.doc_id)
        if first_path is not None:
            self._problem(doc.path, doc.doc_id, "error",
                          f"duplicate doc_id {doc.doc_id!r}: already read from {first_path}; "
                          f"this one in {doc.path} is skipped")
            return None
        self._emitted[doc.doc_id] = doc.path
        meta = self._metadata.get(doc.doc_id, {})
        folder_source = None
        if self.options.source_from == "folder" and "/" in doc.path:
            folder_source = doc.path.split("/", 1)[0]
        doc.source = row_source or meta.get("source") or folder_source or \
            self.options.default_source
        doc.title = meta.get("title") or doc.title
        doc.published = meta.get("published") or doc.published
        doc.url = doc.url or meta.get("url")
        return doc


def read_corpus(folder: Path, options: CorpusOptions | None = None
                ) -> tuple[list[RawDocument], list[Problem]]:
    """Read a whole corpus folder into memory (convenience for small corpora and tests)."""
    reader = CorpusReader(folder, options)
    documents = list(reader)
    return documents, list(reader.problems)
