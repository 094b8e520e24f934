"""Indexing into one PostgreSQL archive from several processes or machines, with a procrastinate job queue.

Every `vanban index PATHS --db postgresql://...` process
1. hashes its files and queues one job per new content hash (queueing lock = hash: a hash is never
   waiting twice; lock = hash: two jobs for one hash never run at once; a job whose document is
   already stored returns without parsing),
2. runs a procrastinate worker (N jobs at a time, parsing in N processes) that takes jobs from the shared
   queue, whoever queued them,
3. waits until each of its files is stored or has a recorded failure, re-queues jobs of indexers that died
   (`kill -9`: their heartbeat stops, the job is retried) and then reports.

All hosts must see the files at the same paths (a shared folder). The queue's tables live in the
archive's database and schema.
"""
from __future__ import annotations

import asyncio
import itertools
import os
import socket
from pathlib import Path

import procrastinate
import psycopg
from pebble import ProcessPool
from procrastinate import exceptions as pexc
from procrastinate.jobs import Job
from procrastinate.schema import SchemaManager

from archive.batch import Failure, IndexOptions, Progress, Report, hash_new, sha256_file
from archive.indexer import failure_of, store_parsed
from archive.postgres import PostgresStore
from service.workers import ParseJob, _init_worker, run_job

QUEUE = "vanban_index"
TASK = "vanban_index_document"
HEARTBEAT_S = 2.0
# a job whose worker sent no heartbeat for this long is retried (the indexer was killed or its host died)
STALLED_AFTER_S = float(os.environ.get("VANBAN_QUEUE_STALLED_AFTER", "15"))
CHUNK = 500
MAX_REQUEUES = 3
# While waiting, each second asks about the oldest POLL_WINDOW unsettled files only (jobs run in queue order,
# so those are the ones finishing); every FULL_POLL_EVERY seconds about all of them, and for stalled or lost
# jobs. Asking about all 10,000 every second cost the indexer a quarter of a core.
POLL_WINDOW = 500
FULL_POLL_EVERY = max(1, round(STALLED_AFTER_S))


class Runner:
    """The job's body: parse in a worker process, store in one transaction, or record why not."""

    def __init__(self, store: PostgresStore, options: IndexOptions):
        self.store = store
        self.options = options
        self.pool = ProcessPool(max_workers=options.workers, initializer=_init_worker, initargs=(options.memory_mb,))
        self.parsed = 0
        self.host = socket.gethostname()

    async def process(self, path: str, sha256: str, queued_at: float) -> str:
        store = self.store
        if await asyncio.to_thread(store.has, sha256):
            return "present"
        if await asyncio.to_thread(store.failures, [sha256], queued_at):
            return "failed-before"  # a job for the same content failed after this one was queued
        file = Path(path)
        try:
            same = await asyncio.to_thread(sha256_file, file) == sha256
        except OSError as exc:
            await self._fail(sha256, path, "not_found", f"Không đọc được tệp trên máy {self.host} / cannot read the "
                                                        f"file on host {self.host} ({exc.strerror or exc})")
            return "failed"
        if not same:
            await self._fail(sha256, path, "changed", "Tệp đã thay đổi từ khi xếp hàng / the file changed after it was queued")
            return "failed"
        job = ParseJob(path, file.name, self.options.ocr, self.options.max_pages)
        future = self.pool.schedule(run_job, args=(job,), timeout=self.options.timeout_s)
        try:
            status, first, second = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.parsed += 1
            await self._fail(sha256, path, *failure_of(exc, self.options.timeout_s))
            return "failed"
        self.parsed += 1
        if status != "ok":
            await self._fail(sha256, path, first, second)
            return "failed"
        try:
            created = await asyncio.to_thread(store_parsed, store, file, sha256, first, self.options.keep_files)
        except (ValueError, KeyError, TypeError) as exc:
            await self._fail(sha256, path, "internal_error", f"Không lưu được vào kho / could not index ({exc})")
            return "failed"
        return "indexed" if created else "present"

    async def _fail(self, sha: str, path: str, code: str, message: str) -> None:
        await asyncio.to_thread(self.store.record_failure, sha, path, code, message)

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)


