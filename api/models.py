"""Response models: they shape the OpenAPI schema and pin the public JSON."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PageHit(BaseModel):
    page: int = Field(description="Page number, starting at 1.", examples=[3])
    snippet: str = Field(description="HTML-escaped text; query hits wrapped in <mark>.",
                         examples=["decomisaron 120 kg de <mark>clorhidrato</mark> de cocaína"])


class SearchResult(BaseModel):
    id: str = Field(description="sha256 of the original file.")
    title: str | None
    doc_type: str | None = None
    collection: str | None = None
    institution: str | None = None
    year: int | None = None
    language: str | None = None
    page_count: int | None = None
    score: float | None = None
    pages: list[PageHit] = Field(description="The document's best pages for the query (at most 3).")


class SearchResponse(BaseModel):
    total: int = Field(description="Number of matching documents.")
    took_ms: int
    page: int
    size: int
    results: list[SearchResult]


class BatchCreated(BaseModel):
    batch_id: str


class FileStatus(BaseModel):
    name: str
    status: str = Field(description="queued, processing, indexed, duplicate or failed.")
    reason: str | None = Field(None, description="Reason code when failed (see the README's table).")
    message: str | None = Field(None, description="What happened, in words.")
    document_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    pages: int | None = None
    updated_at: str | None = None


class BatchStatus(BaseModel):
    id: str
    state: str = Field(description="queued, running or done.")
    created_at: str
    collection: str | None
    doc_type: str | None
    origin: str | None
    total: int
    counts: dict[str, int]
    pages_done: int
    files: list[FileStatus] | None = None


class ErrorInfo(BaseModel):
    code: str
    message: str
    detail: object | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


class ComponentHealth(BaseModel):
    ok: bool
    detail: str | None = None
    info: dict | None = None


class Health(BaseModel):
    status: str = Field(description="ok when every component is ok, else degraded.")
    engine: ComponentHealth
    redis: ComponentHealth
    worker: ComponentHealth
