"""Rebuilds tables of one PDF page from its ruling lines and positioned text runs.

Annual reports draw their tables with borders. Horizontal and vertical rules that touch form one
table; the distinct y positions of its horizontal rules are the row boundaries, the distinct x
positions of its vertical rules the column boundaries, and every text run falls into the grid
position that holds its centre. This resolves what a text-only layout cannot tell apart: a label
wrapped over several lines stays in its row, a header wrapped over three lines stays one header
cell, and a "减少" + "1.11" + "个百分点" cell stays one cell.

Tables drawn with horizontal rules only (three-line tables) take their column boundaries from
the gaps between text runs instead.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from hecha.ingest.lines import open_brackets
from hecha.ingest.pdf_page import Rule, Run

_FIGURE = re.compile(r"^[-(（]?\d[\d,]*(\.\d+)?%?[)）]?$")
# Two figures that pdfium reported as one run ("23,347,592.79 3,247,420,801.54").
_TWO_FIGURES = re.compile(r"^(-?[\d,]+\.\d+%?)\s+(-?[\d,]+\.\d+%?)$")
# A label line opening with an item marker starts a row of its own, even right under a label
# that filled its cell ("投资活动产生的现金流量净额" / "三、筹资活动产生的现金流量：").
_ROW_MARKER = re.compile(
    r"^([（(]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9]{1,2}\s*[.、．](?!\d)|[一二三四五六七八九十]+、"
    r"|其中\s*[:：]|加\s*[:：]|减\s*[:：])"
)
_NIL_MARKS = frozenset({"-", "--", "—", "–", "－"})
_SNAP = 2.0  # rules closer than this (points) are one line: borders are often drawn twice
_TOUCH = 2.5  # a rule ending this close to another one still touches it
_MIN_ROW_HEIGHT = 4.0
_MIN_COL_WIDTH = 4.0
_MAX_HEADER_ROWS = 4


@dataclass(slots=True)
class GridCell:
    text: str
    bbox: tuple[float, float, float, float]
    runs: list[Run] = field(default_factory=list)
    spanned: bool = False  # a copy of a header cell that spans this column too
    # A label cell left empty on a row of figures drawn under a rule: the layout's total row.
    total: bool = False
    # A label on a row without a figure or nil mark in a table that marks every missing figure.
    heading: bool = False


@dataclass(slots=True)
class PageTable:
    """A table found on one page, before continuation joining and model conversion."""

    page: int
    bbox: tuple[float, float, float, float]
    col_edges: list[float]
    rows: list[list[GridCell]]
    row_pages: list[int] = field(default_factory=list)
    # Every column boundary of the grid, empty columns included, and the grid column each kept
    # column came from: a continuation whose empty columns differ can still be lined up.
    grid_edges: list[float] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)
    # Printed without rules (pdf_unruled): only the figure columns' right edges are fixed, and
    # the reader knows how many leading rows are header (rows of nil marks are not).
    unruled: bool = False
    header_count: int | None = None


def _merge_collinear(rules: list[Rule], horizontal: bool) -> list[Rule]:
    """Join pieces of one line (borders drawn cell by cell) into one segment."""

    def position(rule: Rule) -> float:
        return (rule.top + rule.bottom) / 2 if horizontal else (rule.x0 + rule.x1) / 2

    def start(rule: Rule) -> float:
        return rule.x0 if horizontal else rule.top

    def end(rule: Rule) -> float:
        return rule.x1 if horizontal else rule.bottom

    merged: list[Rule] = []
    ordered = sorted(rules, key=lambda r: (round(position(r) / _SNAP), start(r)))
    current: list[float] | None = None  # position, start, end
    for rule in ordered:
        pos, lo, hi = position(rule), start(rule), end(rule)
        if current is not None and abs(pos - current[0]) <= _SNAP and lo <= current[2] + _TOUCH:
            current[2] = max(current[2], hi)
            continue
        if current is not None:
            merged.append(_as_rule(current, horizontal))
        current = [pos, lo, hi]
    if current is not None:
        merged.append(_as_rule(current, horizontal))
    return merged


def _as_rule(values: list[float], horizontal: bool) -> Rule:
    pos, lo, hi = values
    return Rule(lo, pos, hi, pos) if horizontal else Rule(pos, lo, pos, hi)


def _touches(h: Rule, v: Rule) -> bool:
    return h.x0 - _TOUCH <= v.x0 <= h.x1 + _TOUCH and v.top - _TOUCH <= h.top <= v.bottom + _TOUCH


# A table's unit line ("单位：元") and a disclosure item's "□适用 √不适用" check boxes: they open
# a table or a section and are never rows of one.
_TABLE_BREAK = re.compile(r"单位\s*[:：]|适用\s*[□√☑■\uf052]\s*不适用|[□√☑■\uf052]\s*不适用")


def _table_break_between(top: float, bottom: float, verticals: list[Rule], runs: list[Run]) -> bool:
    """A unit line (or check boxes) stands between two horizontal rules and no vertical runs past
    it."""
    if any(v.top <= top + _TOUCH and v.bottom >= bottom - _TOUCH for v in verticals):
        return False
    between = [run for run in runs if top < run.center_y < bottom]
    return any(_TABLE_BREAK.search(join_texts(line)) for line in _text_lines(between))


def _components(
    horizontals: list[Rule], verticals: list[Rule], runs: list[Run]
) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules that touch each other; each group with enough lines is one table."""
    parent = list(range(len(horizontals) + len(verticals)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    offset = len(horizontals)
    ruled: set[int] = set()  # horizontals that a vertical touches
    for hi, h in enumerate(horizontals):
        for vi, v in enumerate(verticals):
            if _touches(h, v):
                parent[find(hi)] = find(offset + vi)
                ruled.add(hi)
    # Horizontal rules stacked over one another with overlapping extent and no verticals still
    # make a table (three-line style); join neighbours that overlap mostly and are close. Two
    # grids ruled with verticals are not joined across a unit line ("32、股本 … 单位：元") or the
    # check boxes of a disclosure item ("□适用 √不适用") that no vertical runs past: there one
    # table ends and the next begins.
    ordered = sorted(range(len(horizontals)), key=lambda i: horizontals[i].top)
    for a, b in itertools.pairwise(ordered):
        ha, hb = horizontals[a], horizontals[b]
        overlap = min(ha.x1, hb.x1) - max(ha.x0, hb.x0)
        if overlap > 0.8 * min(ha.x1 - ha.x0, hb.x1 - hb.x0) and hb.top - ha.top < 60:
            if a in ruled and b in ruled and _table_break_between(ha.top, hb.top, verticals, runs):
                continue
            parent[find(a)] = find(b)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for hi, h in enumerate(horizontals):
        groups.setdefault(find(hi), ([], []))[0].append(h)
    for vi, v in enumerate(verticals):
        groups.setdefault(find(offset + vi), ([], []))[1].append(v)
    return list(groups.values())


def _cluster(values: list[float], tolerance: float) -> list[float]:
    result: list[float] = []
    for value in sorted(values):
        if result and value - result[-1] <= tolerance:
            continue
        result.append(value)
    return result


def join_texts(runs: list[Run]) -> str:
    """The text of runs that form one cell or line, in reading order.

    Runs on one line are joined without a space (Chinese has none) unless both neighbours are
    Latin letters or digits and a visible gap separates them; lines of a wrapped cell likewise.
    """
    if not runs:
        return ""
    lines = _text_lines(runs)
    text = ""
    for line in lines:
        previous: Run | None = None
        for run in sorted(line, key=lambda r: r.x0):
            piece = run.text
            if text and _needs_space(text[-1], piece[0], previous, run):
                text += " "
            text += piece
            previous = run
    return text.strip()


def _needs_space(left: str, right: str, previous: Run | None, run: Run) -> bool:
    if not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
        return False
    if previous is None:
        # A wrapped line: "Total" / "assets" need the space, "1,234" / "56" (a broken figure) not.
        return not (left.isdigit() and right.isdigit())
    return run.x0 - previous.x1 > 0.25 * max(run.height, 1.0)


def find_tables(page: int, runs: list[Run], rules: list[Rule], page_width: float) -> list[PageTable]:
    """Every ruled table on a page, in top-to-bottom order. Runs used by a table are removed
    from ``runs`` (the caller keeps the rest as prose)."""
    runs[:] = _split_figure_pairs(runs)
    horizontals = _merge_collinear([r for r in rules if r.horizontal], horizontal=True)
    verticals = _merge_collinear([r for r in rules if not r.horizontal], horizontal=False)
    tables: list[PageTable] = []
    for group_h, group_v in _close_long_bodies(_components(horizontals, verticals, runs), runs):
        if len(group_h) < 2:
            continue
        table = _grid(page, group_h, group_v, runs)
        if table is not None and (len(group_v) >= 2 or not _figures_only(table)):
            tables.append(table)
    tables.sort(key=lambda t: t.bbox[1])
    used = {id(run) for table in tables for row in table.rows for cell in row for run in cell.runs}
    runs[:] = [run for run in runs if id(run) not in used]
    return tables


def _figures_only(table: PageTable) -> bool:
    """Rules without verticals around nothing but figures, or around one labelled line of them:
    the underlines an accountant draws over a subtotal and under a total ("總計 50,387 95,427"
    between a rule and a double rule), not a table of their own (pdf_unruled reads the rows)."""
    texts = [cell.text.strip() for row in table.rows for cell in row if cell.text.strip()]
    if all(_FIGURE.match(text) or text in _NIL_MARKS for text in texts):
        return True
    lines = [row for row in table.rows if any(cell.text.strip() for cell in row)]
    return len(lines) == 1 and sum(1 for text in texts if _FIGURE.match(text)) >= 1


def _split_figure_pairs(runs: list[Run]) -> list[Run]:
    """Split a run holding two figures into one run per figure.

    pdfium sometimes reports two adjacent cells' figures as one rectangle; left whole, the pair
    would land in one cell and read as no figure or a wrong one. Each part gets the share of
    the run's width that its characters take.
    """
    result: list[Run] = []
    for run in runs:
        match = _TWO_FIGURES.match(run.text)
        if match is None:
            result.append(run)
            continue
        per_char = (run.x1 - run.x0) / len(run.text)
        left, right = match.group(1), match.group(2)
        result.append(Run(left, run.x0, run.top, run.x0 + per_char * len(left), run.bottom))
        result.append(Run(right, run.x1 - per_char * len(right), run.top, run.x1, run.bottom))
    return result


def _close_long_bodies(
    groups: list[tuple[list[Rule], list[Rule]]], runs: list[Run]
) -> list[tuple[list[Rule], list[Rule]]]:
    """Join a three-line table's header rules to its closing rule far below.

    Three-line tables rule only the header's top and bottom and the table's end; a body longer
    than the stacking distance of _components leaves the closing rule apart. It is joined only
    when it has the same extent as the header rules and every text line between them is a table
    row (two or more runs, none as wide as a line of prose), so that two tables with prose
    between them never become one.
    """
    singles = [g for g in groups if len(g[0]) == 1 and not g[1]]
    headers = [g for g in groups if len(g[0]) >= 2 and not g[1]]
    used: set[int] = set()
    for header_h, _ in headers:
        last = max(header_h, key=lambda r: r.top)
        width = last.x1 - last.x0
        below = sorted(
            (g for g in singles if id(g) not in used and g[0][0].top > last.top + _MIN_ROW_HEIGHT),
            key=lambda g: g[0][0].top,
        )
        for group in below[:1]:
            closing = group[0][0]
            if abs(closing.x0 - last.x0) > 3 or abs(closing.x1 - last.x1) > 3:
                continue
            between = [
                run
                for run in runs
                if last.top < run.center_y < closing.top and last.x0 - 1 <= run.center_x <= last.x1 + 1
            ]
            lines = _text_lines(between)
            if lines and all(
                len(line) >= 2 and all(run.x1 - run.x0 < 0.6 * width for run in line) for line in lines
            ):
                header_h.append(closing)
                used.add(id(group))
    return [g for g in groups if id(g) not in used]


def _grid(page: int, horizontals: list[Rule], verticals: list[Rule], runs: list[Run]) -> PageTable | None:
    x0 = min(min(r.x0 for r in horizontals), min((r.x0 for r in verticals), default=1e9))
    x1 = max(max(r.x1 for r in horizontals), max((r.x1 for r in verticals), default=-1e9))
    top = min(min(r.top for r in horizontals), min((r.top for r in verticals), default=1e9))
    bottom = max(max(r.bottom for r in horizontals), max((r.bottom for r in verticals), default=-1e9))
    inside = [r for r in runs if x0 - 1 <= r.center_x <= x1 + 1 and top - 1 <= r.center_y <= bottom + 1]
    if not inside:
        return None
    row_edges = _cluster([r.top for r in horizontals] + [top, bottom], _MIN_ROW_HEIGHT)
    if len(verticals) >= 2:
        col_edges = _cluster([r.x0 for r in verticals] + [x0, x1], _MIN_COL_WIDTH)
    else:
        col_edges = text_column_edges(inside, x0, x1)
    if len(row_edges) < 2 or len(col_edges) < 3:
        return None  # one column: a box around prose, not a table
    grid: list[list[list[Run]]] = [[[] for _ in col_edges[:-1]] for _ in row_edges[:-1]]
    for run in inside:
        row = _band(row_edges, run.center_y)
        col = _band(col_edges, run.center_x)
        grid[row][col].append(run)
    grid, col_edges = _split_shared_columns(grid, col_edges)
    if len(verticals) < 2:
        grid, row_edges = _split_line_rows(grid, row_edges)
    grid, row_edges = _split_unruled_rows(grid, row_edges, col_edges[0], col_edges[1])
    _merge_wrapped_labels(grid, col_edges)
    keep_rows = [i for i, row in enumerate(grid) if any(row)]
    keep_cols = [j for j in range(len(col_edges) - 1) if any(grid[i][j] for i in keep_rows)]
    if len(keep_cols) < 2 or not keep_rows:
        return None
    spans = _header_spans(grid, row_edges, col_edges, verticals) if len(verticals) >= 2 else {}
    rows: list[list[GridCell]] = []
    for i in keep_rows:
        cells = []
        for j in keep_cols:
            cell_runs = grid[i][j]
            if (i, j) in spans:
                origin = spans[(i, j)]
                origin_runs = grid[i][origin]
                origin_bbox = (
                    min(r.x0 for r in origin_runs),
                    min(r.top for r in origin_runs),
                    max(r.x1 for r in origin_runs),
                    max(r.bottom for r in origin_runs),
                )
                cells.append(GridCell(join_texts(origin_runs), origin_bbox, [], spanned=True))
                continue
            if cell_runs:
                bbox = (
                    min(r.x0 for r in cell_runs),
                    min(r.top for r in cell_runs),
                    max(r.x1 for r in cell_runs),
                    max(r.bottom for r in cell_runs),
                )
            else:
                bbox = (col_edges[j], row_edges[i], col_edges[j + 1], row_edges[i + 1])
            cells.append(GridCell(join_texts(cell_runs), bbox, cell_runs))
        rows.append(cells)
    kept_edges = [col_edges[j] for j in keep_cols] + [col_edges[keep_cols[-1] + 1]]
    return PageTable(page, (x0, top, x1, bottom), kept_edges, rows, [page] * len(rows), col_edges, keep_cols)


def _header_spans(
    grid: list[list[list[Run]]], row_edges: list[float], col_edges: list[float], verticals: list[Rule]
) -> dict[tuple[int, int], int]:
    """Header cells that span several columns: (row, covered column) -> column holding the text.

    In a header row (before the first row with figures), neighbouring grid columns whose
    boundary has no vertical rule across that row are one merged cell ("2025年度" over 金额 /
    占比). A merged cell with text in exactly one of its columns spans the others. Boundaries
    found from text gaps (no rule anywhere) are never read as merged, nor is a caption row
    merged across the label column.
    """
    ruled = [any(abs(v.x0 - edge) <= _MIN_COL_WIDTH for v in verticals) for edge in col_edges]
    header_rows = next(
        (
            i
            for i, row in enumerate(grid[: _MAX_HEADER_ROWS + 1])
            if any(_FIGURE.match(run.text) for cell in row[1:] for run in cell)
        ),
        0,  # no figures below: a form of text cells, not a header over columns of figures
    )
    spans: dict[tuple[int, int], int] = {}
    for i, row in enumerate(grid[:header_rows]):
        middle = (row_edges[i] + row_edges[i + 1]) / 2
        group = [0]
        for k in range(1, len(col_edges)):
            open_edge = (
                k < len(col_edges) - 1
                and ruled[k]
                and not any(
                    abs(v.x0 - col_edges[k]) <= _MIN_COL_WIDTH and v.top - 1 <= middle <= v.bottom + 1
                    for v in verticals
                )
            )
            if open_edge:
                group.append(k)
                continue
            filled = [j for j in group if row[j]]
            # A row merged across the label column too is a caption inside the table, not a group.
            if len(group) >= 2 and len(filled) == 1 and group[0] > 0:
                spans.update({(i, j): filled[0] for j in group if j != filled[0]})
            group = [k]
    return spans


def _split_shared_columns(
    grid: list[list[list[Run]]], col_edges: list[float]
) -> tuple[list[list[list[Run]]], list[float]]:
    """Split a ruled column that holds two columns of figures (a missing vertical rule).

    The split goes at a gap that no run crosses, and only when at least two rows have text on
    both sides of it, so that a lone wide cell never splits its column.
    """
    new_edges = [col_edges[0]]
    splits: dict[int, float] = {}
    for col in range(len(col_edges) - 1):
        column_runs = [run for row in grid for run in row[col]]
        edges = _gaps(column_runs, col_edges[col], col_edges[col + 1]) if column_runs else []
        if len(edges) == 3:
            cut = edges[1]
            both = sum(
                1 for row in grid if any(r.x1 <= cut for r in row[col]) and any(r.x0 >= cut for r in row[col])
            )
            if both >= 2:
                splits[col] = cut
                new_edges.append(cut)
        new_edges.append(col_edges[col + 1])
    if not splits:
        return grid, col_edges
    new_grid: list[list[list[Run]]] = []
    for row in grid:
        new_row: list[list[Run]] = []
        for col, runs in enumerate(row):
            if col in splits:
                cut = splits[col]
                new_row.append([r for r in runs if r.center_x < cut])
                new_row.append([r for r in runs if r.center_x >= cut])
            else:
                new_row.append(runs)
        new_grid.append(new_row)
    return new_grid, new_edges


def _split_line_rows(
    grid: list[list[list[Run]]], row_edges: list[float]
) -> tuple[list[list[list[Run]]], list[float]]:
    """Split the body band of a three-line table into one row per text line.

    Without vertical rules nothing tells a wrapped cell from a new row except the text itself;
    a band is split only when it holds three or more lines and every line has text in two or
    more columns (so no line is the wrapped tail of a label).
    """
    new_grid: list[list[list[Run]]] = []
    new_edges: list[float] = [row_edges[0]]
    for index, row in enumerate(grid):
        cell_of = {id(run): col for col, cell in enumerate(row) for run in cell}
        lines = _text_lines([run for cell in row for run in cell])
        if len(lines) < 3 or any(len({cell_of[id(run)] for run in line}) < 2 for line in lines):
            new_grid.append(row)
            new_edges.append(row_edges[index + 1])
            continue
        for number, line in enumerate(lines):
            piece: list[list[Run]] = [[] for _ in row]
            for run in line:
                piece[cell_of[id(run)]].append(run)
            new_grid.append(piece)
            if number > 0:
                new_edges.append(min(run.top for run in line))
        new_edges.append(row_edges[index + 1])
    return new_grid, new_edges


def _split_unruled_rows(
    grid: list[list[list[Run]]], row_edges: list[float], label_edge: float, label_border: float
) -> tuple[list[list[list[Run]]], list[float]]:
    """Split a row band that holds several table rows (rows not separated by rules).

    A band is split when it holds two or more lines of figures, or when only its label column
    holds several lines (header bands wrap words in every column and stay whole). A line starts
    a new row when it carries a figure, or when the label line above it did not run up to the
    column border (a label that reached the border wrapped onto this line).
    """
    new_grid: list[list[list[Run]]] = []
    new_edges: list[float] = [row_edges[0]]
    for index, row in enumerate(grid):
        lines = _text_lines([run for cell in row for run in cell])
        label_ids = {id(run) for run in row[0]}
        figure_lines = sum(1 for line in lines if _has_figure(line, label_ids))
        other_multiline = any(len(_text_lines(cell)) > 1 for cell in row[1:])
        if len(lines) < 2 or (figure_lines < 2 and other_multiline):
            new_grid.append(row)
            new_edges.append(row_edges[index + 1])
            continue
        starts: list[float] = []
        label_left = min((run.x0 for run in row[0]), default=label_edge)
        previous_label: list[Run] = []
        previous_had_figures = False
        for number, line in enumerate(lines):
            label = [run for run in line if id(run) in label_ids]
            wrapped = _fills_cell(previous_label, label_edge, label_left, label_border)
            figures = _has_figure(line, label_ids)
            # Figures printed beside the last line of a wrapped label belong to that label.
            continues_label = wrapped and not previous_had_figures
            marked = bool(label) and bool(_ROW_MARKER.match(join_texts(label)))
            if number > 0 and ((figures and not continues_label) or (label and (not wrapped or marked))):
                starts.append(min(run.top for run in line))
            previous_label = label or previous_label
            previous_had_figures = figures
        if not starts:
            new_grid.append(row)
            new_edges.append(row_edges[index + 1])
            continue
        pieces: list[list[list[Run]]] = [[[] for _ in row] for _ in range(len(starts) + 1)]
        for col, cell in enumerate(row):
            for run in cell:
                piece = sum(1 for start in starts if run.center_y >= start - 1)
                pieces[piece][col].append(run)
        new_grid.extend(pieces)
        new_edges.extend([*starts, row_edges[index + 1]])
    return new_grid, new_edges


def _fills_cell(line: list[Run], cell_left: float, text_left: float, border: float) -> bool:
    """True when a label line ran up to its cell's right border, so that its text wrapped.

    The cell's right padding is taken to equal its left one (at most a character); a word
    processor wraps up to two characters early (a closing "：" may not start a line, so "量："
    moves down together). A line ending in a colon is a heading over the rows below.
    """
    if not line:
        return False
    if join_texts(line).endswith(("：", ":")):
        return False
    char = max(run.height for run in line)
    padding = min(max(0.0, text_left - cell_left), char)
    return max(run.x1 for run in line) >= border - padding - 1.7 * char


def _text_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into printed lines: top to bottom, a run joins the line whose centre (the
    mean of its runs' centres, kept as a running sum) is within a third of its height."""
    lines: list[list[Run]] = []
    center_sum = 0.0
    for run in sorted(runs, key=lambda r: r.center_y):
        if lines and abs(run.center_y - center_sum / len(lines[-1])) <= max(2.5, 0.35 * run.height):
            lines[-1].append(run)
            center_sum += run.center_y
        else:
            lines.append([run])
            center_sum = run.center_y
    return lines


def _has_figure(line: list[Run], label_ids: set[int]) -> bool:
    """True for a line with figures in two or more places right of the label: a row of its own,
    not the wrapped tail of one cell ("减少" / "16.43个" / "百分点")."""
    figures = [run for run in line if id(run) not in label_ids and _FIGURE.match(run.text)]
    return len(figures) >= 2


def _merge_wrapped_labels(grid: list[list[list[Run]]], col_edges: list[float]) -> None:
    """Move a label's wrapped continuation line back into the row it belongs to.

    Some producers draw fill rectangles per text line, which look like row borders. A row that
    holds only label text, right under a label that ran up to its column's right border or left
    a bracket open ("五、净利润（净亏损以“－”号填" / "列）"), at line spacing (not row spacing), is
    that label's second line; so is a label line printing the row's figures under such a first
    line. When the figures are centred on the label's two lines, they stand on a line of their
    own between them: the three lines are one row.
    """
    # The label column is the first that prints anything (an empty ruled column may precede it).
    first = next((col for col in range(len(col_edges) - 1) if any(row[col] for row in grid)), None)
    if first is None:
        return
    if first:
        grid = [row[first:] for row in grid]  # the cells are shared: edited in place, they reach the caller
        col_edges = col_edges[first:]
    previous: int | None = None
    for index, row in enumerate(grid):
        if not any(row):
            continue
        label_only = bool(row[0]) and not any(row[1:])
        if previous is not None and label_only and not _ROW_MARKER.match(join_texts(row[0])):
            centred = _centred_figures(grid, previous, index)
            above = grid[centred if centred is not None else previous]
            if above[0] and _continues_label(above[0], row[0], col_edges):
                above[0].extend(row[0])
                row[0].clear()
                if centred is not None:
                    for col in range(1, len(row)):
                        above[col].extend(grid[previous][col])
                        grid[previous][col].clear()
                    previous = centred
                continue
        if (
            previous is not None
            and row[0]
            and not label_only
            and grid[previous][0]
            and not any(grid[previous][1:])
            and not _ROW_MARKER.match(join_texts(row[0]))
            and _continues_label(grid[previous][0], row[0], col_edges)
        ):
            # Figures printed beside the last line of a wrapped label: the label's first line
            # stands as a row without figures above them.
            row[0][:0] = grid[previous][0]
            grid[previous][0].clear()
        previous = index


def _centred_figures(grid: list[list[list[Run]]], figures: int, below: int) -> int | None:
    """The label-only row above ``figures`` when ``figures`` is a line of figures without a label
    printed between that label's line and ``below`` (overlapping both: centred on the two)."""
    if grid[figures][0] or not any(grid[figures][1:]):
        return None
    above = next((i for i in range(figures - 1, -1, -1) if any(grid[i])), None)
    if above is None or not grid[above][0] or any(grid[above][1:]):
        return None
    figure_runs = [run for cell in grid[figures][1:] for run in cell]
    top, bottom = min(run.top for run in figure_runs), max(run.bottom for run in figure_runs)
    overlaps_above = top < max(run.bottom for run in grid[above][0])
    overlaps_below = bottom > min(run.top for run in grid[below][0])
    return above if overlaps_above and overlaps_below else None


def _continues_label(above: list[Run], line: list[Run], col_edges: list[float]) -> bool:
    """True when ``line`` is the next line of the label ``above``: printed at line spacing, under a
    label that ran up to the column border or left a bracket that ``line`` closes."""
    char = max(run.height for run in above)
    if min(run.top for run in line) - max(run.bottom for run in above) >= 0.9 * char:
        return False
    last_line = _text_lines(above)[-1]
    if _fills_cell(last_line, col_edges[0], min(run.x0 for run in above), col_edges[1]):
        return True
    text = join_texts(above)
    return open_brackets(text) > 0 and join_texts(line).rstrip().endswith(("）", ")"))


def _band(edges: list[float], value: float) -> int:
    for index in range(len(edges) - 1):
        if value < edges[index + 1]:
            return index
    return len(edges) - 2


def text_column_edges(runs: list[Run], x0: float, x1: float) -> list[float]:
    """Column boundaries from the horizontal gaps that no text run crosses.

    A boundary lies in every stretch of x that is covered by no run; stretches narrower than a
    few points are the space inside a cell, not between columns. Runs that span several columns
    (a header over sub-columns) would hide the gaps, so the widest runs that cross a gap found by
    the other runs are left out when the remaining runs give more columns.
    """
    if not runs:
        return [x0, x1]
    edges = _gaps(runs, x0, x1)
    # Header cells spanning sub-columns hide gaps; retry without runs wider than most.
    narrow = [run for run in runs if (run.x1 - run.x0) < 120]
    if narrow and len(narrow) < len(runs):
        narrow_edges = _gaps(narrow, x0, x1)
        if len(narrow_edges) > len(edges):
            edges = narrow_edges
    return edges


def _gaps(runs: list[Run], x0: float, x1: float) -> list[float]:
    spans = sorted((run.x0, run.x1) for run in runs)
    edges = [x0]
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= 6:
            edges.append((start + reach) / 2)
        reach = max(reach, end)
    edges.append(max(x1, reach))
    return edges
