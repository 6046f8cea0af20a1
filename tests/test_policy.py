"""One source of policy: the defaults, thresholds and names come from the core, and reach Python as
typed objects."""

from __future__ import annotations

import pytest

from fingerprint import Document, Index, Thresholds, _core
from fingerprint._core import Policy
from fingerprint.alignment import COPY_VERDICTS, Relation, Verdict
from fingerprint.document import REPEATED_THRESHOLD


def test_the_python_defaults_are_the_cores() -> None:
    core = Policy()
    index = Index()
    assert (index.policy.boilerplate_min, index.boilerplate_min) == (core.boilerplate_min,) * 2
    assert index.min_containment == core.min_containment
    assert index.max_candidates == core.max_candidates
    assert index.max_postings == core.max_postings
    thresholds = Thresholds()
    for name in ("pair", "near_duplicate", "same", "contains", "partial", "repeated"):
        assert getattr(thresholds, name) == getattr(core, name), name
    assert core.repeated == REPEATED_THRESHOLD


def test_an_index_passes_its_parameters_to_the_core() -> None:
    index = Index(boilerplate_min=5, max_postings=7, thresholds=Thresholds(same=0.9))
    policy = index._core.policy
    assert (policy.boilerplate_min, policy.max_postings, policy.same) == (5, 7, 0.9)


def test_verdicts_and_relations_are_the_cores_names() -> None:
    assert [v.value for v in Verdict] == _core.VERDICTS
    assert [r.value for r in Relation] == _core.RELATIONS
    assert Verdict.SAME_ARTICLE == "same_article" and Relation.NEAR_DUPLICATE == "near-duplicate"
    assert sorted(COPY_VERDICTS) == sorted(_core.COPY_VERDICTS)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"boilerplate_min": 0}, "boilerplate_min (0) must be a positive integer"),
        ({"max_postings": 2.5}, "max_postings (2.5) must be a positive integer"),
        ({"max_candidates": True}, "max_candidates (True) must be a positive integer"),
        ({"min_containment": 0}, "min_containment (0) must be in (0, 1]"),
        ({"same": 1.5}, "same (1.5) must be in (0, 1]"),
        ({"pair": "half"}, "pair ('half') must be in (0, 1]"),
    ],
)
def test_a_wrong_parameter_is_named_with_its_value(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError) as error:
        Policy(**arguments)
    assert str(error.value) == message


def test_the_matches_say_which_make_one_story_and_which_name_the_origin() -> None:
    index = Index()
    wire = "The storm hit the coast on Monday night.\n\nThousands of homes lost power overnight."
    index.add(_document(wire, "wire"))
    report = index.add(_document(wire.split("\n\n")[0], "copy"))
    assert [(m.doc_id, m.verdict) for m in report.matches] == [("wire", Verdict.B_CONTAINS_A)]
    assert report.origin_links == ("wire",) and report.origin == "wire"
    found = index._core.examine(_document(wire, "again").sketch, _core.NO_SOURCE)
    assert [m.same_story for m in found.matches] == [True, True]
    assert found.origin_links == [0, 1]


def _document(text: str, doc_id: str) -> Document:
    return Document.from_text(text, doc_id=doc_id)


def test_a_policy_as_a_dict_names_every_keyword_and_makes_the_same_policy():
    from fingerprint._core import Policy

    asked = Policy(boilerplate_min=5, min_containment=0.3, same=0.9)
    parameters = asked.to_dict()
    assert (parameters["boilerplate_min"], parameters["min_containment"]) == (5, 0.3)
    assert Policy(**parameters).to_dict() == parameters
    assert len(parameters) == 12
