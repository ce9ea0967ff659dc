"""The Dask executor against a LocalCluster started here: same reports as a local run."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "distributed", reason="dask[distributed] not installed (pip install 'formcheck[dask]')"
)

from distributed import LocalCluster

from formcheck.analyze import analyze_video
from formcheck.batch import DaskExecutor, plan_batch, score_batch
from formcheck.errors import UsageError
from formcheck.synth import plank_scenario, render_clip


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as local:
        yield local


def test_dask_cluster_scores_clips_like_a_local_run(cluster, tmp_path):
    good, sag = tmp_path / "good.mp4", tmp_path / "sag.mp4"
    render_clip(plank_scenario(size=(256, 192), duration_s=1.5), good)
    render_clip(plank_scenario("hips_sagging", start_s=0.5, size=(256, 192), duration_s=1.5), sag)
    plan = plan_batch([good, sag], exercise="plank", out_dir=tmp_path)
    executor = DaskExecutor(cluster.scheduler_address)
    frames = []
    try:
        result = score_batch(plan, executor, report_frames=frames.append)
    finally:
        executor.close()
    assert executor.workers == 2 and result.workers == 2
    assert sum(frames) == 90
    assert [r.status for r in result.results] == ["pass", "pass"]
    for clip, clip_result in zip((good, sag), result.results, strict=True):
        assert clip_result.outcome.report == analyze_video(clip, "plank").report
        assert (tmp_path / f"{clip.stem}.json").is_file()  # written by the Dask worker
    assert [r.outcome.report["verdict"] for r in result.results] == ["good", "needs_work"]


def test_unreachable_scheduler_is_a_usage_error():
    with pytest.raises(
        UsageError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        DaskExecutor("tcp://127.0.0.1:9", timeout_s=1.0)
