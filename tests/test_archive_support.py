"""Shared by the archive tests: a real PostgreSQL (a fresh schema per test), stores of both kinds, documents.

PostgreSQL is $VANBAN_TEST_POSTGRES when set, otherwise a throwaway server the session starts
(tests/pg_server.py, fixture `postgres_base` in conftest.py): the tests fail, they never skip, without one.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "nd-149-kh-ldld-2023.pdf"


def _admin(base: str):
    import psycopg

    try:
        return psycopg.connect(base, autocommit=True, connect_timeout=5)
    except Exception as exc:  # the suite must say so loudly, never skip
        pytest.fail(f"PostgreSQL is not reachable at {base} (unset VANBAN_TEST_POSTGRES to use a server of the "
                    f"tests' own, or point it at a running one): {exc}")


def schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url(postgres_base):
    """A fresh, empty schema of our own in the test database; dropped afterwards."""
    schema = f"vbt_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    with _admin(postgres_base) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema_url(postgres_base, schema)
    with _admin(postgres_base) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same test, once per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    from archive import open_store

    s = open_store(db_url)
    yield s
    s.close()


_BASE: dict = {}


def base_document() -> dict:
    """The parsed seed plan (149/KH-LĐLĐ), parsed once per session."""
    if not _BASE:
        from parser import ParseOptions, parse

        _BASE.update(json.loads(parse(str(SEED), ParseOptions(ocr="never")).model_dump_json()))
    return copy.deepcopy(_BASE)


def movement(name: str, key: str | None = None, kind: str = "phong trào", period: str | None = None) -> dict:
    from parser.data import movements

    official = next((r["official_name_vi"] for r in movements() if r["key"] == key), None)
    return {"name": name, "kind": kind, "period": period, "canonical_key": key, "canonical_name": official,
            "page": 1, "bbox": None, "boxes": [], "span": None, "confidence": 1.0}


def plan(label: str, *, title: str | None = None, issuer: str = "LĐLĐ TỈNH NAM ĐỊNH", date: str | None = "2023-02-17",
         doc_type: str = "Kế hoạch", movements: list[dict] | None = None, themes: list[str] | None = None,
         text: str | None = None, number: str | None = None) -> tuple[str, str]:
    """(id, parsed JSON) of a plan made from the seed with these values; the id is a stand-in content hash."""
    doc = base_document()
    doc["title"]["value"] = title if title is not None else doc["title"]["value"]
    doc["issuer"]["value"] = issuer
    doc["parent_issuer"] = None
    doc["symbol"] = None
    doc["doc_type"]["value"] = doc_type
    # a serial from the label itself: hash() changes with every process and its values modulo 1000 could meet,
    # which made two test plans one document (group) now and then
    doc["number"]["value"] = number or f"{int(hashlib.sha256(label.encode()).hexdigest()[:12], 16) % 1_000_000}/KH"
    doc["issued_date"] = {**doc["issued_date"], "value": date} if date else None
    if movements is not None:
        doc["movements"] = movements
    if themes is not None:
        doc["themes"] = [{"text": t, "page": 1, "bbox": None, "boxes": [], "span": None, "confidence": 1.0} for t in themes]
    if text is not None:
        doc["text"] = text
    doc_id = hashlib.sha256(label.encode()).hexdigest()
    doc["source"]["sha256"] = doc_id
    doc["source"]["file"] = f"{label}.pdf"
    return doc_id, json.dumps(doc, ensure_ascii=False)


def add_plan(store, label: str, source_path: str | None = None, **values) -> str:
    doc_id, data = plan(label, **values)
    store.add(doc_id, f"{label}.pdf", "application/pdf", data, content=b"%PDF-1.4 test" if source_path else None,
              source_path=source_path)
    return doc_id


def unique_pdf_copies(folder: Path, n: int, source: Path = SEED) -> list[Path]:
    """n different files (different hashes) that parse like `source`: a PDF comment appended to each."""
    folder.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes()
    out = []
    for i in range(n):
        p = folder / f"{source.stem}-copy{i:04d}.pdf"
        p.write_bytes(data + f"\n%vanban-test-copy {i}\n".encode())
        out.append(p)
    return out


def test_postgresql_is_reachable(postgres_base):
    with _admin(postgres_base) as conn:
        assert conn.execute("SELECT 1").fetchone()[0] == 1
