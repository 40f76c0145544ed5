"""One set of versions: Binder, conda and pyproject agree with constraints.txt."""

import pathlib
import re

import pytest

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[2]


def pins():
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            found[requirement.name.lower().replace("_", "-")] = version
    return found


def test_binder_pins_python_and_installs_exactly_the_constraints():
    assert re.search(r"^\s*- python=3\.11\s*$", (ROOT / "binder/environment.yml").read_text(), re.M)
    post_build = (ROOT / "binder/postBuild").read_text()
    assert "set -e" in post_build and "-c constraints.txt" in post_build


def test_conda_environment_uses_the_pinned_versions():
    listed = re.findall(r"^\s*- ([a-z0-9-]+)=([0-9.]+)\s*$", (ROOT / "environment.yml").read_text(), re.M)
    assert len(listed) >= 6
    constraints = pins()
    for name, version in listed:
        if name != "python":
            assert constraints[name] == version, f"environment.yml pins {name}={version}, constraints.txt {constraints[name]}"


def test_pyproject_requirements_are_satisfied_by_the_pins():
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+, where the pins apply")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    constraints = pins()
    for line in project["dependencies"] + extras["lab"] + extras["test"]:
        requirement = Requirement(line)
        name = requirement.name.lower()
        assert name in constraints, f"{name} is required but not pinned in constraints.txt"
        assert requirement.specifier.contains(constraints[name]), f"{name}=={constraints[name]} violates {requirement}"
