#!/usr/bin/env python3
"""HTTP benchmark of the SQL and JSON generation endpoints (upload + generation + download of the output).

  scripts/bench/generate.py [--base http://127.0.0.1:5050] [--server-pid PID] [--file /work/benchdata/bench_200000.xlsx]
                            [--runs 3] [--out results.json]

Cases (all 8 columns of the reference sheet, gen_data.py):
  sql_to_text_pg      POST /sql/generate-to-text, postgresql, typed values
  sql_custom          POST /sql/generate-custom-to-text, a template with every column (hints, default, LIKE literal)
  json_generate       POST /json/generate, pretty-printed
  json_template       POST /json/generate-with-template, a nested template with hints, pretty-printed
Timings are reported (median of --runs, peak server RSS with --server-pid), never asserted.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Bench  # noqa: E402

COLS = ["id", "name", "amount", "date", "status", "phone", "email", "city"]

CUSTOM_TEMPLATE = ("INSERT INTO orders (id, name, amount, date, status, phone, email, city) VALUES "
                   "({id:int}, {name}, {amount:float}, {date:datetime}, {status|unknown}, {phone:string}, {email}, {city}); "
                   "-- '{name} from {city}'")
JSON_TEMPLATE = {"order": {"id": "{id:int}", "amount": "{amount:float}", "when": "{date}", "status": "{status|unknown}"},
                 "customer": {"name": "{name}", "contact": "{email} / {phone}", "city": "{city}"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="http://127.0.0.1:5050")
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--file", default="/work/benchdata/bench_200000.xlsx")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()

    b = Bench(a.base, a.server_pid, runs=a.runs)
    mapping = json.dumps({c: c for c in COLS})
    f = {"file": a.file}
    print(f"input: {a.file} ({os.path.getsize(a.file) / 1048576:.1f} MiB)", flush=True)
    b.case("sql_to_text_pg", lambda: b.post_file("/sql/generate-to-text", f, {
        "columns": json.dumps(COLS), "table_name": "orders", "column_mapping": mapping, "database_type": "postgresql"}))
    b.case("sql_custom", lambda: b.post_file("/sql/generate-custom-to-text", f, {
        "template": CUSTOM_TEMPLATE, "column_mapping": mapping}))
    b.case("json_generate", lambda: b.post_file("/json/generate", f, {"column_mapping": mapping, "pretty_print": "true"}))
    b.case("json_template", lambda: b.post_file("/json/generate-with-template", f, {
        "template": json.dumps(JSON_TEMPLATE), "column_mapping": mapping, "aggregation_mode": "nested", "pretty_print": "true"}))
    return b.report(a.out)


if __name__ == "__main__":
    sys.exit(main())
