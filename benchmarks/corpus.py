"""The benchmark corpus: which real reports are measured, where they are, and how many pages each has.

When the corpus directory has a ``MANIFEST.csv`` (columns file, company, stock_code, doc_type, year,
format, …), every file it lists is measured, each with its ``format`` and its ``doc_type`` (the
document's *kind*: annual_report, half_year_report, …) so that every mode can add its figures up
per format and per kind. Without a manifest (a directory of fixtures, an old corpus) the fixed
``DOCUMENTS`` list is used, with a format guessed from the file name and kind ``unknown``.

Formats without pages (Markdown, plain text without form feeds) get an estimated page count,
characters / 1,500, flagged as an estimate so that every "per page" figure can say so.

Plain text extracted from a PDF is a supported input too, so each corpus PDF also yields a derived
document: its pypdfium2 text (``get_text_range`` per page, pages joined by a form feed), written at
benchmark time to a temporary directory as ``<pdf name>.pdfium.txt`` (format ``text (pdfium twin)``,
the PDF's kind). Nothing derived is committed. ``derived=False`` leaves them out.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from hecha.model.document import Document

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI checks the repository out with shared/ beside it.
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
CORPUS_ENV = "HECHA_CORPUS"

# Used when the corpus directory has no MANIFEST.csv.
DOCUMENTS = (
    "haixiang_2019_annual.pdf",
    "haixiang_2019_annual.alltxt",
    "jinyu_2020_annual.pdf",
    "chengbang_2025_inquiry_reply.md",
    "haixiang_2019_annual.pdf.pdfium.txt",
    "jinyu_2020_annual.pdf.pdfium.txt",
)
# A name ending so is not in the corpus: it is the text of the corpus PDF named by the rest.
DERIVED_TEXT_SUFFIX = ".pdfium.txt"

CHARACTERS_PER_ESTIMATED_PAGE = 1500


@dataclass(frozen=True)
class PageCount:
    pages: int
    estimated: bool  # True when the format has no pages and ``pages`` is characters / 1,500

    def __str__(self) -> str:
        return f"~{self.pages}*" if self.estimated else str(self.pages)


def corpus_dir(explicit: str | None = None) -> Path:
    """``explicit`` if given, else $HECHA_CORPUS, else ../shared/corpus beside the repository."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(CORPUS_ENV)
    return Path(from_env) if from_env else DEFAULT_CORPUS


MANIFEST_FILE = "MANIFEST.csv"
DERIVED_FORMAT = "text (pdfium twin)"
UNKNOWN_KIND = "unknown"


@dataclass(frozen=True)
class CorpusEntry:
    """One document of the benchmark: its file name, format and kind as the manifest gives them."""

    name: str
    format: str
    kind: str


@dataclass(frozen=True)
class CorpusDocument:
    """A corpus entry that exists on disk (or was derived there), ready to be read."""

    path: Path
    format: str
    kind: str

    @property
    def name(self) -> str:
        return self.path.name


def format_of_name(name: str) -> str:
    """The format of a file not listed in a manifest, from its name."""
    if name.endswith(DERIVED_TEXT_SUFFIX):
        return DERIVED_FORMAT
    suffix = Path(name).suffix.lower()
    return {".pdf": "pdf", ".alltxt": "alltxt", ".md": "markdown", ".markdown": "markdown"}.get(
        suffix, "text"
    )


def read_manifest(directory: Path) -> list[CorpusEntry] | None:
    """The entries of ``directory``/MANIFEST.csv in its order; None when there is no manifest."""
    path = directory / MANIFEST_FILE
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for row in rows:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        entries.append(
            CorpusEntry(
                name=name,
                format=(row.get("format") or "").strip() or format_of_name(name),
                kind=(row.get("doc_type") or "").strip() or UNKNOWN_KIND,
            )
        )
    return entries


def corpus_entries(
    directory: Path, names: list[str] | None = None, derived: bool = True
) -> list[CorpusEntry]:
    """The benchmark's documents: every manifest entry (each PDF followed by its derived pypdfium2
    text unless ``derived`` is False), or ``DOCUMENTS`` when ``directory`` has no manifest.

    ``names`` chooses a subset, in the order given; a name the list does not know is taken with
    the format of its name and kind ``unknown`` (a derived text takes its PDF's kind).
    """
    manifest = read_manifest(directory)
    if manifest is None:
        listed = [CorpusEntry(name, format_of_name(name), UNKNOWN_KIND) for name in DOCUMENTS]
    else:
        listed = []
        for entry in manifest:
            listed.append(entry)
            if entry.name.lower().endswith(".pdf"):
                listed.append(CorpusEntry(entry.name + DERIVED_TEXT_SUFFIX, DERIVED_FORMAT, entry.kind))
    if not names:
        return [e for e in listed if derived or not e.name.endswith(DERIVED_TEXT_SUFFIX)]
    known = {entry.name: entry for entry in listed}
    chosen = []
    for name in names:
        if name in known:
            chosen.append(known[name])
            continue
        source = known.get(name.removesuffix(DERIVED_TEXT_SUFFIX))
        kind = source.kind if name.endswith(DERIVED_TEXT_SUFFIX) and source else UNKNOWN_KIND
        chosen.append(CorpusEntry(name, format_of_name(name), kind))
    return chosen


def corpus_documents(
    directory: Path,
    names: list[str] | None = None,
    derived_dir: Path | None = None,
    derived: bool = True,
) -> list[CorpusDocument]:
    """The benchmark documents (``corpus_entries``) that exist in ``directory``.

    A derived text document is written into ``derived_dir`` from its PDF and its path returned
    there; without ``derived_dir`` (or without the PDF) it is left out.
    """
    documents = []
    for entry in corpus_entries(directory, names, derived):
        if entry.name.endswith(DERIVED_TEXT_SUFFIX):
            source = directory / entry.name.removesuffix(DERIVED_TEXT_SUFFIX)
            if derived_dir is not None and source.is_file():
                path = write_pdfium_text(source, derived_dir / entry.name)
                documents.append(CorpusDocument(path, entry.format, entry.kind))
        elif (directory / entry.name).is_file():
            documents.append(CorpusDocument(directory / entry.name, entry.format, entry.kind))
    return documents


def corpus_paths(
    directory: Path, names: list[str] | None = None, derived_dir: Path | None = None
) -> list[Path]:
    """The paths of ``corpus_documents``."""
    return [document.path for document in corpus_documents(directory, names, derived_dir)]


def write_pdfium_text(pdf_path: Path, target: Path) -> Path:
    """Write the text of ``pdf_path`` as pypdfium2 gives it (pages joined by "\\f") to ``target``."""
    import pypdfium2 as pdfium

    pages: list[str] = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
    finally:
        pdf.close()
    # Bytes, so that the "\r\n" pdfium writes reach the reader unchanged on any platform.
    target.write_bytes("\f".join(pages).encode("utf-8"))
    return target


def estimate_pages(characters: int) -> int:
    """Pages of a paged rendering of ``characters`` characters (at least 1)."""
    return max(1, round(characters / CHARACTERS_PER_ESTIMATED_PAGE))


def page_count(document: Document, path: Path) -> PageCount:
    """The document's pages, or an estimate from the file's characters when it has none."""
    if document.page_count:
        return PageCount(document.page_count, estimated=False)
    text = path.read_bytes().decode("utf-8", errors="replace")
    return PageCount(estimate_pages(len(text)), estimated=True)
