"""The archive at scale: indexing speed (1 vs 2 workers, real PDFs), query latency at 100,000 plans on SQLite
and PostgreSQL, and index size per plan.

    python bench/bench_archive.py index  [--files 10000] [--index-rounds 1] [--pg URL] [--stores postgresql]
    python bench/bench_archive.py query  [--plans 100000] [--pg URL] [--keep DIR]
    python bench/bench_archive.py all

index: 10,000 different files made from samples/*.pdf in turn (a PDF comment appended to each, so every hash
differs) indexed by the real command with --workers 1 and --workers 2 into fresh archives, SQLite and then
PostgreSQL (whose `--workers` run through the procrastinate queue); docs/s and the ratio (the whole run:
start-up, hashing, parsing, writing).

query: a synthetic archive made by varying the parsed corpus (issuers, years, movements and their
spellings, titles, themes, full text shuffled by paragraph), written through the store's own indexing
code (`_index`: the same rows `vanban index` writes) in batches, without parsing 100,000 PDFs. Then a
fixed mix of search and movement queries, each run many times; p50/p95/max in ms, in process (the
store call: SQL, snippets, result dicts; no HTTP). Index size: the search index and catalog tables
(without the kept JSON documents) per plan.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"

PLACES = ["Nam Định", "Ninh Bình", "Kim Sơn", "Hải Hậu", "Ý Yên", "Giao Thủy", "Xuân Trường", "Nghĩa Hưng", "Tư Nghĩa",
          "Hà Tĩnh", "Lào Cai", "Bảo Yên", "Bắc Hà", "Sa Pa", "Thái Bình", "Hưng Yên", "Hà Nam", "Thanh Hóa", "Nghệ An",
          "Quảng Ngãi", "Đà Nẵng", "Huế", "Cần Thơ", "Bến Tre", "Long An", "Đồng Tháp", "An Giang", "Kiên Giang",
          "Cà Mau", "Bạc Liêu", "Sóc Trăng", "Vĩnh Long", "Trà Vinh", "Tiền Giang", "Bình Dương", "Đồng Nai", "Tây Ninh",
          "Bình Phước", "Lâm Đồng", "Đắk Lắk", "Gia Lai", "Kon Tum", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận",
          "Quảng Nam", "Quảng Bình", "Quảng Trị", "Hòa Bình", "Sơn La", "Điện Biên", "Lai Châu", "Yên Bái", "Tuyên Quang",
          "Hà Giang", "Cao Bằng", "Lạng Sơn", "Bắc Giang", "Bắc Ninh", "Vĩnh Phúc", "Phú Thọ", "Thái Nguyên", "Bắc Kạn"]
# (issuer, level, its code in document numbers, the body above it)
ORGS = [("LĐLĐ", "TỈNH", "LĐLĐ", "TỔNG LĐLĐ VIỆT NAM"), ("LĐLĐ", "HUYỆN", "LĐLĐ", "LĐLĐ TỈNH"),
        ("ỦY BAN NHÂN DÂN", "HUYỆN", "UBND", None), ("ỦY BAN NHÂN DÂN", "TỈNH", "UBND", None),
        ("ỦY BAN NHÂN DÂN", "XÃ", "UBND", None), ("BCH ĐOÀN", "HUYỆN", "ĐTN", "TỈNH ĐOÀN"),
        ("HỘI LIÊN HIỆP PHỤ NỮ", "TỈNH", "HPN", "TW HỘI LHPN VIỆT NAM"), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "", "SGDĐT", "UBND TỈNH"),
        ("CÔNG ĐOÀN NGÀNH GIÁO DỤC", "TỈNH", "CĐN", "LĐLĐ TỈNH"), ("HỘI CỰU CHIẾN BINH", "HUYỆN", "CCB", "HỘI CCB TỈNH"),
        ("SỞ CÔNG THƯƠNG", "", "SCT", "UBND TỈNH"), ("SỞ Y TẾ", "", "SYT", "UBND TỈNH")]
LOCAL = ["{p} chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu", "Đẩy mạnh cải cách hành chính tỉnh {p}",
         "{p} chung tay vì người nghèo", "Cán bộ, công chức, viên chức tỉnh {p} thi đua thực hiện văn hóa công sở",
         "Thanh niên {p} tình nguyện vì cộng đồng", "Phụ nữ {p} khởi nghiệp", "{p} xanh - sạch - đẹp - văn minh"]
THEMES = ["Đoàn kết, vượt khó – Chủ động thích ứng – Điều hành linh hoạt – Đổi mới sáng tạo – Kịp thời hiệu quả",
          "Tập trung phát triển đoàn viên, thành lập công đoàn cơ sở", "Kỷ cương, trách nhiệm, hành động, sáng tạo",
          "Tuổi trẻ tiên phong chuyển đổi số", "Năm dân vận chính quyền", "Đổi mới, sáng tạo, hiệu quả"]
TITLES = ["Tổ chức thực hiện các phong trào thi đua năm {y}", "Phát động phong trào thi đua yêu nước năm {y}",
          "Tổ chức phong trào thi đua năm học {y} - {y1}", "Triển khai phong trào thi đua {m} năm {y}",
          "Tổng kết phong trào thi đua và công tác khen thưởng năm {y}", "Hưởng ứng phong trào {m} giai đoạn {y} - {y5}"]


# -- the synthetic archive ----------------------------------------------------------------------------

def parse_corpus(cache: Path) -> list[dict]:
    """The corpus and samples parsed once (text layers only), cached as JSON."""
    if cache.exists():
        return json.loads(cache.read_text())
    from parser import ParseOptions, parse

    docs = []
    for f in sorted(CORPUS.glob("*.pdf")) + sorted(CORPUS.glob("*.docx")):
        try:
            docs.append(json.loads(parse(str(f), ParseOptions(ocr="never")).model_dump_json()))
        except Exception:
            continue
    docs = [d for d in docs if len(d.get("text") or "") > 300]
    cache.write_text(json.dumps(docs, ensure_ascii=False))
    return docs


def kb_pool() -> list[tuple[str, str | None]]:
    """(spelling, kb key or None) of national movements: official names with their key, variants without
    (as if the parser had not recognised them, so the archive's own matching groups them)."""
    from parser.data import movements

    pool = []
    for r in movements():
        pool.append((r["official_name_vi"], r["key"]))
        for v in r["variants"].split("|")[:2]:
            if v and not v.startswith("[") and "…" not in v and "(" not in v:
                pool.append((v.strip().strip("“”\""), None))
    return pool


def synthetic_plan(i: int, rng: random.Random, bases: list[dict], plans: list[dict], kb: list) -> tuple[str, str, dict]:
    base = rng.choice(plans) if rng.random() < 0.75 else rng.choice(bases)
    doc = json.loads(json.dumps(base))
    year = rng.randint(2010, 2025)
    place = rng.choice(PLACES)
    org, level, code, parent = rng.choice(ORGS)
    issuer = " ".join(p for p in (org, level, place.upper()) if p)
    parent = f"{parent} {place.upper()}" if parent and parent.endswith("TỈNH") else parent
    # an issuer names much the same movements year after year: its portfolio, from which each plan takes some
    own = random.Random(issuer)
    portfolio = own.sample(kb, 16) + [(own.choice(LOCAL).format(p=place), None) for _ in range(2)]
    named = rng.sample(portfolio, rng.randint(4, 10))
    movements = [{"name": n, "kind": "phong trào", "period": f"giai đoạn {year}-{year + 5}" if rng.random() < 0.2 else None,
                  "canonical_key": k, "canonical_name": None, "page": 1, "bbox": None, "boxes": [], "span": None,
                  "confidence": 1.0} for n, k in named]
    title = rng.choice(TITLES).format(y=year, y1=year + 1, y5=year + 5, m=named[0][0])
    paragraphs = (doc.get("text") or "").split("\n")
    head, body = paragraphs[:8], paragraphs[8:]
    rng.shuffle(body)
    sentence = "Tiếp tục đẩy mạnh các phong trào thi đua " + "; ".join(f"“{n}”" for n, _ in named) + "."
    text = "\n".join([issuer, *head, title, sentence, *body]).replace("2023", str(year))
    doc["text"] = text
    doc["movements"] = movements
    doc["themes"] = [{"text": t, "page": 1, "bbox": None, "boxes": [], "span": None, "confidence": 1.0}
                     for t in rng.sample(THEMES, rng.randint(0, 2))]
    for field, value in (("title", title), ("issuer", issuer), ("parent_issuer", parent)):
        doc[field] = {**(doc.get(field) or {}), "value": value} if value else None
    doc["symbol"] = {**(doc.get("symbol") or {}), "issuer_code": code}
    doc["issued_date"] = {**(doc.get("issued_date") or {}), "value": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    doc_id = f"{i:064x}"
    doc["source"] = {**doc["source"], "sha256": doc_id, "file": f"synthetic-{i}.pdf"}
    return doc_id, f"synthetic-{i}.pdf", doc


def _records(args: tuple[int, int, int]) -> list:
    start, stop, seed = args
    from archive.records import build_record

    bases, plans, kb = _WORLD
    out = []
    for i in range(start, stop):
        rng = random.Random(seed * 1_000_003 + i)
        doc_id, name, doc = synthetic_plan(i, rng, bases, plans, kb)
        data = json.dumps(doc, ensure_ascii=False)
        out.append((doc_id, name, data, build_record(doc_id, name, doc)))
    return out


_WORLD: tuple = ()


def _init(world: tuple) -> None:
    global _WORLD
    _WORLD = world


def fill(store, n: int, bases: list[dict], seed: int = 7, batch: int = 250) -> float:
    """Write n synthetic plans (one transaction per batch, the store's own `_index`); seconds taken."""
    plans = [d for d in bases if d.get("movements")]
    world = (bases, plans, kb_pool())
    started = time.monotonic()
    chunks = [(s, min(s + batch, n), seed) for s in range(0, n, batch)]
    with multiprocessing.get_context("fork").Pool(max(1, (os.cpu_count() or 2)), initializer=_init,
                                                  initargs=(world,)) as pool:
        for k, rows in enumerate(pool.imap(_records, chunks)):
            def write(tx, rows=rows):
                for doc_id, name, data, record in rows:
                    tx.run("INSERT INTO documents (id, filename, media_type, size, created_at, parsed_json, content) "
                           "VALUES (?, ?, 'application/pdf', 0, 0, ?, ?) ON CONFLICT (id) DO NOTHING",
                           (doc_id, name, data, store._blob(None)))
                    store._index(tx, record)
            store.indexing(write)
            if k % 40 == 0:
                done = min(n, (k + 1) * batch)
                rate = done / (time.monotonic() - started)
                print(f"  {store.backend}: {done}/{n} plans written ({rate:.0f}/s)", file=sys.stderr, flush=True)
    return time.monotonic() - started


# -- measuring ------------------------------------------------------------------------------------------

def search_mix():
    from archive.search import Filters

    return [
        ("lao dong gioi", Filters(), 0), ("lao động giỏi", Filters(), 0), ("xanh sạch đẹp", Filters(), 0),
        ("dan van kheo", Filters(year_from=2019, year_to=2023), 0), ("nông thôn mới", Filters(issuer="UBND"), 0),
        ("thi dua", Filters(), 0), ("thi đua", Filters(), 40), ('"chung suc xay dung"', Filters(), 0),
        ("hoà bình", Filters(), 0), ("kim son", Filters(doc_type="KH"), 0), ("cong doan co so", Filters(issuer="LĐLĐ"), 0),
        ("tuổi trẻ tình nguyện", Filters(year_from=2020), 0), ("giai doan", Filters(), 100),
        (None, Filters(year_from=2018, year_to=2020), 0), (None, Filters(issuer="LĐLĐ huyện Hải Hậu"), 0),
        (None, Filters(doc_type="Kế hoạch", year_from=2024), 20), ("zzkhongcotu", Filters(), 0),
    ]


def movement_mix(store):
    from archive.search import Filters

    big = store.movement_list(limit=3)["results"]
    small = store.movement_list(limit=5, offset=60)["results"]
    mix = [("top", Filters(year_from=2018), None), ("top", Filters(issuer="LĐLĐ"), None),
           ("list", Filters(), None), ("list", Filters(doc_type="KH", year_from=2020), None),
           ("name", Filters(), "xanh sạch đẹp"), ("name", Filters(), "lao dong gioi"), ("name", Filters(), "dân vận")]
    mix += [("detail", Filters(), m["id"]) for m in big[:2]] + [("detail", Filters(year_from=2022), big[0]["id"])]
    mix += [("detail", Filters(issuer="UBND"), big[1]["id"])] + [("detail", Filters(), m["id"]) for m in small[:2]]
    return mix


def run_movement(store, kind, filters, arg):
    if kind == "top":
        return store.movement_top(filters, 10)
    if kind == "list":
        return store.movement_list(None, filters)
    if kind == "name":
        return store.movement_list(arg, filters)
    return store.movement_detail(arg, filters)


def percentiles(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"p50_ms": round(1000 * statistics.median(s), 1), "p95_ms": round(1000 * s[int(0.95 * (len(s) - 1))], 1),
            "max_ms": round(1000 * s[-1], 1), "n": len(s)}


def measure(store, rounds: int) -> dict:
    search, movement = [], []
    per_query: dict[str, list[float]] = {}
    smix, mmix = search_mix(), movement_mix(store)
    for _ in range(2):  # warm the caches as a running service has them
        for q, f, off in smix:
            store.search(q, f, 20, off)
        for kind, f, arg in mmix:
            run_movement(store, kind, f, arg)
    for _ in range(rounds):
        for q, f, off in smix:
            t = time.perf_counter()
            store.search(q, f, 20, off)
            dt = time.perf_counter() - t
            search.append(dt)
            per_query.setdefault(f"search {q!r} {f} +{off}", []).append(dt)
        for kind, f, arg in mmix:
            t = time.perf_counter()
            run_movement(store, kind, f, arg)
            dt = time.perf_counter() - t
            movement.append(dt)
            per_query.setdefault(f"movements {kind} {arg!r} {f}", []).append(dt)
    slowest = sorted(((percentiles(v)["p95_ms"], k) for k, v in per_query.items()), reverse=True)[:5]
    return {"search": percentiles(search), "movements": percentiles(movement),
            "slowest_p95": [{"query": k, "p95_ms": v} for v, k in slowest]}


def sqlite_sizes(path: str) -> dict:
    import sqlite3

    con = sqlite3.connect(path)
    rows = con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    con.close()
    kept = sum(s for n, s in rows if n == "documents" or n.startswith("sqlite_autoindex_documents"))
    total = sum(s for _, s in rows)
    return {"index_bytes": total - kept, "documents_bytes": kept, "file_bytes": os.path.getsize(path)}


def pg_sizes(store) -> dict:
    rows = store._read(lambda tx: tx.all(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S')"))
    kept = sum(s for n, s in rows if n == "documents")
    total = sum(s for _, s in rows)
    return {"index_bytes": total - kept, "documents_bytes": kept}


def pg_schema_url(base: str, schema: str) -> str:
    from urllib.parse import quote

    return f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"


def bench_query(args) -> dict:
    from archive.postgres import PostgresStore
    from archive.sqlite import SQLiteStore

    work = Path(args.keep or tempfile.mkdtemp(prefix="vanban-bench-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    bases = parse_corpus(work / "corpus.json")
    out: dict = {"plans": args.plans}
    db = work / f"archive-{args.plans}.db"
    fresh = not db.exists()
    store = SQLiteStore(db)
    if fresh:
        out["sqlite_fill_s"] = round(fill(store, args.plans, bases), 1)
        store._write(lambda tx: tx.run("ANALYZE"))
    out["sqlite"] = measure(store, args.rounds)
    out["sqlite"].update(sqlite_sizes(str(db)))
    out["sqlite"]["index_bytes_per_plan"] = round(out["sqlite"]["index_bytes"] / args.plans)
    out["sqlite"]["documents_bytes_per_plan"] = round(out["sqlite"]["documents_bytes"] / args.plans)
    store.close()
    print(json.dumps(out["sqlite"], ensure_ascii=False), file=sys.stderr)
    if args.pg:
        import psycopg

        schema = f"vanban_bench_{args.plans}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
            if exists and not args.keep:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                exists = None
            if not exists:
                conn.execute(f'CREATE SCHEMA "{schema}"')
        url = pg_schema_url(args.pg, schema)
        pg = PostgresStore(url)
        if not exists:
            out["postgresql_fill_s"] = round(fill(pg, args.plans, bases), 1)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        out["postgresql"] = measure(pg, args.rounds)
        out["postgresql"].update(pg_sizes(pg))
        out["postgresql"]["index_bytes_per_plan"] = round(out["postgresql"]["index_bytes"] / args.plans)
        out["postgresql"]["documents_bytes_per_plan"] = round(out["postgresql"]["documents_bytes"] / args.plans)
        pg.close()
        if not args.keep:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return out


# -- indexing speed ------------------------------------------------------------------------------------

def copies(folder: Path, n: int) -> int:
    """n different files made from samples/*.pdf in turn (a PDF comment appended, so every hash differs)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = [(src.stem, src.read_bytes()) for src in SAMPLES]
    for k in range(n):
        stem, content = data[k % len(data)]
        (folder / f"{stem}-{k:05d}.pdf").write_bytes(content + f"\n%bench copy {k}\n".encode())
    return n


def index_run(folder: Path, db: str, workers: int) -> dict:
    proc = subprocess.run([sys.executable, "-m", "service.cli", "index", str(folder), "--db", db, "--workers",
                           str(workers), "--ocr", "never", "--json", "--quiet"], capture_output=True, text=True,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"vanban index failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def fresh_archive(kind: str, work: Path, name: str, pg: str) -> str:
    if kind == "sqlite":
        return str(work / f"{name}.db")
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{name}"')
    return pg_schema_url(pg, name)


def drop_archive(kind: str, db: str, name: str, pg: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def bench_index(args) -> dict:
    """`vanban index` with 1 and with 2 workers over the same files into fresh archives, in alternating order
    round by round; the ratio of the two rates is what counts (the machine's speed drifts, a ratio less)."""
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-index-"))
    kinds = [k for k in args.stores.split(",") if k != "postgresql" or args.pg]  # --pg '' skips PostgreSQL
    try:
        n = copies(work / "in", args.files)
        out: dict = {"files": n, "cpus": os.cpu_count(), "rounds": []}
        for r in range(args.index_rounds):
            row: dict = {}
            for kind in kinds:
                for workers in ((1, 2) if r % 2 == 0 else (2, 1)):
                    name = f"vanban_bench_index_r{r}_w{workers}"
                    db = fresh_archive(kind, work, name, args.pg)
                    rep = index_run(work / "in", db, workers)
                    drop_archive(kind, db, name, args.pg)
                    assert rep["indexed"] == n and not rep["failures"], rep
                    row[f"{kind}_w{workers}_docs_per_s"] = round(n / rep["seconds"], 2)
                    print(f"  round {r} {kind} workers={workers}: {row[f'{kind}_w{workers}_docs_per_s']} docs/s",
                          file=sys.stderr, flush=True)
                row[f"{kind}_ratio"] = round(row[f"{kind}_w2_docs_per_s"] / row[f"{kind}_w1_docs_per_s"], 2)
            out["rounds"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        for kind in kinds:
            out[f"{kind}_ratio_median"] = statistics.median(r[f"{kind}_ratio"] for r in out["rounds"])
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("part", choices=("index", "query", "all"))
    ap.add_argument("--files", type=int, default=10_000, help="files for the index run (default 10000)")
    ap.add_argument("--index-rounds", type=int, default=1, help="rounds of 1 then 2 workers (default 1)")
    ap.add_argument("--plans", type=int, default=100_000, help="synthetic plans for the query run (default 100000)")
    ap.add_argument("--rounds", type=int, default=20, help="times each query of the mix runs (default 20)")
    ap.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL to measure too ('' to skip)")
    ap.add_argument("--stores", default="sqlite,postgresql", choices=("sqlite,postgresql", "sqlite", "postgresql"),
                    help="stores for the index run (default both)")
    ap.add_argument("--keep", help="keep (and reuse) the synthetic archives in this folder")
    args = ap.parse_args()
    if args.stores == "postgresql" and not args.pg:
        ap.error("--stores postgresql needs a PostgreSQL URL in --pg")
    result = {}
    if args.part in ("index", "all"):
        result["index"] = bench_index(args)
    if args.part in ("query", "all"):
        result["query"] = bench_query(args)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
