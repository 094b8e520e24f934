"""Highlighted snippets: where the query's words stand in a text, diacritics ignored, offsets in the original."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from archive.textfold import Query, fold_with_offsets

WINDOW = 180


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    # the first word's letters lead (re scans for a literal prefix fast); the boundary before it is checked after
    first = re.escape(words[0])
    return re.compile(first + rf"(?<![^\W_]{first})" + "".join(r"[\W_]+" + re.escape(w) for w in words[1:])
                      + r"(?![^\W_])")


def _hits(text: str, query: Query) -> list[tuple[int, int, int]]:
    """(start, end, term number) in `text` of every term; term -1 is all the query's words in a row."""
    folded, offsets = fold_with_offsets(text)
    patterns = [(i, _pattern(t.folded)) for i, t in enumerate(query.terms)]
    if len(query.terms) > 1:
        patterns.append((-1, _pattern(tuple(query.folded_words))))
    hits = []
    for i, pattern in patterns:
        for m in pattern.finditer(folded):
            if m.end() > m.start():
                hits.append((offsets[m.start()], offsets[m.end() - 1] + 1, i))
    return sorted(hits)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(field: str, text: str, query: Query, whole: bool = False) -> dict | None:
    """{"field", "text", "highlights": [[start, end], ...]} around the densest cluster of hits, or None."""
    if not text or query.empty:
        return None
    hits = _hits(text, query)
    if not hits:
        return None
    spans = _merge([(s, e) for s, e, _ in hits])
    if whole or len(text) <= WINDOW:
        start, end = 0, len(text)
    else:
        starts = [a for a, _, _ in hits]
        best, best_score = 0, (-1, -1, -1)
        for i, s in enumerate(starts[:400]):  # a window around each hit: all words in a row, most words, most hits
            lo = max(0, s - WINDOW // 4)
            inside = [t for _, b, t in hits[bisect_left(starts, lo):bisect_right(starts, lo + WINDOW)] if b <= lo + WINDOW]
            score = (inside.count(-1), len(set(inside)), len(inside))
            if score > best_score:
                best, best_score = i, score
        start = max(0, hits[best][0] - WINDOW // 4)
        limit = start
        while start > 0 and not text[start - 1].isspace() and limit - start < 20:
            start -= 1
        end = min(len(text), start + WINDOW)
        while end < len(text) and not text[end].isspace() and end - start < WINDOW + 30:
            end += 1
    piece = text[start:end]
    highlights = [[max(s, start) - start, min(e, end) - start] for s, e in spans if s < end and e > start]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    return {"field": field, "text": prefix + piece.replace("\n", " ") + suffix,
            "highlights": [[s + shift, e + shift] for s, e in highlights]}


def mark(snip: dict, before: str = "[", after: str = "]") -> str:
    """The snippet's text with its highlights wrapped (for a terminal)."""
    text = snip["text"]
    out, at = [], 0
    for s, e in snip["highlights"]:
        out.append(text[at:s])
        out.append(before + text[s:e] + after)
        at = e
    out.append(text[at:])
    return "".join(out)
