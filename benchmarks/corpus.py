"""The benchmark corpus: which real reports are measured, where they are, and how many pages each has.

Formats without pages (Markdown) get an estimated page count, characters / 1,500, flagged as an
estimate so that every "per page" and "per 100 pages" figure can say so.
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
)

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


def corpus_paths(directory: Path, names: list[str] | None = None) -> list[Path]:
    """The benchmark documents (or ``names`` among them) that exist in ``directory``."""
    wanted = names if names else list(DOCUMENTS)
    return [directory / name for name in wanted if (directory / name).is_file()]


def estimate_pages(characters: int) -> int:
    """Pages of a paged rendering of ``characters`` characters (at least 1)."""
    return max(1, round(characters / CHARACTERS_PER_ESTIMATED_PAGE))


def page_count(document: Document, path: Path) -> PageCount:
    """The document's pages, or an estimate from the file's characters when it has none."""
    if document.page_count:
        return PageCount(document.page_count, estimated=False)
    text = path.read_bytes().decode("utf-8", errors="replace")
    return PageCount(estimate_pages(len(text)), estimated=True)
