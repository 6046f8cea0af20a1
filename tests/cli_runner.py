"""Invoking the `fingerprint` command in-process, for the CLI tests."""

from click.testing import CliRunner, Result

from fingerprint.cli import main


def run(*args: str, input: str | None = None) -> Result:
    """The command's result for ``fingerprint ARGS``, standard input from ``input``."""
    return CliRunner().invoke(main, list(args), input=input)
