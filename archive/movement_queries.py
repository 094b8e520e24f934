"""Movement queries over the counters kept with every plan, so they cost the same at 1,000 or 100,000 plans.

Counters (written in the plan's own transaction, see sqlbase._index):
    movement_years    (movement, year, document type) -> plans
    movement_issuers  (movement, year, issuer)        -> plans
    movement_spellings(movement, name as written)     -> plans
    movement_events   (movement, anniversary)         -> plans naming both
Only a filter on issuer *and* type together reads the per-plan rows (document_movements).
Year 0 in a counter is "year unknown"; it falls outside any year range.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from parser.extract.movement_identity import kb_match, kb_movements, normalize_name
from archive.search import Filters
from archive.textfold import words

UNBOUNDED = (0, 10**6)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def issuer_ids(tx: Any, f: Filters) -> list[int]:
    """The issuers whose words include all the filter's words (looked up first: the planner then knows how many)."""
    cond = " AND ".join(["(' ' || tokens || ' ') LIKE ?"] * len(f.issuer_words))
    return [int(r[0]) for r in tx.all(f"SELECT id FROM issuers WHERE {cond}", [f"% {w} %" for w in f.issuer_words])]


class MovementQueries:
    # provided by ArchiveBase
    def _read(self, fn): raise NotImplementedError
    def _plan_items(self, tx, keys, q=None): raise NotImplementedError
    def _in(self, column: str, values: list) -> tuple[str, list]: raise NotImplementedError

    def _issuer_in(self, tx: Any, f: Filters, column: str = "issuer_id") -> tuple[str, list]:
        return self._in(column, issuer_ids(tx, f))

    def _filter_clauses(self, tx: Any, f: Filters, table: str = "", indexed: bool = True,
                        issuer_indexed: bool = False) -> tuple[list[str], list]:
        """WHERE clauses (and their parameters) for the filters' year range, document type and issuer, over a
        table with sort_key, doc_type_key and issuer_id columns (`table`: its alias, if any). `indexed=False`
        words them so that no B-tree index can answer them: the planner then takes the matches from a full-text
        index and filters them, instead of reading every row in a year range to test its text. `issuer_indexed`
        keeps the issuer an index condition even then."""
        at = f"{table}." if table else ""
        key, dtype, issuer = ((f"{at}sort_key", f"{at}doc_type_key", f"{at}issuer_id") if indexed else
                              (f"({at}sort_key + 0)", f"({at}doc_type_key || '')", f"({at}issuer_id + 0)"))
        if issuer_indexed:
            issuer = f"{at}issuer_id"
        clauses: list[str] = []
        params: list = []
        rng = f.key_range()
        if rng:
            clauses.append(f"{key} BETWEEN ? AND ?")
            params.extend(rng)
        if f.type_key:
            clauses.append(f"{dtype} = ?")
            params.append(f.type_key)
        if f.issuer_words:
            sql, p = self._issuer_in(tx, f, issuer)
            clauses.append(sql)
            params.extend(p)
        return clauses, params

    def _counter(self, tx: Any, f: Filters, group: str, movement: str | None = None) -> tuple[str, list]:
        """SQL `SELECT <group>, plans` over the smallest source that can answer these filters."""
        lo, hi = f.year_bounds() if f.has_years else UNBOUNDED
        only = " AND movement_id = ?" if movement else ""
        extra = [movement] if movement else []
        if f.issuer_words and f.type_key:
            sub, params = self._issuer_in(tx, f)
            return (f"SELECT {group.replace('year', 'coalesce(year, 0)')}, count(*) FROM document_movements "
                    f"WHERE coalesce(year, 0) BETWEEN ? AND ? AND doc_type_key = ? AND {sub}{only} "
                    f"GROUP BY {group.replace('year', 'coalesce(year, 0)')}", [lo, hi, f.type_key, *params, *extra])
        if f.issuer_words or "issuer_id" in group:
            sub, params = self._issuer_in(tx, f) if f.issuer_words else ("", [])
            match = f" AND {sub}" if sub else ""
            return (f"SELECT {group}, sum(plans) FROM movement_issuers WHERE year BETWEEN ? AND ?{match}{only} "
                    f"GROUP BY {group}", [lo, hi, *params, *extra])
        dtype = " AND doc_type_key = ?" if f.type_key else ""
        return (f"SELECT {group}, sum(plans) FROM movement_years WHERE year BETWEEN ? AND ?{dtype}{only} GROUP BY {group}",
                [lo, hi, *([f.type_key] if f.type_key else []), *extra])

    def _names(self, tx: Any, ids: list[str]) -> dict[str, tuple]:
        if not ids:
            return {}
        return {r[0]: r for r in tx.all(f"SELECT id, name, kind, kb_key FROM movements WHERE id IN ({_marks(len(ids))})", ids)}

    def movement_top(self, filters: Filters = Filters(), top: int = 10) -> dict:
        """The most-named movements, year by year (plans of unknown year left out)."""
        def run(tx: Any) -> dict:
            sql, params = self._counter(tx, filters, "year, movement_id")
            by_year: dict[int, list[tuple[int, str]]] = defaultdict(list)
            for year, mid, plans in tx.all(sql, params):
                if year:
                    by_year[int(year)].append((int(plans), mid))
            chosen = {y: sorted(v, key=lambda pm: (-pm[0], pm[1]))[:top] for y, v in by_year.items()}
            names = self._names(tx, sorted({mid for v in chosen.values() for _, mid in v}))
            results = [{"year": y, "movements": [{"id": mid, "name": names[mid][1], "kind": names[mid][2],
                                                  "kb_key": names[mid][3], "plans": p} for p, mid in chosen[y]]}
                       for y in sorted(chosen)]
            return {"total": len(results), "results": results}

        return self._read(run)

    def movement_list(self, name: str | None = None, filters: Filters = Filters(), limit: int = 20,
                      offset: int = 0) -> dict:
        """Movements (named like `name`, when given) with how many plans name them under the filters."""
        def run(tx: Any) -> dict:
            tier: dict[str, int] = {}
            ids: list[str] | None = None
            if name and name.strip():
                tier, ids = self._find_movements(tx, name)
                if not ids:
                    return {"total": 0, "offset": offset, "limit": limit, "results": []}
            sql, params = self._counter(tx, filters, "movement_id")
            counts = {mid: int(n) for mid, n in tx.all(sql, params)}
            if ids is not None:
                counts = {mid: counts.get(mid, 0) for mid in ids}
            ranked = sorted(((mid, n) for mid, n in counts.items() if n > 0 or ids is not None),
                            key=lambda kv: (tier.get(kv[0], 2), -kv[1], kv[0]))
            page = ranked[offset:offset + limit]
            names = self._names(tx, [mid for mid, _ in page])
            results = [{"id": mid, "name": names[mid][1], "kind": names[mid][2], "kb_key": names[mid][3], "plans": n,
                        "movement": f"/api/v1/movements/{mid}"} for mid, n in page if mid in names]
            return {"total": len(ranked), "offset": offset, "limit": limit, "results": results}

        return self._read(run)

    def _find_movements(self, tx: Any, name: str) -> tuple[dict[str, int], list[str]]:
        """({movement: 0 when it is this very name, 1 when it has these words in a row}, every movement whose
        names contain all the words)."""
        nk = normalize_name(name)
        wanted = list(nk.words) or words(name)
        tier: dict[str, int] = {}
        ids: list[str] = []
        row = tx.one("SELECT movement_id FROM movement_names WHERE key = ?", (nk.key,)) if nk.words else None
        if row:
            tier[row[0]] = 0
        kb_self = kb_match(nk) if nk.words else None
        kb_keys = {k for k, m in kb_movements().items() if set(wanted) <= set(normalize_name(m.name).words)}
        kb_keys |= {kb_self} if kb_self else set()
        if kb_keys:
            for mid, kb in tx.all(f"SELECT id, kb_key FROM movements WHERE kb_key IN ({_marks(len(kb_keys))})",
                                  sorted(kb_keys)):
                ids.append(mid)
                if kb == kb_self:
                    tier.setdefault(mid, 0)
        if wanted:
            like = " AND ".join(["(' ' || key || ' ') LIKE ?"] * len(wanted))
            ids.extend(r[0] for r in tx.all(f"SELECT DISTINCT movement_id FROM movement_names WHERE {like}",
                                            [f"% {w} %" for w in wanted]))
            if len(wanted) > 1:
                for (mid,) in tx.all("SELECT DISTINCT movement_id FROM movement_names WHERE (' ' || key || ' ') LIKE ?",
                                     [f"% {' '.join(wanted)} %"]):
                    tier.setdefault(mid, 1)
        return tier, list(dict.fromkeys(list(tier) + ids))

    def _plan_rows(self, tx: Any, mid: str, f: Filters, limit: int, offset: int) -> list:
        clauses, params = self._filter_clauses(tx, f, "dm")
        clauses.append("dm.movement_id = ?")
        params.append(mid)
        return tx.all(f"SELECT dm.sort_key, dm.name, dm.period FROM document_movements dm WHERE {' AND '.join(clauses)} "
                      "ORDER BY dm.sort_key DESC LIMIT ? OFFSET ?", [*params, limit, offset])

    def movement_detail(self, mid: str, filters: Filters = Filters(), limit: int = 20, offset: int = 0) -> dict | None:
        """A movement: years x issuers x plans under the filters, the plans (newest first) with their phases and
        anniversaries; its spellings and the anniversaries its plans celebrate (over the whole archive)."""
        def run(tx: Any) -> dict | None:
            m = tx.one("SELECT id, kb_key, name, kind FROM movements WHERE id = ?", (mid,))
            if m is None:
                return None
            if filters.type_key:  # the per-plan rows of this one movement
                matrix = tx.all(*self._type_matrix(tx, mid, filters))
            else:
                matrix = tx.all(*self._counter(tx, filters, "year, issuer_id", mid))
            years: dict[int, int] = defaultdict(int)
            by_issuer: dict[int, int] = defaultdict(int)
            for year, issuer_id, n in matrix:
                years[int(year)] += int(n)
                by_issuer[issuer_id] += int(n)
            issuer_ids = sorted(by_issuer)
            names = dict(tx.all(f"SELECT id, name FROM issuers WHERE id IN ({_marks(len(issuer_ids))})", issuer_ids)) \
                if issuer_ids else {}
            total = sum(years.values())
            spellings = tx.all("SELECT name, plans FROM movement_spellings WHERE movement_id = ? "
                               "ORDER BY plans DESC, name LIMIT 30", (mid,))
            events = tx.all("SELECT event_key, event, plans FROM movement_events WHERE movement_id = ? "
                            "ORDER BY plans DESC, event LIMIT 20", (mid,))
            page = self._plan_rows(tx, mid, filters, limit, offset)
            plans = self._plan_items(tx, [r[0] for r in page])
            for item, (_, written, period) in zip(plans, page):
                item["as_written"], item["period"] = written, period
            kb = kb_movements().get(m[1]) if m[1] else None
            dated = [y for y in years if y]
            return {
                "id": m[0], "name": m[2], "kind": m[3], "kb_key": m[1], "official_name": kb.name if kb else None,
                "total": total, "first_year": min(dated, default=None), "last_year": max(dated, default=None),
                "variants": [{"name": n, "plans": int(c)} for n, c in spellings],
                "years": [{"year": y or None, "plans": n} for y, n in sorted(years.items(), key=lambda yn: (not yn[0], yn[0]))],
                "issuers": [{"issuer": names.get(i), "plans": n}
                            for i, n in sorted(by_issuer.items(), key=lambda kv: (-kv[1], names.get(kv[0]) or ""))[:50]],
                "matrix": [{"year": int(y) or None, "issuer": names.get(i), "plans": int(n)} for y, i, n in
                           sorted(matrix, key=lambda r: (not r[0], r[0], -int(r[2]), names.get(r[1]) or ""))],
                "anniversaries": [{"key": k if k != e[:200] else None, "event": e, "plans": int(n)} for k, e, n in events],
                "plans": {"total": total, "offset": offset, "limit": limit, "results": plans},
            }

        return self._read(run)

    def _type_matrix(self, tx: Any, mid: str, f: Filters) -> tuple[str, list]:
        """(year, issuer, plans) of one movement under a type filter: its per-plan rows."""
        lo, hi = f.year_bounds() if f.has_years else UNBOUNDED
        clauses = ["movement_id = ?", "coalesce(year, 0) BETWEEN ? AND ?", "doc_type_key = ?"]
        params: list = [mid, lo, hi, f.type_key]
        if f.issuer_words:
            sub, p = self._issuer_in(tx, f)
            clauses.append(sub)
            params.extend(p)
        return (f"SELECT coalesce(year, 0), issuer_id, count(*) FROM document_movements WHERE {' AND '.join(clauses)} "
                "GROUP BY coalesce(year, 0), issuer_id", params)
