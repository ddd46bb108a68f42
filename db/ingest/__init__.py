"""Ingestion: emails and tweets from files and folders into Message rows.

One module per source format (`email`, `tweets`, `csvfile`), format detection (`detect`),
contact matching (`contacts`), and the import run itself (`pipeline.ingest_paths`).
"""
