"""Variation harness: plan documents generated from specs with gold known by construction.

Each variant is one plan spec rendered with one phenomenon that real archives show (wrapped
header columns, blank or hand-written numbers, draft marks, signature on the next page, other
phase forms, Letter pages, scans ...), tagged with that phenomenon so scores can be read per
phenomenon.

The drawing code in ``render.py`` / ``render_docx.py`` / ``scan.py`` started as a copy of
``shared/tools/render_plan.py`` (the corpus' own plan renderer) and was extended here; nothing
is imported from ``shared`` to generate documents. Movement names and commemorations in
``data.py`` are a subset of ``shared/kb`` (movements.csv, commemorations.csv).

    python bench/variants/run.py --count 300 [--scans] [--out DIR] [-v]
"""
