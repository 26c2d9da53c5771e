"""Bad input through the real readers: every unreadable file gives exactly one line
``hecha: FILE: reason`` on stderr (Chinese, or English with --lang en), exit code 2 and no
traceback, and the other files of the run are still checked."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "examples" / "haixiang_2019_annual.pdf"
FIXTURE = REPO / "tests" / "fixtures" / "e2e" / "chengbang_margin_altered.md"
CJK = re.compile(r"[\u3400-\u9fff]")


def hecha(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hecha", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def blank_pdf() -> bytes:
    """A valid one-page PDF with no text at all, like a scan without its image."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path

    return make


def _directory(directory: Path) -> Path:
    path = directory / "folder.pdf"
    path.mkdir()
    return path


BAD_INPUTS: dict[str, Callable[[Path], Path]] = {
    "missing": lambda directory: directory / "no-such-file.pdf",
    "directory": _directory,
    "empty": _write("empty.md", b""),
    "only-whitespace": _write("blank.txt", b"\n \n\t\n"),
    "random-bytes": _write("noise.bin", random.Random(20250101).randbytes(4096)),
    "truncated-pdf": _write("truncated.pdf", PDF.read_bytes()[: PDF.stat().st_size // 3]),
    "pdf-header-then-garbage": _write("garbage.pdf", b"%PDF-1.7\n" + random.Random(7).randbytes(2048)),
    "pdf-without-text": _write("scanned.pdf", blank_pdf()),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_input_is_one_line_and_exit_2(case: str, lang: str, tmp_path: Path) -> None:
    path = BAD_INPUTS[case](tmp_path)
    done = hecha("check", "--lang", lang, str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    prefix = f"hecha: {path}: "
    assert lines[0].startswith(prefix)
    reason = lines[0][len(prefix) :]
    assert reason
    # A reader that recognised the problem, not an unexpected exception caught by the CLI.
    assert "内部错误" not in reason and "internal error" not in reason
    if lang == "en":
        assert not CJK.search(reason), reason
    else:
        assert CJK.search(reason), reason


def test_forcing_the_wrong_input_format_is_an_input_error() -> None:
    done = hecha("check", "--input-format", "pdf", str(FIXTURE.relative_to(REPO)))
    assert done.returncode == 2
    assert done.stderr.startswith("hecha: tests/fixtures/e2e/chengbang_margin_altered.md: ")
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr


def test_unknown_input_format_option_is_a_usage_error() -> None:
    done = hecha("check", "--input-format", "docx", str(FIXTURE))
    assert done.returncode == 2
    assert "invalid choice: 'docx'" in done.stderr


def test_other_files_are_still_checked_when_one_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(PDF.read_bytes()[:5000])
    fixture = str(FIXTURE.relative_to(REPO))
    done = hecha("check", str(bad), fixture, str(tmp_path / "missing.md"))
    assert done.returncode == 2
    errors = done.stderr.splitlines()
    assert [line.split(": ")[1] for line in errors] == [str(bad), str(tmp_path / "missing.md")]
    summaries = [line for line in done.stdout.splitlines() if line.startswith(f"{fixture}: ")]
    assert len(summaries) == 1 and "发现表格 2 个" in summaries[0]
    assert done.stdout.splitlines()[-1].startswith("合计：3 个文件，")
    assert done.stdout.splitlines()[-1].endswith("2 个文件无法读取")
