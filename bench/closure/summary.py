#!/usr/bin/env python3
"""Summarise bench/closure.sh runs (one or more seeds per design and engine
set; files DESIGN.ENGINES.sSEED.json): a Markdown table per design and
engine set (final closure, time and cycles to reach it, medians over the
seeds), the cycles the learned generator needs to reach uniform random's
final closure, the time each engine set needs to reach the side-by-side
run's final closure, and an SVG per design (first seed) with closure over
time and over cycles for every engine set."""
import glob
import json
import os
import re
import statistics
import sys

work = sys.argv[1]
ENGINES = ["random", "uniform", "dict", "mlp", "learned", "formal", "all"]
LABEL = {"random": "uniform random", "learned": "learned-guided sim",
         "formal": "formal alone", "all": "side by side (all)",
         "uniform": "uniform kinds (ablation)", "dict": "dictionary, no model (ablation)",
         "mlp": "model, no dictionary (ablation)"}
COLORS = {"random": "#1f77b4", "learned": "#2ca02c", "formal": "#d62728", "all": "#9467bd",
          "uniform": "#8c564b", "dict": "#ff7f0e", "mlp": "#17becf"}
# The learned generator's ablation arms, compared with uniform random.
ABLATION = ["uniform", "dict", "mlp", "learned"]


def first_reach(hist, level, key):
    """The first sample (time or cycles, same measure for every engine set:
    the end of the round or formal answer that reached `level`)."""
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
    return str(int(c))


