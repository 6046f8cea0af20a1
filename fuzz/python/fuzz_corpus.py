"""atheris: a JSON lines corpus (``fingerprint.corpus.Corpus``) from a file of arbitrary bytes.

Read twice: stopping at the first bad record (which must be an ``InputError``), and skipping
bad records as ``--skip-bad`` does (which must then raise nothing at all).
"""

from __future__ import annotations

from _harness import DOCUMENTED, run, temp_file

from fingerprint.corpus import BadRecord, Corpus
from fingerprint.errors import InputError

ENCODINGS = [None, None, None, "utf-8", "cp1252", "latin-1"]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    encoding = ENCODINGS[data[0] % len(ENCODINGS)]
    path = temp_file(data[1:], "corpus.jsonl")
    try:
        corpus = Corpus(str(path), encoding)
    except DOCUMENTED:
        return
    try:
        for _record in corpus.records():
            pass
    except InputError:
        pass
    bad: list[BadRecord] = []
    for record in Corpus(str(path), encoding).records(bad.append):
        assert record.document is not None
    for error in bad:
        assert "\n" not in str(error), repr(str(error))


if __name__ == "__main__":
    run(test_one_input)
