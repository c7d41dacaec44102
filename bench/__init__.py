"""Measurement tools: search-quality evaluation and performance benchmarks (not in the test gate)."""
