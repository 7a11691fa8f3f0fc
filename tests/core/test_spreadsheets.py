import io
import uuid
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from apps.core.spreadsheets import (
    XLSX_CONTENT_TYPE,
    SpreadsheetError,
    SpreadsheetErrorCode,
    TableRow,
    neutralize,
    read_table,
    write_xlsx,
    xlsx_response,
)

HEADERS_ZH = ["姓名", "身份证号", "金额"]


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _refusal(upload, **limits) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read_table(upload, **limits)
    return caught.value


def _english(error: SpreadsheetError) -> str:
    # Messages may stay lazy until rendered, so render them in a fixed language.
    with translation.override("en"):
        return str(error)


# Writing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800138000", "'+8613800138000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
    ],
)
def test_neutralize_prefixes_dangerous_text_with_an_apostrophe(value, expected):
    assert neutralize(value) == expected


@pytest.mark.parametrize(
    "value", [42, -5, Decimal("-1.50"), 2.5, date(2024, 1, 31), None, "张三", "a=b", ""]
)
def test_neutralize_leaves_numbers_dates_none_and_safe_text_unchanged(value):
    assert neutralize(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tcmd", "'\tcmd"),
        # XML parsers turn a carriage return into a newline; the apostrophe is what matters.
        ("\rcmd", "'\ncmd"),
    ],
)
def test_writer_neutralises_each_dangerous_prefix(value, expected):
    cell = _sheet(write_xlsx(["value"], [[value]]))["A2"]

    assert cell.value == expected
    assert cell.data_type == "s"


def test_writer_neutralises_headers_too():
    assert _sheet(write_xlsx(["=cmd|' /C calc'!A0", "姓名"], []))["A1"].value == (
        "'=cmd|' /C calc'!A0"
    )


def test_writer_keeps_integers_and_floats_numeric():
    sheet = _sheet(write_xlsx(["int", "negative", "float"], [[42, -7, 2.5]]))

    assert [(cell.value, cell.data_type) for cell in sheet[2]] == [
        (42, "n"),
        (-7, "n"),
        (2.5, "n"),
    ]


def test_writer_keeps_decimal_as_an_exact_number():
    data = write_xlsx(["金额"], [[Decimal("1234.56")]])
    cell = _sheet(data)["A2"]

    assert cell.data_type == "n"
    assert Decimal(str(cell.value)) == Decimal("1234.56")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<v>1234.56</v>" in archive.read("xl/worksheets/sheet1.xml")


def test_writer_writes_dates_as_dates():
    cell = _sheet(write_xlsx(["出生日期"], [[date(2023, 5, 17)]]))["A2"]

    assert cell.is_date
    assert cell.value == datetime(2023, 5, 17)


def test_writer_shows_aware_datetimes_in_shanghai_time():
    cell = _sheet(write_xlsx(["时间"], [[datetime(2024, 1, 31, 16, 30, tzinfo=UTC)]]))["A2"]

    assert cell.value == datetime(2024, 2, 1, 0, 30)


def test_writer_drops_control_characters_instead_of_failing():
    assert _sheet(write_xlsx(["备注"], [["a\x01b\x0bc"]]))["A2"].value == "abc"


def test_writer_neutralises_text_given_as_bytes():
    assert _sheet(write_xlsx(["a"], [[b"=1+1"]]))["A2"].value == "'=1+1"


def test_writer_writes_other_objects_as_their_text():
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert _sheet(write_xlsx(["a"], [[value]]))["A2"].value == str(value)


def test_writer_makes_the_header_row_bold():
    sheet = _sheet(write_xlsx(["姓名"], [["张三"]]))

    assert (sheet["A1"].font.b, sheet["A2"].font.b) == (True, False)


def test_writer_names_the_sheet():
    assert _sheet(write_xlsx(["a"], [], sheet_title="名单")).title == "名单"


def test_writer_cleans_characters_excel_forbids_in_sheet_titles():
    assert _sheet(write_xlsx(["a"], [], sheet_title="2024/01: 名单")).title == "2024_01_ 名单"


def test_writer_accepts_a_generator_of_rows():
    rows = ([index, f"名字{index}"] for index in range(3))

    assert [row[0].value for row in _sheet(write_xlsx(["序号", "姓名"], rows)).iter_rows()] == [
        "序号",
        0,
        1,
        2,
    ]


def test_response_has_the_xlsx_content_type():
    assert xlsx_response("list.xlsx", ["a"], [])["Content-Type"] == XLSX_CONTENT_TYPE


