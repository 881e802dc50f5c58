"""The Dask engine: the same chunk function, run on a ``dask.distributed`` cluster.

The client (the ``comity batch`` process) reads the input, sends each chunk to the
cluster as one task (:func:`comity.batch.chunks.assess_chunk`), and writes results in
chunk order as they come back, with the same manifest as a local run. At most two
chunks per worker are in flight, so the client's memory stays flat whatever the size
of the input. Workers need Comity installed (the shipped rulebook comes with it; a
``--rules`` folder must be at the same path on every worker).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from comity.batch.chunks import BatchSettings, ChunkResult, assess_chunk
from comity.batch.readers import RawChunk

IN_FLIGHT_PER_WORKER = 2


class DaskEngine:
    """Run chunks on the cluster at ``scheduler`` (or on a local cluster of ``workers``)."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        self.scheduler = scheduler
        self.workers = workers

    def __call__(self, chunks: Iterator[RawChunk],
                 settings: BatchSettings) -> Iterator[ChunkResult]:
        from dask.distributed import Client, LocalCluster

        cluster: Any = None
        if self.scheduler is None:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None)  # type: ignore[no-untyped-call]
            client = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            client = Client(self.scheduler)  # type: ignore[no-untyped-call]
        try:
            width = IN_FLIGHT_PER_WORKER * max(len(client.scheduler_info()["workers"]), 1)
            window: deque[Any] = deque()
            for chunk in chunks:
                window.append(client.submit(assess_chunk, chunk, settings, pure=False))
                if len(window) >= width:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None:
                cluster.close()
