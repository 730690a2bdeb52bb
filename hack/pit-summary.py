#!/usr/bin/env python3
"""Per-class figures of a PIT report: mutants, killed (timed out counts as killed, as PIT counts it), survived, no
coverage, mutation score and line coverage. Usage: hack/pit-summary.py [target/pit-reports]
Line coverage comes from the HTML report's package pages; without them the column shows '?'."""
import collections
import csv
import os
import re
import sys

DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def mutants(report):
    per_class = collections.defaultdict(collections.Counter)
    with open(os.path.join(report, "mutations.csv")) as f:
        for row in csv.reader(f):
            top = row[1].split("$")[0]
            per_class[top]["total"] += 1
            per_class[top]["killed" if row[5] in DETECTED else row[5].lower()] += 1
    return per_class


def line_coverage(report):
    covered = {}
    for package in os.listdir(report):
        index = os.path.join(report, package, "index.html")
        if os.path.isfile(index):
            html = open(index).read()
            for m in re.finditer(r'href="\./(\w+)\.java\.html".*?coverage_legend">(\d+)/(\d+)<', html, re.S):
                covered[package + "." + m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return covered


def pct(part, whole):
    return f"{round(100 * part / whole)} %" if whole else "-"


def main():
    report = sys.argv[1] if len(sys.argv) > 1 else "target/pit-reports"
    per_class, lines = mutants(report), line_coverage(report)
    total, lines_total = collections.Counter(), [0, 0]
    print("| class | mutants | killed | survived | no coverage | mutation | line coverage |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in sorted(per_class):
        c = per_class[name]
        total.update(c)
        lc = lines.get(name)
        if lc:
            lines_total[0] += lc[0]
            lines_total[1] += lc[1]
        short = name.replace("io.carpoperator.", "")
        print(f"| {short} | {c['total']} | {c['killed']} | {c['survived']} | {c['no_coverage']} | {pct(c['killed'], c['total'])}"
              f" | {f'{lc[0]}/{lc[1]} ({pct(*lc)})' if lc else '?'} |")
    print(f"| **all** | {total['total']} | {total['killed']} | {total['survived']} | {total['no_coverage']}"
          f" | {pct(total['killed'], total['total'])} | {lines_total[0]}/{lines_total[1]} ({pct(*lines_total)}) |")


if __name__ == "__main__":
    main()
