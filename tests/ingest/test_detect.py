"""Format detection and the errors a reviewer sees for files hecha cannot read."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hecha.ingest.detect import HEAD_SIZE, decode_text, detect
from hecha.ingest.errors import IngestError
from hecha.ingest.loader import load

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "bad"
MARKDOWN = ROOT / "tests" / "fixtures" / "markdown"
EXAMPLES = ROOT / "examples"

# The first records of haixiang_2019_annual.alltxt, as the JSON-lines export prints them.
ALLTXT_HEAD = (
    '{"page": 1, "allrow": 0, "type": "text", "inside": ""}\n'
    '{"page": 1, "allrow": 1, "type": "页眉", "inside": "浙江海翔药业股份有限公司2019年年度报告全文"}\n'
    '{"page": 1, "allrow": 2, "type": "text", "inside": "浙江海翔药业股份有限公司"}\n'
).encode()


def test_pdf() -> None:
    head = (EXAMPLES / "haixiang_2019_annual.pdf").read_bytes()[:4096]
    assert detect(head) == "pdf"
    # A few junk bytes before the header (mail gateways, some writers) do not hide it.
    assert detect(b"\r\n\xef\xbb\xbf  " + head) == "pdf"


def test_alltxt() -> None:
    assert detect(ALLTXT_HEAD) == "alltxt"
    assert detect(b"\n\n" + ALLTXT_HEAD) == "alltxt"


def test_json_lines_without_the_alltxt_keys_are_text() -> None:
    assert detect(b'{"page": 1, "text": "x"}\n') == "text"


@pytest.mark.parametrize(
    "name",
    [
        "chengbang_revenue_by_segment.md",
        "chengbang_revenue_by_segment.gb18030.md",
        "chengbang_product_continued.md",
    ],
)
def test_markdown_fixtures(name: str) -> None:
    assert detect((MARKDOWN / name).read_bytes()) == "markdown"


def test_whole_reply_is_markdown() -> None:
    assert detect((EXAMPLES / "chengbang_2025_inquiry_reply.md").read_bytes()) == "markdown"


def test_pipe_table_and_headings_are_markdown() -> None:
    assert detect("| 项目 | 金额 |\n|---|---|\n| A | 1 |\n".encode()) == "markdown"
    assert detect("# 标题\n\n正文\n".encode()) == "markdown"
    assert detect("正文\n## 一\n文字\n## 二\n".encode()) == "markdown"


def test_plain_text_is_text() -> None:
    # Lines as a PDF extractor prints them: no tags, no pipes, no headings.
    text = "单位：万元\n项目 2025年度 2024年度\n营业收入 50,356.55 34,789.38\n# 号开头的一行\n"
    assert detect(text.encode()) == "text"
    assert detect(text.encode("gb18030")) == "text"


def test_head_cut_inside_a_character_still_decodes() -> None:
    # 3-byte UTF-8 characters across the 64 KB boundary: the cut splits one of them.
    data = ("营业收入" * (HEAD_SIZE // 3 + 10)).encode()
    assert len(data) > HEAD_SIZE
    assert detect(data) == "text"


def test_random_bytes_without_nul_are_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(8192))
    with pytest.raises(IngestError) as caught:
        detect(data)
    assert str(caught.value) == "不是可识别的文档格式（二进制内容）"


def test_decode_text() -> None:
    assert decode_text("\ufeff单位：万元".encode()) == "单位：万元"
    assert decode_text("单位：万元".encode("gb18030")) == "单位：万元"
    with pytest.raises(IngestError):
        decode_text(b"\x81\x30")  # a GB18030 four-byte sequence cut short


# --- bad input through loader.load ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("random_bytes.bin", "不是可识别的文档格式（二进制内容）"),
        ("archive.zip", "不是可识别的文档格式（ZIP 压缩包或 Office 文件，请先导出为 PDF）"),
        ("utf16_text.txt", "无法识别文本编码（仅支持 UTF-8 或 GB18030）"),
        ("empty.md", "文件为空"),
        ("whitespace_only.txt", "文件为空"),
    ],
)
def test_bad_files_raise_one_clear_error(name: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        load(str(BAD / name))
    assert str(caught.value) == message
    assert caught.value.message_en


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as directory:
        load(str(tmp_path))
    assert str(directory.value) == "是目录而不是文件"
    with pytest.raises(IngestError) as missing:
        load(str(tmp_path / "no_such_file.md"))
    assert str(missing.value) == "文件不存在"


def test_forced_markdown_format_still_rejects_binary() -> None:
    with pytest.raises(IngestError):
        load(str(BAD / "random_bytes.bin"), input_format="markdown")
