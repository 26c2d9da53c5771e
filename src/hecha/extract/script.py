"""Traditional Chinese read as simplified for matching labels and headers.

Filings in Hong Kong (and some replies) print 總計, 合計, 應收賬款, 人民幣千元. hecha's label words
are written in simplified characters, so a label is converted before it is matched (OpenCC's
traditional-to-simplified table). Only what the matching sees is converted: cells, messages and
reports keep the document's own characters.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

_TO_SIMPLIFIED = opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """``text`` in simplified characters (unchanged when it has no traditional ones)."""
    if text.isascii():
        return text
    converted: str = _TO_SIMPLIFIED.convert(text)
    return converted
