"""PyTorch, the optional second oracle: one way for every test file to ask for it.

CI sets CONVLIB_REQUIRE_TORCH, so that a missing PyTorch fails there instead of
skipping the comparisons silently.
"""

import os

import pytest


def torch_or_skip():
    """PyTorch, or a skip of the calling test (a failure where CONVLIB_REQUIRE_TORCH is set)."""
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch", reason="PyTorch is optional; install the CPU build to run these")


def torch_or_none():
    """PyTorch, or None where it is not installed (and CONVLIB_REQUIRE_TORCH is not set)."""
    try:
        return torch_or_skip()
    except pytest.skip.Exception:
        return None
