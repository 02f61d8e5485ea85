"""Local services for development and tests: the OpenSearch node built with Maven, Redis, the Celery
workers and the API, started and stopped by `docsearch services`."""
