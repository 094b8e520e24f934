"""The archive store, the same tests on SQLite and on the real PostgreSQL: keeping, search, filters, movements."""
from __future__ import annotations

import json

import pytest

from archive.search import Filters
from archive.textfold import fold
from tests.test_archive_support import add_plan, db_url, movement, pg_url, plan, store  # noqa: F401  (fixtures)

LDG = movement("Lao động giỏi, Lao động sáng tạo", "ldg_ldst")
XSD = movement("Xanh, Sạch, Đẹp, Bảo đảm an toàn vệ sinh lao động", "xanh_sach_dep_atvsld")


def titles(result: dict) -> list[str]:
    return [r["title"] for r in result["results"]]


def test_keeping_is_idempotent_and_whole(store):
    doc_id, data = plan("one", movements=[LDG])
    assert store.add(doc_id, "one.pdf", "application/pdf", data) is True
    assert store.add(doc_id, "one.pdf", "application/pdf", data) is False
    assert store.has(doc_id) and json.loads(store.get_json(doc_id))["source"]["sha256"] == doc_id
    assert store.stats() == {"documents": 1, "indexed": 1, "movements": 1, "failures": 0}
    assert store.search("lao dong gioi")["total"] == 1


def test_put_get_for_the_service(store):
    doc_id, data = plan("kept")
    assert store.put(doc_id, "kept.pdf", "application/pdf", b"%PDF-1.4 bytes", data) is True
    assert store.put(doc_id, "kept.pdf", "application/pdf", b"%PDF-1.4 bytes", data) is False
    got = store.get_file(doc_id)
    assert got.content == b"%PDF-1.4 bytes" and got.media_type == "application/pdf" and got.filename == "kept.pdf"
    assert store.get_file("0" * 64) is None and store.get_json("0" * 64) is None
    store.ping()


def test_search_ignores_diacritics_and_case_when_the_query_has_none(store):
    add_plan(store, "a", title="Phát động phong trào thi đua Lao động giỏi năm 2023")
    add_plan(store, "b", title="Tổng kết công tác ĐOÀN KẾT năm 2022", date="2022-12-01", text="Đoàn kết")
    add_plan(store, "c", title="Kế hoạch khác", date="2021-03-01", text="không liên quan")
    assert titles(store.search("lao dong gioi"))[0].startswith("Phát động")
    assert "Tổng kết công tác ĐOÀN KẾT năm 2022" in titles(store.search("doan ket"))  # đ folds to d
    assert "Tổng kết công tác ĐOÀN KẾT năm 2022" in titles(store.search("Đoàn Kết"))
    assert store.search("LAO DONG GIOI")["total"] == store.search("lao động giỏi")["total"]


def test_exact_diacritics_rank_first_and_tone_placement_does_not_matter(store):
    # "hóa giải" is newer, so it comes first when the query has no marks; with marks the exact one leads
    add_plan(store, "hoa", title="Công tác hòa giải ở cơ sở", date="2021-05-01", text="Nội dung.")
    add_plan(store, "hoa2", title="Biện pháp hóa giải mâu thuẫn", date="2024-05-01", text="Nội dung.")
    assert titles(store.search("hoa giai")) == ["Biện pháp hóa giải mâu thuẫn", "Công tác hòa giải ở cơ sở"]
    for query in ("hoà giải", "hòa giải"):  # old and new tone placement are the same word
        result = store.search(query)
        assert titles(result) == ["Công tác hòa giải ở cơ sở", "Biện pháp hóa giải mâu thuẫn"]
        assert [r["match"] for r in result["results"]] == ["exact", "title_or_movement"]


def test_titles_and_movements_rank_above_full_text(store):
    add_plan(store, "body-only", title="Kế hoạch năm 2024", date="2024-01-01",
             text="Văn bản có nhắc đến dân vận khéo trong phần nội dung.", movements=[])
    add_plan(store, "named", title="Kế hoạch năm 2020", date="2020-01-01", movements=[movement("Dân vận khéo", "dan_van_kheo")])
    result = store.search("dan van kheo")
    assert titles(result) == ["Kế hoạch năm 2020", "Kế hoạch năm 2024"]
    assert [r["match"] for r in result["results"]] == ["title_or_movement", "text"]


