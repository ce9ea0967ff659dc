"""Batch scoring: many clips, in parallel, against expectations.

Four steps, each usable alone:

1. `discover_clips(paths)`: files, folders (their video files, not recursive) and
   globs (`**` recurses) -> absolute clip paths, in a stable order.
2. `plan_batch(clips, ...)`: one `ClipJob` per clip, with its exercise (expectations
   file, else the given exercise, else `auto`), output paths and cache settings.
3. `score_batch(jobs, executor)`: runs `run_clip` on every job and checks each report
   against its expectation. Jobs whose poses are already in the landmark cache (and
   that need no annotated video) run in this process at once: a re-score after a
   threshold change starts no worker, runs no pose inference and decodes no video.
4. `formcheck.outputs`: the table, summary JSON/CSV, JUnit XML and HTML report.

The per-clip job `run_clip` is `formcheck.analyze.analyze_video` (so each report is
exactly what `formcheck analyze` writes) plus error capture: a clip that cannot be read
fails its own entry and never the whole batch. Jobs run behind a small executor
interface (`Executor`): in this process (`InlineExecutor`), in a local process pool
(`ProcessExecutor`, one PoseLandmarker at a time per worker process) or on a Dask
cluster (`DaskExecutor`, the optional `formcheck[dask]` extra).
"""

from __future__ import annotations

import glob
import logging
import multiprocessing
import os
import queue
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from formcheck.cache import LandmarkCache
from formcheck.errors import (
    INTERNAL_ERROR_EXIT_CODE,
    INTERRUPTED_EXIT_CODE,
    FormcheckError,
    Interrupted,
    UsageError,
)
from formcheck.exercises import AUTO, canonical_name, create_judge
from formcheck.expectations import ClipExpectation, ExpectationFailure, Expectations, check_report
from formcheck.interrupts import held_interrupts
from formcheck.native_logs import DEBUG_ENV_VAR

log = logging.getLogger(__name__)

# Extensions a folder is searched for (files named on the command line are taken as
# given, whatever their extension).
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm"})
# Frames a worker analyses between two progress messages to the main process.
_PROGRESS_EVERY_FRAMES = 10
# After Ctrl-C, how long to wait for the clips being analysed to stop and save what they
# have (one frame, a report, the encoder's queue of at most 32 frames: well under this).
_STOP_TIMEOUT_S = 30.0

FrameReporter = Callable[[int], None]


# --- 1. discovery -------------------------------------------------------------------


def _is_glob(text: str) -> bool:
    return any(char in text for char in "*?[")


def _folder_clips(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES and not p.name.startswith(".")
    )


