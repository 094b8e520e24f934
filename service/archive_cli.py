"""`vanban index | search | movements | export`: the archive from the command line.

    vanban index PATHS... [--db DB] [--workers N] [--ocr auto|always|never] [--keep-files] [--json]
    vanban search [QUERY] [--from YEAR] [--to YEAR] [--issuer TEXT] [--type TYPE] [--db DB] [--json]
    vanban movements [NAME] [--top N] [--from YEAR] [--to YEAR] [--issuer TEXT] [--type TYPE] [--db DB] [--json]
    vanban export --format jsonl|csv [--out FILE] [filters] [--db DB]
    vanban export --format gold --out DIR [--db DB]   (<id>.gold.json of every corrected document)
    vanban export --format xlsx|ics --out FILE [QUERY words with --search] [filters]
    vanban movements [NAME] --out FILE.csv|.xlsx|.png|.svg   (a table; with NAME its years x issuers, or its chart)
    vanban watch DIR [--db DB] [--interval S] [--stable S] [--once]   (a consumption folder)

DB is a SQLite file (default: archive.db in the user's data folder, or $VANBAN_DB) or postgresql://...
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Iterable, TextIO

from parser.errors import ExitCode
from parser.options import OCR_MODES
from archive.batch import IndexOptions, Progress, Report, discover
from archive.search import Filters
from archive.snippets import mark
from archive.store import Store, is_postgres, open_store

MAX_YEAR = 9999


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_db() -> str:
    from service.config import default_archive_path

    return os.environ.get("VANBAN_DB") or str(default_archive_path())


def _open(db: str, must_exist: bool) -> Store | None:
    if not is_postgres(db) and must_exist and not Path(db).expanduser().exists():
        _say(f"{db}: Chưa có kho lưu trữ / no archive here yet: run `vanban index FOLDER --db {db}` first")
        return None
    try:
        return open_store(db)
    except Exception as exc:  # unreachable server, unreadable file: one sentence, no traceback
        _say(f"Không mở được kho lưu trữ / cannot open the archive {db!r}: {exc}")
        return None


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(year_from=args.year_from, year_to=args.year_to, issuer=args.issuer or None,
                   doc_type=args.doc_type or None)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1 <= year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}")
    return year


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return n


def _emit_json(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _highlight(snip: dict) -> str:
    if sys.stdout.isatty():
        return mark(snip, "\x1b[1;33m", "\x1b[0m")
    return mark(snip, "«", "»")


# -- index -------------------------------------------------------------------------------------------

def cmd_index(args: argparse.Namespace) -> int:
    from service.config import Settings

    db = args.db or default_db()
    files, missing = discover(args.paths)
    if not files and not missing:
        _say("Không có tệp PDF hoặc DOCX nào để đọc / no PDF or DOCX files found in the given folders")
        return ExitCode.input_file
    store = _open(db, must_exist=False)
    if store is None:
        return ExitCode.missing_dependency
    settings = Settings()
    options = IndexOptions(workers=args.workers or settings.workers, ocr=args.ocr, max_pages=args.max_pages,
                           timeout_s=args.timeout, memory_mb=settings.worker_memory_mb, keep_files=args.keep_files,
                           again=args.again)
    report = Report(backend=store.backend, workers=options.workers, files=len(files), missing=missing)
    started = time.monotonic()
    try:
        return _run_index(store, db, files, missing, options, report, started, args)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # the archive went away mid-run, say: one sentence; what was committed stays
        if os.environ.get("VANBAN_DEBUG"):
            raise
        _say(f"Lỗi kho lưu trữ, đã dừng / archive error, stopped ({type(exc).__name__}: {exc}); "
             "chạy lại để tiếp tục / run the same command again to resume")
        return ExitCode.internal


def _run_index(store: Store, db: str, files: list, missing: list[str], options: IndexOptions, report: Report,
               started: float, args: argparse.Namespace) -> int:
    try:
        restored = store.backfill()
        if restored:
            _say(f"{restored} documents kept before the archive index existed were indexed from their JSON")
        progress = Progress(len(files), enabled=not args.quiet)
        if is_postgres(db) and not options.again:
            from archive.queue import index_queue

            index_queue(store, db, files, options, report, progress)  # type: ignore[arg-type]
        else:
            from archive.indexer import index_local

            index_local(store, files, options, report, progress)
    finally:
        report.seconds = time.monotonic() - started
        store.close()
    for line in report.lines():
        _say(line)
    if args.json:
        _emit_json(report.as_dict())
    return ExitCode.ok if not report.failed and not missing else ExitCode.some_failed


# -- search ------------------------------------------------------------------------------------------

def _plan_line(item: dict) -> str:
    parts = [item.get("number") or "—", item.get("issued_date") or (str(item["year"]) if item.get("year") else "—"),
             item.get("issuer") or "—", item.get("doc_type") or "—"]
    return " · ".join(parts)


def cmd_search(args: argparse.Namespace) -> int:
    store = _open(args.db or default_db(), must_exist=True)
    if store is None:
        return ExitCode.input_file
    try:
        result = store.search(args.query, _filters(args), limit=args.limit, offset=(args.page - 1) * args.limit)
    finally:
        store.close()
    if args.json:
        _emit_json(result)
        return ExitCode.ok
    shown = f' "{args.query}"' if args.query else ""
    print(f"{result['total']} kết quả / results{shown}")
    for n, item in enumerate(result["results"], start=result["offset"] + 1):
        print(f"{n:>3}. {_plan_line(item)}")
        print(f"     {item.get('title') or item.get('filename')}")
        if item["movements"]:
            print("     phong trào: " + "; ".join(m["name"] for m in item["movements"][:6])
                  + (" …" if len(item["movements"]) > 6 else ""))
        for snip in item.get("snippets", [])[-1:]:
            print("     " + _highlight(snip))
        print(f"     {item['id'][:12]} · {item.get('path') or item.get('filename')}")
    if result["total"] > result["offset"] + len(result["results"]):
        print(f"… --page {args.page + 1} for more")
    return ExitCode.ok


# -- movements ---------------------------------------------------------------------------------------

def _matrix_table(detail: dict, width: int = 12) -> list[str]:
    years = sorted({c["year"] for c in detail["matrix"] if c["year"]})
    issuers = [i["issuer"] for i in detail["issuers"][:width]]
    cells = {(c["year"], c["issuer"]): c["plans"] for c in detail["matrix"]}
    name_w = min(40, max([len(i or "—") for i in issuers] + [10]))
    lines = [" " * name_w + "".join(f"{y:>6}" for y in years) + "  total"]
    for issuer in issuers:
        row = "".join(f"{cells.get((y, issuer), 0) or '.':>6}" for y in years)
        total = sum(cells.get((y, issuer), 0) for y in years)
        lines.append(f"{(issuer or '—')[:name_w]:<{name_w}}{row}  {total:>5}")
    if len(detail["issuers"]) > width:
        lines.append(f"… and {len(detail['issuers']) - width} more issuers")
    return lines


def _print_detail(detail: dict) -> None:
    years = f"{detail['first_year']}–{detail['last_year']}" if detail["first_year"] else "năm không rõ / years unknown"
    kb = f" · kb {detail['kb_key']}" if detail["kb_key"] else ""
    print(f"{detail['name']}  [{detail['id']} · {detail['kind']}{kb}] — {detail['total']} plans, {years}")
    if detail["variants"]:
        print("Cách viết / spellings: " + "; ".join(f"“{v['name']}” ({v['plans']})" for v in detail["variants"][:8]))
    if detail["matrix"]:
        print("Năm × đơn vị ban hành / years × issuers:")
        for line in _matrix_table(detail):
            print("  " + line)
    if detail["anniversaries"]:
        print("Kỷ niệm đi cùng / anniversaries in the same plans: "
              + "; ".join(f"{a['event']} ({a['plans']})" for a in detail["anniversaries"][:8]))
    plans = detail["plans"]
    if plans["results"]:
        print("Kế hoạch / plans (newest first):")
        for item in plans["results"]:
            phases = ", ".join(f"{p['label']} {p.get('start') or ''}→{p.get('end') or ''}" for p in item["phases"][:3])
            print(f"  {_plan_line(item)}  {item.get('title') or item.get('filename')}")
            if item.get("period") or phases:
                print(f"      {item.get('period') or ''}{' · ' if item.get('period') and phases else ''}{phases}")
        if plans["total"] > plans["offset"] + len(plans["results"]):
            print(f"  … {plans['total'] - plans['offset'] - len(plans['results'])} more (--page)")


def _movements_out(store: Store, args: argparse.Namespace, filters: Filters) -> int:
    """--out FILE: the movements table (no name), or the first match's years x issuers table or chart, by the
    file's ending: .csv, .xlsx, .png, .svg."""
    from service import exports
    from service.web.charts import stacked_years

    target = Path(args.out)
    kind = target.suffix.lower().lstrip(".")
    if kind not in ("csv", "xlsx", "png", "svg") or (kind in ("png", "svg") and not args.name):
        _say("--out cần đuôi .csv, .xlsx (hoặc .png, .svg với tên phong trào) / --out needs .csv or .xlsx "
             "(or .png, .svg with a movement name)")
        return ExitCode.input_file
    if args.name:
        found = store.movement_list(args.name, filters, limit=1)["results"]
        detail = store.movement_detail(found[0]["id"], filters, limit=1) if found else None
        if detail is None:
            _say(f"0 kết quả / no movement named like “{args.name}”")
            return ExitCode.input_file
        table, sheet = exports.matrix_table(detail), "Theo năm"
    else:
        table, sheet = exports.movements_table(store.movement_list(None, filters, limit=5000)["results"]), "Phong trào"
    if kind == "png":
        data = exports.chart_png(detail["matrix"], detail["name"])
    elif kind == "svg":
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + str(stacked_years(detail["matrix"]))).encode()
    else:
        data = exports.to_xlsx(table, sheet) if kind == "xlsx" else exports.to_csv(table)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    _say(f"{len(table[1])} rows written to {target}")
    return ExitCode.ok


