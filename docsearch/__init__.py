"""docsearch core: settings, engine client, index schema and the search service."""

__version__ = "0.1.0"
