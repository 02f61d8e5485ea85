"""Ingestion: the Celery app and tasks, one extractor per input type, the file store and batches."""
