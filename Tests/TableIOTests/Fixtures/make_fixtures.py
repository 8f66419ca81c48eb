#!/usr/bin/env python3
"""Regenerates the third-party XLSX fixtures the engine's tests read.

Needs: pip install openpyxl xlsxwriter pandas; LibreOffice (soffice) for lo_*.xlsx.
Every writer gets the same logical table (see EXPECTED in Tests/TableIOTests/ThirdPartyFixtureTests.swift):

  id (int) | name (text, unicode) | amount (float) | active (bool) | joined (date) | seen (datetime) | phone (text, leading zero) | note (text / empty)
"""
import datetime as dt
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["id", "name", "amount", "active", "joined", "seen", "phone", "note"]
ROWS = [
    [1, "Nguyễn Văn An", 1500.5, True, dt.date(2026, 1, 15), dt.datetime(2026, 1, 15, 8, 30, 0), "0901234567", "first"],
    [2, "Chi, \"Le\"", -3.25, False, dt.date(1999, 12, 31), dt.datetime(2000, 2, 29, 23, 59, 59), "0012", None],
    [3, "Phở 🍜", 0.1, True, dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 0, 0, 1), "+1 (415) 555-0100", "=not a formula"],
]


def openpyxl_fixtures():
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "not the data"
    ws = wb.create_sheet("Data")
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        row[4].number_format = "yyyy-mm-dd"
        row[5].number_format = "yyyy-mm-dd hh:mm:ss"
        row[6].data_type = "s"
    ws["H4"].value = "=not a formula"
    ws["H4"].data_type = "s"
    ws["B2"] = CellRichText([TextBlock(InlineFont(b=True), "Nguyễn "), "Văn An"])
    wb.save(os.path.join(HERE, "openpyxl_types.xlsx"))

    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Data"
    ws.append(["d"])
    ws.append([dt.date(2026, 1, 15)])
    ws["A2"].number_format = "d-mmm-yy"
    wb.save(os.path.join(HERE, "openpyxl_1904.xlsx"))


def xlsxwriter_fixtures():
    import xlsxwriter
    wb = xlsxwriter.Workbook(os.path.join(HERE, "xlsxwriter_types.xlsx"), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("Data")
    date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
    dt_f = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, HEADER)
    for i, r in enumerate(ROWS, start=1):
        ws.write_number(i, 0, r[0])
        if i == 1:
            ws.write_rich_string(i, 1, bold, "Nguyễn ", "Văn An")
        else:
            ws.write_string(i, 1, r[1])
        ws.write_number(i, 2, r[2])
        ws.write_boolean(i, 3, r[3])
        ws.write_datetime(i, 4, dt.datetime.combine(r[4], dt.time()), date_f)
        ws.write_datetime(i, 5, r[5], dt_f)
        ws.write_string(i, 6, r[6])
        if r[7] is not None:
            ws.write_string(i, 7, r[7])
    ws.write_formula(4, 0, '="form"&"ula"', None, "formula")   # a t="str" cached result
    wb.close()


def pandas_fixtures():
    import pandas as pd
    df = pd.DataFrame(ROWS, columns=HEADER)
    df["joined"] = pd.to_datetime(df["joined"])
    df.to_excel(os.path.join(HERE, "pandas_types.xlsx"), sheet_name="Data", index=False, engine="openpyxl")


def libreoffice_fixtures():
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "lo_types.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("id,name,amount,when\n1,Nguyễn,1500.5,2026-01-15\n2,\"Chi, Le\",-3.25,1999-12-31\n")
        subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", HERE, csv],
                       check=True, capture_output=True)


if __name__ == "__main__":
    openpyxl_fixtures()
    xlsxwriter_fixtures()
    pandas_fixtures()
    if "--no-libreoffice" not in sys.argv:
        libreoffice_fixtures()
    print("fixtures written to", HERE)
