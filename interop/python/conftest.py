import os

import pytest

# The test provider is plain http on loopback; authlib refuses that unless told.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

from rp import start_env  # noqa: E402


@pytest.fixture(scope="session")
def op():
    """One running provider with the standard data set for the whole session."""
    env = start_env()
    try:
        yield env
    finally:
        env.provider.stop()
