"""What one PDF page holds for table rebuilding: positioned text runs and ruling lines.

A run is one rectangle of text as pdfium reports it (usually one cell, one word or one figure);
a rule is a horizontal or vertical line segment drawn on the page (table borders, drawn as thin
paths or as the edges of filled rectangles). Coordinates are PDF points with the origin at the
top-left, so ``top`` < ``bottom``. The hot loops call pdfium's C API directly: this module runs on
every page of a 200-page report and the object wrappers would double its cost.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

# A path thinner than this is a line, not an area.
_LINE_THICKNESS = 2.0
# Paths and fills smaller than this in both directions are glyph decoration, not borders.
_MIN_RULE_LENGTH = 4.0
_TEXT_BUFFER_CHARS = 8192

_DASHES = frozenset({"-", "—", "–", "－", "−", "--", "——"})


@dataclass(slots=True)
class Run:
    """A positioned piece of text on one page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: horizontal when ``top == bottom``-ish, vertical when ``x0 == x1``-ish."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.bottom - self.top) <= (self.x1 - self.x0)


@dataclass(slots=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    runs: list[Run]
    rules: list[Rule]


def read_runs(textpage: object, page_height: float) -> list[Run]:
    """All text runs of a page, deduplicated, with split minus signs glued to their figures."""
    count = pdfium_c.FPDFText_CountRects(textpage, 0, -1)
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    buffer = (ctypes.c_ushort * (_TEXT_BUFFER_CHARS + 1))()
    buffer_pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    buffer_address = ctypes.addressof(buffer)
    runs: list[Run] = []
    seen: set[tuple[str, int, int]] = set()
    for index in range(count):
        if not pdfium_c.FPDFText_GetRect(
            textpage, index, ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom)
        ):
            continue
        length = pdfium_c.FPDFText_GetBoundedText(
            textpage, left.value, top.value, right.value, bottom.value, buffer_pointer, _TEXT_BUFFER_CHARS
        )
        if length <= 0:
            continue
        # The count includes the terminating NUL; pdfium may also report a NUL for a hyphenation
        # point, so cut at the first one.
        # Only the written characters are copied out (not the whole buffer, once per run).
        raw = ctypes.string_at(buffer_address, min(length, _TEXT_BUFFER_CHARS) * 2)
        text = raw.decode("utf-16-le", errors="replace").split("\x00", 1)[0].strip()
        if not text:
            continue
        run = Run(text, left.value, page_height - top.value, right.value, page_height - bottom.value)
        # Some producers write the same text twice (a duplicated text layer); keep one copy.
        key = (text, round(run.x0), round(run.top))
        if key in seen:
            continue
        seen.add(key)
        runs.append(run)
    if runs and sum(1 for run in runs if len(run.text) == 1) * 2 > len(runs):
        runs = _join_glyphs(runs)
    return _glue_minus_signs(_glue_points(runs))


# Glyphs closer than this many heights of the word they follow belong to it.
_GLYPH_GAP = 0.75


def _gap_height(word: Run, word_letters: bool, glyph: Run) -> float:
    """The height a gap between ``word`` and ``glyph`` is measured against: the smaller of two
    letters' (a digit beside a taller Chinese character of the next cell stays apart); a point or
    comma, whose box is a dot at the baseline, takes the height of the letters beside it."""
    glyph_letter = glyph.text.isalnum()
    if word_letters and glyph_letter:
        return max(min(word.height, glyph.height), 1.0)
    if word_letters:
        return max(word.height, 1.0)
    return max(glyph.height, 1.0)


@dataclass(slots=True)
class _OpenWord:
    """A word being joined from glyphs: when it was begun, and whether it holds a letter or digit."""

    order: int
    word: Run
    letters: bool


