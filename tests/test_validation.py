"""convlib.validation: memory checked before it is spent, and helpers that say what they received."""

import re

import numpy as np
import pytest

import convlib
from torch_oracle import torch_or_skip
from convlib import images, kernels, validation


@pytest.mark.parametrize("call, message", [
    (lambda: convlib.correlation_matrix((128, 128), np.ones((3, 3))), r"the weight matrix M would need 2\.1 GB"),
    (lambda: convlib.correlate(np.ones((120, 120)), np.ones((3, 3)), method="matrix"),
     r"the weight matrix M would need 1\.7 GB .* use method='windows' for images"),
    (lambda: convlib.correlate(images.portrait(), kernels.box_blur(), method="matrix"), r"would need 760\.5 GB"),
    (lambda: convlib.conv2d(np.ones((1, 8, 8)), np.ones((1, 1, 3, 3)), padding=10**6), r"the padded input would need"),
    (lambda: kernels.gaussian(100001), r"the kernel would need 80\.0 GB"),
    (lambda: convlib.im2col(np.ones((64, 512, 512)), 11), r"the im2col matrix X_col would need"),
    (lambda: convlib.correlate(np.ones(5), np.broadcast_to(1.0, 10**9 + 1), "full"), r"the input padded for mode='full' would need"),
])
def test_memory_is_checked_before_it_is_spent(call, message):
    with pytest.raises(ValueError, match=message + r".*convlib\.validation\.MEMORY_LIMIT"):
        call()


def test_the_memory_limit_can_be_raised(monkeypatch):
    monkeypatch.setattr(validation, "MEMORY_LIMIT", 4 * 2**30)
    validation.check_memory((16384, 16384), np.float64, "M", "")  # 2.1 GB: now allowed


@pytest.mark.parametrize("call, error, message", [
    (lambda: convlib.output_shape((2,), (5,), "valid"), ValueError, r"in 'valid' mode `kernel` must fit inside `x`"),
    (lambda: convlib.output_shape((4,), (3, 3), "full"), ValueError, r"`kernel_shape` must have 1 entries; got \(3, 3\)"),
    (lambda: convlib.correlation_matrix((5,), np.ones((3, 3))), ValueError, r"`kernel` must have 1 dimension; got 2"),
    (lambda: kernels.gaussian(5, sigma=float("inf")), ValueError, r"`sigma` must be a finite number > 0; got inf"),
    (lambda: kernels.gaussian(5, sigma="1"), TypeError, r"`sigma` must be a finite number > 0; got '1'"),
    (lambda: images.load_image(None), TypeError, r"`path` must be a file name .*; got None"),
    (lambda: convlib.correlate(None, [1]), TypeError, r"`x` must be an array of real numbers; got None"),
    (lambda: convlib.correlate({"a": 1}, [1]), TypeError, r"`x` must be an array of real numbers; got a dict"),
    (lambda: convlib.correlate((v for v in [1, 2]), [1]), TypeError, r"got a generator"),
    (lambda: convlib.conv2d(np.ones((1, 4, 4)), np.ones((1, 1, 2, 2)), padding=1.5), TypeError,
     r"`padding` must be an int, a pair of ints, 'valid' or 'same'; got 1\.5"),
])
def test_helpers_check_their_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_torch_tensor_that_requires_grad_is_accepted():
    torch = torch_or_skip()
    x = torch.ones(5, requires_grad=True)
    np.testing.assert_array_equal(convlib.correlate(x, [1, 1], "valid"), [2, 2, 2, 2])


# --- The memory sweep: every public callable, found from the modules' __all__ ---------------------

SWEEP_ADDRESS_SPACE = 3 * 2**29   # 1.5 GiB: a call that allocated what it refuses would fail here first
SWEEP_RESIDENT = 2**28            # what all the refused calls together may add to the process


def _public_callables():
    import importlib
    import pkgutil

    found = set()
    for package in ("convlib", "convlib.viz", "convlib.widgets"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            found.update(f"{module.__name__}.{name}" for name in getattr(module, "__all__", ())
                         if callable(getattr(module, name)) and module.__name__ != "convlib.internal")
    return found


def test_every_public_callable_is_swept_or_says_why_not():
    import memory_cases

    public = _public_callables()
    assert len(public) > 100
    assert not set(memory_cases.CASES) & set(memory_cases.EXEMPT)
    assert public - set(memory_cases.CASES) - set(memory_cases.EXEMPT) == set(), "add a case or a reason"
    assert set(memory_cases.CASES) | set(memory_cases.EXEMPT) <= public, "a case names no public callable"


def test_every_swept_call_refuses_before_allocating():
    import json
    import os
    import pathlib
    import subprocess
    import sys

    import memory_cases

    script = pathlib.Path(memory_cases.__file__)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, str(script), str(SWEEP_ADDRESS_SPACE)], capture_output=True, text=True,
                         env=env, cwd=script.parent, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.splitlines()[-1])
    # a case still running after 5 s is stopped and reported as a TimeoutError: refusing must be quick
    wrong = {name: r["outcome"] for name, r in report["results"].items()
             if not re.match(r"ValueError: .* would (need|take) ", r["outcome"])}
    assert not wrong, "\n".join(f"{name}: {outcome[:300]}" for name, outcome in sorted(wrong.items()))
    peak = max(r["peak"] for r in report["results"].values()) - report["baseline"]
    assert peak < SWEEP_RESIDENT, f"the refused calls added {peak / 2**20:.0f} MiB to the process"
