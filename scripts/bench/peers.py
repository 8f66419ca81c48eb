#!/usr/bin/env python3
"""Same-run comparison of the engine with polars + fastexcel (calamine) on the reference files.

  peers.py --pycelize .build-release/release/pycelize [--csv /work/benchdata/bench_200000.csv]
           [--xlsx /work/benchdata/bench_200000.xlsx] [--runs 3]

Cases, each timed as median wall seconds and median CPU seconds (all threads) over `runs`:
  read XLSX     ours: `pycelize bench --only "read XLSX"` (typed rows, streamed)
                peers: polars.read_excel(engine="calamine") and fastexcel's load_sheet(0).to_polars() directly
  write XLSX    ours: `pycelize bench --only "write XLSX"` (the table typed in memory, written at level 1)
                peers: polars DataFrame.write_excel (xlsxwriter) of the same table, already in memory
  CSV -> XLSX   ours: `pycelize bench --only "CSV -> XLSX"`;  peers: polars.read_csv + write_excel
Prints a Markdown table with each peer's time as a multiple of ours. Timings are reported, never asserted.
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time

import fastexcel
import polars as pl


def cpu_now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn, runs):
    walls, cpus = [], []
    for _ in range(runs):
        c0, t0 = cpu_now(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_now() - c0)
    return statistics.median(walls), statistics.median(cpus)


def ours(args, case, runs, out):
    """Median of the bench's own seconds for `case`, and the median CPU of a process running only that case."""
    walls, cpus = [], []
    for _ in range(runs):
        cmd = [args.pycelize, "bench", "--csv", args.csv, "--xlsx", args.xlsx, "--only", case, "--out-dir", out]
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        m = re.search(r"^" + re.escape(case) + r"\s+([0-9.]+)", p.stdout, re.M)
        walls.append(float(m.group(1)))
        cpus.append(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pycelize", required=True)
    ap.add_argument("--csv", default="/work/benchdata/bench_200000.csv")
    ap.add_argument("--xlsx", default="/work/benchdata/bench_200000.xlsx")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    out = tempfile.mkdtemp(prefix="pz-peers-")
    table = pl.read_csv(args.csv)
    rows = []

    our_read = ours(args, "read XLSX", args.runs, out)
    rows.append(("read XLSX", "pycelize", our_read, our_read))
    rows.append(("read XLSX", "polars.read_excel (calamine)",
                 timed(lambda: pl.read_excel(args.xlsx, engine="calamine"), args.runs), our_read))
    rows.append(("read XLSX", "fastexcel load_sheet(0).to_polars()",
                 timed(lambda: fastexcel.read_excel(args.xlsx).load_sheet(0).to_polars(), args.runs), our_read))

    # "write XLSX" also runs the bench's level-0 case in the same process; its CPU is the process's.
    our_write = ours(args, "write XLSX", args.runs, out)
    rows.append(("write XLSX 200k x 8", "pycelize (CPU: whole process, incl. CSV load and a level-0 write)", our_write, our_write))
    peer_out = os.path.join(out, "polars.xlsx")
    rows.append(("write XLSX 200k x 8", "polars.write_excel (xlsxwriter)",
                 timed(lambda: table.write_excel(peer_out), max(1, args.runs - 1)), our_write))

    our_conv = ours(args, "CSV -> XLSX", args.runs, out)
    rows.append(("CSV -> XLSX", "pycelize", our_conv, our_conv))
    rows.append(("CSV -> XLSX", "polars.read_csv + write_excel",
                 timed(lambda: pl.read_csv(args.csv).write_excel(peer_out), max(1, args.runs - 1)), our_conv))

    print(f"\npolars {pl.__version__}, fastexcel {fastexcel.__version__}, {args.runs} runs (peer writes {max(1, args.runs - 1)})\n")
    print("| case | implementation | median s | CPU s | time vs pycelize |")
    print("|---|---|---|---|---|")
    for case, who, (wall, cpu), (ref, _) in rows:
        print(f"| {case} | {who} | {wall:.3f} | {cpu:.2f} | {wall / ref:.1f}× |")


if __name__ == "__main__":
    main()
