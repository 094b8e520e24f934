"""Corrections with history, the trash and the audit log, the same tests on SQLite and on the real PostgreSQL."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from archive.accounts import AccountError
from archive.corrections import BadCorrection, check_patch
from tests.test_archive_support import db_url, movement, pg_url, plan, store  # noqa: F401  (fixtures)

SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
LDG = movement("Lao động giỏi, Lao động sáng tạo", "ldg_ldst")


def keep(store, label="one", **values) -> tuple[str, str]:
    doc_id, data = plan(label, movements=[LDG], **values)
    assert store.add(doc_id, f"{label}.pdf", "application/pdf", data)
    return doc_id, data


def movement_names(store, q=None) -> list[str]:
    return [m["name"] for m in store.movement_list(q)["results"]]


def test_a_correction_is_returned_searched_charted_and_exported(store):
    doc_id, _ = keep(store, title="Kế hoạch thi đua zzqx năm 2023")
    changes = check_patch({"title": "Kế hoạch tổ chức Hội thi bơi lội qwkv", "signer": {"name": "Trần Văn Bình"},
                           "movements": ["Lao động giỏi, Lao động sáng tạo", "Chung tay vì người nghèo xã Hải Minh"]})
    result = store.correct(doc_id, changes, "editor1")
    assert result == {"revision": 2, "fields": ["movements", "signer.name", "title"], "changed": True}
    doc = json.loads(store.get_json(doc_id))
    assert doc["title"]["value"] == "Kế hoạch tổ chức Hội thi bơi lội qwkv" and doc["title"]["corrected"] is True
    assert doc["signer"]["name"] == {**doc["signer"]["name"], "value": "Trần Văn Bình", "corrected": True}
    assert doc["corrections"] == {"fields": ["movements", "signer.name", "title"], "revision": 2}
    assert [m["name"] for m in doc["movements"]][1] == "Chung tay vì người nghèo xã Hải Minh"
    assert "corrected" not in doc["movements"][0]  # the parsed one stays as it was read, boxes and all
    # search: the new title is found, the old one is not
    assert store.search("hoi thi boi loi")["total"] == 1
    assert store.search("zzqx")["total"] == 0
    # movements and charts: the added movement is counted, nothing counted twice
    assert "Chung tay vì người nghèo xã Hải Minh" in movement_names(store)
    top = store.movement_list("lao dong gioi")["results"][0]
    assert top["plans"] == 1
    added = next(m for m in store.movement_list()["results"] if m["name"] == "Chung tay vì người nghèo xã Hải Minh")
    assert store.movement_detail(added["id"])["plans"]["total"] == 1
    # export carries the current document
    exported = list(store.export())
    assert exported[0]["title"] == "Kế hoạch tổ chức Hội thi bơi lội qwkv"
    assert exported[0]["document"]["title"]["corrected"] is True
    # history: the parse is revision 1
    history = store.revisions(doc_id)
    assert [h["revision"] for h in history] == [1, 2] and history[0]["author"] == "parser"
    assert history[1]["author"] == "editor1" and history[1]["old"]["title"] == "Kế hoạch thi đua zzqx năm 2023"
    assert history[1]["new"]["signer.name"] == "Trần Văn Bình"
    # a second correction of one field: revision 3, the others kept
    store.correct(doc_id, check_patch({"title": "Hội thi bơi lội năm 2023"}), "editor2")
    doc = json.loads(store.get_json(doc_id))
    assert doc["title"]["value"] == "Hội thi bơi lội năm 2023" and doc["signer"]["name"]["value"] == "Trần Văn Bình"
    assert store.search("hoi thi boi loi")["total"] == 1 and store.search("qwkv")["total"] == 0
    assert store.correct(doc_id, check_patch({"title": "Hội thi bơi lội năm 2023"}), "x")["changed"] is False
    assert [a["action"] for a in store.audit_log()["results"]][:2] == ["document.correct", "document.correct"]
    assert store.stats()["indexed"] == 1


def test_gold_export_scores_with_the_shared_scorer(store, tmp_path):
    doc_id, data = keep(store, title="Kế hoạch thi đua năm 2023")
    keep(store, "untouched")
    fixed = ["Lao động giỏi, Lao động sáng tạo", "Dân vận khéo"]
    store.correct(doc_id, check_patch({"title": "Hội thi bơi lội", "movements": fixed}), "e")
    golds = list(store.gold())
    assert golds == [{"id": doc_id, "title": "Hội thi bơi lội", "movements": fixed}]
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    (tmp_path / "gold" / f"{doc_id}.gold.json").write_text(json.dumps(golds[0], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "pred" / f"{doc_id}.json").write_text(data, encoding="utf-8")  # what the parser said
    run = subprocess.run([sys.executable, str(SCORER), str(tmp_path / "gold"), str(tmp_path / "pred"), "--json",
                          str(tmp_path / "report.json")], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    text = json.dumps(report)
    assert "title" in text and "movements" in text


def test_reparsing_keeps_corrections_on_top(store):
    doc_id, data = keep(store, title="Kế hoạch thi đua năm 2023")
    store.correct(doc_id, check_patch({"signer": {"name": "Trần Văn Bình"}}), "e")
    newer = json.loads(data)
    newer["title"]["value"] = "Kế hoạch phát động thi đua năm 2023 (bản đọc mới)"
    assert store.reparse(doc_id, json.dumps(newer, ensure_ascii=False))
    doc = json.loads(store.get_json(doc_id))
    assert doc["title"]["value"].endswith("(bản đọc mới)") and doc["signer"]["name"]["value"] == "Trần Văn Bình"
    assert store.search("ban doc moi")["total"] == 1 and store.stats()["indexed"] == 1


def test_delete_and_restore_are_whole_and_audited(store):
    doc_id, _ = keep(store, title="Kế hoạch thi đua năm 2023")
    keep(store, "other", title="Kế hoạch khác")
    store.correct(doc_id, check_patch({"title": "Hội thi bơi lội qwkv"}), "e")
    assert store.delete(doc_id, "editor1") is True
    assert store.delete(doc_id, "editor1") is False
    assert store.get_json(doc_id) is None and store.get_file(doc_id) is None and not store.has(doc_id)
    assert store.search("qwkv")["total"] == 0 and store.search(None)["total"] == 1
    assert store.movement_list("lao dong gioi")["results"][0]["plans"] == 1  # the other plan only
    assert [d["id"] for d in store.trash()] == [doc_id]
    assert all(i["id"] != doc_id for i in store.export())
    assert store.restore(doc_id, "editor2") is True
    assert json.loads(store.get_json(doc_id))["title"]["value"] == "Hội thi bơi lội qwkv"  # corrections came back
    assert store.search("qwkv")["total"] == 1 and store.trash() == []
    assert store.movement_list("lao dong gioi")["results"][0]["plans"] == 2
    actions = [(a["action"], a["actor"]) for a in store.audit_log()["results"]]
    assert actions[:3] == [("document.restore", "editor2"), ("document.delete", "editor1"), ("document.correct", "e")]
    # thirty days later it is gone for good
    store.delete(doc_id, "editor1")
    assert store.purge(older_than_s=3600) == 0
    assert store.purge(older_than_s=-1) == 1
    assert store.trash() == [] and store.revisions(doc_id) is None and store.stats()["documents"] == 1


def test_accounts_tokens_sessions(store):
    assert not store.has_users()
    token = store.add_user("an", "editor")
    assert store.has_users() and store.user_of_token(token).role == "editor"
    assert store.user_of_token(token + "x") is None and store.user_of_token("nope") is None
    with pytest.raises(AccountError):
        store.add_user("an", "viewer")
    with pytest.raises(AccountError):
        store.add_user("bad name", "viewer")
    with pytest.raises(AccountError):
        store.add_user("binh", "owner")
    second = store.create_token("an", "laptop")
    assert store.revoke_token(token) == "an" and store.user_of_token(token) is None
    assert store.user_of_token(second).name == "an"
    assert store.login("an", "whatever-long") is None  # no password yet
    store.set_password("an", "mat-khau-dai")
    assert store.login("an", "mat-khau-sai") is None and store.login("nobody", "mat-khau-dai") is None
    session, user = store.login("an", "mat-khau-dai")
    assert store.user_of_session(session) == user and user.csrf
    store.logout(session)
    assert store.user_of_session(session) is None
    assert store.users() == [{"name": "an", "role": "editor", "password": True,
                              "created_at": store.users()[0]["created_at"], "tokens": 1}]
    store.remove_user("an")
    assert store.user_of_token(second) is None and not store.has_users()
    assert [a["action"] for a in store.audit_log()["results"]] == [
        "user.remove", "user.password", "token.revoke", "token.create", "user.add"]


@pytest.mark.parametrize("body", [{}, [], {"nope": 1}, {"title": 5}, {"signer": {"age": "x"}}, {"movements": "x"},
                                  {"issued_date": "8/1/2024"}, {"movements": [""]}, {"title": "x" * 3000}])
def test_bad_corrections_are_refused_in_words(body):
    with pytest.raises(BadCorrection) as exc:
        check_patch(body)
    assert " / " in str(exc.value)
