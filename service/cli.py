"""The `vanban` command: a thin layer over `parser.parse`.

    vanban parse FILE_OR_DIR... [--out DIR] [--ocr auto|always|never] [--timeout SECONDS]
    vanban schema
    vanban serve [--host 127.0.0.1] [--port 8000] [--db FILE] [--workers N]
    vanban index | search | movements | export   (the archive: service/archive_cli.py)
    vanban users | tokens | audit                 (accounts: service/accounts_cli.py)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from parser.errors import ExitCode, VanbanError
from parser.options import OCR_MODES, ParseOptions

SUFFIXES = (".pdf", ".docx")


def _inputs(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files to parse (folders walked for PDF and DOCX, sorted), and paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.exists():
            files.append(p)
        else:
            missing.append(raw)
    return files, missing


def _output_name(path: Path, used: set[str]) -> str:
    name = path.stem + ".json"
    if name in used:  # plan.pdf and plan.docx in one run
        name = f"{path.stem}-{path.suffix.lstrip('.').lower()}.json"
    used.add(name)
    return name


def _write_atomically(target: Path, data: str) -> None:
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, target)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# the whole-document time limit of `vanban parse` (env VANBAN_PARSE_TIMEOUT, as for the service)
DEFAULT_TIMEOUT_S = 300.0


def _default_timeout() -> float:
    raw = os.environ.get("VANBAN_PARSE_TIMEOUT", "").strip()
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S


def _warm_worker() -> None:
    """A new worker loads the language pipeline and the readers before its first document, so
    the time limit measures the document, not the start-up (3 s)."""
    import parser.pipeline  # noqa: F401
    import parser.read.docx  # noqa: F401
    import parser.read.ocr  # noqa: F401
    import parser.read.pdf  # noqa: F401
    from parser.nlp import pipeline

    pipeline()


def _parse_to_json(path: str, options: ParseOptions, indent: int | None) -> str:
    from parser import parse

    return parse(path, options).model_dump_json(indent=indent)


def _parse_in_worker(path: str, options: ParseOptions, indent: int | None):
    """In the worker process: the document's JSON (text pickles at no cost, and this process then needs no
    models), or ("error", exit code, message) for a failure a user can act on."""
    try:
        return _parse_to_json(path, options, indent)
    except VanbanError as exc:
        return ("error", int(exc.exit_code), exc.message)


class _Failed(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class _Parser:
    """`parse()` under a whole-document time limit: documents run one at a time in a worker
    process (pebble), which is killed when one takes longer than `timeout_s` and replaced for the
    next file. Killing a process stops everything, Tesseract included, and frees its memory; the
    worker stays warm between files. `timeout_s` 0 parses in this process, without a limit."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s if timeout_s and timeout_s > 0 else 0.0
        self._pool = None

    def parse(self, path: str, options: ParseOptions, indent: int | None = 1) -> str:
        """The document's JSON."""
        if not self.timeout_s or os.environ.get("VANBAN_DEBUG"):
            try:
                return _parse_to_json(path, options, indent)
            except VanbanError as exc:
                raise _Failed(exc.exit_code, exc.message) from None
        from concurrent.futures import TimeoutError as FutureTimeout

        from pebble import ProcessExpired, ProcessPool

        if self._pool is None:
            # bad input (empty, not a PDF, damaged, encrypted, too many pages) fails here, at once: a worker
            # would first load the language tools (seconds) only to refuse the file
            from parser.read.guard import inspect_input

            try:
                inspect_input(path, options)
            except VanbanError as exc:
                raise _Failed(exc.exit_code, exc.message) from None
            self._pool = ProcessPool(max_workers=1, initializer=_warm_worker)
        future = self._pool.schedule(_parse_in_worker, args=(path, options, indent), timeout=self.timeout_s)
        try:
            result = future.result()
        except FutureTimeout:
            raise _Failed(ExitCode.timeout, f"Đọc tài liệu quá {self.timeout_s:g} giây nên đã dừng / parsing took longer "
                                            f"than {self.timeout_s:g} s and was stopped (--timeout)") from None
        except ProcessExpired as exc:
            raise _Failed(ExitCode.internal, f"Tiến trình đọc tệp bị dừng đột ngột / the parsing process died "
                                             f"(exit status {exc.exitcode}), perhaps out of memory") from None
        if isinstance(result, tuple):
            _, code, message = result
            raise _Failed(code, message)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None


