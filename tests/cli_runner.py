"""Invoking the `fingerprint` command, in-process or as the installed script, and its docs, for
the CLI tests."""

import sys
from pathlib import Path

from click.testing import CliRunner, Result

from fingerprint.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def run(*args: str, input: str | None = None) -> Result:
    """The command's result for ``fingerprint ARGS``, standard input from ``input``."""
    return CliRunner().invoke(main, list(args), input=input)


def docs() -> str:
    """docs/cli.md, which quotes the command's help and sessions."""
    return DOCS.read_text(encoding="utf-8")


def installed_script() -> str:
    """The console script installed next to this interpreter (a venv's or the system's bin)."""
    script = Path(sys.executable).with_name("fingerprint")
    assert script.exists(), f"the fingerprint console script is not installed at {script}"
    return str(script)