def median(xs):
    """Median; None (never reached) counts as infinitely late."""
    if not xs:
        return None
    xs = sorted(xs, key=lambda x: float("inf") if x is None else x)
    m = xs[(len(xs) - 1) // 2] if len(xs) % 2 else None
    if len(xs) % 2 == 0:
        a, b = xs[len(xs) // 2 - 1], xs[len(xs) // 2]
        m = None if a is None or b is None else (a + b) / 2
    return m


def fmt_s(t):
    return "never" if t is None else f"{t:.2f}"


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
        x = 60 + 130 * i
        out.append(f'<rect x="{x}" y="366" width="14" height="4" fill="{COLORS[e]}"/>'
                   f'<text x="{x + 18}" y="372">{LABEL[e]}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# runs[design][engines][seed] = report
runs = {}
for p in glob.glob(os.path.join(work, "*.json")):
    m = re.fullmatch(r"(.+)\.(" + "|".join(ENGINES) + r")\.s(\d+)\.json", os.path.basename(p))
    if m:
        runs.setdefault(m[1], {}).setdefault(m[2], {})[int(m[3])] = json.load(open(p))
seeds = sorted({s for d in runs.values() for e in d.values() for s in e})
# Where each design comes from (bench/closure.sh writes sources.tsv): ours
# (regressions/) or public (repository, pinned commit, licence).
SOURCE = {}
if os.path.exists(os.path.join(work, "sources.tsv")):
    for line in open(os.path.join(work, "sources.tsv")):
        name, _, src = line.rstrip("\n").partition("\t")
        SOURCE[name] = src
print(f"seeds: {' '.join(map(str, seeds))} (medians over them)\n")
for d in sorted(runs):
    if d in SOURCE:
        print(f"- {d}: {SOURCE[d]}")
print()
print("| design | source | engines | final closure | time to final (s) | cycles to final | "
      "simulated cycles/s | hit | unreachable | unknown | unhit |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for d in sorted(runs):
    for e in ENGINES:
        rs = list(runs[d].get(e, {}).values())
        if not rs:
            continue
        tt = [first_reach(r["history"], r["closure"], "time_s") for r in rs]
        cc = [first_reach(r["history"], r["closure"], "cycles") for r in rs]
        # Point counts of the run with the median final closure.
        mid = sorted(rs, key=lambda r: r["closure"])[(len(rs) - 1) // 2]
        a = mid["summary"]["all"]
        # Whole run: simulated cycles over the closure loop's time.
        rate = median([r["cycles"] / r["elapsed_s"] for r in rs if r.get("elapsed_s")])
        src = "public" if SOURCE.get(d, "ours").startswith("public") else "ours"
        print(f"| {d} | {src} | {LABEL[e]} | {median([r['closure'] for r in rs]):.1f}% | {fmt_s(median(tt))} | "
              f"{fmt_cycles(median(cc))} | {fmt_cycles(rate)} | {a['hit']} | {a['unreachable']} | "
              f"{a['unknown']} | {a['unhit']} |")
    first = {e: runs[d][e][min(runs[d][e])] for e in ENGINES if e in runs[d]}
    with open(os.path.join(work, f"{d}.svg"), "w") as f:
        f.write(svg(d, first))

def vs_random(d, e):
    """Per seed that both ran: (random's final closure, random's cycles to
    it, arm e's cycles to it or None, e's final closure, e / random or None)."""
    out = []
    for s in seeds:
        r, l = runs[d]["random"].get(s), runs[d][e].get(s)
        if r is None or l is None:
            continue
        level = r["closure"]
        a = first_reach(r["history"], level, "cycles")
        b = first_reach(l["history"], level, "cycles")
        out.append((level, a, b, l["closure"], b / a if b is not None and a else None))
    return out


print()
print("Learned-guided simulation against uniform random: cycles to reach random's final closure (per seed, median of the ratios).\n")
print("| design | uniform random's final closure | random: cycles to it | learned: cycles to it | learned / random | seeds <= 0.2 |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for d in sorted(runs):
    if "random" not in runs[d] or "learned" not in runs[d]:
        continue
    cmp = vs_random(d, "learned")
    lv = [c[0] for c in cmp]
    cr = [c[1] for c in cmp]
    cl = [c[2] for c in cmp]
    ratio = [c[4] for c in cmp]
    ok = sum(1 for x in ratio if x is not None and x <= 0.2)
    mr = median(ratio)
    print(f"| {d} | {median(lv):.1f}% | {fmt_cycles(median(cr))} | {fmt_cycles(median(cl))} | "
          f"{'-' if mr is None else f'{mr:.3f}'} | {ok}/{len(ratio)} |")

arms = [e for e in ABLATION if any(e in runs[d] for d in runs)]
if len(arms) > 1 or (arms and arms != ["learned"]):
    print()
    print("Ablation of the learned generator: each arm's final closure, and the cycles it needs to reach uniform random's final closure relative to random's (per seed, median of the ratios; never = not within the budget).\n")
    print("| design | arm | final closure | cycles to random's final | arm / random | seeds <= 0.2 |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for d in sorted(runs):
        if "random" not in runs[d]:
            continue
        for e in ["random"] + arms:
            if e not in runs[d]:
                continue
            cmp = vs_random(d, e)
            fin = [c[3] for c in cmp]
            cyc = [c[2] for c in cmp]
            ratio = [c[4] for c in cmp]
            ok = sum(1 for x in ratio if x is not None and x <= 0.2)
            mr = median(ratio)
            print(f"| {d} | {e} | {median(fin):.1f}% | {fmt_cycles(median(cyc)) if median(cyc) is not None else 'never'} | "
                  f"{'never' if mr is None else f'{mr:.3f}'} | {ok}/{len(ratio)} |")

print()
SIDE = ["random", "learned", "formal", "all"]
print("Time to reach the side-by-side run's final closure (per seed, median; never = not within the budget).\n")
print("| design | side by side's final closure | uniform random | learned-guided sim | formal alone | side by side | side by side fastest |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for d in sorted(runs):
    if "all" not in runs[d]:
        continue
    per = {e: [] for e in SIDE}
    fastest = 0
    n = 0
    lv = []
    for s in seeds:
        a = runs[d]["all"].get(s)
        if a is None:
            continue
        level = a["closure"]
        lv.append(level)
        ts = {}
        for e in SIDE:
            r = runs[d].get(e, {}).get(s)
            if r is not None:
                ts[e] = first_reach(r["history"], level, "time_s")
                per[e].append(ts[e])
        n += 1
        others = [t for e, t in ts.items() if e != "all"]
        if ts.get("all") is not None and all(t is None or ts["all"] < t for t in others):
            fastest += 1
    cols = " | ".join(fmt_s(median(per[e])) for e in SIDE)
    print(f"| {d} | {median(lv):.1f}% | {cols} | {fastest}/{n} |")
print(f"\nplots: {work}/*.svg", file=sys.stderr)