def make_app(url: str, workers: int) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url, min_size=1, max_size=workers + 4))

    @app.task(name=TASK, queue=QUEUE, pass_context=True)
    async def index_document(context, path: str, sha256: str, queued_at: float) -> str:
        runner: Runner = context.additional_context["runner"]
        return await runner.process(path, sha256, queued_at)

    return app


def ensure_queue_schema(url: str) -> None:
    """Install procrastinate's tables in the archive's schema once (under a lock: several hosts may start at once)."""
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':vanban-queue'))")
        if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
            conn.execute(SchemaManager.get_schema())
        conn.commit()


class _Tracker:
    """This run's files and what has become of them, read from the archive and the queue."""

    def __init__(self, store: PostgresStore, since: float):
        self.store = store
        self.since = since
        self.paths: dict[str, str] = {}   # sha -> path, this run's files still unsettled
        self.requeued: dict[str, int] = {}

    def _all(self, sql: str, params: tuple) -> list:
        return self.store._read(lambda tx: tx.all(sql, params))

    def present(self, shas: list[str]) -> set[str]:
        return {r[0] for r in self._all("SELECT id FROM documents WHERE id = ANY(?)", (shas,))}

    def active(self, shas: list[str]) -> set[str]:
        return {r[0] for r in self._all(
            "SELECT queueing_lock FROM procrastinate_jobs WHERE queue_name = ? AND status IN ('todo', 'doing') "
            "AND queueing_lock = ANY(?)", (QUEUE, shas))}

    def failed(self, shas: list[str]) -> dict[str, tuple[str, str, str]]:
        return {r[0]: (r[1], r[2], r[3]) for r in self._all(
            "SELECT doc_id, path, code, message FROM index_failures WHERE at >= ? AND doc_id = ANY(?)",
            (self.since, shas))}


def _job(path: str, sha: str, queued_at: float) -> Job:
    return Job(id=None, queue=QUEUE, lock=sha, queueing_lock=sha, task_name=TASK,
               task_kwargs={"path": path, "sha256": sha, "queued_at": queued_at})


async def _defer(app: procrastinate.App, jobs: list[Job]) -> None:
    if not jobs:
        return
    try:
        await app.job_manager.batch_defer_jobs_async(jobs)
    except pexc.AlreadyEnqueued:  # another indexer queued some of them meanwhile: queue the rest one by one
        for job in jobs:
            try:
                await app.job_manager.batch_defer_jobs_async([job])
            except pexc.AlreadyEnqueued:
                pass


async def _refresh_queue_statistics(app: procrastinate.App) -> None:
    """Fresh planner statistics for the job table after queueing a chunk. procrastinate's fetch query plans
    its "no earlier job holds this lock" test from them: planned while the table looked empty, it scans the
    whole queue for every job taken (0.5 docs/s with 10,000 jobs waiting, where it otherwise keeps up
    with parsing), and autovacuum analyzes late or, on some servers, never."""
    await app.connector.execute_query_async("ANALYZE procrastinate_jobs")


async def _retry_stalled(app: procrastinate.App) -> int:
    stalled = list(await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=STALLED_AFTER_S))
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)


