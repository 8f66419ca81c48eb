"""Shared pieces of the repository's HTTP benchmarks (scripts/bench/*.py).

Each benchmark script times whole HTTP requests against a running server (upload and download included), repeats
each case, and reports the median seconds and the server's peak RSS during the case. Timings are reported, never
asserted: nothing here decides pass or fail except an HTTP status other than 200.
"""
import json
import os
import statistics
import threading
import time

import requests

TIMEOUT = 3600


class RSSSampler(threading.Thread):
    """Samples VmRSS of a process every `period` seconds and keeps the peak since the last reset()."""

    def __init__(self, pid, period=0.02):
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.cur_peak = 0
        self.stop_ev = threading.Event()
        self.lock = threading.Lock()

    def read(self, key="VmRSS"):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def reset(self):
        with self.lock:
            self.cur_peak = self.read() or 0

    def peak(self):
        with self.lock:
            return self.cur_peak

    def run(self):
        while not self.stop_ev.is_set():
            v = self.read()
            if v:
                with self.lock:
                    self.cur_peak = max(self.cur_peak, v)
            time.sleep(self.period)


def server_cpu_seconds(pid):
    """User + system CPU seconds the server process has used (all threads), from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def mib(b):
    return None if b is None else round(b / 1048576, 1)


class Bench:
    """Runs named cases `runs` times each and prints a Markdown table of medians and peak RSS."""

    def __init__(self, base_url, server_pid=None, runs=3):
        self.api = base_url.rstrip("/") + "/api/v1"
        self.session = requests.Session()
        self.runs = runs
        self.server_pid = server_pid
        self.sampler = RSSSampler(server_pid) if server_pid else None
        if self.sampler:
            self.sampler.start()
        self.results = {}

    def post_file(self, path, files, data=None, download=True):
        """POST multipart `files` ({field: local path}) and form `data`; downloads `download_url` when present
        (the download is part of the timed request, as a client would do it)."""
        handles = {k: open(v, "rb") for k, v in files.items()}
        try:
            r = self.session.post(self.api + path, data=data or {},
                                  files={k: (os.path.basename(files[k]), h) for k, h in handles.items()},
                                  timeout=TIMEOUT)
        finally:
            for h in handles.values():
                h.close()
        if r.status_code == 200 and download:
            url = ((r.json().get("data") or {}) if r.headers.get("content-type", "").startswith("application/json")
                   else {}).get("download_url")
            if url:
                d = self.session.get(url, timeout=TIMEOUT)
                if d.status_code != 200:
                    return d
        return r

    def case(self, name, fn):
        for _ in range(self.runs):
            if self.sampler:
                self.sampler.reset()
            cpu0 = server_cpu_seconds(self.server_pid) if self.server_pid else None
            t0 = time.perf_counter()
            r = fn()
            dt = time.perf_counter() - t0
            cpu1 = server_cpu_seconds(self.server_pid) if self.server_pid else None
            rec = {"seconds": round(dt, 3), "status": r.status_code}
            if cpu0 is not None and cpu1 is not None:
                rec["server_cpu_s"] = round(cpu1 - cpu0, 2)
            if r.status_code != 200:
                try:
                    rec["message"] = r.json().get("message")
                except ValueError:
                    rec["message"] = r.text[:200]
            if self.sampler:
                time.sleep(self.sampler.period * 2)
                rec["rss_peak_mib"] = mib(self.sampler.peak())
            self.results.setdefault(name, []).append(rec)
            print(f"  {name:<28} {dt:7.3f}s status={r.status_code}"
                  + (f" server_cpu={rec['server_cpu_s']}s" if "server_cpu_s" in rec else "")
                  + (f" rss_peak={rec['rss_peak_mib']}MiB" if self.sampler else "")
                  + (f"  {rec.get('message')}" if r.status_code != 200 else ""), flush=True)

    def report(self, out=None):
        print("\n| case | median s | min s | max s | server CPU s (median) | ok | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        ok_all = True
        summary = {}
        for name, recs in self.results.items():
            secs = [r["seconds"] for r in recs]
            ok = all(r["status"] == 200 for r in recs)
            ok_all &= ok
            peak = max((r.get("rss_peak_mib") or 0) for r in recs) if self.sampler else "-"
            cpus = [r["server_cpu_s"] for r in recs if "server_cpu_s" in r]
            cpu = f"{statistics.median(cpus):.2f}" if cpus else "-"
            summary[name] = {"median_s": statistics.median(secs), "runs": secs, "ok": ok, "rss_peak_mib": peak,
                             "server_cpu_s": cpus}
            print(f"| {name} | {statistics.median(secs):.3f} | {min(secs):.3f} | {max(secs):.3f} | {cpu} | {ok} | {peak} |")
        if self.sampler:
            print(f"\nserver VmHWM (lifetime peak RSS): {mib(self.sampler.read('VmHWM'))} MiB")
        if out:
            with open(out, "w") as f:
                json.dump({"summary": summary, "raw": self.results}, f, indent=2)
        return 0 if ok_all else 1
