#!/usr/bin/env python3
"""Reads scripts/bench-scan's raw results and prints Markdown tables with ratios and issue 6's targets.

Usage: bench-report.py RESULTS_DIR SCENARIO...
"""
import json
import os
import re
import statistics
import sys

# The seed's table (kernel patch, NVMe/TCP) and the kernel's async-scan commit, in ms.
REFERENCE = {
    "seed-150ms": {"sequential": 32375, "unordered": 2543, "ordered": 2431},
    "seed-0.2ms": {"sequential": 352, "unordered": 248, "ordered": 191},
    "kernel-1000": {"sequential": 417000, "unordered": 18000},
}
FLOOR_TARGET = {"seed-150ms", "kernel-1000"}      # ordered within 1.3x the floor at 150 and 100 ms


def read_kv(path):
    """'key value...' lines as a dict; {} when the file is missing."""
    if not os.path.exists(path):
        return {}
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            out[k] = v
    return out


def read_bench(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path) as f:
        b = json.load(f)
    b["mode"] = {r["mode"]: r for r in b["runs"]}
    return b


def check(ok):
    return "met" if ok else "**missed**"


def guest_table(results, scenarios):
    rows, targets, facts = [], [], {}
    for s in scenarios:
        d = os.path.join(results, s)
        cli = read_kv(os.path.join(d, "nvme-cli.txt"))
        facts = facts or read_kv(os.path.join(d, "facts.txt"))
        for backend in ("ioctl", "uring", "sim"):
            b = read_bench(os.path.join(d, f"bench-{backend}.json"))
            if b is None:
                if backend != "sim":
                    rows.append(f"| {s} | {backend} | (no result: see {d}/stderr) |||||||||||")
                continue
            seq, uno, ordr = (b["mode"][m]["wall_ms"] for m in ("sequential", "unordered", "ordered"))
            peak = b["mode"]["ordered"]["peak_in_flight"]
            failed = sum(r["failed"] for r in b["runs"])
            rows.append(f"| {s} | {backend} | {b['namespaces']} | {b['rtt_ms']:.2f} | {seq:.0f} | {uno:.0f} | {ordr:.0f}"
                        f" | {seq / ordr:.1f}x | {ordr / uno:.3f} | {b['floor_ms']:.0f} | {ordr / b['floor_ms']:.2f}x"
                        f" | {peak} | {failed} |")
            if backend == "sim":
                rows[-1] = rows[-1].replace(f"| {s} | sim |", f"| {s} | simulator, in the guest |")
                continue
            where = f"{s} {backend}"
            targets.append(f"| ordered within 5% of unordered | {where} | {ordr / uno:.3f} | {check(ordr <= 1.05 * uno)} |")
            if s in FLOOR_TARGET:
                targets.append(f"| ordered within 1.3x the floor | {where} | {ordr / b['floor_ms']:.2f}x |"
                               f" {check(ordr <= 1.3 * b['floor_ms'])} |")
            if s == "seed-150ms":
                targets.append(f"| ordered below the seed's 2431 ms | {where} | {ordr:.0f} ms | {check(ordr < 2431)} |")
            targets.append(f"| sequential / ordered above 10x | {where} | {seq / ordr:.1f}x | {check(seq / ordr > 10)} |")
        if cli:
            n, listed = int(cli["namespaces"]), int(cli.get("listed", cli["namespaces"]))
            wall = float(cli["wall_ms"])
            sample = "" if n == listed else f", first {n} of {listed}: {wall / n:.0f} ms per namespace"
            rows.append(f"| {s} | nvme-cli loop | {n} | | {wall:.0f} ({cli['commands']} processes{sample})"
                        f" | | | | | | | | |")
        ref = REFERENCE.get(s)
        if ref:
            rows.append(f"| {s} | reference (kernel) | | | {ref['sequential']} | {ref['unordered']} |"
                        f" {ref.get('ordered', '')} | | | | | | |")
    return rows, targets, facts


def startup_table(results, scenarios):
    rows = []
    for s in scenarios:
        path = os.path.join(results, s, "startup.txt")
        if not os.path.exists(path):
            continue
        samples = {}
        with open(path) as f:
            for line in f:
                label, ms = line.split()
                samples.setdefault(label, []).append(int(ms))
        base = statistics.median(samples.get("nvme-cli", [0])) or 1
        for label in ("nvme-cli", "jvm", "jvm-appcds", "jvm-appcds-c1", "cds-training", "cds-c1-training"):
            if label in samples:
                v = samples[label]
                rows.append(f"| {s} | {label} | {len(v)} | {statistics.median(v):.0f} | {min(v)} | {max(v)} |"
                            f" {statistics.median(v) / base:.1f}x |")
    return rows


def memory_table(results, scenarios):
    rows = []
    if "memory" not in scenarios:
        return rows
    d = os.path.join(results, "memory")
    runs = sorted((f[len("time-"):-len(".txt")].split("-") for f in os.listdir(d) if f.startswith("time-")),
                  key=lambda r: (-int(r[1]), r[0] != "default"))
    for heap, n in runs:
        text = open(os.path.join(d, f"time-{heap}-{n}.txt")).read()
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
        status = re.search(r"Exit status: (\d+)", text)
        lines = open(os.path.join(d, f"lines-{heap}-{n}.txt")).read().strip()
        rows.append(f"| {n} | {heap} | {int(rss.group(1)) / 1024:.0f} | {wall.group(1)} | {lines} |"
                    f" {status.group(1) if status else '?'} |")
    return rows


def main():
    results, scenarios = sys.argv[1], sys.argv[2:]
    guests = [s for s in scenarios if s != "memory"]
    rows, targets, facts = guest_table(results, guests)
    if rows:
        print("### Scan wall times (ms)\n")
        print("| scenario | backend | namespaces | RTT ms | sequential | unordered | ordered | seq / ordered"
              " | ordered / unordered | floor | ordered / floor | peak in flight | failed |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print("\n".join(rows))
        print("\n### Targets\n")
        print("| target | where | measured | |")
        print("| --- | --- | ---: | --- |")
        print("\n".join(targets))
    st = startup_table(results, guests)
    if st:
        print("\n### Cold start plus one Identify Controller (ms)\n")
        print("| scenario | command | runs | median | min | max | median / nvme-cli |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        print("\n".join(st))
    mem = memory_table(results, scenarios)
    if mem:
        print("\n### Simulated scans: peak memory (host)\n")
        print("| namespaces | max heap | peak RSS MiB | wall | ndjson lines | exit |")
        print("| ---: | --- | ---: | --- | ---: | ---: |")
        print("\n".join(mem))
    if facts:
        print("\n### Guest\n")
        for k, v in facts.items():
            print(f"- {k}: {v}")
    print("\n### Host\n")
    for s in scenarios:
        for k, v in read_kv(os.path.join(results, s, "host.txt")).items():
            print(f"- {s} {k}: {v}")


main()
