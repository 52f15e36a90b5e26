"""shuzheng: plans and ledgers of a rectification campaign, reconciled."""

__version__ = "0.1.0"
