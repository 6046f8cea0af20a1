"""Where the real corpora live (``../shared/data``), and a skip with a reason when they don't."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def require(relative: str) -> Path:
    """The path of a corpus file, or a skip saying which corpus is missing."""
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"real corpus not found at {path} (tests on real data need ../shared/data)")
    return path
