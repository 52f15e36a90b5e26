"""Readers: plan YAML and ledger CSV/XLSX into core objects and Diagnostics."""
