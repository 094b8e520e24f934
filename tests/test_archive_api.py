"""GET /api/v1/search, /api/v1/movements, /api/v1/movements/{id} on both backends."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from archive import open_store
from service.config import Settings
from tests.test_archive_support import add_plan, db_url, movement, pg_url  # noqa: F401  (fixtures)


@pytest.fixture
def client(db_url):
    store = open_store(db_url)
    try:
        add_plan(store, "a", source_path="/srv/don-vi/bi-mat/a.pdf", title="Phát động thi đua Lao động giỏi năm 2019",
                 date="2019-04-01",
                 movements=[movement("Lao động giỏi, Lao động sáng tạo", "ldg_ldst")])
        add_plan(store, "b", title="Kế hoạch thi đua năm 2021", date="2021-04-01", issuer="ỦY BAN NHÂN DÂN HUYỆN KIM SƠN",
                 movements=[movement("Lao động giỏi - Lao động sáng tạo"), movement("Dân vận khéo", "dan_van_kheo")])
        add_plan(store, "c", title="Quyết định khen thưởng năm 2022", date="2022-04-01", doc_type="Quyết định",
                 movements=[movement("Dân vận khéo", "dan_van_kheo")])
    finally:
        store.close()
    settings = Settings(db=db_url, workers=1, queue_size=2, api_key=None, cors_origins=())
    with TestClient(create_app(settings)) as c:
        yield c


def test_search_with_filters_and_pages(client):
    body = client.get("/api/v1/search", params={"q": "lao dong gioi"}).json()
    assert body["total"] == 3 and body["results"][0]["title"] == "Kế hoạch thi đua năm 2021"
    assert body["results"][0]["match"] == "title_or_movement" and body["results"][0]["snippets"]
    only = client.get("/api/v1/search", params={"q": "lao dong gioi", "from": 2020, "issuer": "UBND", "type": "KH"}).json()
    assert [r["title"] for r in only["results"]] == ["Kế hoạch thi đua năm 2021"]
    pages = [client.get("/api/v1/search", params={"page": p, "per_page": 2}).json() for p in (1, 2)]
    assert [p["total"] for p in pages] == [3, 3] and [len(p["results"]) for p in pages] == [2, 1]
    assert client.get("/api/v1/search", params={"type": "QĐ"}).json()["total"] == 1


def test_the_api_does_not_show_where_files_lay_on_the_indexing_machine(client):
    everything = [client.get("/api/v1/search").text, client.get("/api/v1/search", params={"q": "2019"}).text,
                  client.get("/api/v1/movements/ldg_ldst").text]
    assert all("bi-mat" not in body and '"path"' not in body for body in everything)
    assert client.get("/api/v1/search", params={"q": "2019"}).json()["results"][0]["filename"] == "a.pdf"


def test_movements_list_top_and_one(client):
    listing = client.get("/api/v1/movements").json()
    assert [(m["id"], m["plans"]) for m in listing["results"]] == [("dan_van_kheo", 2), ("ldg_ldst", 2)]
    assert client.get("/api/v1/movements", params={"q": "lao động giỏi"}).json()["results"][0]["id"] == "ldg_ldst"
    top = client.get("/api/v1/movements", params={"top": 1, "from": 2021}).json()
    assert [(y["year"], y["movements"][0]["id"]) for y in top["results"]] == [(2021, "dan_van_kheo"), (2022, "dan_van_kheo")]
    one = client.get("/api/v1/movements/ldg_ldst", params={"per_page": 1}).json()
    assert one["total"] == 2 and [y["year"] for y in one["years"]] == [2019, 2021]
    assert {v["name"] for v in one["variants"]} == {"Lao động giỏi, Lao động sáng tạo", "Lao động giỏi - Lao động sáng tạo"}
    assert len(one["plans"]["results"]) == 1 and one["plans"]["total"] == 2
    assert client.get("/api/v1/movements/dan_van_kheo", params={"type": "KH"}).json()["total"] == 1


@pytest.mark.parametrize("path,params,status,code", [
    ("/api/v1/movements/nothing-here", {}, 404, "not_found"),
    ("/api/v1/movements/bad%20id!", {}, 422, "invalid_request"),
    ("/api/v1/search", {"from": 2023, "to": 2020}, 422, "invalid_request"),
    ("/api/v1/search", {"per_page": 1000}, 422, "invalid_request"),
    ("/api/v1/search", {"page": 0}, 422, "invalid_request"),
    ("/api/v1/movements", {"from": "soon"}, 422, "invalid_request"),
])
def test_errors_have_the_error_shape(client, path, params, status, code):
    resp = client.get(path, params=params)
    assert resp.status_code == status and resp.json()["error"]["code"] == code
