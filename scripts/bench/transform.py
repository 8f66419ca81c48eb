#!/usr/bin/env python3
"""HTTP benchmark of the transform operations (normalisation and binding), upload and download included.

  transform.py BASE_URL [--xlsx /work/benchdata/bench_200000.xlsx] [--csv /work/benchdata/bench_200000.csv]
               [--runs 3] [--server-pid PID] [--out results.json] [--work-dir DIR]

Cases (each run: one request, its output downloaded):
  normalize_uppercase   POST /normalization/apply  uppercase on `name`
  normalize_chain5      POST /normalization/apply  trim_whitespace(name), title_case(name), email_format(email),
                        round_decimal(amount, 1), min_max_scale(amount) — min_max adds a statistics pass
  bind_single_key       POST /excel/bind-single-key  the sheet against a 50k-row bind file (CSV made from the
                        data: every 4th id, typed XLSX id vs CSV text id), bind_columns [segment, score]
  workflow3             chat workflow csv/convert-to-excel -> excel/search (status = active AND amount > 500)
                        -> normalization/apply (uppercase name) on the CSV; upload not timed, execute + download timed
Timings are reported, never asserted (see benchlib.py). Start the server first (scripts/serve.sh, release build).
"""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Bench, TIMEOUT  # noqa: E402


def make_bind_file(source_csv, path, rows=50_000):
    """Every 4th id of the source (so a quarter of the sheet matches), with two new columns."""
    if os.path.exists(path):
        return path
    with open(source_csv, newline="", encoding="utf-8") as f, open(path, "w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(f)
        w = csv.writer(out)
        w.writerow(["id", "segment", "score"])
        n = 0
        for i, row in enumerate(reader):
            if i % 4 == 0:
                w.writerow([row["id"], ["gold", "silver", "bronze"][n % 3], n % 100])
                n += 1
                if n >= rows:
                    break
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base_url")
    ap.add_argument("--xlsx", default="/work/benchdata/bench_200000.xlsx")
    ap.add_argument("--csv", default="/work/benchdata/bench_200000.csv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--out")
    ap.add_argument("--work-dir", default="/tmp/pz-bench-transform")
    a = ap.parse_args()
    os.makedirs(a.work_dir, exist_ok=True)
    bind_file = make_bind_file(a.csv, os.path.join(a.work_dir, f"bind_{os.path.basename(a.csv)}"))

    b = Bench(a.base_url, a.server_pid, runs=a.runs)
    upper = [{"column_name": "name", "normalization_type": "uppercase"}]
    chain = [
        {"column_name": "name", "normalization_type": "trim_whitespace"},
        {"column_name": "name", "normalization_type": "title_case"},
        {"column_name": "email", "normalization_type": "email_format"},
        {"column_name": "amount", "normalization_type": "round_decimal", "parameters": {"decimals": 1}},
        {"column_name": "amount", "normalization_type": "min_max_scale"},
    ]
    import json
    b.case("normalize_uppercase", lambda: b.post_file("/normalization/apply", {"file": a.xlsx},
                                                      {"normalizations": json.dumps(upper)}))
    b.case("normalize_chain5", lambda: b.post_file("/normalization/apply", {"file": a.xlsx},
                                                   {"normalizations": json.dumps(chain)}))
    b.case("bind_single_key", lambda: b.post_file("/excel/bind-single-key", {"source_file": a.xlsx, "bind_file": bind_file},
                                                  {"comparison_column": "id", "bind_columns": '["segment", "score"]'}))

    steps = [
        {"operation": "csv/convert-to-excel", "arguments": {"sheet_name": "Sheet1"}},
        {"operation": "excel/search", "arguments": {
            "conditions": [{"column": "status", "operator": "equals", "value": "active"},
                           {"column": "amount", "operator": "greater_than", "value": 500}],
            "logic": "AND", "output_format": "xlsx"}},
        {"operation": "normalization/apply", "arguments": {
            "normalizations": [{"column_name": "name", "normalization_type": "uppercase"}]}},
    ]
    s = b.session
    cid = s.post(b.api + "/chat/workflows", timeout=60).json()["data"]["chat_id"]
    with open(a.csv, "rb") as f:
        s.post(f"{b.api}/chat/workflows/{cid}/upload", files={"file": (os.path.basename(a.csv), f)}, timeout=TIMEOUT)

    def workflow():
        r = s.post(f"{b.api}/chat/workflows/{cid}/execute", json={"steps": steps}, timeout=TIMEOUT)
        if r.status_code == 200:
            url = r.json()["data"]["results"][-1].get("download_url")
            if url:
                d = s.get(url, timeout=TIMEOUT)
                if d.status_code != 200:
                    return d
        return r

    b.case("workflow3", workflow)
    s.delete(f"{b.api}/chat/workflows/{cid}", timeout=60)
    return b.report(a.out)


if __name__ == "__main__":
    sys.exit(main())
