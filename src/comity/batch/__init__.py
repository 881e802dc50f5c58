"""Batch assessment of portfolios: flat readers, chunked resumable runs, Dask."""
