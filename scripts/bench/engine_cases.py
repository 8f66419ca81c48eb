#!/usr/bin/env python3
"""Runs `pycelize bench` one case per process, several times, and reports medians: the case's own seconds (as the
bench prints them), the process's CPU seconds (user + system, from /usr/bin/time) and its peak RSS.

    python3 scripts/bench/engine_cases.py --pycelize .build-release/release/pycelize --runs 5 \
        --csv /work/benchdata/bench_200000.csv --xlsx /work/benchdata/bench_200000.xlsx

CPU seconds are the whole process: for "write XLSX" that includes loading the CSV into memory and the level-0
write the bench runs with it, so the table also gives "write XLSX, CPU of the write alone", the difference
between a process running both writes and one running only the level-0 write.
"""
import argparse
import re
import statistics
import subprocess
import tempfile

CASES = ["read CSV", "read XLSX", "CSV -> XLSX", "write XLSX", "write XLSX (level 0)", "XLSX -> XLSX filter",
         "CSV -> XLSX filter"]


def run_case(args, case, xlsx):
    with tempfile.TemporaryDirectory() as out:
        cmd = ["/usr/bin/time", "-f", "TIME %e %U %S %M", args.pycelize, "bench", "--csv", args.csv, "--xlsx", xlsx,
               "--only", case, "--out-dir", out, "--compression-level", str(args.level)]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    seconds = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^(.+?)\s{2,}\s*([0-9.]+)\s+[0-9]+\s+[0-9.]+\s+([0-9.]+) \(\+([0-9.-]+)\)", line)
        if m:
            seconds[m.group(1).strip()] = (float(m.group(2)), float(m.group(4)))
    t = re.search(r"TIME ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9]+)", p.stderr)
    cpu = float(t.group(2)) + float(t.group(3))
    return seconds[case], cpu, int(t.group(4)) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pycelize", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--xlsx", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--level", type=int, default=1)
    ap.add_argument("--cases", default=",".join(CASES))
    args = ap.parse_args()
    print("| case | median s | runs (s) | process CPU s (median) | bench peak RSS over start, MiB | process max RSS, MiB |")
    print("|---|---|---|---|---|---|")
    cpus = {}
    for case in args.cases.split(","):
        results = [run_case(args, case, args.xlsx) for _ in range(args.runs)]
        secs = [r[0][0] for r in results]
        cpus[case] = statistics.median(r[1] for r in results)
        print(f"| {case} | {statistics.median(secs):.3f} | {' '.join(f'{s:.3f}' for s in secs)} | {cpus[case]:.2f} | "
              f"+{statistics.median(r[0][1] for r in results):.1f} | {statistics.median(r[2] for r in results):.0f} |",
              flush=True)
    if "write XLSX" in cpus and "write XLSX (level 0)" in cpus:
        print(f"| write XLSX, CPU of the write alone | | | {cpus['write XLSX'] - cpus['write XLSX (level 0)']:.2f} | | |")


if __name__ == "__main__":
    main()