def _join_glyphs(runs: list[Run]) -> list[Run]:
    """Join a page's one-glyph runs back into words.

    Some producers place every glyph on its own, and pdfium then reports one run per character:
    a figure is a dozen runs, its comma and point are boxes at the baseline below the digits'
    centre line, and a cell's text would come out as "5 1 590 554 25,,.". A glyph joins the word
    on its left when it overlaps the word's height and the gap between them is under
    _GLYPH_GAP of that height; the word keeps the height of its tallest glyphs, so that a
    comma does not move its line.

    Glyphs are taken left to right. The words that may still take one are kept in bands of
    their top edge, so that a glyph looks only at the words of its own lines (a page of such
    glyphs holds thousands of words; scanning every open word for every glyph made this the
    slowest step of reading such a PDF). Among the words it overlaps, a glyph joins the oldest.
    """
    singles = sorted((run for run in runs if len(run.text) == 1), key=lambda run: run.x0)
    words: list[Run] = []
    bands: dict[int, list[_OpenWord]] = {}  # open words by band of their top edge
    tallest = 0.0
    for order, glyph in enumerate(singles):
        reach = 2 * _GLYPH_GAP * max(glyph.height, 1.0)
        target: _OpenWord | None = None
        # A word overlaps the glyph only if its top is above the glyph's bottom and within the
        # tallest word's height above the glyph's top.
        for band in range(_band(glyph.top - tallest), _band(glyph.bottom) + 1):
            entries = bands.get(band)
            if not entries:
                continue
            kept = []
            for entry in entries:
                word = entry.word
                gap = glyph.x0 - word.x1
                if gap > max(reach, 2 * _GLYPH_GAP * word.height):
                    continue  # ends far to the left: it cannot take this glyph or any later one
                kept.append(entry)
                if (
                    (target is None or entry.order < target.order)
                    and glyph.top < word.bottom
                    and glyph.bottom > word.top
                ):
                    height = _gap_height(word, entry.letters, glyph)
                    if -0.5 * height <= gap <= _GLYPH_GAP * height:
                        target = entry
            bands[band] = kept
        if target is None:
            word = Run(glyph.text, glyph.x0, glyph.top, glyph.x1, glyph.bottom)
            words.append(word)
            bands.setdefault(_band(word.top), []).append(_OpenWord(order, word, glyph.text.isalnum()))
            tallest = max(tallest, word.height)
            continue
        word = target.word
        before = _band(word.top)
        word.text += glyph.text
        word.x1 = max(word.x1, glyph.x1)
        if glyph.height >= 0.6 * word.height:
            word.top = min(word.top, glyph.top)
            word.bottom = max(word.bottom, glyph.bottom)
            tallest = max(tallest, word.height)
        if not target.letters and glyph.text.isalnum():
            target.letters = True
        if _band(word.top) != before:
            bands[before].remove(target)
            bands.setdefault(_band(word.top), []).append(target)
    return [run for run in runs if len(run.text) != 1] + words


_BAND = 4.0  # points


def _band(y: float) -> int:
    return math.floor(y / _BAND)


_POINTS = frozenset({".", ",", "．", "，"})


def _glue_points(runs: list[Run]) -> list[Run]:
    """Join a decimal point or comma drawn as its own run to the digits left of it.

    Its box is a dot at the baseline, below the digits' centre line: in a row whose figures wrap
    onto a second line ("3" "." "37%" beside "48,557,286.7" / "3", baicheng 2024 p.34) the lone
    point would sort with the line below and split "3.37%" into "3 37%" and ".". Glued to the
    digit it follows (bottoms aligned, no gap), it takes that digit's line.
    """
    points = [run for run in runs if run.text in _POINTS]
    if not points:
        return runs
    consumed: set[int] = set()
    for point in points:
        best: Run | None = None
        for other in runs:
            if other.text in _POINTS or not other.text[-1:].isdigit():
                continue
            height = max(other.height, 1.0)
            if (
                point.height < 0.6 * height
                and -0.2 * height <= point.x0 - other.x1 <= 0.5 * height
                and abs(point.bottom - other.bottom) <= 0.3 * height
                and (best is None or other.x1 > best.x1)
            ):
                best = other
        if best is not None:
            best.text += point.text
            best.x1 = max(best.x1, point.x1)
            consumed.add(id(point))
    return [run for run in runs if id(run) not in consumed]


