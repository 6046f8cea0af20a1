"""The summary the commands print after the JSON lines: clusters of copies and their origins."""

from __future__ import annotations

from test_index import LOCAL, STORY, doc, join

from fingerprint import Index
from fingerprint.summary import Cluster, Summary

NOVEL = "Volunteers painted the station walls over the weekend in colours chosen by pupils."


def test_a_cluster_s_origin_is_the_oldest_its_documents_were_given() -> None:
    index, summary = Index(), Summary("added")
    documents = [
        doc(join(*STORY), "wire", published="2024-03-01"),
        # One wire paragraph among its own: the wire story is its origin.
        doc(join(STORY[0], *LOCAL, NOVEL), "paper", published="2024-03-02"),
        # A copy of the paper's own paragraphs: the paper is its origin.
        doc(join(*LOCAL, NOVEL), "blog", published="2024-03-03"),
    ]
    origins = []
    for document in documents:
        report = index.add(document)
        origins.append(report.origin)
        summary.count(document, report)
    assert origins == [None, "wire", "paper"]
    assert summary.clusters() == [Cluster(origin="wire", copies=["paper", "blog"])]