def test_snippets_highlight_the_words_found(store):
    add_plan(store, "s", text="Mở đầu. Các cấp công đoàn phát động thi đua Lao động giỏi, Lao động sáng tạo sâu rộng. Hết.")
    hit = store.search("lao dong sang tao")["results"][0]
    text_snip = [s for s in hit["snippets"] if s["field"] == "text"][0]
    marked = [fold(text_snip["text"][a:b]) for a, b in text_snip["highlights"]]
    assert marked and all(any(w in m for w in ("lao", "dong", "sang", "tao")) for m in marked)
    assert "lao dong sang tao" in " ".join(marked)


def test_filters_years_issuer_type(store):
    add_plan(store, "y19", title="Plan 2019", date="2019-03-01", issuer="LĐLĐ TỈNH NAM ĐỊNH")
    add_plan(store, "y21", title="Plan 2021", date="2021-03-01", issuer="Liên đoàn Lao động huyện Ý Yên")
    add_plan(store, "y23", title="Plan 2023", date="2023-03-01", issuer="ỦY BAN NHÂN DÂN HUYỆN KIM SƠN", doc_type="Quyết định")
    add_plan(store, "undated", title="Plan năm 2022", date=None, issuer="ỦY BAN NHÂN DÂN HUYỆN KIM SƠN")
    assert titles(store.search(None, Filters(year_from=2020))) == ["Plan 2023", "Plan năm 2022", "Plan 2021"]
    assert titles(store.search(None, Filters(year_from=2019, year_to=2021))) == ["Plan 2021", "Plan 2019"]
    assert titles(store.search(None, Filters(issuer="LĐLĐ"))) == ["Plan 2021", "Plan 2019"]  # abbreviation both ways
    assert titles(store.search(None, Filters(issuer="uy ban nhan dan kim son"))) == ["Plan 2023", "Plan năm 2022"]
    assert titles(store.search(None, Filters(issuer="UBND"))) == ["Plan 2023", "Plan năm 2022"]
    assert titles(store.search(None, Filters(doc_type="QĐ"))) == ["Plan 2023"]
    assert titles(store.search(None, Filters(doc_type="Quyết định"))) == ["Plan 2023"]
    assert titles(store.search("plan", Filters(doc_type="KH", year_to=2021))) == ["Plan 2021", "Plan 2019"]
    assert store.search(None)["total"] == 4


def test_pages_cover_every_result_once(store):
    for i in range(7):
        add_plan(store, f"p{i}", title=f"Thi đua yêu nước đợt {i}", date=f"20{10 + i}-01-01")
    for query in ("thi dua", "thi đua", None):
        seen = []
        for page in range(4):
            result = store.search(query, limit=2, offset=2 * page)
            assert result["total"] == 7
            seen += [r["id"] for r in result["results"]]
        assert len(seen) == len(set(seen)) == 7


def test_odd_queries_do_not_break(store):
    add_plan(store, "x")
    for query in ('"', "*", "NEAR(a b", "' OR 1=1 --", "a:b", "-", "(((", "AND OR NOT", "‘’“”", "\x00", "{title}: x"):
        assert store.search(query)["total"] >= 0
    assert store.search(None, Filters(issuer='"*')) ["total"] == 1  # no words: no issuer filter


def test_movement_variants_group_and_ids_are_stable(store):
    add_plan(store, "m1", date="2019-02-01", movements=[XSD, movement("Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu")])
    first = {m["name"]: m["id"] for m in store.movement_list()["results"]}
    # later plans spell both differently; kb key absent (as if the parser had not recognised it)
    add_plan(store, "m2", date="2021-02-01", issuer="LĐLĐ HUYỆN HẢI HẬU",
             movements=[movement("Xanh - sạch - đẹp, bảo đảm AT-VSLĐ"),
                        movement("Nam Định chung sức xây dựng nông thôn mới nâng cao - kiểu mẫu", period="giai đoạn 2021-2025")])
    add_plan(store, "m3", date="2022-02-01",
             movements=[movement("Kim Sơn chung sức xây dựng huyện nông thôn mới nâng cao"),
                        movement("Thanh niên tình nguyện"), movement("Thanh niên xung phong tình nguyện")])
    listing = {m["name"]: m for m in store.movement_list()["results"]}
    for name, mid in first.items():
        assert listing[name]["id"] == mid and listing[name]["plans"] == 2
    assert first["Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động"] == "xanh_sach_dep_atvsld"
    assert len(listing) == 5  # Kim Sơn, and the two Thanh niên movements, stay apart
    detail = store.movement_detail(first["Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu"])
    assert detail["total"] == 2 and [y["year"] for y in detail["years"]] == [2019, 2021]
    assert {v["name"] for v in detail["variants"]} == {"Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu",
                                                       "Nam Định chung sức xây dựng nông thôn mới nâng cao - kiểu mẫu"}
    assert {(c["year"], c["issuer"]) for c in detail["matrix"]} == {(2019, "LĐLĐ TỈNH NAM ĐỊNH"), (2021, "LĐLĐ HUYỆN HẢI HẬU")}
    assert [p["period"] for p in detail["plans"]["results"]] == ["giai đoạn 2021-2025", None]
    assert detail["anniversaries"] and detail["plans"]["results"][0]["phases"]


