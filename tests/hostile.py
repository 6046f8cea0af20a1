"""Running the installed `fingerprint` command on hostile inputs, with its time and peak memory
measured, for the tests of docs/reliability.md."""

import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_runner import installed_script

# A safety net, not the bound a test asserts: a regression that reads without end fails with
# "not enough memory" instead of taking the machine's memory.
ADDRESS_SPACE = 2 << 30


@dataclass
class Run:
    """How a run of the command ended: its status, its output, its time and its peak memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def run_bounded(
    *args: str,
    seconds: float,
    stdin: str | None = None,
    stdout: str | None = None,
    shell_redirect: str = "",
    address_space: int = ADDRESS_SPACE,
) -> Run:
    """``fingerprint ARGS`` in a process of its own, killed after ``seconds``.

    ``stdin`` and ``stdout`` name files to read from and write to (``/dev/zero``, ``/dev/full``);
    ``shell_redirect`` is a redirection a shell applies first, such as ``<&-`` to start the
    command with standard input closed. ``address_space`` caps its memory, in bytes.
    """
    command = [installed_script(), *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$0" "$@" {shell_redirect}', *command]
    with (
        open(stdin or os.devnull, "rb") as given_in,
        open(stdout, "wb") if stdout else _temporary() as out,
        _temporary() as err,
    ):
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            stdin=given_in,
            stdout=out,
            stderr=err,
            preexec_fn=lambda: _limit_memory(address_space),
        )
        status, peak_kb = _wait(process, started + seconds)
        elapsed = time.monotonic() - started
        out_text = "" if stdout else _read(out)
        return Run(status, out_text, _read(err), elapsed, peak_kb / 1024)


def _wait(process: subprocess.Popen, deadline: float) -> tuple[int, int]:
    """The exit status and peak resident memory (KiB) of this one child. The peak is its
    memory's high-water mark, read while it runs: wait4's ru_maxrss also counts the pages of
    the test process it was forked from, which grow with the tests run before."""
    peak = 0
    while True:
        peak = max(peak, _high_water_kb(process.pid))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, peak or usage.ru_maxrss
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            process.returncode = -9
            pytest.fail(f"{process.args} ran past its time bound")
        time.sleep(0.005)


def _high_water_kb(pid: int) -> int:
    """``VmHWM`` of a running process (0 once it has exited or before it has memory)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _limit_memory(address_space: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))


def _temporary():
    import tempfile

    return tempfile.TemporaryFile()


def _read(file) -> str:
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)
