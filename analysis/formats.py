"""Byte decoding and per-format parsing for corpus files (used by ``analysis.corpus``).

Decoding order (first match wins), see :func:`decode_bytes`:

1. empty input -> :class:`DecodeFailure` ``empty``;
2. a byte-order mark: UTF-8 (``utf-8-sig``) or UTF-16 LE/BE (``utf-16``), decoded strictly;
3. NUL bytes without a BOM: UTF-16 LE/BE without BOM if the decoded text looks like
   Arabic/Latin text (``utf-16-le`` / ``utf-16-be``), else ``binary``;
4. strict UTF-8 (``utf-8``);
5. bytes that are *mostly* valid UTF-8 with a few broken sequences -> ``undecodable``
   (decoding them as Windows-1256 would give Arabic-looking mojibake);
6. Windows-1256 (``cp1256``) if the decoded letters are mostly Arabic and there are no
   control characters. Charset detection on short Arabic text is unreliable, hence this
   explicit test before any guessing;
7. charset-normalizer restricted to cp1256 / UTF-16 LE / UTF-16 BE; nothing -> ``undecodable``.

Decoded text with >= 10 % control or replacement characters is ``binary``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from analysis.arabic import arabic_ratio

BINARY_CONTROL_SHARE = 0.10
ARABIC_MAJORITY = 0.5

_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_EXPECTED_CHAR_RE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u0600-\u06ff\u200c-\u200f\u2013-\u201d]"
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the name of the encoding that produced it."""

    text: str
    encoding: str


class DecodeFailure(Exception):
    """Bytes that cannot be used as article text; ``kind`` is empty | binary | undecodable."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class FormatFailure(Exception):
    """A whole file that cannot be parsed (malformed JSON, CSV without a header...)."""


@dataclass(frozen=True)
class RowItem:
    """One record of a multi-article file: the parsed ``value``, or ``error`` saying why not."""

    row: int
    value: Any
    error: str | None = None


def control_share(text: str) -> float:
    """Share of characters that are control or replacement characters (tab/newlines excluded)."""
    if not text:
        return 0.0
    return len(_CONTROL_RE.findall(text)) / len(text)


def _expected_share(text: str) -> float:
    """Share of characters that plausibly occur in Arabic/Latin news text."""
    if not text:
        return 0.0
    return len(_EXPECTED_CHAR_RE.findall(text)) / len(text)


def _check_not_binary(decoded: Decoded) -> Decoded:
    share = control_share(decoded.text)
    if share >= BINARY_CONTROL_SHARE:
        raise DecodeFailure(
            "binary",
            f"binary file: {share:.0%} of the characters decoded as {decoded.encoding} "
            "are control or replacement characters",
        )
    return decoded


def _sniff_utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without BOM: pick LE/BE whose strict decoding looks like text, else None."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _expected_share(text)
        if control_share(text) < 0.01 and score >= 0.9 and (best is None or score > best[0]):
            best = (score, codec, text)
    return None if best is None else Decoded(best[2], best[1])


def _mostly_utf8(data: bytes) -> tuple[bool, int, int]:
    """Is ``data`` UTF-8 with a few broken sequences? Returns (verdict, n_invalid, first_offset)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_offset = exc.start
    else:
        return False, 0, -1
    text = data.decode("utf-8", errors="replace")
    n_invalid = text.count("\ufffd")
    n_valid_multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return n_valid_multibyte >= 2 * n_invalid, n_invalid, first_offset


