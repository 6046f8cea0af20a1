"""The stages of `pipeline.py` run in this process, on lists of Arrow tables: the engine the
tests check the stages with (against the in-process index), and a reference for the others.
``partitions`` rows of a key go to one call, as a distributed engine's partitions would."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

Tables = list[pa.Table]


class LocalEngine:
    def __init__(self, partitions: int = 3, rows_per_table: int = 7) -> None:
        self.partitions = partitions
        self.rows_per_table = rows_per_table

    def map(self, data: Tables, fn: Callable[[pa.Table], pa.Table]) -> Tables:
        return [fn(table) for table in data]

    def pool(self, data: Tables, fn: Callable[[pa.Table], pa.Table]) -> Tables:
        return self.map(data, fn)

    def shuffle(self, data: Tables, keys: list[str], fn: Callable[[pa.Table], pa.Table]) -> Tables:
        """Every row of a key in one call: rows hashed by their keys into ``partitions``."""
        table = pa.concat_tables(data, promote_options="default")
        if table.num_rows == 0:
            return [fn(table)]
        values = zip(*(table.column(k).to_pylist() for k in keys), strict=True)
        parts = pa.array([hash(v) % self.partitions for v in values], pa.int64())
        return [fn(table.filter(pc.equal(parts, p))) for p in range(self.partitions)]

    def shuffle_in_order(self, data: Tables, fn: Callable[[pa.Table], pa.Table]) -> Tables:
        """``shuffle`` by ``seq``, its tables' rows then put in ``seq`` order."""
        shuffled = pa.concat_tables(self.shuffle(data, ["seq"], fn), promote_options="default")
        return self.split(shuffled.sort_by("seq"))

    def union(self, *data: Tables) -> Tables:
        return [table for tables in data for table in tables]

    def keep(self, data: Tables) -> Tables:
        return data

    def ordered(self, data: Tables) -> Iterator[pa.Table]:
        return iter(data)

    def split(self, table: pa.Table) -> Tables:
        """A table as several, as a distributed engine's blocks would be."""
        n = self.rows_per_table
        return [table.slice(i, n) for i in range(0, max(table.num_rows, 1), n)]
