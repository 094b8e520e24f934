"""Format variant scores: per phenomenon micro-F1, per field (-v), findings, worst documents."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

from .scoring import micro


def _short(x, n=90) -> str:
    s = json.dumps(x, ensure_ascii=False, default=str)
    return s if len(s) <= n else s[: n - 1] + "…"


def phenomenon_rows(result: dict, counts: dict[str, int]) -> list[tuple]:
    rows = []
    for tag in sorted(result["tags"]):
        p, r, f = micro(result["tags"][tag], result["f1"])
        rows.append((tag, counts.get(tag, 0), p, r, f))
    return rows


def findings(result: dict, variants, threshold_text: float, threshold_scan: float) -> list[str]:
    """One line per phenomenon with misses (under its threshold first): fields, how often, how."""
    by_tag = defaultdict(list)
    for v in variants:
        for t in v.tags:
            by_tag[t].append(v)
    out = []
    for tag, vs in sorted(by_tag.items()):
        p, r, f = micro(result["tags"][tag], result["f1"])
        limit = threshold_scan if tag.startswith("scan") else threshold_text
        if f >= 1.0:
            continue
        parts = []
        fields = Counter()
        how = defaultdict(Counter)
        for v in vs:
            for fld, (tp, np_, ng, misses) in result["docs"][v.id]["fields"].items():
                if misses:
                    fields[fld] += 1
                    for kind, item in misses:
                        if kind == "wrong":
                            how[fld]["null" if item.get("pred") in (None, "") else "wrong"] += 1
                        else:
                            how[fld][kind] += 1
        for fld, n in fields.most_common(4):
            parts.append(f"{fld} in {n}/{len(vs)} ({', '.join(f'{k} {c}' for k, c in how[fld].most_common())})")
        under = f < limit
        out.append((not under, f"- {'**' if under else ''}{tag}{'** under ' + str(limit) if under else ''} "
                                f"F1 {f:.3f}: " + "; ".join(parts)))
    return [line for _, line in sorted(out, key=lambda x: x[0])]


def worst(result: dict, variants, n: int = 15) -> list[tuple[str, float, list[str]]]:
    rows = []
    for v in variants:
        d = result["docs"][v.id]
        fields = {k: (tp, np_, ng) for k, (tp, np_, ng, _) in d["fields"].items()}
        _, _, f = micro({k: list(x) for k, x in fields.items()}, result["f1"])
        misses = [f"{fld} {kind}: {_short(item)}" for fld, (_, _, _, ms) in d["fields"].items() for kind, item in ms]
        if not d["parsed"]:
            misses.insert(0, "no prediction (parse failed)")
        label = v.id + (f" [{' + '.join(v.layout['components'])}]" if v.layout.get("components") else "")
        rows.append((label, f, misses))
    rows.sort(key=lambda r: (r[1], r[0]))
    return [r for r in rows if r[2]][:n]


def text_report(result, variants, verbose: bool, threshold_text: float, threshold_scan: float) -> str:
    counts = Counter(t for v in variants for t in v.tags)
    lines = [f"{'phenomenon':26} {'docs':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for tag, n, p, r, f in phenomenon_rows(result, counts):
        limit = threshold_scan if tag.startswith("scan") else threshold_text
        lines.append(f"{tag:26} {n:4d} {p:6.3f} {r:6.3f} {f:6.3f}{'' if f >= limit else '  < ' + str(limit)}")
        if verbose:
            for fld in result["order"]:
                if fld in result["tags"][tag]:
                    tp, np_, ng = result["tags"][tag][fld]
                    fp, fr, ff = result["f1"](tp, np_, ng)
                    if ff < 1.0:
                        lines.append(f"    {fld:22} {fp:6.3f} {fr:6.3f} {ff:6.3f}  ({tp}/{np_} pred, {ng} gold)")
    lines.append("")
    lines.append("worst documents:")
    for vid, f, misses in worst(result, variants):
        lines.append(f"  {vid}  F1 {f:.3f}")
        lines += [f"      {m}" for m in misses[:8]]
    return "\n".join(lines)


NOTES_START, NOTES_END = "<!-- notes: kept across runs -->", "<!-- end of notes -->"


def kept_notes(previous: str) -> str:
    """The hand-written notes section of an earlier REPORT.md, so a new run keeps it."""
    if NOTES_START in previous and NOTES_END in previous:
        return previous[previous.index(NOTES_START): previous.index(NOTES_END) + len(NOTES_END)]
    return f"{NOTES_START}\n{NOTES_END}"


def markdown(result, variants, command: str, threshold_text: float, threshold_scan: float, elapsed: dict,
             notes: str = "") -> str:
    counts = Counter(t for v in variants for t in v.tags)
    md = ["# Variation harness report", "", kept_notes(notes), "",
          f"`{command}` — {len(variants)} documents" + "".join(f", {k} {v:.0f} s" for k, v in elapsed.items()) + ".",
          f"Thresholds: micro-F1 ≥ {threshold_text} per text-layer phenomenon, ≥ {threshold_scan} for scans.", "",
          "## Misses per phenomenon (under threshold first: field in documents with a miss, kind of miss)", ""]
    md += findings(result, variants, threshold_text, threshold_scan) or ["- no misses"]
    md += ["", "## Micro-F1 per phenomenon", "", "| phenomenon | docs | P | R | F1 | weakest fields (F1) |", "|---|---:|---:|---:|---:|---|"]
    for tag, n, p, r, f in phenomenon_rows(result, counts):
        weak = []
        for fld in result["order"]:
            if fld in result["tags"][tag]:
                ff = result["f1"](*result["tags"][tag][fld])[2]
                if ff < 1.0:
                    weak.append((ff, fld))
        weak = ", ".join(f"{fld} {ff:.2f}" for ff, fld in sorted(weak)[:4])
        md.append(f"| {tag} | {n} | {p:.3f} | {r:.3f} | {f:.3f} | {weak} |")
    md += ["", "## Worst documents", ""]
    for vid, f, misses in worst(result, variants, 25):
        md.append(f"- `{vid}` F1 {f:.3f}")
        md += [f"  - {m}" for m in misses[:8]]
    return "\n".join(md) + "\n"
