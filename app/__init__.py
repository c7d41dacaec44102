"""Partnerskabsbasen: a searchable collection of Danish cross-sector partnership cases."""
