"""The new writes (a zip, picking a document's shown file, splitting one off, cancelling a reading) follow the
accounts rules: a viewer is refused, an editor may, a foreign page may not; on a real server."""
from __future__ import annotations

import io
import time
import zipfile

import httpx

from tests.live_server import live_server
from tests.test_accounts_service import add_user, bearer, code, settings, upload
from tests.test_document_groups import CORPUS, SEED_RENDERINGS


def test_only_editors_group_split_and_upload_zips(tmp_path):
    db = str(tmp_path / "archive.db")
    pdf, rl = CORPUS / SEED_RENDERINGS[0], CORPUS / SEED_RENDERINGS[1]
    with live_server(settings(db, tmp_path)) as base:
        first = upload(base, pdf).json()
        second = upload(base, rl).json()
        assert second["document_id"] == first["id"] and second["files"] == 2
        viewer, editor = add_user(db, "vien", "viewer"), add_user(db, "bien", "editor")
        time.sleep(2.1)
        target = f"{base}/api/v1/documents/{second['id']}"
        for path in ("/choose", "/split"):
            assert httpx.post(target + path).status_code == 401
            refused = httpx.post(target + path, headers=bearer(viewer))
            assert refused.status_code == 403 and code(refused) == "forbidden"
            foreign = httpx.post(target + path, headers={**bearer(editor), "Origin": "https://evil.example"})
            assert foreign.status_code == 403 and code(foreign) == "cross_site"
        assert httpx.delete(f"{base}/api/v1/jobs/{'a' * 32}", headers=bearer(viewer)).status_code == 403
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("x.pdf", pdf.read_bytes())
        files = {"file": ("a.zip", out.getvalue())}
        assert httpx.post(f"{base}/api/v1/documents/zip", files=files, headers=bearer(viewer)).status_code == 403
        # reading stays open to all; the editor's writes go through and are audited
        assert len(httpx.get(target + "/files", headers=bearer(viewer)).json()["files"]) == 2
        chosen = httpx.post(target + "/choose", headers=bearer(editor))
        assert chosen.status_code == 200 and chosen.json()["document_id"] == second["id"]
        split = httpx.post(target + "/split", headers=bearer(editor))
        assert split.status_code == 200
        alone = httpx.post(target + "/split", headers=bearer(editor))
        assert alone.status_code == 409 and code(alone) == "alone"
        assert httpx.post(f"{base}/api/v1/documents/{'0' * 64}/choose", headers=bearer(editor)).status_code == 404
        audit = httpx.get(f"{base}/api/v1/audit", headers=bearer(add_user(db, "quan", "admin"))).json()
        actions = {(e["action"], e["actor"]) for e in audit["results"]}
        assert ("document.choose", "bien") in actions and ("document.split", "bien") in actions
