"""Shared test settings: hypothesis profiles, chosen by HYPOTHESIS_PROFILE ("ci" by default)."""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