async def _index_queue(store: PostgresStore, url: str, files: list[Path], options: IndexOptions, report: Report,
                       progress: Progress) -> Report:
    await asyncio.to_thread(ensure_queue_schema, url)
    since = await asyncio.to_thread(store.now)
    tracker = _Tracker(store, since)
    runner = Runner(store, options)
    app = make_app(url, options.workers)
    done = 0
    settled_failed: dict[str, tuple[str, str, str]] = {}

    def tick(force: bool = False) -> None:
        progress.update(done, f"new {report.indexed} · already {report.already} · failed {len(report.failed)} "
                              f"· parsed here {runner.parsed}", force)

    try:
        async with app.open_async():
            await _retry_stalled(app)
            worker = asyncio.create_task(app.run_worker_async(
                queues=[QUEUE], concurrency=options.workers, wait=True, install_signal_handlers=False,
                listen_notify=True, fetch_job_polling_interval=1.0, delete_jobs="successful",
                update_heartbeat_interval=HEARTBEAT_S, stalled_worker_timeout=STALLED_AFTER_S,
                name=f"vanban-index@{runner.host}", additional_context={"runner": runner}))
            seen: set[str] = set()
            for start in range(0, len(files), CHUNK):
                hashed, settled = await asyncio.to_thread(hash_new, files[start:start + CHUNK], seen, report)
                done += settled
                batch = [(str(path), sha) for path, sha in hashed]
                shas = [sha for _, sha in batch]
                present = await asyncio.to_thread(tracker.present, shas)
                active = await asyncio.to_thread(tracker.active, shas)
                report.already += len(present)
                done += len(present)
                for path, sha in batch:
                    if sha not in present:
                        tracker.paths[sha] = path
                queued = [_job(p, s, since) for p, s in batch if s not in present and s not in active]
                await _defer(app, queued)
                if queued:
                    await _refresh_queue_statistics(app)
                tick()
            polls = 0
            while tracker.paths:
                if worker.done():
                    worker.result()  # a worker that stopped on its own: raise its error
                    raise RuntimeError("the queue worker stopped")
                full = polls % FULL_POLL_EVERY == 0
                polls += 1
                pending = list(tracker.paths) if full else list(itertools.islice(tracker.paths, POLL_WINDOW))
                stored = await asyncio.to_thread(tracker.present, pending)
                failed = await asyncio.to_thread(tracker.failed, [s for s in pending if s not in stored])
                for sha in stored:
                    tracker.paths.pop(sha)
                    report.indexed += 1
                for sha, why in failed.items():
                    tracker.paths.pop(sha)
                    settled_failed[sha] = why
                done += len(stored) + len(failed)
                if tracker.paths:
                    if full:
                        await _retry_stalled(app)
                        await _requeue_lost(app, tracker, since, settled_failed)
                        given_up = [sha for sha in tracker.paths if sha in settled_failed]
                        for sha in given_up:
                            tracker.paths.pop(sha)
                        done += len(given_up)
                    tick()
                    await asyncio.sleep(1.0)
            worker.cancel()  # graceful: jobs running here finish first
            try:
                await worker
            except asyncio.CancelledError:
                pass
    finally:
        runner.close()
    report.failed.extend(Failure(path, code, message) for path, code, message in settled_failed.values())
    report.parsed_here = runner.parsed
    tick(force=True)
    progress.finish()
    return report


async def _requeue_lost(app: procrastinate.App, tracker: _Tracker, since: float,
                        settled_failed: dict[str, tuple[str, str, str]]) -> None:
    """A file with neither a stored document, a failure, nor a waiting or running job lost its job
    (a job that failed on a database error, say): queue it again, a few times at most."""
    pending = list(tracker.paths)
    active = await asyncio.to_thread(tracker.active, pending)
    lost = [s for s in pending if s not in active]
    if not lost:
        return
    lost = [s for s in lost if s not in await asyncio.to_thread(tracker.present, lost)]
    again = []
    for sha in lost:
        tracker.requeued[sha] = tracker.requeued.get(sha, 0) + 1
        if tracker.requeued[sha] > MAX_REQUEUES:
            settled_failed[sha] = (tracker.paths[sha], "job_failed", "Việc đọc tệp thất bại nhiều lần / the indexing "
                                   "job failed repeatedly (see the indexer's log)")
        else:
            again.append(_job(tracker.paths[sha], sha, since))
    await _defer(app, again)


def index_queue(store: PostgresStore, url: str, files: list[Path], options: IndexOptions, report: Report,
                progress: Progress) -> Report:
    return asyncio.run(_index_queue(store, url, files, options, report, progress))