def test_response_names_a_chinese_file_with_utf8_and_an_ascii_fallback():
    response = xlsx_response("迁安托育名单2024.xlsx", ["a"], [])

    assert response["Content-Disposition"] == (
        'attachment; filename="2024.xlsx"; '
        "filename*=UTF-8''%E8%BF%81%E5%AE%89%E6%89%98%E8%82%B2%E5%90%8D%E5%8D%952024.xlsx"
    )


def test_response_falls_back_to_export_when_nothing_ascii_is_left():
    response = xlsx_response("名单", ["a"], [])

    assert response["Content-Disposition"].startswith('attachment; filename="export.xlsx"; ')


def test_response_cannot_be_tricked_by_quotes_in_the_file_name():
    disposition = xlsx_response('a"; filename="evil.exe', ["a"], [])["Content-Disposition"]

    assert disposition.startswith('attachment; filename="a__filename__evil.exe.xlsx"; ')


def test_response_body_is_the_workbook():
    response = xlsx_response("list.xlsx", ["姓名"], [["张三"]])

    assert _sheet(response.content)["A2"].value == "张三"


def test_response_is_not_cached():
    assert xlsx_response("list.xlsx", ["a"], [])["Cache-Control"] == "private, no-store"


# Reading


def test_reader_accepts_xlsx_and_converts_cells_to_text():
    content = _xlsx_bytes(
        [
            [*HEADERS_ZH, "出生日期"],
            ["  张三 ", "11010519491231002X", 1200.0, datetime(2023, 5, 17)],
            ["李四", 130283, 99.5, datetime(2023, 5, 17, 8, 30)],
        ]
    )

    result = read_table(_upload("名单.xlsx", content))

    assert result.headers == ["姓名", "身份证号", "金额", "出生日期"]
    assert result.rows == [
        TableRow(number=2, values=["张三", "11010519491231002X", "1200", "2023-05-17"]),
        TableRow(number=3, values=["李四", "130283", "99.5", "2023-05-17 08:30:00"]),
    ]


def test_reader_skips_empty_xlsx_rows_but_keeps_row_numbers():
    content = _xlsx_bytes([HEADERS_ZH, ["张三", "1", "2"], [None, "  ", None], ["李四", "3", "4"]])

    result = read_table(_upload("a.xlsx", content))

    assert [row.number for row in result.rows] == [2, 4]


