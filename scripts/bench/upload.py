#!/usr/bin/env python3
"""HTTP benchmark of the upload path and the engine's HTTP targets, upload and download included.

  upload.py BASE_URL [--csv /work/benchdata/bench_200000.csv] [--xlsx /work/benchdata/bench_200000.xlsx]
            [--runs 5] [--server-pid PID] [--out results.json]

Cases (each run: one request; a produced file is downloaded as part of it):
  csv_info              POST /csv/info            the 18 MB CSV: upload + one read of it; compare with
                        `pycelize bench --only "read CSV"` to see what the upload costs before the operation starts
  excel_info            POST /excel/info          the XLSX: upload + one read
  csv_convert_to_excel  POST /csv/convert-to-excel the CSV: upload + CSV -> XLSX + download (target: <= 0.5 s)
Timings are reported, never asserted (see benchlib.py). Start the server first (scripts/serve.sh, release build).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base_url")
    ap.add_argument("--csv", default="/work/benchdata/bench_200000.csv")
    ap.add_argument("--xlsx", default="/work/benchdata/bench_200000.xlsx")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--out")
    a = ap.parse_args()
    b = Bench(a.base_url, a.server_pid, runs=a.runs)
    b.case("csv_info", lambda: b.post_file("/csv/info", {"file": a.csv}))
    b.case("excel_info", lambda: b.post_file("/excel/info", {"file": a.xlsx}))
    b.case("csv_convert_to_excel", lambda: b.post_file("/csv/convert-to-excel", {"file": a.csv}))
    return b.report(a.out)


if __name__ == "__main__":
    sys.exit(main())
