"""The archive pages: search (diacritics optional) and movements over the years."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from service.web.charts import stacked_years

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
# the API's limits (service/search_api.py): longer input is answered in words, before any query runs
LIMITS = {"q": 500, "issuer": 200, "type": 100, "from": 10, "to": 10, "page": 10}
MOVEMENT_Q = 300


class TooLong(Exception):
    def __init__(self, name: str, limit: int):
        super().__init__(name)
        self.name, self.limit = name, limit


def _check_lengths(request: Request, q_limit: int) -> None:
    for name, value in request.query_params.multi_items():
        limit = q_limit if name == "q" else LIMITS.get(name, 200)
        if len(value) > limit:
            raise TooLong(name, limit)


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
    if len(request.scope.get("query_string", b"")) > 4000:
        raise TooLong("query", 4000)
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


def _too_long(request: Request, exc: TooLong) -> HTMLResponse:
    return _render(request, "error.html", status=414 if exc.name == "query" else 422,
                   message=f"Nội dung tìm kiếm “{exc.name}” dài quá {exc.limit} ký tự, hãy rút gọn / "
                           f"the “{exc.name}” search text is longer than {exc.limit} characters: shorten it")


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request):
    try:
        _check_lengths(request, LIMITS["q"])
        form, filters, page_no, problems = _filters(request)
    except TooLong as exc:
        return _too_long(request, exc)
    result = await run_in_threadpool(request.app.state.store.search, form["q"].strip() or None, filters, PER_PAGE,
                                     (page_no - 1) * PER_PAGE)
    return _render(request, "search.html", active="search", form=form, result=result, page_no=page_no,
                   per_page=PER_PAGE, problems=problems)


@router.get("/movements", response_class=HTMLResponse)
async def movements_page(request: Request):
    try:
        _check_lengths(request, MOVEMENT_Q)
        form, filters, page_no, problems = _filters(request)
    except TooLong as exc:
        return _too_long(request, exc)
    result = await run_in_threadpool(request.app.state.store.movement_list, form["q"].strip() or None, filters,
                                     PER_PAGE, (page_no - 1) * PER_PAGE)
    return _render(request, "movements.html", active="movements", form=form, result=result, page_no=page_no,
                   per_page=PER_PAGE, problems=problems)


@router.get("/movements/{movement_id}", response_class=HTMLResponse)
async def movement_page(request: Request, movement_id: str):
    try:
        _check_lengths(request, MOVEMENT_Q)
        form, filters, page_no, problems = _filters(request)
    except TooLong as exc:
        return _too_long(request, exc)
    detail = await run_in_threadpool(request.app.state.store.movement_detail, movement_id[:80], filters, PER_PAGE,
                                     (page_no - 1) * PER_PAGE)
    if detail is None:
        return _render(request, "error.html", status=404, message="Không có phong trào với mã này / no movement has this id")
    return _render(request, "movement.html", active="movements", form=form, movement=detail, page_no=page_no,
                   per_page=PER_PAGE, problems=problems, chart=stacked_years(detail["matrix"]))
