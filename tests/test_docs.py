"""Every example in the public docstrings runs, and `import fingerprint` stays light."""

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

import fingerprint

PUBLIC = [getattr(fingerprint, name) for name in fingerprint.__all__ if name != "__version__"]


@pytest.mark.parametrize("obj", PUBLIC, ids=lambda o: o.__name__)
def test_docstring_examples_run(obj):
    assert obj.__doc__, f"{obj.__name__} has no docstring"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    names = {name: getattr(fingerprint, name) for name in fingerprint.__all__}
    test = parser.get_doctest(
        obj.__doc__, {"fingerprint": fingerprint, **names}, obj.__name__, None, 0
    )
    assert test.examples, f"{obj.__name__} has no example"
    result = runner.run(test)
    assert result.failed == 0


def test_stubs_match_the_compiled_module():
    """stubtest (from mypy) checks _core.pyi against what the compiled module really has."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "fingerprint._core", "--ignore-disjoint-bases"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_is_light():
    code = "import json, sys, fingerprint; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = {name.split(".")[0] for name in json.loads(run.stdout)}
    heavy = {"datasketch", "scipy", "pandas", "hypothesis", "xxhash", "rensa", "click", "rich"}
    heavy |= {"ray", "pyarrow", "msgpack"}  # the batch engine's, imported only by its module
    assert not modules & heavy


def test_readme_example_runs():
    readme = Path(__file__).resolve().parents[1] / "README.md"
    result = doctest.testfile(str(readme), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
