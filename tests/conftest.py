"""Session-wide services the tests bring up themselves."""
from __future__ import annotations

import contextlib
import os

import pytest


@pytest.fixture(scope="session")
def postgres_base():
    """The PostgreSQL database the archive tests use: $VANBAN_TEST_POSTGRES, or a throwaway server of our own.

    A missing server fails the tests that need it; it never skips them.
    """
    url = os.environ.get("VANBAN_TEST_POSTGRES")
    if url:
        yield url
        return
    from tests.pg_server import PostgresUnavailable, throwaway_postgres

    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_postgres())
        except PostgresUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        yield url
