"""Fixtures that run docsearch on real parts, and the markers that say which parts a test needs.

The session starts (or reuses) the real OpenSearch node and Redis of
``docsearch services up``, then runs a stack of its own beside them
(``services.stack.private``): indices under a unique prefix, its own Redis
database, its own Celery worker and its own API process on a free port.
Nothing here is a mock.

Every test gets one marker, from what it uses: ``browser`` (under
``tests/browser/``), ``faults`` (``tests/test_faults.py``: kills its own
engine, Redis and workers), ``services`` (uses the ``services`` fixture, alone
or through one built on it such as ``live``), else ``unit``: pure, in seconds,
with nothing running (``pytest -m unit``).
"""

from __future__ import annotations

import os
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from docsearch.settings import Settings
from services import stack

# Two test sessions on one machine keep apart with their own prefix and Redis database.
TEST_PREFIX = os.environ.get("DOCSEARCH_TEST_PREFIX", "dstest")
TEST_REDIS_DB = int(os.environ.get("DOCSEARCH_TEST_REDIS_DB", "15"))
# Small limits, so that the over-limit fixtures stay small.
LIMITS = dict(worker_concurrency=2, max_file_mb=2, max_pages=40, address_sign_in_failures=10_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        path = Path(str(item.path))
        if path.is_relative_to(browser_dir):
            item.add_marker(pytest.mark.browser)
        elif path.name == "test_faults.py":
            item.add_marker(pytest.mark.faults)
        elif "services" in item.fixturenames:  # the closure: also fixtures built on it (live, strict, ...)
            item.add_marker(pytest.mark.services)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def services(base_settings: Settings) -> Settings:
    """The shared engine and Redis, started if they are not running."""
    stack.engine_up(base_settings)
    stack.redis_up(base_settings, stack.Paths.of(base_settings))
    return base_settings


def make_settings(base: Settings, data_dir: Path, **overrides) -> Settings:
    """A private stack's settings, with the tests' small limits."""
    return stack.private_settings(base, data_dir, prefix=TEST_PREFIX, redis_db=TEST_REDIS_DB, **(LIMITS | overrides))


def private_stack(base: Settings, data_dir: Path, **overrides):
    """``stack.private`` with the tests' prefix, Redis database and small limits."""
    return stack.private(base, data_dir, prefix=TEST_PREFIX, redis_db=TEST_REDIS_DB, **(LIMITS | overrides))


class Mailbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = stack.free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def mailbox():
    """The SMTP server the test stack's workers send notification e-mails to."""
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture(scope="session")
def live(services: Settings, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory):
    """A running test stack: own indices, Redis database, worker and API (e-mail to ``mailbox``)."""
    data = tmp_path_factory.mktemp("stack")
    with private_stack(services, data, import_root=data / "import", smtp_host="127.0.0.1",
                       smtp_port=mailbox.port) as running:
        yield running
