"""A throwaway PostgreSQL for the tests: a new cluster in a temporary folder, a free loopback port, stopped after.

It uses the server programs of Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin). initdb and
postgres refuse to run as root, so under root they run as the package's `postgres` user (or `nobody`).
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


class PostgresUnavailable(RuntimeError):
    """Why no throwaway server could be started, in one sentence a person can act on."""


def server_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/initdb): "
                              "install Debian's `postgresql` package (the README's first command does), "
                              "or set VANBAN_TEST_POSTGRES to the URL of a server to use")


def _run_as() -> dict:
    """subprocess arguments that drop root to an unprivileged user; nothing when we are not root."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    raise PostgresUnavailable("running as root and there is no `postgres` or `nobody` user to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise PostgresUnavailable(f"the throwaway PostgreSQL exited at start (code {proc.returncode}):\n"
                                      f"{_log_tail(log)}")
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"the throwaway PostgreSQL did not accept connections within "
                                          f"{START_TIMEOUT_S} s:\n{_log_tail(log)}") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)  # "fast" shutdown: ends sessions, no waiting for clients
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def throwaway_postgres(database: str = "test") -> Iterator[str]:
    """Yields postgresql://postgres@127.0.0.1:PORT/<database> for a server that is gone afterwards."""
    import psycopg

    bin_dir = server_bin_dir()
    as_user = _run_as()
    top = Path(tempfile.mkdtemp(prefix="vanban-pg-"))
    data, log = top / "data", top / "server.log"
    proc = None
    try:
        if as_user:
            os.chown(top, as_user["user"], as_user["group"])
        init = subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                               "-E", "UTF8", "--locale=C", "--no-sync"],
                              cwd=top, capture_output=True, text=True, **as_user)
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed (code {init.returncode}): {init.stderr.strip()[-800:]}")
        port = _free_port()
        with open(log, "wb") as log_file:
            if as_user:
                os.chown(log, as_user["user"], as_user["group"])
            # durability off: the cluster is deleted afterwards, and fsyncs only slow the tests down
            proc = subprocess.Popen([str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                                     "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={top}",
                                     "-c", "fsync=off", "-c", "synchronous_commit=off",
                                     "-c", "full_page_writes=off"],
                                    cwd=top, stdout=log_file, stderr=subprocess.STDOUT,
                                    start_new_session=True, **as_user)
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _wait_ready(admin, proc, log)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(top, ignore_errors=True)
