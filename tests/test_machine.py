"""convlib.machine: the CPU a timing ran on, and the L2 cache the fast layer sizes its tiles for."""

import os
import platform

import pytest

import convlib


def test_the_description_names_the_cores_and_the_system():
    described = convlib.machine.description()
    assert described.endswith(f", {os.cpu_count()} cores, {platform.system()}") and len(described) > 20


def test_the_cpu_model_comes_from_proc_cpuinfo_where_linux_has_it(monkeypatch, tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Example CPU 9000\n")
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *a, **k: real_open(info if path == "/proc/cpuinfo" else path, *a, **k))
    assert convlib.machine.description().startswith("Example CPU 9000, ")


@pytest.mark.parametrize("sysconf, expected", [(lambda name: 2 << 20, 2 << 20), (lambda name: 0, 1 << 20),
                                               (lambda name: -1, 1 << 20)])
def test_cache_size_from_the_os_or_a_default(sysconf, expected, monkeypatch):
    monkeypatch.setattr(os, "sysconf", sysconf)
    assert convlib.machine.l2_cache_bytes() == expected


def test_cache_size_where_the_os_does_not_tell(monkeypatch):
    def unknown(name):
        raise ValueError(f"unrecognized configuration name {name!r}")

    monkeypatch.setattr(os, "sysconf", unknown)
    assert convlib.machine.l2_cache_bytes() == 1 << 20
