"""Tells which reader a file needs from its first bytes, and decodes text inputs.

``detect`` looks at no more than the first 64 KB, so that judging a 200-page PDF or a large
text export costs the same as judging a short note. ``decode_text`` is the one place that turns
the bytes of a text input (UTF-8, with or without BOM, or GB18030) into a string.
"""

from __future__ import annotations

import codecs
import json
import re

from hecha.ingest.errors import IngestError

HEAD_SIZE = 64 * 1024
# Some PDF writers (and mail gateways) put a few bytes before the header; readers accept up to 1 KB.
_PDF_HEADER_WINDOW = 1024
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_ALLTXT_KEYS = frozenset({"page", "type", "inside"})
_ALLTXT_LINES_CHECKED = 5

_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_HTML_TABLE = re.compile(r"<table[\s>]", re.IGNORECASE)
_PIPE_SEPARATOR = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*$", re.MULTILINE
)

# Control characters other than tab, newline, form feed and carriage return do not occur in text
# documents; a handful can (a stray ESC, a vertical tab from Word), a tenth of a percent cannot.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_CONTROL_SHARE_LIMIT = 0.001

_BINARY_ZH = "不是可识别的文档格式（二进制内容）"
_BINARY_EN = "not a recognised document format (binary content)"


def detect(data: bytes) -> str:
    """The format of ``data``: "pdf", "alltxt", "markdown" or "text".

    Raises IngestError when the content is binary (including archives such as zip, docx, xlsx)
    or text in an encoding other than UTF-8 or GB18030.
    """
    head = data[:HEAD_SIZE]
    if _PDF_HEADER.search(head[:_PDF_HEADER_WINDOW]):
        return "pdf"
    _reject_known_binaries(head)
    text = _decode_head(head, complete=len(data) <= HEAD_SIZE)
    if _looks_like_alltxt(text):
        return "alltxt"
    if _looks_like_markdown(text):
        return "markdown"
    return "text"


def decode_text(data: bytes) -> str:
    """The text of ``data`` decoded as UTF-8 (BOM dropped) or else GB18030.

    Raises IngestError when it is neither, or when it holds control characters that no text
    document contains.
    """
    text = _decode(data, final=True)
    if text is None:
        raise _encoding_error()
    _reject_control_characters(text)
    return text


def _reject_known_binaries(head: bytes) -> None:
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise IngestError(
            "不是可识别的文档格式（ZIP 压缩包或 Office 文件，请先导出为 PDF）",
            "not a recognised document format (zip archive or Office file; export it to PDF first)",
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _encoding_error()
    if b"\x00" in head:
        raise IngestError(_BINARY_ZH, _BINARY_EN)


def _decode_head(head: bytes, *, complete: bool) -> str:
    # When the head is a cut of a longer file, the cut may split a multi-byte character; an
    # incremental decoder leaves those trailing bytes pending instead of failing on them.
    text = _decode(head, final=complete)
    if text is None:
        # Random bytes rarely decode as either encoding; text in another encoding never does.
        if _control_share(head.decode("latin-1")) > _CONTROL_SHARE_LIMIT:
            raise IngestError(_BINARY_ZH, _BINARY_EN)
        raise _encoding_error()
    _reject_control_characters(text)
    return text


def _decode(data: bytes, *, final: bool) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(data, final=final)
        except UnicodeDecodeError:
            continue
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for char in text if (char < " " or char == "\x7f") and char not in _ALLOWED_CONTROLS)
    return controls / len(text)


def _reject_control_characters(text: str) -> None:
    if _control_share(text) > _CONTROL_SHARE_LIMIT:
        raise IngestError(_BINARY_ZH, _BINARY_EN)


def _encoding_error() -> IngestError:
    return IngestError(
        "无法识别文本编码（仅支持 UTF-8 或 GB18030）",
        "cannot decode the text (only UTF-8 and GB18030 are supported)",
    )


def _looks_like_alltxt(text: str) -> bool:
    """The JSON-lines export: every one of the first non-empty lines is an object with page/type/inside."""
    checked = 0
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        try:
            record = json.loads(stripped)
        except ValueError:
            return False
        if not isinstance(record, dict) or not record.keys() >= _ALLTXT_KEYS:
            return False
        checked += 1
        if checked == _ALLTXT_LINES_CHECKED:
            break
    return checked > 0


def _looks_like_markdown(text: str) -> bool:
    if _HTML_TABLE.search(text) or _PIPE_SEPARATOR.search(text):
        return True
    # One "# " line can be a stray character of a PDF extraction; two or more headings, or a
    # document that opens with one, is Markdown structure.
    headings = _HEADING.findall(text)
    if len(headings) >= 2:
        return True
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return bool(headings) and bool(_HEADING.match(first_line))
