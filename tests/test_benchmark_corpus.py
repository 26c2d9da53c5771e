"""The benchmark's corpus list: every MANIFEST.csv entry with its format and kind, the fixed list
as fallback, derived pypdfium2 texts, and the per-format / per-kind aggregation of every mode."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench import print_findings  # noqa: E402
from benchmarks.corpus import (  # noqa: E402
    DERIVED_FORMAT,
    DOCUMENTS,
    UNKNOWN_KIND,
    CorpusDocument,
    CorpusEntry,
    corpus_documents,
    corpus_entries,
    read_manifest,
)
from benchmarks.findings import DocumentFindings, FindingsSummary  # noqa: E402
from benchmarks.groups import Groups  # noqa: E402
from benchmarks.speed import SpeedResult, combined  # noqa: E402

# Three rows cut from the corpus's MANIFEST.csv (quoted fields with commas, as there).
MANIFEST = "\n".join(
    [
        "file,company,stock_code,doc_type,year,format,pages_or_chars,bytes,source_repo,source_path,"
        "source_commit,notes",
        "haixiang_2019_annual.pdf,浙江海翔药业股份有限公司,002099,annual_report,2019,pdf,204 pages,"
        "1458208,MetaGLM/FinGLM (sample data),,,text-based PDF",
        "haixiang_2019_annual.pdfplumber.txt,浙江海翔药业股份有限公司,002099,annual_report,2019,"
        'text (pdfplumber twin),204 pages,371488,MetaGLM/FinGLM (sample data),,,"pdfplumber '
        'extract_text() of the PDF next to it, one printed row per line"',
        "chengbang_2025_inquiry_reply.md,诚邦生态环境股份有限公司,603316,annual_report_inquiry_reply,"
        '2025,"markdown (MinerU, HTML tables)",98k chars,150164,x,,,reply',
    ]
)


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "MANIFEST.csv").write_text(MANIFEST, encoding="utf-8")
    for name in ("haixiang_2019_annual.pdfplumber.txt", "chengbang_2025_inquiry_reply.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    return tmp_path


def test_every_manifest_entry_with_its_format_and_kind_and_a_derived_text_after_each_pdf(
    tmp_path: Path,
) -> None:
    entries = corpus_entries(_corpus(tmp_path))
    assert entries == [
        CorpusEntry("haixiang_2019_annual.pdf", "pdf", "annual_report"),
        CorpusEntry("haixiang_2019_annual.pdf.pdfium.txt", DERIVED_FORMAT, "annual_report"),
        CorpusEntry("haixiang_2019_annual.pdfplumber.txt", "text (pdfplumber twin)", "annual_report"),
        CorpusEntry(
            "chengbang_2025_inquiry_reply.md", "markdown (MinerU, HTML tables)", "annual_report_inquiry_reply"
        ),
    ]
    assert [e.name for e in corpus_entries(tmp_path, derived=False)] == [
        "haixiang_2019_annual.pdf",
        "haixiang_2019_annual.pdfplumber.txt",
        "chengbang_2025_inquiry_reply.md",
    ]


def test_documents_chooses_a_subset_in_the_order_given(tmp_path: Path) -> None:
    chosen = corpus_entries(_corpus(tmp_path), ["chengbang_2025_inquiry_reply.md", "other.alltxt"])
    assert chosen == [
        CorpusEntry(
            "chengbang_2025_inquiry_reply.md", "markdown (MinerU, HTML tables)", "annual_report_inquiry_reply"
        ),
        CorpusEntry("other.alltxt", "alltxt", UNKNOWN_KIND),
    ]
    # A derived text asked for by name comes even with derived=False, with its PDF's kind.
    derived = corpus_entries(tmp_path, ["haixiang_2019_annual.pdf.pdfium.txt"], derived=False)
    assert derived == [CorpusEntry("haixiang_2019_annual.pdf.pdfium.txt", DERIVED_FORMAT, "annual_report")]


def test_without_a_manifest_the_fixed_list_is_the_fallback(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None
    entries = corpus_entries(tmp_path)
    assert [e.name for e in entries] == list(DOCUMENTS)
    assert {e.kind for e in entries} == {UNKNOWN_KIND}
    assert [e.format for e in entries][:4] == ["pdf", "alltxt", "pdf", "markdown"]


def test_only_files_that_exist_are_measured(tmp_path: Path) -> None:
    # The PDF is missing: neither it nor its derived text is measured (no derived_dir anyway).
    documents = corpus_documents(_corpus(tmp_path), derived_dir=tmp_path / "derived")
    assert [d.name for d in documents] == [
        "haixiang_2019_annual.pdfplumber.txt",
        "chengbang_2025_inquiry_reply.md",
    ]
    assert documents[1].format == "markdown (MinerU, HTML tables)"


def test_the_real_corpus_lists_every_manifest_file(corpus: Path) -> None:
    manifest = read_manifest(corpus)
    assert manifest is not None
    entries = corpus_entries(corpus, derived=False)
    assert len(entries) == len(manifest) >= 60
    pdfs = sum(e.format == "pdf" for e in entries)
    assert len(corpus_entries(corpus)) == len(entries) + pdfs


def _groups() -> Groups:
    return Groups.of(
        [
            CorpusDocument(Path("a.pdf"), "pdf", "annual_report"),
            CorpusDocument(Path("b.pdf"), "pdf", "half_year_report"),
            CorpusDocument(Path("c.md"), "markdown", "annual_report"),
        ]
    )


def test_groups_split_by_format_then_by_kind() -> None:
    split = _groups().split(["a.pdf", "b.pdf", "c.md", "d.alltxt"], lambda name: name)
    assert split == [
        ("format pdf", ["a.pdf", "b.pdf"]),
        ("format markdown", ["c.md"]),
        ("format alltxt", ["d.alltxt"]),  # not listed: format from the name, kind unknown
        ("kind annual_report", ["a.pdf", "c.md"]),
        ("kind half_year_report", ["b.pdf"]),
        ("kind unknown", ["d.alltxt"]),
    ]
    records = _groups().records(
        ["a.pdf", "c.md"], lambda name: name, lambda label, chosen: [label, len(chosen)]
    )
    assert records == {"by_format": [["pdf", 1], ["markdown", 1]], "by_kind": [["annual_report", 2]]}


def test_speed_groups_add_pages_and_seconds() -> None:
    a = SpeedResult("a.pdf", True, 3, pages=200, total_seconds=2.0, ingest_seconds=1.0, baseline_seconds=0.5)
    b = SpeedResult("b.pdf", True, 3, pages=100, total_seconds=2.0, ingest_seconds=1.5, baseline_seconds=0.5)
    c = SpeedResult("c.md", True, 3, pages=10, pages_estimated=True, total_seconds=0.5)
    broken = SpeedResult("d.pdf", True, 3, error="boom")
    pdfs = combined("format pdf", [a, b, broken])
    assert (pdfs.pages, pdfs.total_seconds, pdfs.baseline_seconds) == (300, 4.0, 1.0)
    assert pdfs.total_pages_per_second == pytest.approx(75.0)
    assert pdfs.ratio_to_baseline == pytest.approx(4.0)
    every = combined("all", [a, b, c])
    assert every.pages_estimated and every.baseline_seconds is None  # c has no raw-text baseline


def _findings(name: str, pages: int, uninspected: int) -> DocumentFindings:
    summary = FindingsSummary(name, pages, False, uninspected, 0, 0, uninspected)
    return DocumentFindings(summary=summary, rows=())


def test_findings_table_has_a_line_per_format_and_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    documents = [_findings("a.pdf", 100, 1), _findings("b.pdf", 100, 3), _findings("c.md", 50, 0)]
    print_findings(documents, {}, _groups())
    lines = capsys.readouterr().out.splitlines()
    pdf = next(line for line in lines if line.startswith("format pdf "))
    annual = next(line for line in lines if line.startswith("kind annual_report "))
    # format pdf: 4 findings on 200 pages = 2.00 per 100 pages; annual_report: a.pdf + c.md
    assert pdf.split()[2:4] == ["200", "0/0"] and pdf.split()[-1] == "2.00"
    assert annual.split()[2] == "150" and annual.split()[-1] == "0.67"
