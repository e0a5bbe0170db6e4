"""Benchmark fixtures shared by the benchmark files."""
