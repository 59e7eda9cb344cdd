#!/usr/bin/env python3
"""Summarise bench/closure.sh runs: a Markdown table per design and engine
set (final closure, time and cycles to reach it), the cycles the learned
generator needs to reach uniform random's final closure, and an SVG per
design with closure over time and over cycles for every engine set."""
import glob
import json
import os
import sys

work = sys.argv[1]
ENGINES = ["random", "learned", "formal", "all"]
LABEL = {"random": "uniform random", "learned": "learned-guided sim",
         "formal": "formal alone", "all": "side by side (all)"}
COLORS = {"random": "#1f77b4", "learned": "#2ca02c", "formal": "#d62728", "all": "#9467bd"}


def first_reach(hist, level, key):
    for s in hist:
        if s["closure"] >= level - 1e-9:
            return s[key]
    return None


def fmt_cycles(c):
    if c is None:
        return "-"
    if c >= 1e6:
        return f"{c / 1e6:.2f}M"
    if c >= 1e3:
        return f"{c / 1e3:.1f}k"
    return str(c)


def svg(name, runs):
    w, h, pw, ph = 960, 400, 380, 280
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'font-family="sans-serif" font-size="12"><rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="15">coverage closure: {name}</text>']
    for label, key, x0 in [("time (s)", "time_s", 60), ("simulated cycles", "cycles", 540)]:
        y0 = 50
        xmax = max([s[key] for r in runs.values() for s in r["history"]] + [1e-9])
        out.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
        for i in range(5):
            y = y0 + ph - ph * i / 4
            xv = xmax * i / 4
            xt = fmt_cycles(int(xv)) if key == "cycles" else f"{xv:.1f}"
            out.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + pw}" y2="{y}" stroke="#ddd"/>'
                       f'<text x="{x0 - 4}" y="{y + 4}" text-anchor="end">{25 * i}%</text>'
                       f'<text x="{x0 + pw * i / 4}" y="{y0 + ph + 16}" text-anchor="middle">{xt}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{y0 + ph + 34}" text-anchor="middle">{label}</text>')
        for e, r in runs.items():
            pts = " ".join(f"{x0 + pw * s[key] / xmax:.1f},{y0 + ph - ph * s['closure'] / 100:.1f}"
                           for s in r["history"])
            out.append(f'<polyline fill="none" stroke="{COLORS[e]}" stroke-width="2" points="{pts}"/>')
    for i, e in enumerate(runs):
        x = 60 + 220 * i
        out.append(f'<rect x="{x}" y="366" width="14" height="4" fill="{COLORS[e]}"/>'
                   f'<text x="{x + 18}" y="372">{LABEL[e]}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


designs = sorted({os.path.basename(p).split(".")[0] for p in glob.glob(os.path.join(work, "*.json"))})
print("| design | engines | final closure | time to final (s) | cycles to final | hit | unreachable | unknown | unhit |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
ratios = []
for d in designs:
    runs = {}
    for e in ENGINES:
        p = os.path.join(work, f"{d}.{e}.json")
        if os.path.exists(p):
            runs[e] = json.load(open(p))
    for e, r in runs.items():
        c = r["closure"]
        a = r["summary"]["all"]
        print(f"| {d} | {LABEL[e]} | {c:.1f}% | {first_reach(r['history'], c, 'time_s'):.2f} | "
              f"{fmt_cycles(first_reach(r['history'], c, 'cycles'))} | {a['hit']} | {a['unreachable']} | "
              f"{a['unknown']} | {a['unhit']} |")
    if "random" in runs and "learned" in runs:
        level = runs["random"]["closure"]
        cr = first_reach(runs["random"]["history"], level, "cycles")
        cl = first_reach(runs["learned"]["history"], level, "cycles")
        ratios.append((d, level, cr, cl))
    with open(os.path.join(work, f"{d}.svg"), "w") as f:
        f.write(svg(d, runs))
print()
print("| design | uniform random's final closure | random: cycles to it | learned: cycles to it | learned / random |")
print("| --- | ---: | ---: | ---: | ---: |")
for d, level, cr, cl in ratios:
    ratio = f"{cl / cr:.3f}" if cl is not None and cr else "-"
    print(f"| {d} | {level:.1f}% | {fmt_cycles(cr)} | {fmt_cycles(cl)} | {ratio} |")
print(f"\nplots: {work}/*.svg", file=sys.stderr)
