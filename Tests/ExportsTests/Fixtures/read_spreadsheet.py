"""Reads an export back with independent readers (openpyxl for XLSX, the csv module for CSV)
and prints it as JSON, so the Swift tests compare every cell with what they expect.

Output: {"sheets": [...], "rows": [[cell, ...], ...], "header_bold": bool, "formats": {...}}
Cells: strings as is, integers as numbers, dates as "date:YYYY-MM-DD", times as "time:HH:MM",
empty cells as null. For CSV every cell is the raw text and "bom"/"crlf" report the encoding.
"""
import csv
import datetime
import io
import json
import sys
import zipfile


def xlsx(path):
    import openpyxl

    assert zipfile.ZipFile(path).testzip() is None, "a ZIP entry has a bad CRC"
    names = sorted(zipfile.ZipFile(path).namelist())
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows, formats = [], {}
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            v = cell.value
            if isinstance(v, datetime.datetime) and cell.number_format.lower() == "dd/mm/yyyy":
                values.append("date:" + v.date().isoformat())
                formats["date"] = cell.number_format
            elif isinstance(v, datetime.time):
                values.append("time:%02d:%02d" % (v.hour, v.minute))
                formats["time"] = cell.number_format
            elif isinstance(v, datetime.datetime):
                values.append("datetime:" + v.isoformat())
            else:
                values.append(v)
        rows.append(values)
    width = sheet.max_column
    rows = [r + [None] * (width - len(r)) for r in rows]
    header_bold = all(c.font.b for c in sheet[1] if c.value is not None)
    return {"sheets": book.sheetnames, "entries": names, "rows": rows, "header_bold": header_bold,
            "formats": formats}


def csv_file(path):
    data = open(path, "rb").read()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # every line end outside quoted fields is CRLF: a bare LF would show up as an extra record
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', lineterminator="\r\n")
    rows = [[c if c != "" else None for c in r] for r in reader]
    crlf = text.count("\n") == text.count("\r\n")
    return {"rows": rows, "bom": bom, "crlf": crlf}


if __name__ == "__main__":
    path = sys.argv[1]
    print(json.dumps(xlsx(path) if path.endswith(".xlsx") else csv_file(path), ensure_ascii=False))
