"""Measurement tools: search quality and performance benchmarks (not in the test gate)."""
