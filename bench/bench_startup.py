"""Whole-process times of the `vanban` command: start-up included, the way a person or a script pays them.

    python bench/bench_startup.py [--repeat 7] [--compare OLD_CHECKOUT] [--json OUT]

Each command runs --repeat times, interleaved with the others, in a fresh process of this interpreter; the
table shows medians. Baselines from the same run: `python -c pass` (the interpreter alone) and
`import spacy` (what the language pipeline costs to import, before any work). With --compare, the same
commands also run on another checkout's code (e.g. `git archive main | tar -x -C /tmp/vanban-main`),
with the same interpreter and libraries, and the table gains its column and the ratio.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"
LAUNCH = "import sys; sys.path.insert(0, {root!r}); from service.cli import main; sys.exit(main())"


def commands(empty: Path) -> dict[str, list[str]]:
    """name -> vanban arguments"""
    return {
        "vanban --help": ["--help"],
        "vanban schema": ["schema"],
        "vanban parse empty.pdf (fails)": ["parse", str(empty)],
        f"vanban parse {SAMPLE.name}": ["parse", str(SAMPLE), "--no-text"],
    }


def timed(argv: list[str], ok_codes: tuple[int, ...]) -> float:
    started = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if r.returncode not in ok_codes:
        sys.exit(f"{' '.join(argv)} exited {r.returncode}: {r.stderr.strip()[-500:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--compare", type=Path, help="another checkout of vanban (its code runs with this interpreter)")
    ap.add_argument("--json", type=Path, help="write the medians here")
    args = ap.parse_args()
    if args.compare and not (args.compare / "service" / "cli.py").is_file():
        sys.exit(f"{args.compare}: not a vanban checkout (no service/cli.py)")

    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.pdf"
        empty.write_bytes(b"")
        trees = {"now": ROOT} | ({"compare": args.compare.resolve()} if args.compare else {})
        runs: dict[tuple[str, str], list[float]] = {}
        base = {"python -c pass": [py, "-c", "pass"], "python -c 'import spacy'": [py, "-c", "import spacy"]}
        for _ in range(args.repeat):
            for name, argv in base.items():
                runs.setdefault((name, "now"), []).append(timed(argv, (0,)))
            for name, vargs in commands(empty).items():
                ok = (3,) if "fails" in name else (0,)
                for tree, root in trees.items():
                    argv = [py, "-c", LAUNCH.format(root=str(root)), *vargs]
                    runs.setdefault((name, tree), []).append(timed(argv, ok))
    med = {key: statistics.median(v) for key, v in runs.items()}

    head = "| command | median s |" + (" --compare s | now / compare |" if args.compare else "")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    names = list(base) + list(commands(Path("empty.pdf")))
    for name in names:
        row = f"| {name} | {med[(name, 'now')]:.2f} |"
        if args.compare:
            old = med.get((name, "compare"))
            row += f" {old:.2f} | {med[(name, 'now')] / old:.2f} |" if old else " | |"
        print(row)
    print(f"\n{args.repeat} runs each, interleaved; {py} (Python {sys.version.split()[0]})")
    if args.json:
        args.json.write_text(json.dumps({f"{n} [{t}]": v for (n, t), v in med.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