def discover_clips(paths: Sequence[str | Path]) -> list[Path]:
    """Clips named by files, folders and globs, as absolute paths without duplicates.

    A file is taken as given; a folder contributes its video files (by extension,
    sorted, not recursive, hidden files skipped); a glob contributes its matching
    files (`**` recurses). Order: as the paths were given.

    Raises:
        UsageError: a path that does not exist, or a glob that matches nothing.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        text = str(raw)
        if _is_glob(text) and not Path(text).exists():
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise UsageError(f"{text}: the pattern matches no file; check the pattern")
            for match in files:
                found.setdefault(match.resolve(), None)
            continue
        path = Path(text)
        if path.is_dir():
            for clip in _folder_clips(path):
                found.setdefault(clip.resolve(), None)
        elif path.exists():
            found.setdefault(path.resolve(), None)
        else:
            raise UsageError(f"{text}: no such file or folder; check the path")
    return list(found)


# --- 2. planning --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClipJob:
    """Everything a worker needs to score one clip (plain data: picklable, sent to workers).

    Attributes:
        index: Position in the batch (results are reported in this order).
        video: Absolute path of the clip.
        name: Display name (path relative to the clips' common folder).
        slug: File-name-safe unique name, for per-clip output files.
        exercise: Registered exercise name, or "auto".
        report_path: Where to write the clip's JSON report, if anywhere.
        annotated_path: Where to write the annotated video, if anywhere.
        model: Pose model file; None for each worker's own default (bundled) model.
        cache_dir: Landmark cache folder; None to bypass the cache.
        segmentation: Whether the exercise's rules need the segmentation output.
    """

    index: int
    video: Path
    name: str
    slug: str
    exercise: str
    report_path: Path | None = None
    annotated_path: Path | None = None
    model: Path | None = None
    cache_dir: Path | None = None
    segmentation: bool = False


def _display_names(clips: Sequence[Path]) -> list[str]:
    if not clips:
        return []
    common = Path(os.path.commonpath([str(c.parent) for c in clips]))
    return [c.relative_to(common).as_posix() for c in clips]


def _slugs(names: Sequence[str]) -> list[str]:
    slugs: list[str] = []
    taken: set[str] = {"summary"}  # --out-dir's summary.json sits beside the reports
    for name in names:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", str(Path(name).with_suffix("")).replace("/", "__"))
        slug = stem or "clip"
        if slug in taken:
            slug = f"{stem}_{Path(name).suffix.lstrip('.')}"
        number = 2
        while slug in taken:
            slug = f"{stem}_{number}"
            number += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def resolve_exercise(clip: str, expectation: ClipExpectation | None, default: str | None) -> str:
    """A clip's exercise: its expectation's, else `default`, else `auto`.

    Raises:
        UsageError: the name is not registered (the message lists the valid ones).
    """
    name = (expectation.exercise if expectation else None) or default or AUTO
    try:
        return canonical_name(name)
    except UsageError as error:
        raise UsageError(f"{clip}: {error}") from None


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """The jobs of a batch, each with its expectation (None: nothing to check)."""

    jobs: tuple[ClipJob, ...]
    expectations: tuple[ClipExpectation | None, ...]


def plan_batch(
    clips: Sequence[Path],
    *,
    expectations: Expectations | None = None,
    exercise: str | None = None,
    out_dir: Path | None = None,
    video_dir: Path | None = None,
    model: Path | None = None,
    cache_dir: Path | None = None,
) -> BatchPlan:
    """One job per clip; with expectations and no clips, the clips the file lists.

    Args:
        clips: Absolute clip paths (`discover_clips`); clips the expectations file lists
            that do not exist are added when they lie in one of the given folders, so a
            deleted sample fails its entry instead of passing unnoticed.
        expectations: Per-clip expectations (and exercises).
        exercise: Exercise for clips without one in `expectations`.
        out_dir: Folder for `<slug>.json` reports.
        video_dir: Folder for `<slug>.webm` annotated videos.
        model: Pose model (None: each worker's default).
        cache_dir: Landmark cache folder (None: no cache).

    Raises:
        UsageError: no clips, or an exercise name that is not registered.
    """
    chosen = list(clips)
    if expectations is not None:
        if not chosen:
            chosen = [entry.clip for entry in expectations.clips]
        else:
            have = set(chosen)
            folders = {c.parent for c in chosen}
            chosen += [
                entry.clip
                for entry in expectations.clips
                if entry.clip not in have
                and entry.clip.parent in folders
                and not entry.clip.exists()
            ]
    if not chosen:
        raise UsageError("no clips to score; give video files, folders or globs")
    names = _display_names(chosen)
    slugs = _slugs(names)
    jobs: list[ClipJob] = []
    wanted: list[ClipExpectation | None] = []
    for index, (clip, name, slug) in enumerate(zip(chosen, names, slugs, strict=True)):
        expectation = expectations.for_clip(clip) if expectations is not None else None
        exercise_name = resolve_exercise(name, expectation, exercise)
        jobs.append(
            ClipJob(
                index=index,
                video=clip,
                name=name,
                slug=slug,
                exercise=exercise_name,
                report_path=out_dir / f"{slug}.json" if out_dir is not None else None,
                annotated_path=video_dir / f"{slug}.webm" if video_dir is not None else None,
                model=model,
                cache_dir=cache_dir,
                segmentation=create_judge(exercise_name).needs_segmentation,
            )
        )
        wanted.append(expectation)
    return BatchPlan(tuple(jobs), tuple(wanted))


# --- 3. the per-clip job ------------------------------------------------------------


@dataclass
class ClipOutcome:
    """What became of one job (plain data: sent back from workers).

    Attributes:
        index: The job's index.
        report: The analysis report (None if the clip could not be analysed at all).
        timeline: Key metric at <= 10 Hz and fault intervals (`formcheck.timeline`).
        error: Why the clip could not be analysed (whole), or None.
        error_code: The exit code `formcheck analyze` would give for that error.
        frames: Frames analysed.
        elapsed_s: Wall time of the job.
        from_cache: Poses came from the landmark cache (no inference ran).
    """

    index: int
    report: dict[str, Any] | None = None
    timeline: dict[str, Any] | None = None
    error: str | None = None
    error_code: int = 0
    frames: int = 0
    elapsed_s: float = 0.0
    from_cache: bool = False


class _FrameCounter:
    """Counts analysed frames and passes them on in small batches; stops the clip (as
    Ctrl-C would: the analysis saves what it has) once `should_stop` says so."""

    def __init__(
        self, report: FrameReporter | None, should_stop: Callable[[], bool] | None = None
    ) -> None:
        self._report = report
        self._should_stop = should_stop
        self._unreported = 0

    def step(self, *_: Any) -> None:
        if self._should_stop is not None and self._should_stop():
            raise KeyboardInterrupt
        self._unreported += 1
        if self._unreported >= _PROGRESS_EVERY_FRAMES:
            self.flush()

    def flush(self) -> None:
        if self._report is not None and self._unreported:
            self._report(self._unreported)
        self._unreported = 0


def run_clip(
    job: ClipJob,
    report_frames: FrameReporter | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ClipOutcome:
    """Analyse one clip as `formcheck analyze` would; never raises for a bad clip.

    Args:
        job: What to analyse and where to write.
        report_frames: Called with counts of newly analysed frames (progress).
        should_stop: Asked before every frame; True stops the clip as Ctrl-C does.

    Returns:
        The outcome; `error` is set (and `report` may hold a partial report) when the
        clip cannot be read whole, when analysing it hit a bug, or when it was
        interrupted (`error_code` 130: its report and video so far were written).
    """
    from formcheck.analyze import analyze_video

    start = time.perf_counter()
    counter = _FrameCounter(report_frames, should_stop)
    outcome = ClipOutcome(index=job.index)
    try:
        cache = LandmarkCache(job.cache_dir) if job.cache_dir is not None else None
        analysis = analyze_video(
            job.video,
            job.exercise,
            out_video=job.annotated_path,
            report_path=job.report_path,
            model=job.model,
            cache=cache,
            on_frame=counter.step,
        )
    except FormcheckError as error:
        outcome.error, outcome.error_code = str(error), error.exit_code
    except Interrupted as stop:  # the clip's outputs so far are written
        outcome.report, outcome.frames = stop.report, stop.frames
        saved = "; its partial report is saved" if job.report_path is not None else ""
        outcome.error = f"interrupted after {stop.frames} frames (Ctrl-C){saved}"
        outcome.error_code = INTERRUPTED_EXIT_CODE
    except Exception as error:  # a bug met in one clip must not end the batch
        if os.environ.get(DEBUG_ENV_VAR):  # the table says what; the traceback if asked
            log.exception("analysing %s failed", job.video)
        outcome.error = f"internal error: {type(error).__name__}: {error}"
        outcome.error_code = INTERNAL_ERROR_EXIT_CODE
    else:
        outcome.report = analysis.report
        outcome.timeline = analysis.timeline
        outcome.frames = int(analysis.report["frames"])
        outcome.from_cache = analysis.from_cache
        if not analysis.complete:
            outcome.error = analysis.warnings[0] if analysis.warnings else "incomplete analysis"
            outcome.error_code = 3
    finally:
        counter.flush()
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def _runs_here(job: ClipJob) -> bool:
    """The job needs no worker: it cannot run (the clip is missing: it fails at once), or
    its poses are in the cache and it writes no video (a re-score: no inference, no
    decoding)."""
    if not job.video.is_file():
        return True
    if job.cache_dir is None or job.annotated_path is not None:
        return False
    from formcheck.estimator import resolve_model_path

    try:
        key = LandmarkCache.key(job.video, resolve_model_path(job.model), job.segmentation)
    except (FormcheckError, OSError):
        return False
    return LandmarkCache(job.cache_dir).has(key)


# --- executors ----------------------------------------------------------------------


class Executor(Protocol):
    """Runs clip jobs somewhere and yields their outcomes as they finish (any order)."""

    workers: int

    def run(
        self, jobs: Sequence[ClipJob], report_frames: FrameReporter | None
    ) -> Iterator[ClipOutcome]:
        """Run every job; `report_frames` gets frame counts as work progresses."""
        ...

    def close(self) -> None:
        """Release workers or connections."""
        ...


class InlineExecutor:
    """Runs jobs one after another in this process."""

    workers = 1

    def run(
        self, jobs: Sequence[ClipJob], report_frames: FrameReporter | None
    ) -> Iterator[ClipOutcome]:
        for job in jobs:
            outcome = run_clip(job, report_frames)
            yield outcome
            if outcome.error_code == INTERRUPTED_EXIT_CODE:  # Ctrl-C stopped that clip
                raise KeyboardInterrupt

    def close(self) -> None:
        pass


_worker_progress: Any = None  # the pool's progress queue, in a worker process
_worker_stop: Any = None  # the pool's stop event, in a worker process


def _init_worker(progress: Any, stop: Any = None) -> None:
    global _worker_progress, _worker_stop
    _worker_progress, _worker_stop = progress, stop
    # A terminal's Ctrl-C reaches every process of its group; the main process decides
    # what the batch does, and tells the workers through `stop`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _send_frames(index: int, count: int) -> None:
    if _worker_progress is not None:
        _worker_progress.put((index, count))


def _stop_requested() -> bool:
    return _worker_stop is not None and bool(_worker_stop.is_set())


def run_clip_in_worker(job: ClipJob) -> ClipOutcome:
    """`run_clip` in a pool worker, sending progress to the main process and stopping
    when it says so (a clip not yet started then writes nothing)."""
    if _stop_requested():
        return _not_finished(job)
    return run_clip(job, lambda count: _send_frames(job.index, count), _stop_requested)


def _not_finished(job: ClipJob) -> ClipOutcome:
    return ClipOutcome(
        index=job.index,
        error="not finished: the batch was interrupted (Ctrl-C)",
        error_code=INTERRUPTED_EXIT_CODE,
    )


def _crashed(job: ClipJob, error: BaseException) -> ClipOutcome:
    return ClipOutcome(
        index=job.index,
        error=f"the worker process died while analysing this clip ({type(error).__name__}:"
        f" {error}); try it alone with formcheck analyze",
        error_code=INTERNAL_ERROR_EXIT_CODE,
    )


class ProcessExecutor:
    """A local pool of worker processes; each analyses one clip at a time.

    A worker creates a fresh PoseLandmarker for every clip (about 0.07 s once the
    first is loaded) because MediaPipe's VIDEO mode tracks the person from frame to
    frame: reusing one across clips would carry the last clip's pose into the next and
    make the report differ from `formcheck analyze`. Workers are started with `spawn`
    (no forked MediaPipe state) only when there is work. If a worker process dies (a
    crash in native code), the clips it took down with it are retried each in a fresh
    single-worker pool, so only the clip that crashes fails.

    Workers ignore SIGINT. On Ctrl-C in the main process the clips being analysed stop
    at their next frame, as `formcheck analyze` does (their reports and videos so far
    are written), their outcomes are collected, the clips not started are dropped, and
    the KeyboardInterrupt goes on to the caller.

    Args:
        workers: Processes to start at most (never more than there are jobs).
        target: The job function run in workers (importable; tests swap it).
    """

    def __init__(
        self, workers: int, target: Callable[[ClipJob], ClipOutcome] = run_clip_in_worker
    ) -> None:
        if workers < 1:
            raise UsageError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self._target = target
        self._context = multiprocessing.get_context("spawn")

    def _pool(self, size: int, progress: Any, stop: Any) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=size,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(progress, stop),
        )

    def run(
        self, jobs: Sequence[ClipJob], report_frames: FrameReporter | None
    ) -> Iterator[ClipOutcome]:
        if not jobs:
            return
        progress = _Progress(self._context.Queue(), report_frames)
        stop = self._context.Event()
        broken: list[tuple[ClipJob, BaseException]] = []
        try:
            size = min(self.workers, len(jobs))
            yield from self._run_pool(list(jobs), size, progress, stop, broken)
            for job, _ in list(broken):  # isolate the clip that crashes
                again: list[tuple[ClipJob, BaseException]] = []
                yield from self._run_pool([job], 1, progress, stop, again)
                for _, error in again:
                    yield _crashed(job, error)
        finally:
            progress.queue.close()
            progress.queue.join_thread()

    def _run_pool(
        self,
        jobs: list[ClipJob],
        size: int,
        progress: _Progress,
        stop: Any,
        broken: list[tuple[ClipJob, BaseException]],
    ) -> Iterator[ClipOutcome]:
        pool = self._pool(size, progress.queue, stop)
        futures: dict[Future[ClipOutcome], ClipJob] = {}

        def outcome_of(future: Future[ClipOutcome]) -> ClipOutcome | None:
            job = futures[future]
            try:
                outcome = future.result()
            except BrokenProcessPool as error:
                broken.append((job, error))
                return None
            except Exception as error:  # e.g. an outcome that could not be pickled
                outcome = _crashed(job, error)
            progress.finished(outcome)
            return outcome

        try:
            for job in jobs:
                futures[pool.submit(self._target, job)] = job
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                progress.drain()
                for future in sorted(done, key=lambda f: futures[f].index):
                    outcome = outcome_of(future)
                    if outcome is not None:
                        yield outcome
        except KeyboardInterrupt:
            # Ctrl-C: the running clips stop at their next frame and save what they
            # have; their outcomes are worth waiting for, the clips not started are not.
            with held_interrupts():
                stop.set()
                for future in futures:
                    future.cancel()
                running = [f for f in futures if not f.cancelled()]
                wait(running, timeout=_STOP_TIMEOUT_S)
                stopped = [outcome_of(f) for f in running if f.done() and not f.cancelled()]
            broken.clear()  # an interrupted batch retries nothing
            yield from (outcome for outcome in stopped if outcome is not None)
            raise
        finally:
            stop.set()  # also when the caller closes this early: no clip runs on
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass  # every pool is shut down when its run ends


class _Progress:
    """Frame counts sent by pool workers as (job index, frames), passed on in order.

    Messages travel on a queue separate from the results, so a job's last ones may
    arrive after its outcome: when the outcome comes, the frames not yet reported are
    reported from its count, and later messages for that job are dropped.
    """

    def __init__(self, progress_queue: Any, report_frames: FrameReporter | None) -> None:
        self.queue = progress_queue
        self._report = report_frames
        self._seen: dict[int, int] = {}
        self._done: set[int] = set()

    def _add(self, count: int) -> None:
        if self._report is not None and count > 0:
            self._report(count)

    def drain(self) -> None:
        while True:
            try:
                index, count = self.queue.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            if index not in self._done:
                self._seen[index] = self._seen.get(index, 0) + count
                self._add(count)

    def finished(self, outcome: ClipOutcome) -> None:
        self.drain()
        self._add(outcome.frames - self._seen.get(outcome.index, 0))
        self._done.add(outcome.index)


class DaskExecutor:
    """Sends jobs to an existing Dask cluster (`pip install 'formcheck[dask]'`).

    Every worker must see the clips, output folders and cache folder at the same
    absolute paths (a shared file system) and have formcheck installed. Run workers
    with one thread each (`dask worker ADDRESS --nthreads 1`): a clip keeps a core busy.
    Progress is counted when each clip finishes.

    Args:
        address: The scheduler, e.g. "tcp://10.0.0.5:8786"; or an existing
            `distributed.Client`.
        timeout_s: How long to try to reach the scheduler.
    """

    def __init__(self, address: Any, timeout_s: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask: pip install 'formcheck[dask]'") from None
        if isinstance(address, Client):
            self._client, self._owned = address, False
        else:
            try:
                self._client, self._owned = Client(address, timeout=f"{timeout_s}s"), True  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as error:
                raise UsageError(
                    f"cannot reach the Dask scheduler at {address} ({error}); check --scheduler"
                ) from None
        self.workers = max(
            1,
            sum(
                int(w.get("nthreads", 1)) for w in self._client.scheduler_info()["workers"].values()
            ),
        )

    def run(
        self, jobs: Sequence[ClipJob], report_frames: FrameReporter | None
    ) -> Iterator[ClipOutcome]:
        from distributed import as_completed

        if not jobs:
            return
        futures = self._client.map(run_clip, list(jobs), pure=False)
        job_of = {future.key: job for future, job in zip(futures, jobs, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            job = job_of[future.key]
            try:
                outcome = future.result()
            except Exception as error:  # the worker died (KilledWorker) or could not run it
                outcome = _crashed(job, error)
            if report_frames is not None and outcome.frames:
                report_frames(outcome.frames)
            yield outcome

    def close(self) -> None:
        if self._owned:
            self._client.close()  # type: ignore[no-untyped-call]


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for `--workers N` / `--scheduler ADDRESS` (default: one per CPU)."""
    if scheduler:
        if workers is not None:
            raise UsageError(
                "--workers and --scheduler do not combine: on a cluster its workers run the"
                " clips; leave out --workers"
            )
        return DaskExecutor(scheduler)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 1:
        raise UsageError(f"--workers must be at least 1, got {count}")
    return InlineExecutor() if count == 1 else ProcessExecutor(count)


# --- 4. scoring ---------------------------------------------------------------------


@dataclass
class ClipResult:
    """One clip's job, outcome and expectation check."""

    job: ClipJob
    outcome: ClipOutcome
    expectation: ClipExpectation | None
    failures: list[ExpectationFailure] = field(default_factory=list)

    @property
    def status(self) -> str:
        """ "error" (not analysed whole), "fail" (an expectation broke) or "pass"."""
        if self.outcome.error is not None:
            return "error"
        return "fail" if self.failures else "pass"

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass
class BatchResult:
    """Every clip's result in job order, and how the batch ran."""

    results: list[ClipResult]
    elapsed_s: float
    workers: int
    # Ctrl-C stopped the batch: the clips not finished by then are "error" entries.
    interrupted: bool = False

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def finished(self) -> int:
        """Clips that ran to an outcome (all of them unless the batch was interrupted)."""
        return sum(1 for r in self.results if r.outcome.error_code != INTERRUPTED_EXIT_CODE)

    @property
    def frames(self) -> int:
        return sum(r.outcome.frames for r in self.results)

    def counts(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "error": 0}
        for result in self.results:
            counts[result.status] += 1
        return counts


def _check(job: ClipJob, outcome: ClipOutcome, expectation: ClipExpectation | None) -> ClipResult:
    failures: list[ExpectationFailure] = []
    if outcome.error is not None:
        failures.append(ExpectationFailure("analysis", f"not analysed: {outcome.error}"))
    elif expectation is not None and outcome.report is not None:
        failures = check_report(expectation, outcome.report)
    return ClipResult(job, outcome, expectation, failures)


def score_batch(
    plan: BatchPlan,
    executor: Executor,
    *,
    report_frames: FrameReporter | None = None,
    on_result: Callable[[ClipResult], None] | None = None,
) -> BatchResult:
    """Run every job of `plan` and check it against its expectation.

    Jobs that can be re-scored from the landmark cache (and write no video) run here,
    first, as do jobs whose clip is missing; the others go to `executor`.

    Args:
        plan: Jobs and expectations (`plan_batch`).
        executor: Where to run jobs that need pose inference or video.
        report_frames: Progress: called with counts of newly analysed frames.
        on_result: Called as each clip finishes (any order).
    """
    start = time.perf_counter()
    here = [job for job in plan.jobs if _runs_here(job)]
    here_set = {job.index for job in here}
    remote = [job for job in plan.jobs if job.index not in here_set]
    results: dict[int, ClipResult] = {}
    streams = (InlineExecutor().run(here, report_frames), executor.run(remote, report_frames))
    interrupted = False
    try:
        for stream in streams:
            for outcome in stream:
                job = plan.jobs[outcome.index]
                result = _check(job, outcome, plan.expectations[outcome.index])
                results[outcome.index] = result
                if on_result is not None:
                    on_result(result)
    except KeyboardInterrupt:
        # Ctrl-C: keep what finished (the caller writes the summary, JUnit and HTML of
        # it) and shut the pools down; closing a stream runs its pool's shutdown.
        interrupted = True
        for stream in streams:
            close = getattr(stream, "close", None)  # generators; a plain iterator has none
            if close is not None:
                close()
    for job in plan.jobs:
        if job.index not in results:
            results[job.index] = _check(job, _not_finished(job), plan.expectations[job.index])
    ordered = [results[job.index] for job in plan.jobs]
    workers = min(executor.workers, len(remote)) if remote else 1
    return BatchResult(ordered, time.perf_counter() - start, workers, interrupted)


def with_outputs(plan: BatchPlan, **changes: Any) -> BatchPlan:
    """The same plan with every job's fields changed (e.g. `cache_dir=None`)."""
    return BatchPlan(tuple(replace(job, **changes) for job in plan.jobs), plan.expectations)
