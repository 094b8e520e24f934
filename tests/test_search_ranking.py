"""Search ranks like a person reads: words standing together first, exact diacritics next, titles before text.
The same tests on SQLite and on PostgreSQL."""
from __future__ import annotations

from tests.test_archive_support import add_plan, db_url, pg_url, store  # noqa: F401  (fixtures)

SCATTERED = ("Phương án nổ mìn tại mỏ đá tỉnh Lào Cai. Hướng Đông Nam cách khu dân cư 300 m. "
             "Đơn vị thi công cần sáng tạo trong biện pháp an toàn, tạo điều kiện cho kiểm tra.")
TOGETHER = "Phát động phong trào thi đua Lao động giỏi, Lao động sáng tạo trong công nhân viên chức."


def titles(result: dict) -> list[str]:
    return [r["title"] for r in result["results"]]


def test_words_standing_together_rank_before_scattered_ones(store):
    # the scattered plan is newer, so it would lead without the phrase tiers
    add_plan(store, "scattered", title="Phương án nổ mìn", date="2026-03-01", text=SCATTERED, movements=[])
    add_plan(store, "together", title="Kế hoạch công đoàn năm 2023", date="2023-02-01", text=TOGETHER, movements=[])
    add_plan(store, "titled", title="Kế hoạch thi đua lao động sáng tạo", date="2021-02-01", text="Nội dung khác.",
             movements=[])
    result = store.search("lao dong sang tao")
    assert result["total"] == 3
    assert titles(result) == ["Kế hoạch thi đua lao động sáng tạo", "Kế hoạch công đoàn năm 2023", "Phương án nổ mìn"]
    assert [r["phrase"] for r in result["results"]] == [True, True, False]
    # the snippet shows the phrase, highlighted in one piece
    text = next(s for s in result["results"][1]["snippets"] if s["field"] == "text")
    assert any(text["text"][a:b].lower() == "lao động sáng tạo" for a, b in text["highlights"])
    # with diacritics typed: the exact phrase first, still before the scattered words
    assert titles(store.search("Lao động sáng tạo"))[-1] == "Phương án nổ mìn"
    assert titles(store.search("lao dong"))[-1] == "Phương án nổ mìn"


def test_paging_is_consistent_at_the_edges(store):
    for i in range(5):
        add_plan(store, f"p{i}", title=f"Kế hoạch thi đua lao động giỏi số {i}", date=f"202{i}-01-02", movements=[])
    seen = []
    for offset in (0, 2, 4):
        page = store.search("lao dong gioi", limit=2, offset=offset)
        assert page["total"] == 5
        seen += [r["id"] for r in page["results"]]
    assert len(seen) == len(set(seen)) == 5
    past = store.search("lao dong gioi", limit=2, offset=6)
    assert past["total"] == 5 and past["results"] == []


def test_real_plans_with_the_phrase_come_first(store):
    """The seed plan names 'Lao động sáng tạo'; two newer documents of Lào Cai have the four words apart."""
    from tests.test_document_groups import keep

    seed = keep(store, "nd-149-kh-ldld-2023.pdf")
    others = {keep(store, n) for n in ("lc-cv-ubnd-tinh-chi-dao-quan-ly-giam-sat-vlncn.pdf",
                                       "lc-panm-cua-dn-duy-hieu-mo-da-xuan-hoa.pdf")}
    result = store.search("lao dong sang tao")
    assert [r["id"] for r in result["results"]][0] == seed and {r["id"] for r in result["results"][1:]} == others
    assert result["results"][0]["phrase"] and not any(r["phrase"] for r in result["results"][1:])
    marked = [s["text"][a:b].lower() for s in result["results"][0]["snippets"] for a, b in s["highlights"]]
    assert "lao động sáng tạo" in marked
