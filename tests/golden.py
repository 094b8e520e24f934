"""Golden files: samples/<id>.pdf|.docx beside samples/<id>.expected.json.

Regenerate on purpose, after reading the diff: `python -m tests.golden --update`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from parser import ParseOptions, parse

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
OPTIONS = ParseOptions(ocr="auto", include_text=False)  # auto leaves good text pages alone


def sample_inputs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))


def expected_path(sample: Path) -> Path:
    return sample.with_name(sample.stem + ".expected.json")


def produce(sample: Path) -> dict:
    return json.loads(parse(sample, OPTIONS).model_dump_json())


def diff(expected, actual, path: str = "") -> list[str]:
    """Field-level differences, one readable line each."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            out += diff(expected.get(key), actual.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        out = [f"{path}: {len(expected)} items expected, {len(actual)} found"] if len(expected) != len(actual) else []
        for k, (e, a) in enumerate(zip(expected, actual)):
            out += diff(e, a, f"{path}[{k}]")
        return out
    if expected != actual:
        return [f"{path}: expected {json.dumps(expected, ensure_ascii=False)[:120]}, got {json.dumps(actual, ensure_ascii=False)[:120]}"]
    return []


if __name__ == "__main__":
    if "--update" not in sys.argv:
        sys.exit("usage: python -m tests.golden --update   (rewrites samples/*.expected.json from the current parser)")
    for sample in sample_inputs():
        expected_path(sample).write_text(json.dumps(produce(sample), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", expected_path(sample).name)
