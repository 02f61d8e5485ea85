"""One settings object for every part of docsearch.

Values come from environment variables with the ``DOCSEARCH_`` prefix (or a
``.env`` file). Every field is documented in the README's configuration table;
``tests/test_settings.py`` fails when one is not.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from docsearch import local_secrets

REPO_ROOT = Path(__file__).resolve().parent.parent
# Secrets that examples and defaults tend to carry: refused in production.
PLACEHOLDERS = frozenset({"changeme", "change-me", "change_me", "password", "secret", "admin", "elastic",
                          "docsearch", "redis", "opensearch", "example", "xxxxxxxxxxxx"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCSEARCH_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = Field(
        "development", description="Deployment environment; production refuses unsafe defaults."
    )
    engine_url: str = Field("http://127.0.0.1:9200", description="Search engine base URL.")
    engine_nodes: str = Field(
        "", description="The cluster's other nodes, comma-separated URLs: requests are spread over them and "
        "`engine_url`, and go on when one is down."
    )
    engine_kind: Literal["auto", "opensearch", "elasticsearch"] = Field(
        "auto", description="Engine flavour; `auto` asks `GET /` of the engine."
    )
    engine_username: str | None = Field(None, description="Engine basic-auth user (optional).")
    engine_password: str | None = Field(None, description="Engine basic-auth password (optional).")
    engine_timeout_s: float = Field(30.0, description="Timeout of one engine request, seconds.")
    index_prefix: str = Field(
        "docsearch", pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Prefix of every index and alias name."
    )
    index_shards: int = Field(1, ge=1, description="Primary shards of a new documents index.")
    index_replicas: int = Field(0, ge=0, description="Replicas of new indices (0 on a single node).")
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis URL: Celery broker and result cache.")
    data_dir: Path = Field(REPO_ROOT / "var", description="Local state: engine data, logs, pid files.")
    store_dir: Path | None = Field(
        None, description="Content-addressed store of original files; default `<data_dir>/store`."
    )
    backup_dir: Path | None = Field(
        None, description="Backups (`docsearch backup`): the local engine's path.repo; default `<data_dir>/backups`."
    )
    max_file_mb: int = Field(200, ge=1, description="Largest accepted file, MiB.")
    max_pages: int = Field(5000, ge=1, description="Most pages accepted in one PDF.")
    max_upload_files: int = Field(1000, ge=1, description="Most files in one upload request.")
    task_soft_time_limit_s: int = Field(600, ge=1, description="Soft time limit of one file's task.")
    task_time_limit_s: int = Field(900, ge=1, description="Hard time limit of one file's task.")
    worker_concurrency: int = Field(2, ge=1, description="Worker processes started by `docsearch services up`.")
    api_host: str = Field("127.0.0.1", description="Address the API binds to (`docsearch services up`).")
    api_port: int = Field(8000, description="Port the API listens on.")
    facet_budget_ms: int = Field(
        250, ge=10, le=30_000, description="Time budget of a search's facet counts; past it the facets are partial."
    )
    opensearch_heap: str = Field("512m", description="JVM heap of the local OpenSearch node.")
    ner_enabled: bool = Field(True, description="Run named-entity recognition during ingest.")
    ocr_enabled: bool = Field(True, description="OCR pages that have no text layer (Tesseract).")
    embeddings_enabled: bool = Field(
        True, description="Split pages into passages and embed them at ingest (semantic and cross-lingual search)."
    )
    semantic_min_similarity: float = Field(
        0.2, ge=-1.0, le=1.0,
        description="Lowest cosine between a query and a passage for the passage's document to be found by meaning.",
    )
    semantic_weight: float = Field(
        0.5, ge=0.0, le=4.0,
        description="Weight of the ranking by meaning in hybrid search, beside the words' ranking (weight 1); "
                    "each ranking's scores count relative to its best.",
    )
    translated_weight: float = Field(
        0.5, ge=0.0, le=4.0,
        description="Weight of the translated query's ranking in lexical and hybrid search (the words' ranking: 1).",
    )
    query_translation: bool = Field(
        True, description="Also search a query translated into the archive's other language (English <-> Spanish).",
    )
    default_search_mode: str = Field(
        "hybrid", pattern="^(lexical|semantic|hybrid)$",
        description="Search mode when a request names none: lexical, semantic or hybrid.",
    )
    ocr_default_language: str = Field(
        "spa", pattern=r"^[a-z_]{3,}(\+[a-z_]{3,})*$",
        description="Tesseract language for a scan whose other pages do not tell its language.",
    )
    ocr_seconds_per_page: int = Field(30, ge=1, description="Lease time granted per queued OCR page.")
    ocr_concurrency: int = Field(2, ge=1, description="OCR worker processes started by `docsearch services up`.")
    reconcile_interval_s: int = Field(30, ge=1, description="How often a worker looks for lost or stuck files.")
    reconcile_grace_s: int = Field(
        60, ge=1, description="A queued file untouched this long, with the queue empty, is queued again."
    )
    max_archive_depth: int = Field(2, ge=1, description="Deepest nesting of archives opened (a ZIP in a ZIP is 2).")
    max_archive_members: int = Field(20_000, ge=1, description="Most entries read from one archive.")
    max_archive_total_mb: int = Field(20_480, ge=1, description="Most bytes one archive may expand to, MiB.")
    max_archive_ratio: float = Field(200.0, gt=1, description="Largest expansion ratio of one archive entry.")
    session_hours: int = Field(12, ge=1, le=24 * 30, description="How long a sign-in in the web interface lasts, hours.")
    login_attempts: int = Field(5, ge=1, description="Failed sign-ins in a row that lock a user.")
    lockout_minutes: int = Field(15, ge=1, description="How long a locked user waits before signing in again, minutes.")
    address_sign_in_failures: int = Field(
        30, ge=1, description="Failed sign-ins from one client address, in 10 minutes, before it must wait.")
    import_root: Path | None = Field(
        None, description="Server folder that admin imports may read from; unset disables server imports."
    )
    allowed_hosts: str = Field(
        "127.0.0.1,localhost,[::1]",
        description="Host names the API answers to, comma-separated (`api_host` is added); any other Host is a 400.",
    )
    max_upload_mb: int = Field(2048, ge=1, description="Largest upload request (all its files together), MiB.")
    user_quota_mb: int = Field(10_240, ge=1, description="Most bytes one user may load through the API in 24 hours, MiB.")
    fuzzy_budget_ms: int = Field(
        500, ge=10, le=30_000, description="Time the engine may spend on a search's retry with typos allowed."
    )

    smtp_host: str = Field(
        "", description="SMTP server that sends watch notifications by e-mail; empty (the default): no e-mail, "
        "notifications go to the in-app inbox only.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str | None = Field(None, description="SMTP user (optional).")
    smtp_password: str | None = Field(None, description="SMTP password (optional).")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS before sending.")
    smtp_from: str = Field("docsearch@localhost", description="Sender address of notification e-mails.")
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Address of the web interface, for the links in notification e-mails.")
    digest_hour_utc: int = Field(
        12, ge=0, le=23, description="Hour (UTC) after which the daily digests of watches are sent (12 UTC: 7:00 in Lima).")

    @model_validator(mode="after")
    def _derive(self) -> "Settings":
        local_secrets.apply(self)  # the generated credentials of a local engine and Redis, unless given
        if self.store_dir is None:
            self.store_dir = self.data_dir / "store"
        if self.backup_dir is None:
            self.backup_dir = self.data_dir / "backups"
        if self.task_soft_time_limit_s >= self.task_time_limit_s:
            raise ValueError("task_soft_time_limit_s must be below task_time_limit_s")
        if self.env == "production":
            self._refuse_unsafe_defaults()
        return self

    def _refuse_unsafe_defaults(self) -> None:
        """Production starts only with an engine and a Redis of its own, both behind real secrets."""
        if self.engine_url.startswith("http://127.0.0.1"):
            # A production deployment pointing at the developer default is a misconfiguration.
            raise ValueError("DOCSEARCH_ENGINE_URL must be set explicitly in production")
        if not self.engine_username or not self.engine_password:
            raise ValueError("DOCSEARCH_ENGINE_USERNAME and DOCSEARCH_ENGINE_PASSWORD must be set in production")
        redis_password = urlsplit(self.redis_url).password
        if not redis_password:
            raise ValueError("DOCSEARCH_REDIS_URL must carry a password in production (redis://:PASSWORD@host:6379/0)")
        for name, secret in (("engine password", self.engine_password), ("Redis password", redis_password)):
            if secret.lower() in PLACEHOLDERS or len(secret) < 12:
                raise ValueError(f"The {name} is a placeholder or shorter than 12 characters; set a real secret")

    @property
    def engine_hosts(self) -> list[str]:
        """Every node the client may send a request to: ``engine_url`` first, then ``engine_nodes``."""
        return [self.engine_url, *(u.strip() for u in self.engine_nodes.split(",") if u.strip())]

    @property
    def documents_alias(self) -> str:
        return f"{self.index_prefix}-documents"

    @property
    def batches_alias(self) -> str:
        return f"{self.index_prefix}-batches"

    @property
    def files_alias(self) -> str:
        return f"{self.index_prefix}-files"

    @property
    def accounts_alias(self) -> str:
        return f"{self.index_prefix}-accounts"

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def trusted_hosts(self) -> list[str]:
        """``allowed_hosts`` and the address the API binds to (an IPv6 address in brackets, as a Host names it)."""
        hosts = [h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()]
        own = f"[{self.api_host}]" if ":" in self.api_host else self.api_host.lower()
        return list(dict.fromkeys(hosts + [own]))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