def _glue_minus_signs(runs: list[Run]) -> list[Run]:
    """Join a minus sign drawn as its own thin run to the figure right of it.

    Some producers draw "-" as a separate glyph run whose box is only the stroke (0.4 pt high,
    at mid-height), so a grouping by line would otherwise lose or misplace the sign.
    """
    dashes = [run for run in runs if run.text in _DASHES]
    if not dashes:
        return runs
    consumed: set[int] = set()
    for dash in dashes:
        if dash.height < 3:
            # Give the stroke the height of a line so that it sorts with its row.
            middle = dash.center_y
            dash.top, dash.bottom = middle - 4, middle + 4
        best: Run | None = None
        for other in runs:
            if other is dash or other.text in _DASHES:
                continue
            gap = other.x0 - dash.x1
            beside = -1 <= gap <= 3 and other.top - 1 <= dash.center_y <= other.bottom + 1
            if beside and (best is None or other.x0 < best.x0):
                best = other
        if best is None:
            best = _figure_below(dash, runs)
        if best is not None and best.text[:1].isdigit():
            best.text = "-" + best.text
            best.x0 = min(best.x0, dash.x0)
            consumed.add(id(dash))
    return [run for run in runs if id(run) not in consumed]


def _figure_below(dash: Run, runs: list[Run]) -> Run | None:
    """The figure whose minus sign wrapped onto a line of its own above it.

    A narrow cell prints "-" right-aligned on its first line and the figure on the next, the
    row's label and other cells vertically centred between the two. The dash is that sign when a
    figure starts right under it, ends where it ends, and nothing else on the page is centred
    on the dash's line (a "-" printed for an empty cell stands on its row's line, level with the
    row's label).
    """
    below = [
        other
        for other in runs
        if other is not dash
        and other.text[:1].isdigit()
        and abs(other.x1 - dash.x1) <= 2
        and 0 <= other.top - dash.bottom <= 0.8 * other.height
    ]
    if len(below) != 1:
        return None
    if any(other is not dash and dash.top <= other.center_y <= dash.bottom for other in runs):
        return None
    return below[0]


def read_rules(page: object, page_height: float, page_width: float) -> list[Rule]:
    """Ruling lines of a page: thin paths, and the four edges of filled or stroked rectangles."""
    rules: list[Rule] = []
    boxes: list[tuple[float, float, float, float]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    count = pdfium_c.FPDFPage_CountObjects(page)
    for index in range(count):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(
            obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
        ):
            continue
        x0, x1 = left.value, right.value
        y0, y1 = page_height - top.value, page_height - bottom.value
        width, height = x1 - x0, y1 - y0
        if width < _MIN_RULE_LENGTH and height < _MIN_RULE_LENGTH:
            continue
        if height <= _LINE_THICKNESS or width <= _LINE_THICKNESS:
            rules.append(Rule(x0, y0, x1, y1))
            continue
        if height > 0.5 * page_height and width > 0.5 * page_width:
            continue  # a page background or frame, not a table
        boxes.append((x0, y0, x1, y1))
    # A rectangle (a cell's border or background) contributes its edges as cell borders, unless
    # it lies inside another one: producers fill each text line of a cell with its own inset
    # background, whose edges are not row borders.
    boxes.sort()
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        inner = False
        back = index - 1
        while back >= 0 and x0 - boxes[back][0] < 3:
            ox0, oy0, ox1, oy1 = boxes[back]
            if ox0 < x0 - 0.3 and ox1 > x1 + 0.3 and oy0 <= y0 + 0.3 and oy1 >= y1 - 0.3:
                inner = True
                break
            back -= 1
        if inner:
            continue
        rules.append(Rule(x0, y0, x1, y0))
        rules.append(Rule(x0, y1, x1, y1))
        rules.append(Rule(x0, y0, x0, y1))
        rules.append(Rule(x1, y0, x1, y1))
    return rules
