"""Shared test settings: hypothesis profiles, chosen by HYPOTHESIS_PROFILE ("ci" by default)."""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One redis-server for the session; each test takes its own namespace (`shared_url`)."""
    from redis_server import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def shared_index(redis_server, request):
    """Index arguments for a fresh shared index: the server's URL and a namespace of the test's."""
    import re

    namespace = re.sub(r"[^A-Za-z0-9_.-]", "-", request.node.name)[:90]
    redis_server.client().flushdb()
    return {"path": redis_server.url, "namespace": namespace}
