"""Rebuilds tables printed without ruling lines, from the positions of their text.

Accountants' layouts (the notes of many annual reports, Hong Kong reports) print tables with no
borders at all: a label column on the left, figures right-aligned in columns, header words over
them, at most a short underline under a spanning header or above a total. To the ruled-table
reader (pdf_tables) such a table is prose. Here it is found from its figures instead:

* runs are joined into *tokens* where they touch (pdfium may report "10,623,136.63" as seven
  glyph runs), and tokens into printed lines;
* a *figure line* carries two or more figures (or nil marks "--", "-") set apart by column gaps;
  a table's body is a run of figure lines, with the label lines between them (a label wrapped
  over two lines, a section label such as "联营企业");
* its columns are the figures' horizontal extents, overlapping ones joined: right-aligned
  figures of one column always overlap, those of two columns never do. A column's empty cell is
  placed by position, which plain text cannot do;
* the header is the lines right above the body whose words stand over the figure columns; a
  word with a short rule under it spans the columns the rule covers ("本年变动").

The result is a PageTable like the ruled reader's, so continuation joining, header reading and
everything after treat both the same.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from hecha.ingest.numbers import is_blank, is_unit_line, normalize, parse_quantity
from hecha.ingest.pdf_page import Rule, Run
from hecha.ingest.pdf_tables import GridCell, PageTable, join_texts

# Runs closer than this share of the type size are one token (glyphs of one figure or word).
_TOKEN_GAP = 0.45
# A figure set further than this share of the type size from the text before it stands in a
# column of its own; in prose a figure follows its words at a space's width.
_COLUMN_GAP = 0.6
# Lines further apart than this share of the type size do not belong to one table.
_LINE_GAP = 2.8
_MAX_HEADER_LINES = 5
# A token wider than this share of the table is prose, not a cell.
_WIDE_TOKEN = 0.45
_SENTENCE = re.compile(r"[。；;]|，.*，")
_PERIOD_WORD = re.compile(r"^(?:(?:19|20)\d{2}年(?:度|\d{1,2}月\d{1,2}日)?|本[年期]|上[年期])$")
_OF_WHICH = re.compile(r"^其中\s*[:：]")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_ITEM_MARKER = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、]|\d{1,2}[.、．](?!\d)|其中\s*[:：])")


@dataclass(slots=True)
class _Token:
    runs: list[Run]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    figure: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class _Line:
    tokens: list[_Token]
    top: float
    bottom: float
    height: float  # the type size: the tallest token (digits and marks are shorter)

    @property
    def figures(self) -> list[_Token]:
        return [token for token in self.tokens if token.figure]


def find_unruled_tables(page: int, runs: list[Run], rules: list[Rule]) -> list[PageTable]:
    """Every table of the page printed without ruling lines, top to bottom. Runs used by a table
    are removed from ``runs`` (the caller keeps the rest as prose)."""
    lines = _lines(runs)
    tables: list[PageTable] = []
    used: set[int] = set()
    index = 0
    floor = 0  # the first line no table above has taken
    while index < len(lines):
        if not _seeds(lines[index]):
            index += 1
            continue
        end = _body_end(lines, index)
        body = lines[index:end]
        if sum(1 for line in body if _seeds(line)) < 2:
            index += 1
            continue
        table = _build(page, lines, floor, index, end, rules)
        index = end
        if table is None:
            continue
        floor = end
        tables.append(table)
        used.update(id(run) for row in table.rows for cell in row for run in cell.runs)
    runs[:] = [run for run in runs if id(run) not in used]
    return tables


def _is_figure(text: str) -> bool:
    normalized = normalize(text).strip()
    if is_blank(normalized) and normalized:
        return True
    return parse_quantity(normalized) is not None


def _lines(runs: list[Run]) -> list[_Line]:
    """Runs joined into tokens and tokens into printed lines, top to bottom."""
    if not runs:
        return []
    heights = sorted(run.height for run in runs)
    typical = heights[len(heights) // 2]
    rows: list[list[Run]] = []
    centre_sums: list[float] = []
    marks: list[Run] = []
    for run in sorted(runs, key=lambda r: r.center_y):
        if run.height < 0.5 * typical:
            marks.append(run)
            continue
        if rows and abs(run.center_y - centre_sums[-1] / len(rows[-1])) <= max(2.5, 0.4 * typical):
            rows[-1].append(run)
            centre_sums[-1] += run.center_y
            continue
        rows.append([run])
        centre_sums.append(run.center_y)
    # Punctuation glyphs ("," "." of a figure drawn one by one) are short and sit low: each joins
    # the line whose height holds it.
    extents = [(min(r.top for r in row) - 1, max(r.bottom for r in row) + 1) for row in rows]
    for mark in marks:
        home = next((i for i, (top, bottom) in enumerate(extents) if top <= mark.center_y <= bottom), None)
        if home is None:
            rows.append([mark])
        else:
            rows[home].append(mark)
    rows.sort(key=lambda row: min(r.top for r in row))
    lines = []
    for row in rows:
        tokens = _tokens(row, typical)
        if not tokens:
            continue
        height = max((token.height for token in tokens), default=typical)
        lines.append(
            _Line(
                tokens, min(t.top for t in tokens), max(t.bottom for t in tokens), max(height, typical * 0.8)
            )
        )
    return lines


def _tokens(row: list[Run], typical: float) -> list[_Token]:
    tokens: list[_Token] = []
    current: list[Run] = []
    reach = 0.0
    for run in sorted(row, key=lambda r: r.x0):
        if current and run.x0 - reach > _TOKEN_GAP * max(typical, run.height):
            tokens.append(_token(current))
            current = []
        current.append(run)
        reach = max(reach, run.x1) if len(current) > 1 else run.x1
    if current:
        tokens.append(_token(current))
    return [token for token in tokens if token.text]


def _token(runs: list[Run]) -> _Token:
    if all(_numeric(r.text) for r in runs):
        # The glyphs of one figure, left to right; its "," and "." sit below the digits' middle
        # and would read as a line of their own.
        text = "".join(r.text.strip() for r in sorted(runs, key=lambda r: r.x0))
    else:
        text = join_texts(runs)
    token = _Token(
        runs,
        text,
        min(r.x0 for r in runs),
        max(r.x1 for r in runs),
        min(r.top for r in runs),
        max(r.bottom for r in runs),
    )
    token.figure = _is_figure(text)
    return token


def _numeric(text: str) -> bool:
    return all(char.isdigit() or char in ",.()（）-%" for char in text.strip())


def _tabular_figures(line: _Line) -> list[_Token]:
    """The line's figures that stand in columns: each set apart from the token before it by a
    column gap, and from words after it (a figure inside a phrase, "1 年以内", "1 至 2 年", stands
    close to its words)."""
    gap = _COLUMN_GAP * line.height
    result = []
    for position, token in enumerate(line.tokens):
        if not token.figure:
            continue
        if position > 0 and token.x0 - line.tokens[position - 1].x1 <= gap:
            continue
        following = line.tokens[position + 1] if position + 1 < len(line.tokens) else None
        if following is not None and not following.figure and following.x0 - token.x1 <= gap:
            continue
        result.append(token)
    return result


def _row_figures(line: _Line) -> list[_Token]:
    """The figures of a table row in this line, or [] for a line of prose: every figure right of
    the first one in a column stands in a column too (a figure inside the label, "1 年以内", may
    stand left of them)."""
    if _SENTENCE.search(_text(line)):
        return []
    tabular = _tabular_figures(line)
    if not tabular or any(t not in tabular for t in line.figures if t.x0 >= tabular[0].x0):
        return []
    return tabular


def _seeds(line: _Line) -> bool:
    """A line that can open or carry a table body: two or more figures in columns, and no prose."""
    return len(_row_figures(line)) >= 2


def _label_only(line: _Line, label_right: float) -> bool:
    return all(token.x1 <= label_right + 1 for token in line.tokens) and not any(
        _SENTENCE.search(token.text) for token in line.tokens
    )


def _body_end(lines: list[_Line], start: int) -> int:
    """One past the last line of the body that opens at ``start``: figure lines, and label lines
    between figure lines, at table line spacing."""
    label_right = min(token.x0 for token in _tabular_figures(lines[start])) - 1
    end = start + 1
    position = start + 1
    while position < len(lines):
        line, above = lines[position], lines[position - 1]
        if line.top - above.bottom > _LINE_GAP * max(line.height, above.height):
            break
        figures = _row_figures(line)
        if figures:
            label_right = min(label_right, min(token.x0 for token in figures) - 1)
            end = position + 1
        elif not _label_only(line, label_right):
            break
        position += 1
    return end


def _text(line: _Line) -> str:
    return "".join(token.text for token in line.tokens)


def _columns(body: list[_Line]) -> list[tuple[float, float]]:
    """The figure columns of a body: extents of its tabular figures, overlapping ones joined."""
    spans = sorted((token.x0, token.x1) for line in body for token in _tabular_figures(line))
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(x0, x1) for x0, x1 in columns]


def _column_of(token: _Token, columns: list[tuple[float, float]], nearest: bool = False) -> int | None:
    """The figure column a token stands in: the one it overlaps most, else the nearest one whose
    right edge it shares (right-aligned header words); a header word (``nearest``) goes to the
    column whose centre is nearest to its own."""
    best, best_overlap = None, 0.0
    for index, (x0, x1) in enumerate(columns):
        overlap = min(x1, token.x1) - max(x0, token.x0)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best is not None:
        return best
    if nearest:
        return min(
            range(len(columns)), key=lambda i: abs(token.center_x - (columns[i][0] + columns[i][1]) / 2)
        )
    distances = [min(abs(token.x1 - x1), abs(token.center_x - (x0 + x1) / 2)) for x0, x1 in columns]
    closest = min(range(len(columns)), key=lambda i: distances[i])
    return closest if distances[closest] < 3 * token.height else None


def _build(
    page: int, lines: list[_Line], floor: int, start: int, end: int, rules: list[Rule]
) -> PageTable | None:
    body = lines[start:end]
    columns = _columns(body)
    if len(columns) < 2:
        return None
    label_right = columns[0][0] - 1
    table_x0 = min(token.x0 for line in body for token in line.tokens)
    table_x1 = max(x1 for _, x1 in columns)
    width = table_x1 - table_x0
    if any(token.x1 - token.x0 > _WIDE_TOKEN * width for line in body for token in line.tokens):
        return None
    head, lead = _header_lines(lines[floor : start + 1], (table_x0, table_x1), label_right, columns)
    body = lead + body
    header_rows = _header_rows(head, columns, label_right, rules)
    body_rows = _body_rows(body, columns, label_right, rules)
    if body_rows is None:
        return None
    rows = header_rows + body_rows
    if not rows:
        return None
    # Figures stand right-aligned: a column's right edge is where the page puts it on every page
    # of the table, its left edge only where its widest figure happens to reach.
    edges = [min(table_x0, *(cell.bbox[0] for row in rows for cell in row[:1])), label_right]
    edges += [x1 + 0.5 for _, x1 in columns[:-1]]
    edges.append(table_x1 + 1)
    top = min(line.top for line in head + body)
    bottom = max(line.bottom for line in body)
    return PageTable(
        page,
        (edges[0], top, edges[-1], bottom),
        edges,
        rows,
        [page] * len(rows),
        list(edges),
        list(range(len(edges) - 1)),
        unruled=True,
        header_count=len(header_rows),
    )


def _header_lines(
    lines: list[_Line], extent: tuple[float, float], label_right: float, columns: list[tuple[float, float]]
) -> tuple[list[_Line], list[_Line]]:
    """The header lines above a body, and the label lines between header and body that belong to
    the body (a section label, a label's first line). Without a header those label lines are
    left out: nothing tells them from a caption. ``lines`` ends with the body's first line.

    A header line holds words over the figure columns and no figure but a year, within the
    table's width; a word that crosses from the label column into the first figure column, or a
    line reaching left of the labels ("68. 外币货币性项目"), is a heading or a sentence above the
    table, not a header."""
    width = extent[1] - extent[0]
    head: list[_Line] = []
    lead: list[_Line] = []
    position = len(lines) - 2
    below = lines[-1]
    while position >= 0 and len(head) < _MAX_HEADER_LINES:
        line = lines[position]
        if below.top - line.bottom > _LINE_GAP * max(line.height, below.height):
            break
        text = _text(line)
        if is_unit_line(text) or _SENTENCE.search(text):
            break
        if any(token.x1 - token.x0 > _WIDE_TOKEN * width for token in line.tokens):
            break
        if any(token.figure and not _YEAR.match(token.text) for token in line.tokens):
            break
        if line.tokens[0].x0 < extent[0] - line.height or line.tokens[-1].x1 > extent[1] + line.height:
            break
        reach = 2 * line.height  # a header word centred over the first column may overhang it a little
        if any(token.x0 < label_right - reach and token.x1 > label_right + reach for token in line.tokens):
            break
        over_columns = [t for t in line.tokens if t.x1 > label_right + 1]
        if not over_columns:
            if head:
                break  # a caption above the header
            lead.insert(0, line)
        else:
            head.insert(0, line)
        below = line
        position -= 1
    if not head:
        lead = []
    return head, lead


def _cell(tokens: list[_Token], bbox: tuple[float, float, float, float]) -> GridCell:
    runs = [run for token in tokens for run in token.runs]
    if not runs:
        return GridCell("", bbox, [])
    text = " ".join(token.text for token in tokens) if all(t.figure for t in tokens) else join_texts(runs)
    box = (
        min(r.x0 for r in runs),
        min(r.top for r in runs),
        max(r.x1 for r in runs),
        max(r.bottom for r in runs),
    )
    return GridCell(text, box, runs)


def _header_rows(
    head: list[_Line], columns: list[tuple[float, float]], label_right: float, rules: list[Rule]
) -> list[list[GridCell]]:
    """Header lines as rows: a line holding a word that spans several columns (a short rule under
    it covers them) is a row of its own; the other lines are wrapped header words, one row."""
    if not head:
        return []
    spanning_rows: list[list[GridCell]] = []
    plain: list[list[_Token]] = [[] for _ in range(len(columns) + 1)]
    top = min(line.top for line in head)
    bottom = max(line.bottom for line in head)
    for line in head:
        spans = {id(token): _spanned(token, line, columns, rules) for token in line.tokens}
        if any(len(covered) > 1 for covered in spans.values()):
            slots: list[list[_Token]] = [[] for _ in range(len(columns) + 1)]
            copies: dict[int, _Token] = {}
            for token in line.tokens:
                covered = spans[id(token)]
                if token.x1 <= label_right + 1:
                    slots[0].append(token)
                elif covered:
                    slots[covered[0] + 1].append(token)
                    for column in covered[1:]:
                        copies[column + 1] = token
            row = []
            for slot, tokens in enumerate(slots):
                bbox = _slot_box(slot, columns, label_right, line.top, line.bottom)
                if not tokens and slot in copies:
                    origin = copies[slot]
                    row.append(
                        GridCell(
                            origin.text, (origin.x0, origin.top, origin.x1, origin.bottom), [], spanned=True
                        )
                    )
                else:
                    row.append(_cell(tokens, bbox))
            spanning_rows.append(row)
            continue
        for token in line.tokens:
            if token.x1 <= label_right + 1:
                plain[0].append(token)
            else:
                placed = _column_of(token, columns, nearest=True)
                if placed is not None:
                    plain[placed + 1].append(token)
    if not any(plain):
        return spanning_rows
    wrapped = [
        _cell(tokens, _slot_box(slot, columns, label_right, top, bottom)) for slot, tokens in enumerate(plain)
    ]
    return [*spanning_rows, wrapped]


def _spanned(token: _Token, line: _Line, columns: list[tuple[float, float]], rules: list[Rule]) -> list[int]:
    """The columns a header word spans: those under a horizontal rule drawn right below it and
    wider than it; else the column it stands in."""
    for rule in rules:
        if not rule.horizontal:
            continue
        if not (line.bottom - 1 <= rule.top <= line.bottom + 1.5 * line.height):
            continue
        if not (rule.x0 - 1 <= token.center_x <= rule.x1 + 1) or rule.x1 - rule.x0 < 1.5 * (
            token.x1 - token.x0
        ):
            continue
        covered = [i for i, (x0, x1) in enumerate(columns) if rule.x0 - 2 <= (x0 + x1) / 2 <= rule.x1 + 2]
        if len(covered) > 1:
            return covered
    # Periods over groups of columns ("2016年" over 账面余额 | 减值准备 | 账面价值, "2015年" over
    # the same three): each column goes to the period word nearest to it.
    words = [t for t in line.tokens if t.figure is False and _PERIOD_WORD.match(t.text)]
    if (
        len(words) >= 2
        and token in words
        and len(words) == len([t for t in line.tokens if t.x0 > columns[0][0] - 2 * line.height])
    ):

        def centre(i: int) -> float:
            return (columns[i][0] + columns[i][1]) / 2

        return [
            i for i in range(len(columns)) if min(words, key=lambda w: abs(w.center_x - centre(i))) is token
        ]
    column = _column_of(token, columns, nearest=True)
    return [] if column is None else [column]


def _slot_box(
    slot: int, columns: list[tuple[float, float]], label_right: float, top: float, bottom: float
) -> tuple[float, float, float, float]:
    if slot == 0:
        return (label_right - 1, top, label_right, bottom)
    x0, x1 = columns[slot - 1]
    return (x0, top, x1, bottom)


def _body_rows(
    body: list[_Line], columns: list[tuple[float, float]], label_right: float, rules: list[Rule]
) -> list[list[GridCell]] | None:
    """Body lines as rows. A line with figures is a row; label lines join it where the label
    wrapped: the lines right above it when they carry no figures of their own and the label
    above ran up to the column's edge (or the figures stand between the label's lines), the
    line right below when its figures stood beside a label that ran up to the edge. None when a
    figure stands outside every column (the layout is not a table after all). A row of figures
    without a label under a rule drawn over its figures is the layout's total row."""
    rows: list[list[GridCell]] = []
    pending: list[_Line] = []  # label lines waiting for their figures
    last_label: list[_Line] = []  # label lines of the last row with figures
    last_cells: list[list[_Token]] | None = None

    def labels_of(line: _Line) -> list[_Token]:
        return [t for t in line.tokens if t.x1 <= label_right + 1]

    # Labels wrap at the label column's printed width, which may end well before the first figure
    # column: the widest label line shows where. A line ending in a colon heads the rows below
    # (and may run wider): it never wraps.
    def heads(line: _Line) -> bool:
        return _text(line).endswith((":", "："))

    label_ends = [max(t.x1 for t in labels_of(line)) for line in body if labels_of(line) and not heads(line)]
    wrap_edge = max(label_ends) if len(label_ends) >= 3 else label_right

    def fills(line: _Line) -> bool:
        labels = labels_of(line)
        return bool(labels) and not heads(line) and max(t.x1 for t in labels) >= wrap_edge - 2.5 * line.height

    def start(line: _Line) -> float:
        return min((t.x0 for t in labels_of(line)), default=label_right)

    # Accountants' layouts often indent a wrapped label's later lines (a hanging indent). Where
    # the table does, a line that starts back at the label's own edge begins a new label even
    # when the line above ran up to the column's edge ("存货跌价准备" / "可供出售金融…").
    label_lines = [line for line in body if labels_of(line)]

    def indented(line: _Line, first: _Line) -> bool:
        return start(line) > start(first) + 0.75 * line.height  # a glyph's offset is no indent

    hanging = any(fills(above) and indented(line, above) for above, line in itertools.pairwise(label_lines))

    def flush_pending() -> None:
        # Pending lines wrap into each other: one label over several lines, a row of its own.
        if pending:
            label = [token for line in pending for token in line.tokens]
            rows.append(_row([label] + [[] for _ in columns], columns, label_right, list(pending)))
            rows[-1][0].heading = True
        pending.clear()

    def wraps_into(group: list[_Line], line: _Line) -> bool:
        if not fills(group[-1]) or _ITEM_MARKER.match(_text(line)):
            return False
        return not hanging or indented(line, group[0])

    previous_bottom = body[0].top - body[0].height
    for line in body:
        above_bottom, previous_bottom = previous_bottom, line.bottom
        labels = [t for t in line.tokens if t.x1 <= label_right + 1]
        others = [t for t in line.tokens if t.x1 > label_right + 1]
        if not others:
            # A label line: the wrapped tail of the row above, or (part of) the next row's label.
            if last_cells is not None and not pending and wraps_into(last_label, line):
                last_label.append(line)
                last_cells[0].extend(labels)
                rows[-1] = _row(last_cells, columns, label_right, last_label)
                continue
            if pending and not wraps_into(pending, line):
                flush_pending()
            pending.append(line)
            last_cells = None
            continue
        cells: list[list[_Token]] = [[] for _ in range(len(columns) + 1)]
        for token in others:
            column = _column_of(token, columns)
            if column is None:
                return None
            cells[column + 1].append(token)
        label_lines = [line] if labels else []
        ends_label = bool(pending) and (not labels or wraps_into(pending, line))
        if ends_label:
            label_lines = pending + label_lines
            cells[0] = [t for p in pending for t in p.tokens] + labels
            pending.clear()
        else:
            flush_pending()
            cells[0] = labels
        rows.append(_row(cells, columns, label_right, label_lines or [line]))
        # (Under a "其中" row a label-less total may be net of it: what it sums is not known.)
        after_of_which = len(rows) > 1 and _OF_WHICH.match(rows[-2][0].text) is not None
        if not cells[0] and not after_of_which and _ruled_above(others, above_bottom, line.top, rules):
            rows[-1][0].total = True
        # Figures printed beside a label's last line: the label ends here, the next line starts
        # anew. Figures centred between a label's lines (a line of their own) may have more below.
        last_cells = None if ends_label and labels else cells
        last_label = label_lines or [line]
    flush_pending()
    if not any(cell.text and is_blank(cell.text) for row in rows for cell in row[1:]):
        for row in rows:
            row[0].heading = False  # no nil marks: a row without figures may be an empty item
    return rows


def _row(
    cells: list[list[_Token]], columns: list[tuple[float, float]], label_right: float, lines: list[_Line]
) -> list[GridCell]:
    top = min(line.top for line in lines)
    bottom = max(line.bottom for line in lines)
    return [
        _cell(tokens, _slot_box(slot, columns, label_right, top, bottom)) for slot, tokens in enumerate(cells)
    ]


def _ruled_above(figures: list[_Token], above: float, top: float, rules: list[Rule]) -> bool:
    """A horizontal rule drawn between the line above and this one, under a figure of this line."""
    for rule in rules:
        if not rule.horizontal or not above - 1 <= rule.top <= top + 1:
            continue
        for token in figures:
            if min(rule.x1, token.x1) - max(rule.x0, token.x0) >= 0.5 * (token.x1 - token.x0):
                return True
    return False
