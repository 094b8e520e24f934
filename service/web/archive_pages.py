"""The archive pages: search (diacritics optional) and movements over the years."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from service.web.charts import stacked_years

router = APIRouter(include_in_schema=False)
PER_PAGE = 20


def highlight(text: str, ranges: list[list[int]]) -> Markup:
    """`text` with the [start, end) ranges wrapped in <mark>, everything escaped."""
    out, pos = [], 0
    for start, end in sorted(ranges):
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _int(raw: str | None, lo: int, hi: int) -> int | None:
    try:
        value = int(raw) if raw not in (None, "") else None
    except ValueError:
        return None
    return value if value is None or lo <= value <= hi else None


def _filters(request: Request):
    """Filters from the query string; what a person mistyped is said, not a 4xx page."""
    from archive.search import Filters

    q = request.query_params
    year_from, year_to = _int(q.get("from"), 1900, 2200), _int(q.get("to"), 1900, 2200)
    problems = [f"“{q.get(k)}” không phải là năm" for k, v in (("from", year_from), ("to", year_to)) if q.get(k) and v is None]
    if year_from and year_to and year_from > year_to:
        problems.append("Năm bắt đầu sau năm kết thúc")
        year_from, year_to = year_to, year_from
    form = {k: q.get(k, "") for k in ("q", "from", "to", "issuer", "type")}
    filters = Filters(year_from=year_from, year_to=year_to, issuer=form["issuer"].strip() or None,
                      doc_type=form["type"].strip() or None)
    page = _int(q.get("page"), 1, 10_000) or 1
    return form, filters, page, problems


def _render(request: Request, name: str, **context) -> HTMLResponse:
    from service.web.routes import page

    return page(request, name, highlight=highlight, **context)


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request):
    form, filters, page_no, problems = _filters(request)
    result = await run_in_threadpool(request.app.state.store.search, form["q"].strip() or None, filters, PER_PAGE,
                                     (page_no - 1) * PER_PAGE)
    return _render(request, "search.html", active="search", form=form, result=result, page_no=page_no,
                   per_page=PER_PAGE, problems=problems)


@router.get("/movements", response_class=HTMLResponse)
async def movements_page(request: Request):
    form, filters, page_no, problems = _filters(request)
    result = await run_in_threadpool(request.app.state.store.movement_list, form["q"].strip() or None, filters,
                                     PER_PAGE, (page_no - 1) * PER_PAGE)
    return _render(request, "movements.html", active="movements", form=form, result=result, page_no=page_no,
                   per_page=PER_PAGE, problems=problems)


@router.get("/movements/{movement_id}", response_class=HTMLResponse)
async def movement_page(request: Request, movement_id: str):
    form, filters, page_no, problems = _filters(request)
    detail = await run_in_threadpool(request.app.state.store.movement_detail, movement_id[:80], filters, PER_PAGE,
                                     (page_no - 1) * PER_PAGE)
    if detail is None:
        return _render(request, "error.html", status=404, message="Không có phong trào với mã này / no movement has this id")
    return _render(request, "movement.html", active="movements", form=form, movement=detail, page_no=page_no,
                   per_page=PER_PAGE, problems=problems, chart=stacked_years(detail["matrix"]))
