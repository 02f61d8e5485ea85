"""The HTTP API (FastAPI): one router per resource, assembled in :mod:`api.main`."""
