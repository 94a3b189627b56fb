"""Tests for analysis.corpus / analysis.formats: formats, encodings, metadata, options.

Texts are written for the tests; odd encodings are built in tmp_path.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from analysis.corpus import (
    CorpusError,
    CorpusOptions,
    CorpusReader,
    Problem,
    RawDocument,
    read_corpus,
)
from analysis.formats import DecodeFailure, decode_bytes

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus_formats"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

ARABIC = (
    "أعلنت المديرية العامة للأمن الوطني، يوم الثلاثاء، عن توقيف شبكة إجرامية تنشط في "
    "تهريب المخدرات بين مدينتي طنجة وتطوان، وحجز كمية مهمة من الممنوعات."
)


def by_id(docs: list[RawDocument]) -> dict[str, RawDocument]:
    return {doc.doc_id: doc for doc in docs}


# ------------------------------------------------------------------ formats


def test_fixture_order_ids_and_formats() -> None:
    docs, problems = read_corpus(FIXTURE)
    assert problems == []  # README.md is skipped silently, metadata rows all match
    # sorted by relative path, then row
    assert [(d.doc_id, d.fmt) for d in docs] == [
        ("article_rabat", "txt"),
        ("batch-001", "json"),  # "id" field
        ("batch-002", "json"),
        ("feed-a", "jsonl"),  # "doc_id" field
        ("feed:3", "jsonl"),  # no id: stem + line number (line 2 is blank)
        ("hespress/local", "txt"),  # path without extension in sub-folders
        ("page_casablanca", "html"),
        ("single:1", "json"),  # one object = row 1
        ("csv-1", "csv"),
        ("csv-2", "csv"),
    ]
    assert {d.encoding for d in docs} == {"utf-8"}


def test_txt_is_kept_verbatim_and_hashed_from_bytes() -> None:
    doc = by_id(read_corpus(FIXTURE)[0])["article_rabat"]
    raw = (FIXTURE / "article_rabat.txt").read_bytes()
    assert doc.text == raw.decode("utf-8")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.path == "article_rabat.txt"


def test_html_body_and_metadata_extracted() -> None:
    doc = by_id(read_corpus(FIXTURE)[0])["page_casablanca"]
    assert doc.title == "الدار البيضاء: افتتاح خط جديد للترامواي"
    assert doc.published == "2024-11-03"
    assert doc.url == "https://example.org/casablanca/tram-line"
    assert "يربط وسط المدينة بالأحياء الشرقية" in doc.text
    assert "خطين آخرين سيدخلان الخدمة" in doc.text
    assert "جميع الحقوق محفوظة" not in doc.text  # footer dropped by trafilatura
    assert "<p>" not in doc.text


def test_rows_fields_and_canonical_hash() -> None:
    docs = by_id(read_corpus(FIXTURE)[0])
    rows = json.loads((FIXTURE / "batch.json").read_text(encoding="utf-8"))
    expected = hashlib.sha256(
        json.dumps(rows[0], sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    assert docs["batch-001"].sha256 == expected
    assert docs["batch-001"].source == "وكالة الأنباء"
    assert docs["batch-001"].title == "حملة وطنية للتلقيح"
    assert docs["feed:3"].source == "جريدة الشمال"
    assert docs["feed-a"].url == "https://example.org/feed-a"
    # quoted multi-line CSV field and doubled quotes
    assert docs["csv-1"].text.split("\n")[1] == "وتشارك فيه أكثر من سبعين دولة."
    assert '"تلبية للطلب"' in docs["csv-2"].text
    assert docs["csv-2"].title is None and docs["csv-2"].published is None


def test_metadata_fills_and_overrides() -> None:
    docs = by_id(read_corpus(FIXTURE)[0])
    rabat = docs["article_rabat"]  # a txt file gives nothing: metadata fills all
    assert (rabat.source, rabat.published, rabat.url) == (
        "جريدة العاصمة", "2024-05-14", "https://example.org/rabat-cyber"
    )
    assert rabat.title is None  # blank metadata title
    fes = docs["batch-002"]  # metadata title/published win over the row's
    assert (fes.title, fes.published, fes.source) == (
        "ارتفاع الحرارة بفاس", "2024-07-22", "وكالة الأنباء"
    )
    assert docs["hespress/local"].url == "https://example.org/local"


def test_read_only_snapshot() -> None:
    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {
            p.relative_to(FIXTURE).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(FIXTURE.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    time.sleep(0.01)
    read_corpus(FIXTURE)
    read_corpus(FIXTURE, CorpusOptions(source_from="folder"))
    assert snapshot() == before


def test_streaming_and_reiteration() -> None:
    reader = CorpusReader(FIXTURE)
    first = next(iter(reader))
    assert first.doc_id == "article_rabat"
    assert [d.doc_id for d in reader] == [d.doc_id for d in reader]  # same result twice
    assert reader.problems == []


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8-sig"),
        (ARABIC.encode("utf-16"), "utf-16"),  # BOM + native order
        (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16"),
        (ARABIC.encode("utf-16-le"), "utf-16-le"),  # no BOM: sniffed
        (ARABIC.encode("utf-16-be"), "utf-16-be"),
        (ARABIC.encode("cp1256"), "cp1256"),
        ("قال الوزير إن".encode("cp1256"), "cp1256"),  # too short for charset detection
    ],
)
def test_decode_bytes(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text in (ARABIC, "قال الوزير إن")


def test_decode_failures() -> None:
    with pytest.raises(DecodeFailure) as empty:
        decode_bytes(b"")
    assert empty.value.kind == "empty"
    with pytest.raises(DecodeFailure) as binary:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert binary.value.kind == "binary"
    # UTF-8 Arabic with one broken byte: not re-read as Windows-1256 mojibake
    utf8 = ARABIC.encode("utf-8")
    with pytest.raises(DecodeFailure) as broken:
        decode_bytes(utf8[:40] + b"\xff" + utf8[40:])
    assert broken.value.kind == "undecodable"
    assert "byte 40" in broken.value.message


def test_encodings_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a_utf8.txt").write_bytes(ARABIC.encode("utf-8"))
    (tmp_path / "b_bom.txt").write_bytes(codecs.BOM_UTF8 + ARABIC.encode("utf-8"))
    (tmp_path / "c_utf16.txt").write_bytes(ARABIC.encode("utf-16"))
    (tmp_path / "d_cp1256.txt").write_bytes(ARABIC.encode("cp1256"))
    rows = [{"doc_id": "e1", "text": ARABIC}]
    (tmp_path / "e_utf16.json").write_bytes(json.dumps(rows, ensure_ascii=False).encode("utf-16"))
    csv_text = f"doc_id,text\r\nf1,{ARABIC}\r\n"
    (tmp_path / "f_excel.csv").write_bytes(codecs.BOM_UTF8 + csv_text.encode("utf-8"))
    docs, problems = read_corpus(tmp_path)
    assert problems == []
    assert [(d.doc_id, d.encoding) for d in docs] == [
        ("a_utf8", "utf-8"), ("b_bom", "utf-8-sig"), ("c_utf16", "utf-16"),
        ("d_cp1256", "cp1256"), ("e1", "utf-16"), ("f1", "utf-8-sig"),
    ]
    assert all(d.text == ARABIC for d in docs)
    # sha256 of the raw bytes, not of the decoded text
    assert docs[3].sha256 == hashlib.sha256(ARABIC.encode("cp1256")).hexdigest()


# ------------------------------------------------------------------ options


def write_content_corpus(folder: Path) -> None:
    rows = [
        {"content": ARABIC, "date_extracted": "2015-07-21 02:51:32", "source": "okaz",
         "headline": "توقيف شبكة"},
        {"content": "", "date_extracted": "2015-07-21 03:00:00", "source": "okaz"},
    ]
    (folder / "2015-07-21.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")


def test_corpus_yml_maps_fields(tmp_path: Path) -> None:
    write_content_corpus(tmp_path)
    (tmp_path / "corpus.yml").write_text(
        "text_field: content\npublished_field: date_extracted\ntitle_field: headline\n", "utf-8"
    )
    docs, problems = read_corpus(tmp_path)
    assert [(d.doc_id, d.published, d.title, d.source) for d in docs] == [
        ("2015-07-21:1", "2015-07-21 02:51:32", "توقيف شبكة", "okaz")
    ]
    assert problems == [
        Problem("2015-07-21.json", "2015-07-21:2", "error",
                "row 2 skipped: no text (field 'content' is empty)")
    ]


def test_explicit_options_override_corpus_yml(tmp_path: Path) -> None:
    write_content_corpus(tmp_path)
    (tmp_path / "corpus.yml").write_text("text_field: body\nsource_from: none\n", "utf-8")
    options = CorpusOptions(text_field="content", default_source="unknown outlet")
    docs, _ = read_corpus(tmp_path, options)
    assert [(d.text, d.source) for d in docs] == [(ARABIC, "unknown outlet")]
    assert CorpusReader(tmp_path, options).options.source_from == "none"


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        ("text_field: content\nlanguage: ar\n", "unknown key(s) language"),
        ("text_field: [content\n", "not valid YAML"),
        ("- text_field\n", "must be a mapping"),
        ("source_from: outlet\n", "source_from must be one of field, folder, none"),
        ("text_field: 3\n", "'text_field' must be a non-empty string"),
    ],
)
def test_malformed_corpus_yml_raises(tmp_path: Path, yml: str, message: str) -> None:
    (tmp_path / "corpus.yml").write_text(yml, "utf-8")
    with pytest.raises(CorpusError, match="corpus.yml") as error:
        CorpusReader(tmp_path)
    assert message in str(error.value)


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        CorpusReader(tmp_path / "nowhere")


def test_source_from_folder_and_none(tmp_path: Path) -> None:
    for outlet in ("hespress", "le360"):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "001.txt").write_text(ARABIC, "utf-8")
    (tmp_path / "loose.txt").write_text(ARABIC, "utf-8")
    docs, problems = read_corpus(tmp_path, CorpusOptions(source_from="folder",
                                                         default_source="other"))
    # same stem in two folders: no clash, ids keep the folder
    assert [(d.doc_id, d.source) for d in docs] == [
        ("hespress/001", "hespress"), ("le360/001", "le360"), ("loose", "other")
    ]
    assert problems == []
    docs, _ = read_corpus(tmp_path, CorpusOptions(source_from="none"))
    assert {d.source for d in docs} == {None}


def test_hidden_readme_and_nested_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARABIC, "utf-8")
    (tmp_path / ".hidden.txt").write_text(ARABIC, "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARABIC, "utf-8")
    (tmp_path / "README.md").write_text("# corpus", "utf-8")
    (tmp_path / "UPSTREAM_README.md").write_text("# upstream", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "metadata.csv").write_text("doc_id,source\na,x\n", "utf-8")
    docs, problems = read_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["a"]
    assert problems == [
        Problem("sub/metadata.csv", None, "warning",
                "ignored: only the top-level metadata.csv is read")
    ]


def test_metadata_csv_problems(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARABIC, "utf-8")
    (tmp_path / "metadata.csv").write_text(
        "doc_id,source,author\na,هسبريس,x\na,le360,y\n,nobody,z\n", "utf-8"
    )
    docs, problems = read_corpus(tmp_path)
    assert docs[0].source == "هسبريس"  # first row for "a" wins
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "metadata.csv: unknown column(s) ignored: author"),
        ("warning", "metadata.csv row 2 ignored: doc_id 'a' repeated"),
        ("warning", "metadata.csv row 3 ignored: blank doc_id"),
    ]
    (tmp_path / "metadata.csv").write_text("source,title\nx,y\n", "utf-8")
    docs, problems = read_corpus(tmp_path)
    assert docs[0].source is None
    assert problems == [Problem("metadata.csv", None, "error",
                                "metadata.csv ignored: no doc_id column (columns: source, title)")]


def test_file_mtime_untouched_with_os_stat(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, "utf-8")
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    list(CorpusReader(tmp_path))
    assert path.stat().st_mtime_ns == 1_000_000_000_000_000_000


# ------------------------------------------------------------------ shared corpus


@pytest.mark.shared
def test_saudinewsnet_reads_every_row() -> None:
    folder = SHARED / "saudinewsnet"
    if not folder.is_dir():
        pytest.skip(f"shared SaudiNewsNet corpus not available at {folder}")
    reader = CorpusReader(
        folder, CorpusOptions(text_field="content", published_field="date_extracted")
    )
    started = time.perf_counter()
    docs = list(reader)
    seconds = time.perf_counter() - started
    # 31,030 articles of which 354 are empty (corpus README)
    assert len(docs) == 31_030 - 354
    assert len(reader.problems) == 354
    assert all("no text" in p.message and p.severity == "error" for p in reader.problems)
    assert docs[0].doc_id == "2015-07-21:1" and docs[0].published.startswith("2015-07-21")
    assert len({d.source for d in docs}) == 14
    assert seconds < 30, f"reading took {seconds:.1f}s"
