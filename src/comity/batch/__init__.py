"""Batch assessment of portfolios: flat readers, chunked resumable runs, Dask."""

#: Rows per chunk, the unit of resuming and what bounds memory. 50,000 keeps a run
#: against all 25 regimes under 1.5 GiB at 1M rows, at about the speed of 100,000 rows,
#: which peaked at 2.1 GiB (docs/benchmarks.md, 2026-12-05). Here, not in ``run``, so
#: that the command line can show it without importing polars and pyarrow.
DEFAULT_CHUNK_SIZE = 50_000