def test_a_movement_first_seen_unkeyed_keeps_its_id_when_the_kb_names_it(store):
    add_plan(store, "k1", movements=[movement("Dân vận khéo")])  # the kb would know it; this one came unkeyed
    mid = store.movement_list()["results"][0]["id"]
    add_plan(store, "k2", movements=[movement("Dân vận khéo", "dan_van_kheo")])
    listing = store.movement_list()["results"]
    assert [(m["id"], m["plans"]) for m in listing] == [(mid, 2)]


def test_movement_queries(store):
    add_plan(store, "t1", date="2019-05-01", movements=[LDG, XSD])
    add_plan(store, "t2", date="2020-05-01", movements=[LDG], issuer="LĐLĐ HUYỆN Ý YÊN")
    add_plan(store, "t3", date="2020-06-01", movements=[LDG, movement("Sáng - Xanh - Sạch - Đẹp", "sang_xanh_sach_dep_hn")],
             issuer="ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH")
    top = store.movement_top(Filters(year_from=2020), top=1)
    assert top == {"total": 1, "results": [{"year": 2020, "movements": [
        {"id": "ldg_ldst", "name": "Lao động giỏi, Lao động sáng tạo", "kind": "phong trào", "kb_key": "ldg_ldst", "plans": 2}]}]}
    found = store.movement_list("xanh sạch đẹp")["results"]
    assert {m["id"] for m in found} == {"xanh_sach_dep_atvsld", "sang_xanh_sach_dep_hn"}
    assert store.movement_list("lao dong gioi lao dong sang tao")["results"][0]["id"] == "ldg_ldst"
    assert store.movement_list(None, Filters(issuer="UBND"))["total"] == 2
    assert store.movement_list("khong co phong trao nay")["total"] == 0
    detail = store.movement_detail("ldg_ldst", Filters(year_from=2020), limit=1)
    assert detail["total"] == 2 and len(detail["plans"]["results"]) == 1 and detail["plans"]["total"] == 2
    assert store.movement_detail("no-such-id") is None


def test_export_has_everything(store):
    for i, year in enumerate((2018, 2020, 2022)):
        add_plan(store, f"e{i}", title=f"Export {year}", date=f"{year}-01-01", movements=[LDG])
    rows = list(store.export(batch=2))
    assert [r["title"] for r in rows] == ["Export 2022", "Export 2020", "Export 2018"]
    assert rows[0]["document"]["source"]["sha256"] == rows[0]["id"]
    assert rows[0]["movements"][0]["id"] == "ldg_ldst"
    assert [r["title"] for r in store.export(Filters(year_to=2020), with_document=False)] == ["Export 2020", "Export 2018"]


def test_failures_are_kept_and_cleared_when_the_document_arrives(store):
    doc_id, data = plan("late")
    store.record_failure(doc_id, "/x/late.pdf", "timeout", "too slow")
    assert store.failures([doc_id]) == {doc_id: ("/x/late.pdf", "timeout", "too slow")}
    assert store.failures([doc_id], since=store.now() + 60) == {}
    store.add(doc_id, "late.pdf", "application/pdf", data)
    assert store.failures([doc_id]) == {}