def cmd_movements(args: argparse.Namespace) -> int:
    store = _open(args.db or default_db(), must_exist=True)
    if store is None:
        return ExitCode.input_file
    filters = _filters(args)
    offset = (args.page - 1) * args.limit
    if args.out:
        try:
            return _movements_out(store, args, filters)
        finally:
            store.close()
    try:
        if args.top:
            result = store.movement_top(filters, args.top)
            if args.json:
                _emit_json(result)
                return ExitCode.ok
            for year in result["results"]:
                print(f"{year['year']}:")
                for n, m in enumerate(year["movements"], 1):
                    print(f"  {n:>2}. {m['name']}  ({m['plans']} plans)  [{m['id']}]")
            if not result["results"]:
                print("0 kết quả / results")
            return ExitCode.ok
        listing = store.movement_list(args.name, filters, limit=args.limit if not args.name else 10,
                                      offset=offset if not args.name else 0)
        if not args.name:
            if args.json:
                _emit_json(listing)
                return ExitCode.ok
            print(f"{listing['total']} phong trào / movements")
            for n, m in enumerate(listing["results"], offset + 1):
                print(f"{n:>4}. {m['name']}  ({m['plans']} plans)  [{m['id']}]")
            return ExitCode.ok
        details = [store.movement_detail(m["id"], filters, limit=args.limit, offset=offset) for m in listing["results"]]
        details = [d for d in details if d is not None]
    finally:
        store.close()
    if args.json:
        _emit_json({"total": len(details), "results": details})
        return ExitCode.ok
    if not details:
        print(f"0 kết quả / no movement named like “{args.name}”")
        return ExitCode.ok
    _print_detail(details[0])
    if len(details) > 1:
        print("Cũng khớp / also matched: " + "; ".join(f"{d['name']} [{d['id']}] ({d['total']})" for d in details[1:]))
    return ExitCode.ok


