"""A batch run killed with SIGKILL resumes to the same bytes; Dask gives the same output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from comity.batch.chunks import BatchSettings
from comity.batch.columns import flatten
from comity.batch.dask_engine import DaskEngine
from comity.batch.readers import open_input
from comity.batch.run import run_batch
from tests.test_batch import AS_OF, documents, write_csv

ROWS = 3000
CHUNK = 150


def _portfolio(folder: Path, count: int) -> Path:
    rows = [flatten(p) for p in documents(count)]
    rows[17]["uses"] = "no.such.use"  # an error row, so the errors file is compared too
    return write_csv(folder / "portfolio.csv", rows)


def _command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "comity", "batch", str(source), "--out", str(out),
            "--as-of", AS_OF.isoformat(), "--chunk-size", str(CHUNK)]


def _chunks_done(manifest: Path) -> int:
    try:
        return len(json.loads(manifest.read_text())["chunks"])
    except (OSError, ValueError):
        return 0


def test_a_run_killed_with_sigkill_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    source = _portfolio(tmp_path, ROWS)
    whole = tmp_path / "whole" / "results.parquet"
    whole.parent.mkdir()
    subprocess.run(_command(source, whole), check=True, capture_output=True)

    out = tmp_path / "resumed" / "results.parquet"
    out.parent.mkdir()
    manifest = out.with_name("results.parquet.parts") / "manifest.json"
    process = subprocess.Popen(_command(source, out), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _chunks_done(manifest) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _chunks_done(manifest)
    assert process.returncode == -signal.SIGKILL
    assert 3 <= killed_at < ROWS // CHUNK, "the run was not interrupted mid-way"
    assert not out.exists()  # nothing that looks complete

    resumed = subprocess.run(_command(source, out), check=True, capture_output=True, text=True)
    assert f"resumed after {killed_at}" in resumed.stderr or (
        f"resumed after {killed_at + 1}" in resumed.stderr)
    assert f"{ROWS} rows: {ROWS - 1} valid, 1 invalid" in resumed.stderr
    assert out.read_bytes() == whole.read_bytes()
    errors = out.with_name("results.errors.csv")
    assert errors.read_bytes() == whole.with_name("results.errors.csv").read_bytes()
    assert not manifest.parent.exists()


def test_the_dask_engine_on_a_local_cluster_equals_the_local_engine(tmp_path: Path) -> None:
    source = _portfolio(tmp_path, 400)
    settings = BatchSettings(AS_OF)
    local = tmp_path / "local.parquet"
    run_batch(open_input(source), local, settings, chunk_size=100)
    distributed = tmp_path / "dask.parquet"
    summary = run_batch(open_input(source), distributed, settings, chunk_size=100,
                        engine=DaskEngine(workers=2))
    assert (summary.rows, summary.invalid) == (400, 1)
    assert distributed.read_bytes() == local.read_bytes()
    assert (tmp_path / "dask.errors.csv").read_bytes() == (
        tmp_path / "local.errors.csv").read_bytes()
