"""Search and movement queries: filters, ranking tiers, and the shapes results take (same for every backend).

Ranking: documents in tiers, newest first inside a tier (the FTS5 rowid / sort key orders by date), the way a
person reads: words standing together before words scattered, the diacritics as typed before folded ones,
titles and movement names before the body. For a query of several words, first the plans where they stand
together (as a phrase), through the same four tiers, then those where they are apart:
  1. every query word with the diacritics as typed, in a title, movement or theme   (only for a marked query)
  2. the same, in the full text
  3. every word, diacritics ignored, in a title, movement or theme
  4. the rest: every word somewhere in the full text
Each tier leaves out what an earlier one found.
Each tier is one index query read newest first with LIMIT (no relevance score is computed over all
matches); `total` is one count over the index.
"""
from __future__ import annotations

from dataclasses import dataclass

from archive.records import type_key
from archive.textfold import Query, words

MAX_YEAR = 9999
DAY = 10**8  # sort key = yyyymmdd * DAY + seq


@dataclass(frozen=True, slots=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    issuer: str | None = None
    doc_type: str | None = None

    @property
    def issuer_words(self) -> list[str]:
        return words(self.issuer or "")

    @property
    def type_key(self) -> str | None:
        return type_key(self.doc_type)

    @property
    def has_years(self) -> bool:
        return self.year_from is not None or self.year_to is not None

    def key_range(self) -> tuple[int, int] | None:
        """Sort keys of plans in the year range; None without one (plans of unknown year fall outside any range)."""
        if not self.has_years:
            return None
        lo, hi = self.year_bounds()
        return (lo * 10000 + 101) * DAY, ((hi + 1) * 10000 + 101) * DAY - 1

    def year_bounds(self) -> tuple[int, int]:
        return (self.year_from if self.year_from is not None else 1,
                self.year_to if self.year_to is not None else MAX_YEAR)


# tier names: what the match was, shown with each result
TIERS_MARKED = ("exact_head", "exact_text", "head", "text")
TIERS_PLAIN = ("head", "text")
MATCH_LABEL = {"exact_head": "exact", "exact_text": "exact", "head": "title_or_movement", "text": "text", "all": None}
MATCH_LABEL.update({"p_" + k: v for k, v in list(MATCH_LABEL.items()) if k != "all"})


@dataclass(frozen=True, slots=True)
class Condition:
    phrase: bool  # all the query's words in a row
    exact: bool   # with the diacritics as typed
    head: bool    # in a title, movement or theme (else anywhere)


def has_phrase(query: Query) -> bool:
    """Is 'all the words in a row' a stronger match than 'all the words'? (Two or more terms.)"""
    return len(query.terms) > 1


def tiers(query: Query) -> tuple[str, ...]:
    if query.empty:
        return ("all",)
    base = TIERS_MARKED if query.marked else TIERS_PLAIN
    return tuple("p_" + t for t in base) + base if has_phrase(query) else base


def condition(tier: str | None) -> Condition:
    if tier in (None, "all"):
        return Condition(False, False, False)
    name = tier[2:] if tier.startswith("p_") else tier
    return Condition(tier.startswith("p_"), name.startswith("exact"), name.endswith("head"))


def tier_conditions(query: Query, tier: str | None) -> tuple[Condition, list[Condition]]:
    """What a tier's plans match, and what they must not (an earlier tier's match)."""
    order = tiers(query)
    if tier not in order:
        return condition(tier), []
    return condition(tier), [condition(t) for t in order[:order.index(tier)]]


def fts_expression(query: Query, c: Condition) -> str:
    """The FTS5 expression of a condition (the table is chosen by `c.exact`, `c.head`)."""
    if c.phrase:
        return '"' + " ".join(w for t in query.terms for w in (t.exact if c.exact else t.folded)) + '"'
    return phrases(query.terms, exact=c.exact)


def phrases(terms, exact: bool) -> str:
    """An FTS5 expression: every term (a word, or words standing together) is required."""
    return " AND ".join('"' + " ".join(t.exact if exact else t.folded) + '"' for t in terms)


def meta_expression(filters: Filters) -> str | None:
    """The FTS5 expression over fts_meta (issuer words, document type) for the filters; None without them."""
    parts = []
    if filters.issuer_words:
        parts.append("(issuer : (" + " AND ".join(f'"{w}"' for w in filters.issuer_words) + "))")
    if filters.type_key:
        parts.append(f'(dtype : "{filters.type_key}")')
    return " AND ".join(parts) or None


def _tsq(terms: list[tuple[str, ...]]) -> str:
    """Each term a word, or the pairs of words of a phrase (the PostgreSQL index keeps pairs: see postgres.py)."""
    return " & ".join(f"'{t[0]}'" if len(t) == 1 else " & ".join(f"'{a}_{b}'" for a, b in zip(t, t[1:])) for t in terms)


def tsquery_parts(query: Query) -> dict[str, str]:
    """PostgreSQL tsquery literals of the query's folded words and of their exact forms."""
    return {"every": _tsq([t.folded for t in query.terms]), "exact": _tsq([t.exact for t in query.terms])}


def tsquery_of(query: Query, c: Condition) -> str:
    """The tsquery literal of a condition: every word, or (a phrase) every pair of words standing together."""
    if c.phrase:
        return _tsq([tuple(w for t in query.terms for w in (t.exact if c.exact else t.folded))])
    return _tsq([t.exact if c.exact else t.folded for t in query.terms])
