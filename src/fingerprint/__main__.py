"""``python -m fingerprint``: the same command as ``fingerprint``."""

from fingerprint.cli import main

if __name__ == "__main__":
    main(prog_name="fingerprint")
