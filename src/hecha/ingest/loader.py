"""Reads any supported file into a Document: detects the format from the content (or takes the
one forced by ``--input-format``) and hands the bytes to that format's reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hecha.ingest.errors import IngestError
from hecha.model.document import Document

FORMATS = ("pdf", "text", "alltxt", "markdown")


def _reader(name: str) -> Callable[[str, bytes], Document]:
    # Imported lazily so that reading a text file never pays for loading the PDF library.
    if name == "pdf":
        from hecha.ingest import pdf

        return pdf.read
    if name == "text":
        from hecha.ingest import text

        return text.read
    if name == "alltxt":
        from hecha.ingest import alltxt

        return alltxt.read
    if name == "markdown":
        from hecha.ingest import markdown

        return markdown.read
    raise IngestError(f"未知的输入格式：{name}", f"unknown input format: {name}")


def detect_format(data: bytes) -> str:
    """The format of ``data`` judged from its content, or IngestError when it is none we read."""
    from hecha.ingest.detect import detect

    return detect(data)


def load(path: str, input_format: str | None = None) -> Document:
    """Read ``path`` into a Document. Raises IngestError with a one-line reason on bad input."""
    file = Path(path)
    if not file.exists():
        raise IngestError("文件不存在", "file not found")
    if file.is_dir():
        raise IngestError("是目录而不是文件", "is a directory, not a file")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise IngestError(
            f"无法读取文件（{error.strerror}）", f"cannot read file ({error.strerror})"
        ) from error
    if not data.strip():
        raise IngestError("文件为空", "file is empty")
    name = input_format or detect_format(data)
    return _reader(name)(path, data)