def decode_bytes(data: bytes) -> Decoded:
    """Decode a corpus file's bytes (see the module docstring for the order of attempts).

    Raises :class:`DecodeFailure` for empty, binary and undecodable input.
    """
    if not data:
        raise DecodeFailure("empty", "empty file (0 bytes)")
    bom_codecs = (
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
    )
    for bom, codec, name in bom_codecs:
        if data.startswith(bom):
            try:
                return _check_not_binary(Decoded(data.decode(codec), name))
            except UnicodeDecodeError as exc:
                raise DecodeFailure(
                    "undecodable",
                    f"undecodable: starts with a {name} byte-order mark but byte {exc.start} "
                    f"is not valid {name}",
                ) from None
    if b"\x00" in data:
        utf16 = _sniff_utf16_without_bom(data)
        if utf16 is None:
            raise DecodeFailure("binary", "binary file: contains NUL bytes and is not UTF-16 text")
        return utf16
    try:
        return _check_not_binary(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    broken_utf8, n_invalid, first_offset = _mostly_utf8(data)
    if broken_utf8:
        raise DecodeFailure(
            "undecodable",
            f"undecodable: mostly UTF-8 but {n_invalid} invalid byte sequence(s), the first at "
            f"byte {first_offset}; fix or re-save the file as UTF-8",
        )
    cp1256_text = data.decode("cp1256")
    if control_share(cp1256_text) < 0.01 and arabic_ratio(cp1256_text) >= ARABIC_MAJORITY:
        return Decoded(cp1256_text, "cp1256")
    guess = from_bytes(data, cp_isolation=["cp1256", "utf_16_le", "utf_16_be"]).best()
    if guess is None:
        raise DecodeFailure(
            "undecodable",
            "undecodable: not UTF-8, UTF-16 or Windows-1256 text (charset detection found no fit)",
        )
    name = codecs.lookup(guess.encoding).name
    return _check_not_binary(Decoded(str(guess), name))


def json_array_rows(text: str) -> list[RowItem]:
    """Rows of a ``.json`` file: one object (row 1) or an array of values (rows 1..n).

    Raises :class:`FormatFailure` for malformed JSON or a top-level scalar.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatFailure(
            f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if isinstance(value, dict):
        return [RowItem(1, value)]
    if isinstance(value, list):
        return [RowItem(i, row) for i, row in enumerate(value, start=1)]
    raise FormatFailure(
        f"JSON top level is a {type(value).__name__}, expected an object or an array of objects"
    )


def jsonl_rows(text: str) -> Iterator[RowItem]:
    """Rows of a ``.jsonl`` file, numbered by line (blank lines are skipped)."""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield RowItem(line_no, json.loads(line))
        except json.JSONDecodeError as exc:
            yield RowItem(line_no, None, f"malformed JSON line {line_no} ({exc.msg})")


def csv_rows(text: str) -> Iterator[RowItem]:
    """Rows of a ``.csv`` file with a header line, as dicts; numbered 1.. after the header.

    Quoted fields may span lines. A row whose quoting is broken or whose number of fields
    differs from the header is yielded with an ``error``. Raises :class:`FormatFailure` for a
    file without a usable header.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatFailure("CSV file has no header line") from None
    except csv.Error as exc:
        raise FormatFailure(f"malformed CSV header ({exc})") from None
    header = [name.strip() for name in header]
    if not any(header) or len(set(header)) != len(header):
        raise FormatFailure(f"CSV header has empty or repeated column names: {header}")
    row_no = 0
    while True:
        line_before = reader.line_num
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            yield RowItem(
                row_no, None, f"malformed CSV row {row_no} (line {line_before + 1}: {exc})"
            )
            continue
        if not fields or (len(fields) == 1 and not fields[0].strip() and len(header) > 1):
            continue
        row_no += 1
        if len(fields) != len(header):
            yield RowItem(
                row_no,
                None,
                f"malformed CSV row {row_no} (line {line_before + 1}): {len(fields)} fields, "
                f"header has {len(header)}",
            )
            continue
        yield RowItem(row_no, dict(zip(header, fields, strict=True)))


METADATA_COLUMNS = ("doc_id", "source", "published", "title", "url")
MetadataIssue = tuple[str, str | None, str]  # (severity, doc_id, message)


def clean_value(value: Any) -> str | None:
    """A field value as a stripped string; None when missing, blank or not a scalar."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def parse_metadata_csv(text: str) -> tuple[dict[str, dict[str, str | None]], list[MetadataIssue]]:
    """``metadata.csv`` text -> {doc_id: {source, published, title, url}} and issues.

    A file that cannot be trusted as a whole (broken quoting, no doc_id column, a row with
    the wrong number of fields) gives no metadata and one error; unknown columns, blank or
    repeated doc_ids give warnings (the first row for a doc_id wins).
    """
    def malformed(reason: str) -> tuple[dict[str, dict[str, str | None]], list[MetadataIssue]]:
        return {}, [("error", None, f"metadata.csv ignored: {reason}")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        return malformed(f"malformed CSV at line {reader.line_num} ({exc})")
    if not rows:
        return {}, []
    header = [name.strip() for name in rows[0]]
    if "doc_id" not in header:
        return malformed(f"no doc_id column (columns: {', '.join(header)})")
    issues: list[MetadataIssue] = []
    unknown = [name for name in header if name not in METADATA_COLUMNS]
    if unknown:
        issues.append(("warning", None,
                       f"metadata.csv: unknown column(s) ignored: {', '.join(unknown)}"))
    metadata: dict[str, dict[str, str | None]] = {}
    for row_no, values in enumerate(rows[1:], start=1):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            return malformed(f"row {row_no} has {len(values)} fields, header has {len(header)}")
        row = {name: clean_value(value) for name, value in zip(header, values, strict=True)}
        doc_id = row.get("doc_id")
        if doc_id is None:
            issues.append(("warning", None, f"metadata.csv row {row_no} ignored: blank doc_id"))
        elif doc_id in metadata:
            issues.append(("warning", doc_id,
                           f"metadata.csv row {row_no} ignored: doc_id {doc_id!r} repeated"))
        else:
            metadata[doc_id] = {key: row.get(key) for key in METADATA_COLUMNS[1:]}
    return metadata, issues


def canonical_json(row: Any) -> str:
    """The canonical JSON form of a row, hashed for ``RawDocument.sha256``."""
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class HtmlArticle:
    """Body text and metadata that trafilatura extracted from one HTML page."""

    text: str
    title: str | None
    published: str | None
    url: str | None


def extract_html(html: str) -> HtmlArticle | None:
    """Extract the article body (plain text, one paragraph per line) and title/date/url.

    Uses trafilatura with precision settings, no comments and no tables; the date is taken
    from the page's markup only (no extensive search, so no guessing from the URL or text).
    Returns None when trafilatura finds no body text.
    """
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        return None

    def _meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return value.strip() or None if isinstance(value, str) else None

    return HtmlArticle(body, _meta("title"), _meta("date"), _meta("url"))
