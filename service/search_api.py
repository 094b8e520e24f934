"""The archive over HTTP: GET /api/v1/search, /api/v1/movements, /api/v1/movements/{id}.

Every list is paginated (`page`, `per_page`) and answers `{"total": N, "offset", "limit", "results": [...]}`;
filters: `from`/`to` (years), `issuer` (words, diacritics optional), `type` (name or code: Kế hoạch, KH).
"""
from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from archive.search import Filters
from service.errors import ApiError, error_body

router = APIRouter(prefix="/api/v1", tags=["archive"])
ERROR = {"application/json": {"example": error_body("invalid_request", "…")}}
YEAR_FROM = Query(None, alias="from", ge=1, le=9999, description="plans of this year or later")
YEAR_TO = Query(None, alias="to", ge=1, le=9999, description="plans of this year or earlier")
ISSUER = Query(None, max_length=200, description="issuer words, diacritics optional: LĐLĐ, `UBND huyện Kim Sơn`")
DOC_TYPE = Query(None, alias="type", max_length=100, description="document type name or code: Kế hoạch, KH")
PAGE = Query(1, ge=1, le=10_000)
PER_PAGE = Query(20, ge=1, le=100)


def _without_paths(items: list[dict]) -> list[dict]:
    """Plan items as the API shows them: where the file lay on the indexing machine is not the caller's business."""
    for item in items:
        item.pop("path", None)
    return items


def _filters(year_from: int | None, year_to: int | None, issuer: str | None, doc_type: str | None) -> Filters:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(422, "invalid_request", "Năm bắt đầu sau năm kết thúc / `from` is after `to`")
    return Filters(year_from=year_from, year_to=year_to, issuer=issuer or None, doc_type=doc_type or None)


@router.get("/search", summary="search plans: titles, movements, themes, full text (diacritics optional)",
            responses={422: {"description": "invalid parameters", "content": ERROR}})
async def search(request: Request,
                 q: str | None = Query(None, max_length=500, description='words, all required; "quoted words" '
                                       "stand together; with diacritics, exact matches rank first; empty lists all"),
                 year_from: int | None = YEAR_FROM, year_to: int | None = YEAR_TO, issuer: str | None = ISSUER,
                 doc_type: str | None = DOC_TYPE, page: int = PAGE, per_page: int = PER_PAGE):
    filters = _filters(year_from, year_to, issuer, doc_type)
    result = await run_in_threadpool(request.app.state.store.search, q, filters, per_page, (page - 1) * per_page)
    _without_paths(result["results"])
    return JSONResponse(result)


@router.get("/movements", summary="movements with how many plans name them, or the most-named year by year",
            responses={422: {"description": "invalid parameters", "content": ERROR}})
async def movements(request: Request,
                    q: str | None = Query(None, max_length=300, description="words of a movement's name"),
                    top: int | None = Query(None, ge=1, le=100, description="the N most-named movements of each year"),
                    year_from: int | None = YEAR_FROM, year_to: int | None = YEAR_TO, issuer: str | None = ISSUER,
                    doc_type: str | None = DOC_TYPE, page: int = PAGE, per_page: int = PER_PAGE):
    filters = _filters(year_from, year_to, issuer, doc_type)
    store = request.app.state.store
    if top is not None:
        result = await run_in_threadpool(store.movement_top, filters, top)
    else:
        result = await run_in_threadpool(store.movement_list, q, filters, per_page, (page - 1) * per_page)
    return JSONResponse(result)


@router.get("/movements/{movement_id}", summary="a movement: spellings, years x issuers x plans, anniversaries alongside",
            responses={404: {"description": "no such movement", "content": ERROR},
                       422: {"description": "invalid parameters", "content": ERROR}})
async def movement(request: Request,
                   movement_id: str = Path(pattern=r"^[A-Za-z0-9_-]{1,80}$", description="a movement id (kb key or m-…)"),
                   year_from: int | None = YEAR_FROM, year_to: int | None = YEAR_TO, issuer: str | None = ISSUER,
                   doc_type: str | None = DOC_TYPE, page: int = PAGE, per_page: int = PER_PAGE):
    filters = _filters(year_from, year_to, issuer, doc_type)
    detail = await run_in_threadpool(request.app.state.store.movement_detail, movement_id, filters, per_page,
                                     (page - 1) * per_page)
    if detail is None:
        raise ApiError(404, "not_found", "Không có phong trào với mã này / no movement has this id")
    _without_paths(detail["plans"]["results"])
    return JSONResponse(detail)


__all__ = ["router"]
