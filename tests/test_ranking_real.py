"""Ranking and thresholds on real corpora with a truth (benchmarks/retrieval.py measures them all):
the index ranks as well as brute force, and its default thresholds keep the top match right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from shared_data import DATA, require

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import retrieval
import retrieval_tasks

TASKS = {
    "meter": ("meter/meter_docs.jsonl", retrieval_tasks.meter),
    "msrp": ("msrp/msr_paraphrase_train.txt", retrieval_tasks.msrp),
    "clough": ("clough_stevenson_reuse/data/file_information.csv", retrieval_tasks.clough),
}


@pytest.fixture(scope="module", params=sorted(TASKS))
def measured(request) -> dict:
    path, make = TASKS[request.param]
    require(path)
    return retrieval.measure(make(DATA))


def test_the_index_ranks_as_well_as_brute_force(measured):
    better = max(measured["brute_force_containment"], measured["brute_force_jaccard"])
    assert measured["recall_at_1"] >= better - retrieval.RECALL_SLACK


def test_at_the_defaults_the_top_match_is_right(measured):
    assert measured["default_precision"] >= retrieval.PRECISION_TARGET
    assert measured["default_matched"] > 0.4, "and a good share of the queries get one"
