"""atheris: ``fingerprint compare A B`` through click's CliRunner, on two files from the input.

The first byte picks the files' suffixes and ``--json``; the rest is cut at the first NUL into
file A and file B (halves without one). Exit 0, 1 (an error the data causes, one line) or 2
(wrong usage) are answers; an exception escaping the command is a crash.
"""

from __future__ import annotations

from _harness import environment, run, temp_file
from click.testing import CliRunner

from fingerprint.cli import main

SUFFIXES = [".txt", ".html", ".txt", ".md"]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    flags, body = data[0], data[1:]
    cut = body.find(b"\0")
    a, b = (
        (body[:cut], body[cut + 1 :])
        if cut >= 0
        else (body[: len(body) // 2], body[len(body) // 2 :])
    )
    path_a = temp_file(a, "a" + SUFFIXES[flags % 4])
    path_b = temp_file(b, "b" + SUFFIXES[(flags >> 2) % 4])
    args = ["compare", str(path_a), str(path_b)]
    if flags & 0x10:
        args.append("--json")
    if flags & 0x20:
        args.append("--color")
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    if result.exit_code == 1:
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output


if __name__ == "__main__":
    environment()
    run(test_one_input)
