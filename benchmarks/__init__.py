"""Benchmarks: run with `make bench`; results go to benchmarks/RESULTS.md by hand."""