def test_archives_kept_before_the_index_are_indexed_from_their_json(tmp_path):
    import sqlite3

    from archive import open_store

    db = tmp_path / "old.db"
    doc_id, data = plan("legacy", movements=[LDG])
    with sqlite3.connect(db) as con:  # the store as the HTTP service kept it before the archive index
        con.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, filename TEXT NOT NULL, media_type TEXT NOT NULL, "
                    "size INTEGER NOT NULL, created_at REAL NOT NULL, parsed_json TEXT NOT NULL, content BLOB NOT NULL)")
        con.execute("INSERT INTO documents VALUES (?, 'legacy.pdf', 'application/pdf', 3, 0, ?, x'255044')", (doc_id, data))
    store = open_store(str(db))
    try:
        assert store.search("lao dong gioi")["total"] == 0
        assert store.backfill() == 1 and store.backfill() == 0
        assert store.search("lao dong gioi")["total"] == 1
        assert store.get_file(doc_id).content == b"%PD"
    finally:
        store.close()


def test_real_plans_from_the_corpus_share_movements_across_issuers(store):
    from pathlib import Path

    from parser import ParseOptions, parse

    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "docs"
    for name in ("nd-149-kh-ldld-2023.pdf", "cp-ubnd-kimson-2024.pdf", "cp-huyendoan-tunghia-2025.pdf",
                 "cp-sgddt-hatinh-2024-2025.pdf"):
        doc = parse(str(corpus / name), ParseOptions(ocr="never"))
        store.add(doc.source.sha256, name, "application/pdf", doc.model_dump_json())
    by_id = {m["id"]: m for m in store.movement_list(limit=100)["results"]}
    # "Vì người nghèo - không để ai bị bỏ lại phía sau" (Nam Định) = "Cả nước chung tay vì người nghèo - ..." (Kim Sơn)
    for shared in ("chung_tay_vi_nguoi_ngheo", "bao_ve_an_ninh_to_quoc", "van_hoa_cong_so", "dan_van_kheo", "tdk_ntm_dtvm"):
        assert by_id[shared]["plans"] == 2, shared
    local = [m for m in by_id.values() if "chung sức" in m["name"] and not m["kb_key"]]
    assert len(local) == 2 and all(m["plans"] == 1 for m in local)  # Nam Định's and Kim Sơn's own movements
    assert by_id["nong_thon_moi"]["plans"] == 1
    years = store.movement_detail("dan_van_kheo")["years"]
    assert [y["year"] for y in years] == [2023, 2024]


def test_a_rolled_back_document_leaves_no_movement_behind(store):
    from archive.records import build_record

    doc_id, data = plan("rolled", movements=[movement("Phong trào chưa ai biết đến")])
    record = build_record(doc_id, "rolled.pdf", json.loads(data))

    def fail_after_indexing(tx):
        store._index(tx, record)
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        store.indexing(fail_after_indexing)
    assert store.movement_list()["total"] == 0
    add_plan(store, "kept", movements=[movement("Phong trào chưa ai biết đến")])
    listing = store.movement_list()["results"]
    assert len(listing) == 1 and listing[0]["plans"] == 1
    assert store.movement_detail(listing[0]["id"])["total"] == 1


def test_quoted_words_must_stand_together(store):
    add_plan(store, "together", title="Thi đua lao động giỏi", text="Nội dung.", movements=[], themes=[])
    add_plan(store, "apart", title="Giỏi nghề, lao động chăm", text="Nội dung.", movements=[], themes=[])
    assert titles(store.search('"lao dong gioi"')) == ["Thi đua lao động giỏi"]
    assert set(titles(store.search("lao dong gioi"))) == {"Thi đua lao động giỏi", "Giỏi nghề, lao động chăm"}
    assert titles(store.search("AT-VSLĐ")) == [] and store.search('"lao động" giỏi')["total"] == 2
    assert titles(store.search('"giỏi lao động"')) == []


def test_an_archive_from_an_older_layout_is_refused_in_plain_words(db_url):
    from archive import open_store
    from archive.store import OlderArchive

    first = open_store(db_url)
    add_plan(first, "kept", title="Kế hoạch cũ")
    if first.backend == "sqlite":
        first._write(lambda tx: tx.run("PRAGMA user_version = 3"))
    else:
        first._write(lambda tx: tx.run("UPDATE archive_meta SET value = '4' WHERE key = 'schema_version'"))
    first.close()
    with pytest.raises(OlderArchive, match="older vanban .*new archive"):
        open_store(db_url)
