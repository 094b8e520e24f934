"""Downloads from the pages: the search results and movement tables (CSV, XLSX), a movement's chart (SVG, PNG),
the phases and anniversaries of chosen plans (iCalendar). The same filters as the pages, the same order."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from service import exports
from service.uploads import content_disposition
from service.web.archive_pages import LIMITS, MOVEMENT_Q, TooLong, _check_lengths, _filters, _too_long
from service.web.charts import stacked_years

router = APIRouter(include_in_schema=False)
MAX_ROWS = 5000
BATCH = 200
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DOC_ID = re.compile(r"^[0-9a-f]{64}$")


def _file(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": content_disposition(name),
                                                          "Cache-Control": "no-store"})


def _table(table: exports.Table, fmt: str, sheet: str, name: str) -> Response:
    data = exports.to_xlsx(table, sheet) if fmt == "xlsx" else exports.to_csv(table)
    return _file(data, TYPES[fmt], f"{name}.{fmt}")


def _not_found(request: Request, message: str):
    from service.web.routes import page

    return page(request, "error.html", status=404, message=message)


def search_items(store, q: str | None, filters) -> list[dict]:
    """Every result of a search, in the page's order (at most MAX_ROWS)."""
    items: list[dict] = []
    while len(items) < MAX_ROWS:
        got = store.search(q, filters, BATCH, len(items))["results"]
        items.extend(got)
        if len(got) < BATCH:
            break
    return items[:MAX_ROWS]


@router.get("/export/search.{fmt}")
async def export_search(request: Request, fmt: str):
    if fmt not in TYPES:
        return _not_found(request, "Không có định dạng xuất này (chỉ có csv, xlsx)")
    try:
        _check_lengths(request, LIMITS["q"])
        form, filters, _, _ = _filters(request)
    except TooLong as exc:
        return _too_long(request, exc)
    items = await run_in_threadpool(search_items, request.app.state.store, form["q"].strip() or None, filters)
    return _table(exports.search_table(items), fmt, "Tra cứu", "tra-cuu")


@router.get("/export/movements.{fmt}")
async def export_movements(request: Request, fmt: str):
    if fmt not in TYPES:
        return _not_found(request, "Không có định dạng xuất này (chỉ có csv, xlsx)")
    try:
        _check_lengths(request, MOVEMENT_Q)
        form, filters, _, _ = _filters(request)
    except TooLong as exc:
        return _too_long(request, exc)
    result = await run_in_threadpool(request.app.state.store.movement_list, form["q"].strip() or None, filters,
                                     MAX_ROWS, 0)
    return _table(exports.movements_table(result["results"]), fmt, "Phong trào", "phong-trao")


async def _movement(request: Request, movement_id: str):
    _check_lengths(request, MOVEMENT_Q)
    _, filters, _, _ = _filters(request)
    return await run_in_threadpool(request.app.state.store.movement_detail, movement_id[:80], filters, 1, 0)


@router.get("/export/movements/{movement_id}/table.{fmt}")
async def export_movement_table(request: Request, movement_id: str, fmt: str):
    try:
        detail = await _movement(request, movement_id)
    except TooLong as exc:
        return _too_long(request, exc)
    if detail is None or fmt not in TYPES:
        return _not_found(request, "Không có phong trào với mã này / no movement has this id")
    return _table(exports.matrix_table(detail), fmt, "Theo năm", f"phong-trao-{movement_id[:40]}")


@router.get("/export/movements/{movement_id}/chart.{fmt}")
async def export_movement_chart(request: Request, movement_id: str, fmt: str):
    try:
        detail = await _movement(request, movement_id)
    except TooLong as exc:
        return _too_long(request, exc)
    if detail is None or fmt not in ("svg", "png"):
        return _not_found(request, "Không có phong trào với mã này / no movement has this id")
    name = f"bieu-do-{movement_id[:40]}.{fmt}"
    if fmt == "svg":
        svg = str(stacked_years(detail["matrix"]))
        if not svg.startswith("<svg"):
            svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="10" y="25">' \
                  'Chưa có kế hoạch nào có năm ban hành.</text></svg>'
        return _file(('<?xml version="1.0" encoding="UTF-8"?>\n' + svg).encode(), "image/svg+xml", name)
    png = await run_in_threadpool(exports.chart_png, detail["matrix"], detail["name"])
    return _file(png, "image/png", name)


@router.get("/export/calendar.ics")
async def export_calendar(request: Request):
    ids = [i for i in request.query_params.getlist("id") if DOC_ID.match(i)][:200]
    if not ids:
        return _not_found(request, "Hãy chọn ít nhất một văn bản để tải lịch")
    plans = await run_in_threadpool(request.app.state.store.plans, ids)
    if not plans:
        return _not_found(request, "Không có văn bản nào trong số đã chọn")
    text = exports.calendar(plans)
    return _file(text.encode("utf-8"), "text/calendar; charset=utf-8", "lich-ke-hoach.ics")
