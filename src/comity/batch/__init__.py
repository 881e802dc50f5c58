"""Batch assessment of portfolios: flat readers, chunked resumable runs, Dask."""

#: Rows per chunk, the unit of resuming. Here, not in ``run``, so that the command line
#: can show it without importing polars and pyarrow (about 0.15 s) for every command.
DEFAULT_CHUNK_SIZE = 100_000
