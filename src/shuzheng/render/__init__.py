"""Renderers: report data and diagnostics → text. Pure functions returning strings."""