def cmd_parse(args: argparse.Namespace) -> int:
    options = ParseOptions(ocr=args.ocr, max_pages=args.max_pages, include_text=not args.no_text)
    files, missing = _inputs(args.paths)
    codes: list[int] = []
    for raw in missing:
        _say(f"{raw}: Không tìm thấy tệp hoặc thư mục / no such file or folder")
        codes.append(ExitCode.input_file)
    if not files and not missing:
        _say("Không có tệp PDF hoặc DOCX nào để đọc / no PDF or DOCX files found in the given folders")
        return ExitCode.input_file
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    runner = _Parser(args.timeout)
    try:
        return _parse_files(args, options, files, missing, codes, runner)
    finally:
        runner.close()


def _parse_files(args, options, files, missing, codes, runner) -> int:
    out_dir = Path(args.out) if args.out else None
    used: set[str] = set()
    started = time.monotonic()
    show_progress = len(files) > 1
    for k, path in enumerate(files, 1):
        try:
            data = runner.parse(str(path), options, indent=None if (not out_dir and len(files) > 1) else 1)
        except _Failed as exc:
            _say(f"{path}: {exc.message}")
            codes.append(exc.code)
            continue
        except Exception as exc:  # a bug must cost one file, not the batch, and show no traceback
            if os.environ.get("VANBAN_DEBUG"):
                raise
            _say(f"{path}: Lỗi nội bộ khi đọc tệp / internal error while reading the file ({type(exc).__name__}: {exc})")
            codes.append(ExitCode.internal)
            continue
        if out_dir:
            _write_atomically(out_dir / _output_name(path, used), data)
        else:
            sys.stdout.write(data + "\n")
            sys.stdout.flush()
        if show_progress:
            elapsed = time.monotonic() - started
            eta = elapsed / k * (len(files) - k)
            _say(f"[{k}/{len(files)}] {path.name} ok ({elapsed:.1f}s, còn khoảng / about {eta:.0f}s left)")
    failed = len(codes)
    if len(files) + len(missing) > 1:
        _say(f"Xong / done: {len(files) + len(missing) - failed} ok, {failed} failed")
    if not codes:
        return ExitCode.ok
    return codes[0] if len(files) + len(missing) == 1 else ExitCode.some_failed


def cmd_schema(args: argparse.Namespace) -> int:
    from models.document import PlanDocument

    print(json.dumps(PlanDocument.model_json_schema(), ensure_ascii=False, indent=1))
    return ExitCode.ok


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        _say("Thiếu gói uvicorn / uvicorn is missing: pip install uvicorn")
        return ExitCode.missing_dependency
    from service.app import create_app
    from service.config import Settings

    settings = Settings().with_overrides(db=args.db, workers=args.workers)
    from service.security import uvicorn_config

    _say(f"vanban: http://{args.host}:{args.port}/docs  (archive: {settings.db}, {settings.workers} workers)")
    uvicorn.Server(uvicorn_config(create_app(settings), args.host, args.port, args.log_level,
                                  settings.header_timeout_s)).run()
    return ExitCode.ok


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vanban", description="Đọc văn bản hành chính (kế hoạch thi đua ...) thành JSON / "
                                                          "read Vietnamese official documents into JSON")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse PDF/DOCX files or folders into JSON")
    p.add_argument("paths", nargs="+", help="files (.pdf, .docx) or folders (walked for both)")
    p.add_argument("--out", help="write DIR/<stem>.json per input instead of printing (several inputs without --out print one JSON per line)")
    p.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR scanned pages: auto (default), always, never")
    p.add_argument("--max-pages", type=int, default=300, help="refuse documents with more pages (default 300)")
    p.add_argument("--no-text", action="store_true", help="leave the document's full text out of the JSON")
    p.add_argument("--timeout", type=float, default=_default_timeout(), metavar="SECONDS",
                   help=f"stop a document that takes longer (exit 6, the other files still run; default "
                        f"{DEFAULT_TIMEOUT_S:g} or env VANBAN_PARSE_TIMEOUT; 0: no limit)")
    p.set_defaults(func=cmd_parse)
    s = sub.add_parser("schema", help="print the JSON Schema of the output")
    s.set_defaults(func=cmd_schema)
    v = sub.add_parser("serve", help="run the HTTP service (OpenAPI docs at /docs)")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--db", help="archive file (default: archive.db in the user's data folder; env VANBAN_DB)")
    v.add_argument("--workers", type=int, help="parser processes (default: cores, at most 4; env VANBAN_WORKERS)")
    v.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    v.set_defaults(func=cmd_serve)
    from service.archive_cli import add_commands

    add_commands(sub)  # index, search, movements, export
    from service.accounts_cli import add_commands as add_account_commands

    add_account_commands(sub)  # users, tokens, audit
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
        return code
    except KeyboardInterrupt:
        _say("Đã dừng / interrupted")
        return 130
    except BrokenPipeError:  # `vanban schema | head`: the reader has all it wanted
        _quiet_stdout()
        return ExitCode.ok


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot complain about the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
