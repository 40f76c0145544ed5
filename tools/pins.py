"""Rewrite constraints.txt from the installed test environment (`make pins`).

The file pins every package of the tested set, so that `make`, CI and Binder
install one set of versions. PyTorch is left out: it is an optional oracle.
"""

import pathlib
import subprocess
import sys

HEADER = """\
# The one set of versions the course is tested with (pip freeze of the test environment).
# Used by `make`, `.ci/run` and Binder (binder/postBuild). Tested on Python 3.11;
# on Python 3.10 (numpy 2.4 needs 3.11) pip picks compatible versions instead.
# Regenerate with `make pins` after changing pyproject.toml.
"""
OPTIONAL = ("torch==",)


def main():
    """Write constraints.txt: every installed package pinned, except the optional ones (PyTorch)."""
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                            check=True, capture_output=True, text=True).stdout.split()
    pins = [f'{line} ; python_version >= "3.11"' for line in frozen if not line.startswith(OPTIONAL)]
    path = pathlib.Path(__file__).resolve().parent.parent / "constraints.txt"
    path.write_text(HEADER + "\n".join(pins) + "\n")
    print(f"wrote {len(pins)} pins to {path}")


if __name__ == "__main__":
    main()
