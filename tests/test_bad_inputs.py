"""One corpus folder holding every kind of bad input: each gives one Problem, the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.corpus import Problem, RawDocument, read_corpus

GOOD_TXT = (
    "قررت السلطات المحلية بمدينة أكادير إغلاق الشاطئ الرئيسي مؤقتا بسبب ارتفاع الأمواج، "
    "ودعت المصطافين إلى احترام تعليمات الوقاية المدنية."
)
GOOD_ROW = (
    "نظمت جمعية حماية المستهلك بمراكش يوما تحسيسيا حول مخاطر المنتجات المهربة، "
    "بمشاركة ممثلين عن السلطات والتجار."
)
DUP_TXT = "افتتحت وزارة الثقافة مكتبة عمومية جديدة بحي شعبي في مدينة وجدة."
DUP_ROW = "نص آخر يحمل نفس المعرف ويجب تجاهله لأنه جاء بعد الملف النصي."


def build_bad_corpus(folder: Path) -> None:
    """Every bad input from the brief plus good articles, written byte by byte."""
    (folder / "good.txt").write_text(GOOD_TXT, "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    utf8 = GOOD_TXT.encode("utf-8")
    (folder / "undecodable.txt").write_bytes(utf8[:30] + b"\xc0\xff" + utf8[30:])
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "broken.json").write_text('[{"text": "نص"}, {"text": ]', "utf-8")
    rows = [{"id": "row-good", "text": GOOD_ROW}, "نص بلا كائن", {"id": "row-notext",
            "title": "عنوان بلا نص"}, {"id": "row-number", "text": 42}]
    (folder / "rows.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    (folder / "table.csv").write_text(
        "doc_id,text\r\ncsv-ok,نص سليم في جدول\r\ncsv-bad,\"نص \"مكسور\" هنا\"\r\n"
        "csv-extra,نص,حقل زائد\r\n", "utf-8"
    )
    (folder / "dup.txt").write_text(DUP_TXT, "utf-8")
    (folder / "feed.jsonl").write_text(
        json.dumps({"doc_id": "dup", "text": DUP_ROW}, ensure_ascii=False) + "\n{not json}\n",
        "utf-8",
    )
    (folder / "empty_page.html").write_text("<html><body><div></div></body></html>", "utf-8")
    (folder / "metadata.csv").write_text(
        "doc_id,source,published,title,url\ngood,هسبريس,2024-01-05,,\nghost,هسبريس,,,\n",
        "utf-8",
    )


@pytest.fixture()
def result(tmp_path: Path) -> tuple[list[RawDocument], list[Problem]]:
    build_bad_corpus(tmp_path)
    return read_corpus(tmp_path)


def test_good_articles_are_read(result: tuple[list[RawDocument], list[Problem]]) -> None:
    docs, _ = result
    assert [(d.doc_id, d.path) for d in docs] == [
        ("dup", "dup.txt"),  # the first of the two "dup" ids
        ("good", "good.txt"),
        ("row-good", "rows.json"),
        ("csv-ok", "table.csv"),
    ]
    good = docs[1]
    assert good.text == GOOD_TXT and good.source == "هسبريس" and good.published == "2024-01-05"
    assert docs[0].text == DUP_TXT and docs[2].text == GOOD_ROW


# (path, doc_id, severity, message substring), in reading order
EXPECTED = [
    ("notes.docx", None, "warning", "unknown file type (.docx)"),
    ("report.pdf", None, "warning", "unknown file type (.pdf)"),
    ("binary.txt", "binary", "error", "binary file"),
    ("blank.txt", "blank", "error", "only whitespace"),
    ("broken.json", None, "error", "malformed JSON"),
    ("empty.txt", "empty", "error", "empty file (0 bytes)"),
    ("empty_page.html", "empty_page", "error", "trafilatura extracted no body"),
    ("feed.jsonl", "dup", "error", "duplicate doc_id 'dup': already read from dup.txt"),
    ("feed.jsonl", "feed:2", "error", "malformed JSON line 2"),
    ("rows.json", "rows:2", "error", "row 2 skipped: a str, not an object"),
    ("rows.json", "row-notext", "error", "no text (field 'text' is missing)"),
    ("rows.json", "row-number", "error", "no text (field 'text' is a int, not a string)"),
    ("table.csv", "table:2", "error", "malformed CSV row 2"),
    ("table.csv", "table:3", "error", "3 fields, header has 2"),
    ("undecodable.txt", "undecodable", "error", "undecodable: mostly UTF-8"),
    ("metadata.csv", "ghost", "warning", "matches no article file or row"),
]


def test_every_problem_reported(result: tuple[list[RawDocument], list[Problem]]) -> None:
    _, problems = result
    got = [(p.path, p.doc_id, p.severity) for p in problems]
    assert got == [(path, doc_id, severity) for path, doc_id, severity, _ in EXPECTED]
    for problem, (_, _, _, fragment) in zip(problems, EXPECTED, strict=True):
        assert fragment in problem.message, (problem, fragment)
        assert "\n" not in problem.message


def test_duplicate_message_names_both_paths(
    result: tuple[list[RawDocument], list[Problem]],
) -> None:
    _, problems = result
    dup = next(p for p in problems if p.message.startswith("duplicate"))
    assert "dup.txt" in dup.message and "feed.jsonl" in dup.message


def test_malformed_metadata_is_ignored_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TXT, "utf-8")
    (tmp_path / "metadata.csv").write_text(
        'doc_id,source\ngood,"هسبريس\ngood2,x,extra\n', "utf-8"
    )
    docs, problems = read_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good"] and docs[0].source is None
    assert len(problems) == 1
    assert problems[0].path == "metadata.csv" and problems[0].severity == "error"
    assert problems[0].message.startswith("metadata.csv ignored: malformed CSV")