# -- export ------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "number", "title", "doc_type", "issuer", "parent_issuer", "issued_date", "year", "filename",
               "path", "pages", "movement_ids", "movements", "themes")


def _write_export(items: Iterable[dict], fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for item in items:
            writer.writerow([item.get(c) for c in CSV_COLUMNS[:11]] + [
                " | ".join(m["id"] for m in item["movements"]), " | ".join(m["name"] for m in item["movements"]),
                " | ".join(item["themes"])])
            n += 1
    else:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
    return n


def _export_gold(store: Store, out: str | None) -> int:
    """<id>.gold.json (shared/eval/ANNOTATION.md) of every corrected document: people's values, for score.py."""
    if not out:
        _say("--format gold cần --out THƯ_MỤC / --format gold needs --out DIR")
        return ExitCode.input_file
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for gold in store.gold():
        target = folder / f"{gold['id']}.gold.json"
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
        n += 1
    _say(f"{n} corrected documents exported as gold annotations to {folder}")
    return ExitCode.ok


def _export_file(store: Store, args: argparse.Namespace) -> int:
    """XLSX of the plans (the search's order with --search, else newest first); ICS of their phases and
    anniversaries. Both need --out."""
    from service import exports
    from service.web.export_pages import MAX_ROWS, search_items

    if not args.out:
        _say(f"--format {args.format} cần --out TỆP / --format {args.format} needs --out FILE")
        return ExitCode.input_file
    filters = _filters(args)
    if args.search:
        items = search_items(store, args.search, filters)
    else:
        items = []
        for item in store.export(filters, with_document=False):
            items.append(item)
            if len(items) >= MAX_ROWS:
                break
    data = (exports.to_xlsx(exports.search_table(items), "Văn bản") if args.format == "xlsx"
            else exports.calendar(items).encode("utf-8"))
    target = Path(args.out)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    _say(f"{len(items)} documents exported ({args.format}) to {target}")
    return ExitCode.ok


def cmd_export(args: argparse.Namespace) -> int:
    store = _open(args.db or default_db(), must_exist=True)
    if store is None:
        return ExitCode.input_file
    if args.format == "gold":
        try:
            return _export_gold(store, args.out)
        finally:
            store.close()
    if args.format in ("xlsx", "ics"):
        try:
            return _export_file(store, args)
        finally:
            store.close()
    try:
        items = store.export(_filters(args), with_document=args.format == "jsonl" and not args.no_document)
        if args.out:
            target = Path(args.out)
            tmp = target.with_name(target.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                n = _write_export(items, args.format, fh)
            os.replace(tmp, target)
        else:
            n = _write_export(items, args.format, sys.stdout)
            sys.stdout.flush()
    finally:
        store.close()
    _say(f"{n} documents exported ({args.format})")
    return ExitCode.ok


def cmd_watch(args: argparse.Namespace) -> int:
    import signal

    from archive.watch import watch
    from service.config import Settings

    folder = Path(args.folder)
    if not folder.is_dir():
        _say(f"Không có thư mục {folder} / no such folder: {folder}")
        return ExitCode.input_file
    store = _open(args.db or default_db(), must_exist=False)
    if store is None:
        return ExitCode.missing_dependency
    settings = Settings()
    options = IndexOptions(workers=args.workers or 1, ocr=args.ocr, max_pages=args.max_pages, timeout_s=args.timeout,
                           memory_mb=settings.worker_memory_mb)
    stop = {"now": False}

    def ask_stop(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, ask_stop)
    signal.signal(signal.SIGINT, ask_stop)
    _say(f"Đang theo dõi {folder} (tệp xong vào done/, tệp lỗi vào failed/) / watching {folder}")
    try:
        n = watch(store, folder, options, _say, interval_s=args.interval, stable_s=args.stable, once=args.once,
                  should_stop=lambda: stop["now"])
    finally:
        store.close()
    _say(f"{n} tệp đã xử lý / {n} files handled")
    return ExitCode.ok


# -- argparse ----------------------------------------------------------------------------------------

def _common(p: argparse.ArgumentParser, query_filters: bool = True) -> None:
    p.add_argument("--db", help="archive: a SQLite file or postgresql://... (default: archive.db in the user's data "
                                "folder; env VANBAN_DB)")
    if query_filters:
        p.add_argument("--from", dest="year_from", type=_year, metavar="YEAR", help="plans of this year or later")
        p.add_argument("--to", dest="year_to", type=_year, metavar="YEAR", help="plans of this year or earlier")
        p.add_argument("--issuer", help="issuer words, diacritics optional (LĐLĐ, 'UBND huyện Kim Sơn')")
        p.add_argument("--type", dest="doc_type", help="document type: a name (Kế hoạch) or code (KH)")


def _paging(p: argparse.ArgumentParser, items: str) -> None:
    p.add_argument("--limit", type=_positive, default=20, help=f"{items} per page (default 20)")
    p.add_argument("--page", type=_positive, default=1)
    p.add_argument("--json", action="store_true", help='machine-readable: {"total": N, "results": [...]}')


def add_commands(sub) -> None:
    i = sub.add_parser("index", help="parse PDF/DOCX files or folders into the archive (resumable, idempotent)")
    i.add_argument("paths", nargs="+", help="files (.pdf, .docx) or folders (walked for both)")
    _common(i, query_filters=False)
    i.add_argument("--workers", type=_positive, help="parser processes (default: cores, at most 4; env VANBAN_WORKERS)")
    i.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR scanned pages: auto (default), always, never")
    i.add_argument("--max-pages", type=_positive, default=300, help="refuse documents with more pages (default 300)")
    i.add_argument("--timeout", type=float, default=300.0, help="seconds one document may take (default 300)")
    i.add_argument("--keep-files", action="store_true", help="keep a copy of each original in the archive "
                                                             "(default: keep its path)")
    i.add_argument("--again", action="store_true", help="parse files already in the archive again (a newer parser); "
                                                        "people's corrections stay on top (one machine)")
    i.add_argument("--json", action="store_true", help="print the final report as JSON on stdout")
    i.add_argument("--quiet", action="store_true", help="no progress line")
    i.set_defaults(func=cmd_index)

    s = sub.add_parser("search", help="search the archive (diacritics optional); no query lists the filtered plans")
    s.add_argument("query", nargs="?", help='words (all required); "quoted words" stand together')
    _common(s)
    _paging(s, "results")
    s.set_defaults(func=cmd_search)

    m = sub.add_parser("movements", help="a movement across years and issuers, or the most-named movements")
    m.add_argument("name", nargs="?", help="a movement's name or words of it (diacritics optional)")
    m.add_argument("--top", type=_positive, metavar="N", help="the N most-named movements, year by year")
    m.add_argument("--out", metavar="FILE", help="write the table (.csv, .xlsx) or, with a name, the chart (.png, .svg)")
    _common(m)
    _paging(m, "plans (or movements)")
    m.set_defaults(func=cmd_movements)

    e = sub.add_parser("export", help="every indexed document, as JSON lines or CSV; corrected ones as gold files")
    e.add_argument("--format", choices=("jsonl", "csv", "xlsx", "ics", "gold"), default="jsonl",
                   help="xlsx: a spreadsheet of the plans; ics: their phases and anniversaries as an iCalendar file; "
                        "gold: <id>.gold.json per corrected document, in the scorer's format, into --out DIR")
    e.add_argument("--search", metavar="QUERY", help="xlsx/ics: only the plans this search finds, in its order")
    e.add_argument("--out", help="write to this file (default: stdout); for gold, a folder")
    e.add_argument("--no-document", action="store_true", help="jsonl without each document's parsed JSON")
    _common(e)
    e.set_defaults(func=cmd_export)

    w = sub.add_parser("watch", help="index PDF/DOCX files as they appear in a folder (moved to done/ or failed/)")
    w.add_argument("folder", help="the consumption folder")
    _common(w, query_filters=False)
    w.add_argument("--interval", type=float, default=2.0, help="seconds between looks at the folder (default 2)")
    w.add_argument("--stable", type=float, default=2.0, help="seconds a file's size must stay the same (default 2)")
    w.add_argument("--once", action="store_true", help="handle what is in the folder now, then stop")
    w.add_argument("--workers", type=_positive, help="parser processes (default 1)")
    w.add_argument("--ocr", choices=OCR_MODES, default="auto")
    w.add_argument("--max-pages", type=_positive, default=300)
    w.add_argument("--timeout", type=float, default=300.0)
    w.set_defaults(func=cmd_watch)
