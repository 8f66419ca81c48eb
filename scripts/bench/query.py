#!/usr/bin/env python3
"""Benchmark of the query operations over HTTP (upload and download of the output included).

  scripts/bench/query.py http://127.0.0.1:5050 --server-pid PID \
      [--xlsx /work/benchdata/bench_200000.xlsx] [--csv /work/benchdata/bench_200000.csv] \
      [--big-csv /tmp/bench_2000000.csv] [--runs 3] [--out query_bench.json] [--cases a,b]

Start the server first (release build: `swift build -c release && .build/release/pycelize serve --port 5050`).
Cases: extract_dedup (excel/extract-columns-to-file, 3 columns, remove_duplicates), map (excel/map-columns, copied,
defaulted and constant columns), excel_search (two conditions, AND, xlsx out), csv_search (two conditions, OR,
csv out), suggest_excel / suggest_csv (suggest-operators), and with --big-csv csv_search_big (the same csv search
on a large file, for the bounded-memory check). Prints the median of --runs and the server's peak RSS per case.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Bench  # noqa: E402

CSV_CONDITIONS = [{"column": "city", "operator": "contains", "value": "an"},
                  {"column": "amount", "operator": "between", "value": [100, 200]}]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--xlsx", default="/work/benchdata/bench_200000.xlsx")
    ap.add_argument("--csv", default="/work/benchdata/bench_200000.csv")
    ap.add_argument("--big-csv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--out")
    ap.add_argument("--cases", help="comma-separated subset of the cases")
    a = ap.parse_args()

    b = Bench(a.base, a.server_pid, runs=a.runs)
    cases = {
        "extract_dedup": lambda: b.post_file("/excel/extract-columns-to-file", {"file": a.xlsx}, {
            "columns": json.dumps(["name", "city", "status"]), "remove_duplicates": "true"}),
        "map": lambda: b.post_file("/excel/map-columns", {"file": a.xlsx}, {
            "mapping": json.dumps({"Customer": "name", "Total": {"source": "amount", "default": 0}, "Town": "city",
                                   "Joined": "date", "Source": {"default": "bench"}})}),
        "excel_search": lambda: b.post_file("/excel/search", {"file": a.xlsx}, {
            "conditions": json.dumps([{"column": "status", "operator": "equals", "value": "active"},
                                      {"column": "amount", "operator": "greater_than", "value": 500}]),
            "logic": "AND", "output_format": "xlsx"}),
        "csv_search": lambda: b.post_file("/csv/search", {"file": a.csv}, {
            "conditions": json.dumps(CSV_CONDITIONS), "logic": "OR", "output_format": "csv"}),
        "suggest_excel": lambda: b.post_file("/excel/search/suggest-operators", {"file": a.xlsx}),
        "suggest_csv": lambda: b.post_file("/csv/search/suggest-operators", {"file": a.csv}),
    }
    if a.big_csv:
        cases["csv_search_big"] = lambda: b.post_file("/csv/search", {"file": a.big_csv}, {
            "conditions": json.dumps(CSV_CONDITIONS), "logic": "OR", "output_format": "csv"})
    wanted = a.cases.split(",") if a.cases else list(cases)
    for name in wanted:
        b.case(name, cases[name])
    return b.report(a.out)


if __name__ == "__main__":
    sys.exit(main())
