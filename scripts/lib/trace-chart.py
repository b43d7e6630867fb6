#!/usr/bin/env python3
"""Draws an `nvmescan scan --trace` file as an SVG: commands in flight over time, and for every
namespace when its commands finished (identified) and when it was published, by list position.

Usage: trace-chart.py TRACE.json OUT.svg [TITLE]
"""
import json
import sys
from xml.sax.saxutils import escape

W, LEFT, RIGHT = 960, 70, 20
TOP_H, BOTTOM_H, GAP, HEAD = 170, 330, 60, 50
PLOT_W = W - LEFT - RIGHT


def load(path):
    with open(path) as f:
        events = json.load(f)["traceEvents"]
    cmds = [(e["ts"] / 1000, (e["ts"] + e["dur"]) / 1000, e["args"]["nsid"], e["name"])
            for e in events if e.get("ph") == "X"]
    pubs = [(e["ts"] / 1000, e["args"]["position"], e["args"]["ok"]) for e in events if e.get("ph") == "i"]
    return cmds, pubs


def in_flight_steps(cmds):
    """(time ms, commands in flight from then on), in time order."""
    edges = sorted([(s, 1) for s, _, _, _ in cmds] + [(e, -1) for _, e, _, _ in cmds])
    steps, n = [(0.0, 0)], 0
    for t, d in edges:
        n += d
        steps.append((t, n))
    return steps


def identified(cmds):
    """NSID -> end of its last namespace command."""
    done = {}
    for _, e, nsid, name in cmds:
        if nsid != 0:
            done[nsid] = max(done.get(nsid, 0), e)
    return done


def axis_ticks(hi, count=8):
    raw = hi / count
    step = next(m * 10 ** p for p in range(-3, 9) for m in (1, 2, 5) if m * 10 ** p >= raw)
    return [i * step for i in range(int(hi / step) + 1)]


def main():
    path, out = sys.argv[1], sys.argv[2]
    title = sys.argv[3] if len(sys.argv) > 3 else path
    cmds, pubs = load(path)
    t_end = max([e for _, e, _, _ in cmds] + [t for t, _, _ in pubs])
    steps = in_flight_steps(cmds)
    peak = max(n for _, n in steps)
    positions = len(pubs)
    x = lambda t: LEFT + t / t_end * PLOT_W
    y1 = lambda n: HEAD + TOP_H - n / max(peak, 1) * TOP_H
    top2 = HEAD + TOP_H + GAP
    y2 = lambda p: top2 + BOTTOM_H - p / max(positions, 1) * BOTTOM_H
    h = top2 + BOTTOM_H + 50
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{h}" fill="white"/>',
         f'<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{escape(title)}: ordered scan, '
         f'{len(cmds)} commands, {positions} namespaces, {t_end:.0f} ms</text>',
         f'<text x="{LEFT}" y="{HEAD - 8}">admin commands in flight (peak {peak})</text>',
         f'<text x="{LEFT}" y="{top2 - 8}">list position of each namespace: identified (last command done, grey)'
         f' and published (blue, red if an error entry)</text>']
    # Grids and axes.
    for t in axis_ticks(t_end):
        for top, height in ((HEAD, TOP_H), (top2, BOTTOM_H)):
            s.append(f'<line x1="{x(t):.1f}" y1="{top}" x2="{x(t):.1f}" y2="{top + height}" stroke="#eee"/>')
        s.append(f'<text x="{x(t):.1f}" y="{top2 + BOTTOM_H + 16}" text-anchor="middle">{t:g}</text>')
    s.append(f'<text x="{LEFT + PLOT_W / 2}" y="{top2 + BOTTOM_H + 36}" text-anchor="middle">ms since the scan started</text>')
    for n in axis_ticks(peak, 4):
        s.append(f'<text x="{LEFT - 6}" y="{y1(n) + 4:.1f}" text-anchor="end">{n:g}</text>')
    for p in axis_ticks(positions, 5):
        s.append(f'<text x="{LEFT - 6}" y="{y2(p) + 4:.1f}" text-anchor="end">{p:g}</text>')
    for top, height in ((HEAD, TOP_H), (top2, BOTTOM_H)):
        s.append(f'<rect x="{LEFT}" y="{top}" width="{PLOT_W}" height="{height}" fill="none" stroke="#888"/>')
    # Commands in flight: a step area.
    pts = [f"{x(0):.1f},{y1(0):.1f}"]
    prev = 0
    for t, n in steps:
        pts.append(f"{x(t):.1f},{y1(prev):.1f}")
        pts.append(f"{x(t):.1f},{y1(n):.1f}")
        prev = n
    pts.append(f"{x(t_end):.1f},{y1(prev):.1f}")
    pts.append(f"{x(t_end):.1f},{y1(0):.1f}")
    s.append(f'<polygon points="{" ".join(pts)}" fill="#9ecae1" stroke="#3182bd" stroke-width="1"/>')
    # Identified and published, by list position (position = NSID order in the list).
    done = identified(cmds)
    by_position = sorted(done)
    for pos, nsid in enumerate(by_position, 1):
        s.append(f'<circle cx="{x(done[nsid]):.1f}" cy="{y2(pos):.1f}" r="2" fill="#999"/>')
    for t, pos, ok in pubs:
        s.append(f'<circle cx="{x(t):.1f}" cy="{y2(pos):.1f}" r="2" fill="{"#3182bd" if ok else "#de2d26"}"/>')
    s.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(s) + "\n")


main()
