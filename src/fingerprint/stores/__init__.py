"""Where an index lives beyond one process: `sqlite` keeps it durable on disk, `redis` shares it
between processes on many machines. Each keeps the documents' records; the index in memory is a
replica that a store brings up to date through a `Replica`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from fingerprint._core import Policy, Recipe

#: The URL schemes of a shared index (a Redis server); any other path is a SQLite database.
SCHEMES = ("redis://", "rediss://", "unix://")

#: A stored document as an index loads it: ``((doc_id, source, published), sketch, evidence,
#: copies)``, the sketch in `DocumentSketch.to_bytes` form, one evidence byte (0 or 1) a block,
#: and the ids of the documents it joined as copies when it was added.
Row = tuple[tuple[str, str | None, datetime | None], bytes, bytes, list[str]]


@dataclass(frozen=True)
class Replica:
    """How a store updates the index in memory: ``load`` documents added elsewhere (in the order
    they were added), ``unload`` ids removed elsewhere, ``reset`` to empty before loading anew."""

    load: Callable[[list[Row]], None]
    unload: Callable[[Iterable[str]], None]
    reset: Callable[[], None]


def is_redis_url(path: object) -> bool:
    return isinstance(path, str) and path.startswith(SCHEMES)


def recipe_from_id(recipe_id: str) -> Recipe | None:
    """The recipe a stored id such as ``v1-k3-p128-s1`` names, or None when it names none."""
    import re  # here: `fingerprint compare` starts without it

    found = re.fullmatch(r"v(\d+)-k(\d+)-p(\d+)-s(\d+)", recipe_id)
    if not found:
        return None
    version, shingle_size, num_perm, seed = map(int, found.groups())
    try:
        return Recipe(shingle_size, num_perm, seed, version=version)
    except ValueError:
        return None


def policy_id(policy: Policy) -> str:
    """A policy as a store keeps and compares it: its parameters in JSON, in a fixed order."""
    import json  # here: `fingerprint compare` starts without it

    return json.dumps(policy.to_dict())
