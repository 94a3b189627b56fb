"""Reproducible analysis of Arabic news corpora.

Entity co-occurrence, topics over time and source comparison, from a folder of
articles to Parquet tables, figures and one HTML report. See docs/architecture.md.
"""

__version__ = "0.1.0"
