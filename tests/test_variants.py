"""Variation harness in the suite: generated plans with known gold, scored per phenomenon.

Text-layer variants (reportlab, a few hundred) must reach micro-F1 >= 0.97 in every phenomenon;
a handful of scans (OCR) >= 0.92. See bench/variants/ and its REPORT.md for the full run.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.variants import build, parse, phenomena, scoring
from bench.variants.report import worst

TEXT_COUNT = 324      # 9 documents per text phenomenon (36 of them)
SCAN_COUNT = 6        # two per scan phenomenon
TEXT_MIN, SCAN_MIN = 0.97, 0.92
TEXT_TAGS = [p for p in phenomena.TEXT_PHENOMENA if p != "libreoffice"]


def _run(variants, out: Path, timeout: float) -> dict:
    assert scoring.SCORER.exists(), f"the scorer is missing: {scoring.SCORER} (shared/ must sit beside the repo)"
    (out / "docs").mkdir(parents=True)
    (out / "pred").mkdir()
    files = [build.render_one(v, out / "docs") for v in variants]
    batch = parse.parse_files(files, out / "pred", timeout=timeout)
    assert not batch.timed_out, "vanban parse took longer than %d s" % timeout
    assert "Traceback" not in batch.stderr, batch.stderr[-2000:]
    return scoring.score(variants, out / "pred")


@pytest.fixture(scope="module")
def text_run(tmp_path_factory):
    vs = build.variants(TEXT_COUNT, seed=13, libreoffice=False)
    return vs, _run(vs, tmp_path_factory.mktemp("variants-text"), timeout=300)


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory):
    vs = build.variants(0, seed=13, scans=SCAN_COUNT)
    return vs, _run(vs, tmp_path_factory.mktemp("variants-scan"), timeout=600)


def _explain(tag, variants, result) -> str:
    mine = [v for v in variants if tag in v.tags]
    lines = [f"{vid} F1 {f:.3f}: " + " | ".join(m[:140] for m in misses[:4]) for vid, f, misses in worst(result, mine, 6)]
    return "\n".join(lines)


@pytest.mark.parametrize("tag", TEXT_TAGS)
def test_text_phenomenon(text_run, tag):
    variants, result = text_run
    assert tag in result["tags"], f"no variant shows {tag}"
    f1 = scoring.micro(result["tags"][tag], result["f1"])[2]
    assert f1 >= TEXT_MIN, f"{tag}: micro-F1 {f1:.3f} < {TEXT_MIN}\n" + _explain(tag, variants, result)


@pytest.mark.parametrize("tag", phenomena.SCAN)
def test_scan_phenomenon(scan_run, tag):
    variants, result = scan_run
    f1 = scoring.micro(result["tags"][tag], result["f1"])[2]
    assert f1 >= SCAN_MIN, f"{tag}: micro-F1 {f1:.3f} < {SCAN_MIN}\n" + _explain(tag, variants, result)


def test_variants_are_deterministic_and_cover_every_phenomenon():
    a = build.variants(60, seed=5, scans=3)
    b = build.variants(60, seed=5, scans=3)
    assert [json.dumps([v.spec, v.gold, v.layout], sort_keys=True) for v in a] == \
           [json.dumps([v.spec, v.gold, v.layout], sort_keys=True) for v in b]
    tags = Counter(t for v in build.variants(TEXT_COUNT, seed=13, libreoffice=False) for t in v.tags)
    assert set(tags) == set(TEXT_TAGS) and min(tags.values()) >= 8, tags


def test_gold_follows_the_drawn_blanks():
    vs = build.variants(len(phenomena.TEXT_PHENOMENA) * 4, seed=3)
    for v in vs:
        if "blank-number" in v.tags:
            assert "number" not in v.gold and not any(c.isdigit() for c in v.spec["number_line"].split("/")[0])
        if "blank-day" in v.tags:
            assert "issued_date" not in v.gold
        if "handwritten" in v.tags:
            assert v.layout["hand_number"] or v.layout["hand_day"]
            assert v.gold.get("number") and v.gold.get("issued_date")
