"""Parses the /metrics text of a filled-in node (printed by the program given as the argument)
with the reference Python client's parser, and checks what that lenient parser lets through:
every sample belongs to a typed family, names follow the conventions, and every histogram's
buckets are cumulative with +Inf equal to _count. Exits 77 (skipped) without the client
(Debian: python3-prometheus-client)."""

import math
import subprocess
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("python3-prometheus-client is not installed: skipped")
    sys.exit(77)

# Families that print_sample fills in: the built-in ones and a source for each catalogued one.
EXPECTED_FAMILIES = 26


def check_histogram(family, problems):
    series = {}
    for s in family.samples:
        labels = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        entry = series.setdefault(labels, {"buckets": [], "count": None, "sum": None})
        if s.name.endswith("_bucket"):
            entry["buckets"].append((float(s.labels["le"]), s.value))
        elif s.name.endswith("_count"):
            entry["count"] = s.value
        elif s.name.endswith("_sum"):
            entry["sum"] = s.value
    for labels, entry in series.items():
        where = f"{family.name}{dict(labels)}"
        buckets = entry["buckets"]
        bounds = [b for b, _ in buckets]
        counts = [c for _, c in buckets]
        if not buckets or not math.isinf(bounds[-1]):
            problems.append(f"{where}: no +Inf bucket last")
            continue
        if bounds != sorted(bounds) or counts != sorted(counts):
            problems.append(f"{where}: buckets not in order or not cumulative")
        if entry["count"] != counts[-1]:
            problems.append(f"{where}: _count {entry['count']} != +Inf bucket {counts[-1]}")
        if entry["sum"] is None:
            problems.append(f"{where}: no _sum")


def main():
    text = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout
    families = list(text_string_to_metric_families(text))
    problems = []
    names = [f.name for f in families]
    if len(names) != len(set(names)):
        problems.append("a family appears twice")
    if len(families) != EXPECTED_FAMILIES:
        problems.append(f"{len(families)} families, expected {EXPECTED_FAMILIES}")
    # The parser adds _total to the samples of a counter whose name lacks it: check the text.
    for line in text.splitlines():
        parts = line.split()
        if parts[:2] == ["#", "TYPE"] and parts[3:] == ["counter"]:
            if not parts[2].endswith("_total"):
                problems.append(f"{parts[2]}: a counter without _total")
    for f in families:
        if f.type not in ("counter", "gauge", "histogram"):
            problems.append(f"{f.name}: type {f.type} (a sample outside its family?)")
        if not f.name.startswith(("rtd_", "process_")):
            problems.append(f"{f.name}: neither rtd_ nor process_")
        if not f.samples:
            problems.append(f"{f.name}: no samples")
        if f.type != "counter" and any(s.name.endswith("_total") for s in f.samples):
            problems.append(f"{f.name}: _total on a {f.type}")
        if f.type == "histogram":
            if not f.name.endswith("_seconds"):
                problems.append(f"{f.name}: a duration histogram not in seconds")
            check_histogram(f, problems)
    for p in problems:
        print(p)
    print(f"{len(families)} families parsed, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
