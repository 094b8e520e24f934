"""The `vanban` command on real and bad input: JSON out, clear one-line errors, exit codes, nothing lost."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parser.errors import ExitCode
from tests import bad_inputs as badfiles

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "service.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=SAMPLES.parent)


def test_one_file_prints_its_json():
    r = run("parse", SAMPLES / "nd-149-kh-ldld-2023.pdf", "--no-text")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["number"]["value"] == "149/KH-LĐLĐ"
    assert doc["number"]["page"] == 1 and len(doc["number"]["bbox"]) == 4


def test_a_folder_with_a_bad_file_still_writes_the_good_ones(tmp_path):
    src = tmp_path / "archive"
    src.mkdir()
    for name in ("cp-ubnd-kimson-2024.pdf", "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx"):
        (src / name).write_bytes((SAMPLES / name).read_bytes())
    badfiles.html_named_pdf(src)
    out = tmp_path / "parsed"
    r = run("parse", src, "--out", out)
    assert r.returncode == ExitCode.some_failed
    assert sorted(p.name for p in out.iterdir()) == ["cp-ubnd-kimson-2024.json", "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.json"]
    errors = [line for line in r.stderr.splitlines() if "not_a_pdf.pdf" in line]
    assert len(errors) == 1 and "not a PDF or DOCX" in errors[0]
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("build, code, words", [
    (badfiles.empty, ExitCode.input_file, "empty"),
    (badfiles.html_named_pdf, ExitCode.input_file, "HTML"),
    (badfiles.truncated, ExitCode.input_file, "damaged"),
    (badfiles.zero_pages, ExitCode.input_file, "no pages"),
    (lambda d: badfiles.encrypted(d, "secret"), ExitCode.encrypted, "password"),
    (lambda d: badfiles.many_pages(d, 1000), ExitCode.too_large, "1000 pages"),
])
def test_bad_input_gets_one_clear_line_and_its_exit_code(tmp_path, build, code, words):
    started = time.monotonic()
    r = run("parse", build(tmp_path))
    assert time.monotonic() - started < 60
    assert r.returncode == code, r.stderr
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and " / " in lines[0]
    assert "Traceback" not in r.stderr


def test_owner_password_only_is_parsed_normally(tmp_path):
    r = run("parse", badfiles.encrypted(tmp_path, ""), "--no-text")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["number"]["value"] == "149/KH-LĐLĐ"


def test_a_thousand_pages_parse_when_the_limit_allows(tmp_path):
    r = run("parse", badfiles.many_pages(tmp_path, 1000), "--max-pages", "2000", "--no-text", timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["source"]["pages"] == 1000


def test_missing_path_and_schema():
    r = run("parse", "no/such/file.pdf")
    assert r.returncode == ExitCode.input_file and "no such file" in r.stderr
    schema = json.loads(run("schema").stdout)
    assert {"number", "movements", "phases", "anniversaries", "signer", "recipients"} <= set(schema["properties"])


HEAVY = {"spacy", "underthesea", "numpy", "tesserocr", "fastapi"}


def imported_by(*args) -> tuple[int, set[str]]:
    """Exit code, and which heavy libraries the command imported in any of its processes (`-X importtime`
    reports every import on stderr, in forked workers too)."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "service.cli", *map(str, args)],
                       capture_output=True, text=True, timeout=120, cwd=SAMPLES.parent)
    names = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert names, r.stderr[-500:]
    return r.returncode, names & HEAVY


@pytest.mark.parametrize("args, code", [
    (["--help"], 0),
    (["parse", "--help"], 0),
    (["schema"], 0),
    (["parse", "no/such/file.pdf"], ExitCode.input_file),
    (["parse", "--ocr", "sometimes", "x.pdf"], ExitCode.bad_arguments),
])
def test_help_schema_and_failures_do_not_load_the_language_tools(args, code):
    assert imported_by(*args) == (code, set())


@pytest.mark.parametrize("build, code", [(badfiles.empty, ExitCode.input_file),
                                         (badfiles.truncated, ExitCode.input_file),
                                         (lambda d: badfiles.encrypted(d, "secret"), ExitCode.encrypted)])
def test_a_bad_file_fails_before_the_language_tools_load(tmp_path, build, code):
    assert imported_by("parse", build(tmp_path)) == (code, set())


def test_a_good_file_does_load_them():  # the probe above sees imports in the parsing worker too
    code, imported = imported_by("parse", SAMPLES / "cp-ubnd-kimson-2024.pdf", "--ocr", "never")
    assert code == 0 and {"spacy", "underthesea"} <= imported


def test_a_reader_that_stops_early_gets_no_error_message():
    """`vanban schema | head -1`, `vanban parse a.pdf b.pdf | head -1`: the output stops quietly, exit 0."""
    for args in (["schema"], ["parse", SAMPLES / "cp-ubnd-kimson-2024.pdf", SAMPLES / "cp-huyendoan-tunghia-2025.pdf",
                              "--ocr", "never", "--no-text"]):
        p = subprocess.Popen([sys.executable, "-m", "service.cli", *map(str, args)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=SAMPLES.parent)
        assert p.stdout.readline().strip()
        p.stdout.close()  # the reader is gone before the rest is written
        err = p.stderr.read()
        assert p.wait(timeout=120) == 0, err
        assert "BrokenPipe" not in err and "Exception ignored" not in err and "Traceback" not in err
