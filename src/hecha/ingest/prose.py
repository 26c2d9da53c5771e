"""What every line-based reader needs to rebuild paragraphs from printed lines.

PDF, .alltxt and plain text all give prose one printed line at a time, so a sentence wrapped
over two lines (or across a page break) arrives in pieces. Each reader decides from its own
layout signals whether two lines belong together; the signals they share live here: which
line opens a new paragraph (a numbered heading "一、", "（一）", "1、", "第四节"), which ends a
sentence, and how two line texts are glued without adding or losing a character.
"""

from __future__ import annotations

import re

from hecha.ingest.numbers import is_unit_line

# A line that opens a paragraph of its own: a section ("第四节"), a numbered item ("一、",
# "（一）", "1、", "2.", "(1)", "①"). "1.5亿元" (a decimal) and "2020年" are not markers.
_PARAGRAPH_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+[节章部分]"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,3}(?:[、)）]|[.．](?!\d))"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r"|[√□■]"
    r")"
)
# A heading is short and reads as a title, not as a sentence.
HEADING_MAX_CHARS = 40
_SENTENCE_END = ("。", "！", "？", "!", "?")
_CLAUSE_END = (*_SENTENCE_END, "；", ";", "：", ":")


def opens_paragraph(text: str) -> bool:
    """Whether a line starts with a heading or list marker, and so starts a paragraph."""
    return bool(_PARAGRAPH_START.match(text))


def is_heading(text: str) -> bool:
    """Whether a paragraph is a numbered heading ("二、报告期内主要经营情况", "（1）主营业务")."""
    stripped = text.strip()
    return (
        opens_paragraph(stripped)
        and len(stripped) <= HEADING_MAX_CHARS
        and not stripped.endswith(_CLAUSE_END)
        and not stripped.startswith(("√", "□", "■"))
    )


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence or introduces what follows ("。", "；", "：")."""
    return text.rstrip().endswith(_CLAUSE_END)


def ends_prose_before_table(text: str) -> bool:
    """Whether a page's last line closes prose: a sentence, a lead-in ("前十名股东情况如下："),
    a heading, a unit line ("单位：万元"). A table printed first on the next page then starts
    there; it cannot be the rest of a table cut by the page break (that page would end in one
    of the table's rows)."""
    return ends_sentence(text) or is_heading(text) or is_unit_line(text)


def join_line_texts(head: str, tail: str) -> str:
    """Glue the next line's text to a paragraph's text as printed.

    Chinese takes no space at a line break, and neither does a figure or a word broken by the
    wrap ("158," + "191万元"); only two Latin words need one ("Total" + "assets").
    """
    head, tail = head.rstrip(), tail.lstrip()
    if (
        head
        and tail
        and head[-1].isascii()
        and head[-1].isalpha()
        and tail[0].isascii()
        and tail[0].isalpha()
    ):
        return f"{head} {tail}"
    return head + tail