def test_reader_reads_formula_results_not_formulas():
    workbook = Workbook()
    workbook.active.append(["金额"])
    workbook.active.append(["=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # Without a cached result (no spreadsheet program computed it) the cell reads as empty.
    assert read_table(_upload("a.xlsx", buffer.getvalue())).rows == []


def test_reader_accepts_utf8_csv():
    content = "姓名,身份证号\n张三,11010519491231002X\n".encode()

    result = read_table(_upload("a.csv", content))

    assert (result.headers, result.rows) == (
        ["姓名", "身份证号"],
        [TableRow(number=2, values=["张三", "11010519491231002X"])],
    )


def test_reader_accepts_utf8_csv_with_a_byte_order_mark():
    content = "姓名,金额\n张三,12.50\n".encode("utf-8-sig")

    result = read_table(_upload("a.csv", content))

    assert result.headers == ["姓名", "金额"]
    assert result.rows == [TableRow(number=2, values=["张三", "12.50"])]


def test_reader_accepts_gbk_csv_with_chinese_headers():
    content = "姓名,身份证号,所在单位\r\n张三,11010519491231002X,迁安市第一幼儿园\r\n".encode("gbk")

    result = read_table(_upload("名单.csv", content))

    assert result.headers == ["姓名", "身份证号", "所在单位"]
    assert result.rows == [
        TableRow(number=2, values=["张三", "11010519491231002X", "迁安市第一幼儿园"])
    ]


def test_reader_reports_csv_row_numbers_past_blank_lines():
    content = "姓名,金额\n张三,1\n\n , \n李四,2\n".encode()

    result = read_table(_upload("a.csv", content))

    assert [(row.number, row.values) for row in result.rows] == [
        (2, ["张三", "1"]),
        (5, ["李四", "2"]),
    ]


def test_reader_pads_short_rows_to_the_header_width():
    result = read_table(_upload("a.csv", "姓名,金额,备注\n张三\n".encode()))

    assert result.rows == [TableRow(number=2, values=["张三", "", ""])]


def test_records_pair_values_with_headers():
    result = read_table(_upload("a.csv", "姓名,金额\n张三,1\n".encode()))

    assert list(result.records()) == [(2, {"姓名": "张三", "金额": "1"})]


def test_reader_accepts_upper_case_extensions():
    assert read_table(_upload("A.CSV", b"a\n1\n")).headers == ["a"]


def test_reader_refuses_a_zip_renamed_to_csv():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.txt", "hello")

    error = _refusal(_upload("a.csv", buffer.getvalue()))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_reader_refuses_an_xlsx_renamed_to_csv():
    error = _refusal(_upload("a.csv", _xlsx_bytes([["a"], [1]])))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_reader_refuses_binary_content_named_csv():
    error = _refusal(_upload("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_reader_refuses_a_text_file_renamed_to_xlsx():
    error = _refusal(_upload("a.xlsx", "姓名,金额\n张三,1\n".encode()))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_reader_refuses_a_zip_without_workbook_parts_named_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")

    error = _refusal(_upload("a.xlsx", buffer.getvalue()))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_reader_refuses_a_damaged_workbook_as_malformed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")

    error = _refusal(_upload("a.xlsx", buffer.getvalue()))

    assert error.code == SpreadsheetErrorCode.MALFORMED


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a.xlsm", "a", "a.csv.exe"])
def test_reader_refuses_other_extensions(name):
    error = _refusal(_upload(name, b"a,b\n1,2\n"))

    assert error.code == SpreadsheetErrorCode.UNSUPPORTED_TYPE


def test_unsupported_type_message_says_what_is_accepted():
    error = _refusal(_upload("a.xls", b"a"))

    assert _english(error) == "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."


def test_reader_refuses_an_oversize_file():
    error = _refusal(_upload("a.csv", b"a,b\n" + b"1,2\n" * 100), max_bytes=100)

    assert error.code == SpreadsheetErrorCode.TOO_LARGE


def test_oversize_message_names_the_limit_in_megabytes():
    error = _refusal(_upload("a.csv", b"x" * (2 * 1024 * 1024 + 1)), max_bytes=2 * 1024 * 1024)

    assert _english(error) == "The file is larger than 2 MB."


def test_reader_accepts_a_file_exactly_at_the_size_limit():
    content = b"a\n1\n"

    assert read_table(_upload("a.csv", content), max_bytes=len(content)).headers == ["a"]


def test_reader_refuses_too_many_rows():
    content = b"a\n" + b"1\n" * 4

    error = _refusal(_upload("a.csv", content), max_rows=3)

    assert error.code == SpreadsheetErrorCode.TOO_MANY_ROWS
    assert _english(error) == "The file has more than 3 data rows; split it into smaller files."


def test_reader_accepts_exactly_the_row_limit():
    assert len(read_table(_upload("a.csv", b"a\n1\n2\n3\n"), max_rows=3).rows) == 3


def test_reader_refuses_too_many_xlsx_rows():
    content = _xlsx_bytes([["a"]] + [[index] for index in range(5)])

    assert _refusal(_upload("a.xlsx", content), max_rows=4).code == (
        SpreadsheetErrorCode.TOO_MANY_ROWS
    )


def test_reader_refuses_an_empty_file():
    assert _refusal(_upload("a.csv", b"")).code == SpreadsheetErrorCode.EMPTY


def test_reader_refuses_a_csv_of_blank_lines_as_empty():
    assert _refusal(_upload("a.csv", b"\r\n , \r\n")).code == SpreadsheetErrorCode.EMPTY


def test_reader_refuses_a_workbook_without_cells_as_empty():
    assert _refusal(_upload("a.xlsx", _xlsx_bytes([]))).code == SpreadsheetErrorCode.EMPTY


def test_reader_refuses_text_in_neither_utf8_nor_gb18030():
    # 0x80 followed by 0xFF is invalid in both encodings.
    error = _refusal(_upload("a.csv", b"a,b\n\x80\xff,1\n"))

    assert error.code == SpreadsheetErrorCode.UNDECODABLE


def test_spreadsheet_error_is_a_value_error():
    assert issubclass(SpreadsheetError, ValueError)


def test_reader_reads_from_the_start_of_an_already_read_upload():
    upload = _upload("a.csv", b"a\n1\n")
    upload.read()

    assert read_table(upload).rows == [TableRow(number=2, values=["1"])]


def test_reader_accepts_a_plain_file_object_with_a_name():
    handle = io.BytesIO(b"a\n1\n")
    handle.name = "upload.csv"

    assert read_table(handle).headers == ["a"]
