"""Watching Python's cycle collector while a call runs: which collections it started, and whether
it leaves a paused collector paused."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def collections_during(call: Callable[[], T]) -> tuple[T, list[int]]:
    """What `call` returns, and the generation of each collection started while it ran (counted
    from nothing: a collection first clears the counts)."""
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        return call(), started
    finally:
        gc.callbacks.remove(count)


def leaves_paused(call: Callable[[], object]) -> bool:
    """Whether the collector, paused before `call`, is still paused after it."""
    gc.disable()
    try:
        call()
        return not gc.isenabled()
    finally:
        gc.enable()
