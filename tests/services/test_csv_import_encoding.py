"""Importing members: files in the encodings shops' files come in, and fields too long to read."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.db import models as m
from terminal.services import member_import
from terminal.services.csv_import import ImportFileError
from tests.helpers import factory

# (file, the text in it, how it is written, the codec the import must read it with)
FILES = [
    ("utf8.csv", "name,phone\nMüller,13800138000\n王小明,13800138001\n", "utf-8", "utf-8-sig"),
    ("utf8-bom.csv", "name,phone\nMüller,13800138000\n王小明,13800138001\n", "utf-8-sig",
     "utf-8-sig"),
    ("utf16le.csv", "\ufeffname\tphone\nMüller\t13800138000\n王小明\t13800138001\n",
     "utf-16-le", "utf-16"),
    ("utf16be.csv", "\ufeffname,phone\nMüller,13800138000\n王小明,13800138001\n",
     "utf-16-be", "utf-16"),
    # one row: charset-normalizer alone says Big5 (卼苤隴)
    ("gbk-one-row.csv", "name,phone\n王小明,13800138000\n", "gbk", "gb18030"),
    ("gbk-li.csv", "name,phone\n李华,13900139000\n", "gbk", "gb18030"),
    ("gbk.csv", "姓名,手机,积分\n王小明,13800138000,100\n李华,13900139000,50\n"
                "张伟,13700137000,0\n", "gbk", "gb18030"),
    ("gb18030.csv", "姓名,手机\n王小明,13800138000\n李䶮,13900139000\n", "gb18030", "gb18030"),
    ("big5.csv", "會員姓名,電話號碼\n黃國權,13800138000\n劉麗華,13900139000\n", "big5", "big5"),
    ("big5-en.csv", "name,phone\n陳大文,13800138000\n", "big5", "big5"),
    ("cp1252.csv", "name,phone\nMüller,13800138000\n", "cp1252", "cp1252"),
    ("cp1252-more.csv", "name,phone,stored value\nJosé Müller,13800138000,€12\n"
                        "François Lefèvre,13900139000,0\nZoë Åberg,13700137000,0\n",
     "cp1252", "cp1252"),
]


def names() -> set[str]:
    return {r[0] for r in m.Member.select(m.Member.name).tuples()}


@pytest.mark.parametrize(("filename", "text", "written", "codec"), FILES,
                         ids=[f[0] for f in FILES])
def test_files_in_each_encoding_import_as_written(ctx, tmp_path: Path, filename, text,
                                                  written, codec) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / filename
    path.write_bytes(text.encode(written))
    expected = {line.replace("\t", ",").split(",")[0].lstrip("\ufeff")
                for line in text.splitlines()[1:]}
    dry = member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    assert dry.encoding == codec, dry.encoding_reason
    assert dry.encoding_reason
    assert [row[0] for row in dry.samples] == [line.split("\t")[0].split(",")[0]
                                               for line in text.splitlines()[1:4]]
    assert dry.ok, dry.errors
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager)
    assert result.ok and result.imported == len(expected)
    assert names() == expected


def test_a_file_two_encodings_read_differently_is_refused_unless_the_encoding_is_given(
        ctx, tmp_path: Path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "big5-short.csv"
    path.write_bytes("name,phone\nAnn,13700137000\n黃國權,13800138000\n".encode("big5"))
    assert path.read_bytes().decode("gb18030") != path.read_bytes().decode("big5")
    with pytest.raises(ImportFileError) as refused:
        member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    message = str(refused.value)
    assert "GB18030" in message and "Big5" in message and "--encoding" in message
    # the first row that differs, as each would read it
    assert "line 3" in message and "黃國權" in message
    assert path.read_bytes().decode("gb18030").splitlines()[2].split(",")[0] in message
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager,
                                     encoding="big5")
    assert result.ok and result.encoding == "big5" and "given" in result.encoding_reason
    assert names() == {"Ann", "黃國權"}


def test_the_given_encoding_is_checked(ctx, tmp_path: Path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "gbk.csv"
    path.write_bytes("name,phone\n王小明,13800138000\n".encode("gbk"))
    with pytest.raises(ImportFileError, match="unknown encoding 'latin-9x'"):
        member_import.import_members(ctx, path, dry_run=True, approved_by=manager,
                                encoding="latin-9x")
    with pytest.raises(ImportFileError, match=r"not UTF-8 text.*line 2"):
        member_import.import_members(ctx, path, dry_run=True, approved_by=manager,
                                encoding="utf-8")
    # a name Python knows, in another spelling, is the same codec
    result = member_import.import_members(ctx, path, dry_run=True, approved_by=manager,
                                     encoding="GBK")
    assert result.ok and result.samples[0][0] == "王小明"


def test_a_file_in_no_known_encoding_is_refused_whole(ctx, tmp_path: Path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "binary.csv"
    # 0x80 starts nothing in GB18030 or Big5; 0x81 and 0x8D are unassigned in Windows-1252
    path.write_bytes(b"name,phone\nAl\x80\x81\x8d,13800138000\n")
    with pytest.raises(ImportFileError, match="not text in any encoding"):
        member_import.import_members(ctx, path, dry_run=True, approved_by=manager)


def test_a_200_kb_field_is_that_rows_error(ctx, tmp_path: Path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "huge.csv"
    path.write_text("name,phone,tier\nAnn,13700137000,\n" + "B" * 200_000 + ",13800138000,\n"
                    "Carl,13900139000," + "x" * 100_000 + "\n", encoding="utf-8")
    result = member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    assert result.rows == 3
    assert [e.line for e in result.errors] == [3, 4]
    assert "more than 131,072 characters" in result.errors[0].message
    assert "tier" in result.errors[1].message and "100,000 characters" in \
        result.errors[1].message
    assert all(len(str(e)) < 200 for e in result.errors)  # never the field itself
