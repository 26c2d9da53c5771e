"""The benchmark corpus: which real reports are measured, where they are, and how many pages each has.

Formats without pages (Markdown) get an estimated page count, characters / 1,500, flagged as an
estimate so that every "per page" and "per 100 pages" figure can say so.

Plain text extracted from a PDF is a supported input too, so each corpus PDF also yields a derived
document: its pypdfium2 text (``get_text_range`` per page, pages joined by a form feed), written at
benchmark time to a temporary directory as ``<pdf name>.pdfium.txt``. Nothing derived is committed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hecha.model.document import Document

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI checks the repository out with shared/ beside it.
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
CORPUS_ENV = "HECHA_CORPUS"

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


def corpus_paths(
    directory: Path, names: list[str] | None = None, derived_dir: Path | None = None
) -> list[Path]:
    """The benchmark documents (or ``names`` among them) that exist in ``directory``.

    A derived text document is written into ``derived_dir`` from its PDF and its path returned
    there; without ``derived_dir`` (or without the PDF) it is left out.
    """
    wanted = names if names else list(DOCUMENTS)
    paths = []
    for name in wanted:
        if name.endswith(DERIVED_TEXT_SUFFIX):
            source = directory / name.removesuffix(DERIVED_TEXT_SUFFIX)
            if derived_dir is not None and source.is_file():
                paths.append(write_pdfium_text(source, derived_dir / name))
        elif (directory / name).is_file():
            paths.append(directory / name)
    return paths


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
