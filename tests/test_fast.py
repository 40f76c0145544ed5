"""convlib.fast.conv2d against the plain layer (always) and PyTorch (where installed).

Every path of the fast package is forced at least once: one thread and several, whole-row
and part-of-a-row tiles, tiles of unequal sizes, space-to-depth and not, Winograd and not, and the
fallback to one thread when another thread holds OpenBLAS's thread count.
Timing is checked by benchmarks/bench_conv2d.py, never here; memory is
deterministic, so its bound is a test.
"""

import itertools
import os
import queue
import re
import threading
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib
from convlib import fast
from convlib.fast import columns
from convlib.fast import plan as planner
from convlib.fast.threads import POOL
from torch_oracle import torch_or_none

torch = torch_or_none()   # an extra oracle in every comparison, where installed

# Tolerances, relative to the largest output: float64 results agree with the plain layer to
# ~2e-16 (only the order of the sums differs); float32 ones, against the float64 plain layer,
# stayed below 6e-7 in every case here (measured once, by hand), so 1e-5 leaves a wide margin.
RTOL = {np.float64: 1e-12, np.float32: 1e-5}

# (stride, padding, dilation, groups): ints, pairs and strings, strides above, below and equal to the kernel
GEOMETRIES = [
    (1, 0, 1, 1), (1, 1, 1, 1), (2, 1, 1, 1), (3, 0, 1, 1), ((2, 3), (1, 2), 1, 1), (1, (0, 2), (2, 1), 1),
    (2, 2, 2, 1), (3, 1, 2, 1), (1, "same", 1, 1), (1, "same", (2, 3), 1), (1, "valid", 1, 1), ((1, 2), "valid", 1, 1),
    (1, 1, 1, 2), (2, 0, (1, 2), 2), (1, "same", 1, 4), (4, 2, 1, 4),
]


def tune(monkeypatch, **numbers):
    """Change some of the numbers the plan depends on, for one test."""
    monkeypatch.setattr(planner, "TUNING", planner.TUNING._replace(**numbers))


@pytest.fixture
def small_tiles(monkeypatch):
    """Force several threads and tiny tiles, so that every small layer takes the thread pool
    and cuts its output into tiles of unequal sizes, parts of rows included (without
    threadpoolctl, one thread does the same tiles)."""
    monkeypatch.setattr(POOL, "workers", lambda: 3)
    # the cache, not the memory bound, sets the tiles
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=1, cache_bytes=700, memory_factor=1e9)


@pytest.fixture
def blas_threads(monkeypatch):
    """Force the other way to use threads: one thread fills small tiles, BLAS multiplies with its own."""
    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=10**9, cache_bytes=350)


def _layer(c_in=4, c_out=6, groups=1, kernel=(3, 2), size=(9, 8), batch=2, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, c_in) + size).astype(dtype)
    weight = rng.standard_normal((c_out, c_in // groups) + kernel).astype(dtype)
    return x, weight, rng.standard_normal(c_out).astype(dtype)


def assert_same_layer(x, weight, bias=None, **kwargs):
    """fast.conv2d equals the plain layer computed in float64 (and PyTorch, where installed)."""
    actual = fast.conv2d(x, weight, bias, **kwargs)
    expected = convlib.conv2d(*(None if a is None else np.asarray(a, np.float64) for a in (x, weight, bias)), **kwargs)
    assert actual.dtype == np.result_type(x, weight, np.float32) and actual.shape == expected.shape
    scale = max(1.0, np.abs(expected).max())
    np.testing.assert_allclose(actual, expected, rtol=0, atol=RTOL[actual.dtype.type] * scale)
    if torch is not None and x.dtype == weight.dtype and np.ndim(x) == 4:
        as_tensor = lambda a: None if a is None else torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
        reference = torch.nn.functional.conv2d(as_tensor(x), as_tensor(weight), as_tensor(bias), **kwargs).numpy()
        np.testing.assert_allclose(actual, reference, rtol=0, atol=RTOL[actual.dtype.type] * scale * 10)


def _kwargs(stride, padding, dilation, groups):
    return dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # PyTorch notes its own copy
@pytest.mark.parametrize("stride, padding, dilation, groups", GEOMETRIES)
@pytest.mark.parametrize("kernel", [(3, 2), (1, 1), (3, 3), (5, 4)])
@pytest.mark.parametrize("threads", ["one thread", "small_tiles", "blas_threads"])
def test_fast_equals_the_plain_layer(stride, padding, dilation, groups, kernel, threads, request):
    if threads != "one thread":
        request.getfixturevalue(threads)
    x, weight, bias = _layer(groups=groups, c_out=8, kernel=kernel, size=(13, 11))
    try:
        convlib.conv2d(x, weight, bias, **_kwargs(stride, padding, dilation, groups))
    except ValueError:
        pytest.skip("the kernel does not fit this input")
    assert_same_layer(x, weight, bias, **_kwargs(stride, padding, dilation, groups))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("batched", [True, False])
def test_dtypes_bias_and_unbatched_input(dtype, with_bias, batched, small_tiles):
    x, weight, bias = _layer(groups=2, dtype=dtype)
    x = x if batched else x[1]
    bias = bias if with_bias else None
    assert_same_layer(x, weight, bias, stride=2, padding=1, groups=2)
    if not batched:
        np.testing.assert_array_equal(fast.conv2d(x, weight, bias, 2, 1, 1, 2),
                                      fast.conv2d(x[None], weight, bias, 2, 1, 1, 2)[0])


def test_integers_become_float64_and_float32_stays():
    assert fast.conv2d(np.ones((1, 4, 4), int), np.ones((1, 1, 2, 2), int)).dtype == np.float64
    assert fast.conv2d(np.ones((1, 4, 4), np.float32), np.ones((1, 1, 2, 2), np.float32)).dtype == np.float32


# The four layers of benchmarks/bench_conv2d.py, smaller: a ResNet stage, one large image,
# AlexNet's 11x11 stride-4 layer, a 5x5 filter on one grey image (single channel).
BENCHMARK_LAYERS = {
    "resnet": ((2, 16, 14, 14), (16, 16, 3, 3), {"padding": 1}),
    "image224": ((1, 8, 56, 56), (8, 8, 3, 3), {"padding": 1}),
    "alexnet": ((1, 3, 59, 59), (24, 3, 11, 11), {"stride": 4}),
    "grey5x5": ((1, 1, 64, 64), (1, 1, 5, 5), {"padding": 2}),
}


@pytest.mark.parametrize("name", BENCHMARK_LAYERS)
@pytest.mark.parametrize("threads", ["as configured", "small_tiles", "blas_threads"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_benchmark_layers_at_reduced_size(name, threads, dtype, request):
    if threads != "as configured":
        request.getfixturevalue(threads)
    x_shape, w_shape, kwargs = BENCHMARK_LAYERS[name]
    rng = np.random.default_rng(1)
    x, weight = rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(w_shape).astype(dtype)
    assert_same_layer(x, weight, rng.standard_normal(w_shape[0]).astype(dtype), **kwargs)


@pytest.mark.parametrize("name", BENCHMARK_LAYERS)
def test_benchmark_layers_match_torch(name):
    """The same layers against PyTorch alone (skipped without it, unless CONVLIB_REQUIRE_TORCH is set)."""
    if torch is None:
        pytest.importorskip("torch", reason="PyTorch is optional; install the CPU build to run these")
    x_shape, w_shape, kwargs = BENCHMARK_LAYERS[name]
    rng = np.random.default_rng(3)
    x, weight = rng.standard_normal(x_shape, dtype=np.float32), rng.standard_normal(w_shape, dtype=np.float32)
    expected = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(weight), **kwargs).numpy()
    np.testing.assert_allclose(fast.conv2d(x, weight, **kwargs), expected, rtol=0,
                               atol=RTOL[np.float32] * 10 * np.abs(expected).max())


@pytest.mark.parametrize("c_in, c_out, groups", [(1, 1, 1), (1, 5, 1), (32, 1, 1), (48, 64, 1), (64, 64, 64), (24, 36, 3)])
def test_single_and_many_channels(c_in, c_out, groups, small_tiles):
    x, weight, bias = _layer(c_in=c_in, c_out=c_out, groups=groups, kernel=(3, 3), size=(10, 12), batch=1)
    assert_same_layer(x, weight, bias, padding=1, groups=groups)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(size=st.tuples(st.integers(1, 12), st.integers(1, 12)), kernel=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       stride=st.tuples(st.integers(1, 5), st.integers(1, 5)), dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       padding=st.tuples(st.integers(0, 3), st.integers(0, 3)), groups=st.sampled_from([1, 2]),
       cache=st.sampled_from([64, 500, 4000, 1 << 20]), workers=st.integers(1, 3), pool=st.booleans())
def test_any_geometry_any_tiling(size, kernel, stride, dilation, padding, groups, cache, workers, pool):
    """Random sizes, kernels, strides, dilations, padding, tile sizes, thread counts and ways to use them."""
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(n + 2 * p < s for n, p, s in zip(size, padding, spans)):
        return                                            # the kernel does not fit: an error, tested elsewhere
    x, weight, bias = _layer(c_in=2, c_out=4, groups=groups, kernel=kernel, size=size)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(POOL, "workers", lambda: workers)
        tune(patch, cache_bytes=cache, min_flops_per_thread=1, min_tiles_per_thread=1 if pool else 10**9)
        assert_same_layer(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)


def _winograd_plan(x, weight, **kwargs):
    g = convlib.layer_geometry(x.shape[-2:], weight.shape[2:], **{k: v for k, v in kwargs.items() if k != "groups"})
    batch_shape = x.shape if x.ndim == 4 else (1, *x.shape)
    return planner.plan_tiles(batch_shape, weight.shape, x.itemsize, g, POOL.workers(), planner.TUNING)


@pytest.fixture
def winograd(monkeypatch):
    """One thread, Winograd for any number of channels, and tiles of 2 to 4 rows."""
    monkeypatch.setattr(POOL, "workers", lambda: 1)
    tune(monkeypatch, min_winograd_channels=1, cache_bytes=12000, memory_factor=1e9)


@pytest.mark.parametrize("size, padding, groups", [
    ((10, 12), 1, 1), ((12, 10), 0, 1), ((8, 8), 2, 2), ((10, 12), (0, 1), 1), ((6, 14), "same", 4), ((4, 2), (0, 1), 1),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("with_bias, batched", [(True, True), (False, True), (True, False)])
def test_winograd_equals_the_plain_layer(size, padding, groups, dtype, with_bias, batched, winograd):
    x, weight, bias = _layer(c_in=4, c_out=8, groups=groups, kernel=(3, 3), size=size, dtype=dtype)
    x, bias = (x if batched else x[0]), (bias if with_bias else None)
    plan = _winograd_plan(x, weight, padding=padding, groups=groups)
    assert plan.winograd and (len(plan.rows) > 1 or size == (4, 2))
    assert_same_layer(x, weight, bias, padding=padding, groups=groups)


@pytest.mark.parametrize("c_in, size, kwargs", [
    (4, (9, 12), {"padding": 1}),                     # an odd number of output rows
    (4, (12, 12), {"padding": 1, "stride": 2}),
    (4, (12, 12), {"padding": 2, "dilation": 2}),
    (4, (12, 12), {"padding": 1, "groups": 4}),       # one channel per group: too few
])
def test_winograd_only_where_it_applies(c_in, size, kwargs, winograd, monkeypatch):
    x, weight, _ = _layer(c_in=c_in, c_out=8, groups=kwargs.get("groups", 1), kernel=(3, 3), size=size)
    tune(monkeypatch, min_winograd_channels=2)
    assert not _winograd_plan(x, weight, **kwargs).winograd
    assert_same_layer(x, weight, **kwargs)


def test_winograd_on_one_thread_only(winograd, monkeypatch):
    x, weight, bias = _layer(c_in=4, c_out=8, kernel=(3, 3), size=(16, 16))
    assert _winograd_plan(x, weight, padding=1).winograd
    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1)
    assert not _winograd_plan(x, weight, padding=1).winograd
    assert_same_layer(x, weight, bias, padding=1)


def test_tiles_cover_the_output_once():
    """Whole rows or parts of one row, each output position in exactly one tile, unequal sizes included."""
    g = convlib.layer_geometry((30, 17), (3, 3), stride=2, padding=1)
    for cache in (300, 4000, 30000, 1 << 20):
        plan = planner.plan_tiles((2, 3, 30, 17), (4, 3, 3, 3), 8, g, 3, planner.Tuning(cache, 1e9, 1, 1, 1))
        covered = np.zeros((15, 9), int)
        for rows, cols in itertools.product(plan.rows, plan.cols):
            covered[rows.start:rows.stop, cols.start:cols.stop] += 1
            assert rows.stop - rows.start == 1 or (cols.start, cols.stop) == (0, 9)
        np.testing.assert_array_equal(covered, 1)

    def shapes(cache):
        plan = planner.plan_tiles((2, 3, 30, 17), (4, 3, 3, 3), 8, g, 3, planner.Tuning(cache, 1e9, 1, 1, 1))
        return {(r.stop - r.start, c.stop - c.start) for r, c in itertools.product(plan.rows, plan.cols)}

    assert shapes(4000) == {(1, 4), (1, 5)}                  # parts of rows, of two sizes
    assert shapes(30000) == {(5, 9)}                         # whole rows: 6 tiles, 2 per thread


def test_threads_share_the_tiles(monkeypatch):
    """Several threads run, BLAS is held to one thread while they do, and given back after."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=1)
    seen, make_work = [], columns.worker

    def worker(*args):
        work = make_work(*args)

        def counted(queue):
            seen.append((threading.current_thread().name, POOL.blas_threads()))
            return work(queue)
        return counted

    monkeypatch.setattr(columns, "worker", worker)
    x, weight, bias = _layer(c_in=8, c_out=8, size=(40, 40))
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        assert_same_layer(x, weight, bias, padding=1)
        assert POOL.blas_threads() == 2                   # given back
    assert len({name for name, _ in seen}) == 2            # this thread and one from the pool
    assert {blas for _, blas in seen} == {1}              # BLAS held to one thread meanwhile


def test_few_tiles_one_thread_fills_blas_multiplies(blas_threads):
    """Few tiles: this thread fills them all, and BLAS may use its threads for each multiply."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    seen, make_work = [], columns.worker

    def worker(*args):
        work = make_work(*args)
        return lambda queue: (seen.append((threading.current_thread().name, POOL.blas_threads())), work(queue))

    fast_worker = worker
    with pytest.MonkeyPatch.context() as patch, threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        patch.setattr(columns, "worker", fast_worker)
        assert_same_layer(*_layer(), padding=1)
    assert seen == [(threading.current_thread().name, 2)]


def test_one_thread_when_another_thread_controls_openblas(monkeypatch):
    """threadpoolctl lets only one Python thread set OpenBLAS's threads; if the limit did not
    take, conv2d works in the calling thread alone."""
    pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=1)
    monkeypatch.setattr(POOL, "blas_threads", lambda: 2)
    names, make_work = set(), columns.worker
    monkeypatch.setattr(columns, "worker", lambda *args: lambda queue: (names.add(threading.current_thread().name),
                                                                      make_work(*args)(queue)))
    assert_same_layer(*_layer(), padding=1)
    assert names == {threading.current_thread().name}


def test_without_threadpoolctl_one_thread(monkeypatch):
    monkeypatch.setattr(POOL, "blas", lambda: None)
    assert POOL.workers() == 1
    assert_same_layer(*_layer(), padding=1)


def test_no_silent_fallback_to_the_plain_layer(monkeypatch):
    """As SciPy's tests do for its FFT path: break the plain layer, and check that fast still
    computes every tile itself."""
    x, weight, bias = _layer(c_in=6, c_out=4, size=(20, 18))
    expected = convlib.conv2d(x, weight, bias, stride=2, padding=1)

    def broken(*args, **kwargs):
        raise AssertionError("fast.conv2d fell back to the plain layer")

    for module, name in [(convlib, "conv2d"), (convlib.layer, "conv2d"), (convlib.layer, "unfold"),
                         (convlib.internal, "unfold"), (convlib.internal, "pad_batch"), (convlib.flattening, "unfold"),
                         (convlib, "im2col")]:
        monkeypatch.setattr(module, name, broken)
    tiles, make_work = [], columns.worker

    def worker(batch, w_rows, bias, out, g, plan):
        tiles.append(plan.images * len(plan.rows) * len(plan.cols))
        return make_work(batch, w_rows, bias, out, g, plan)

    monkeypatch.setattr(columns, "worker", worker)
    np.testing.assert_allclose(fast.conv2d(x, weight, bias, stride=2, padding=1), expected, atol=1e-12)
    assert tiles and tiles[0] >= 1


@pytest.mark.parametrize("x, weight, kwargs", [
    (np.ones((1, 4, 4)), np.ones((1, 1, 5, 5)), {}),
    (np.ones((1, 4, 4)), np.ones((1, 1, 2, 2)), {"padding": "same", "stride": 2}),
    (np.ones((3, 4, 4)), np.ones((2, 3, 2, 2)), {"groups": 2}),
    (np.ones((2, 4, 4)), np.ones((1, 2, 2, 2)), {"bias": [1.0, 2.0]}),
    (np.ones((4, 4)), np.ones((1, 1, 2, 2)), {}),
])
def test_same_errors_as_the_plain_layer(x, weight, kwargs):
    with pytest.raises((ValueError, TypeError)) as plain:
        convlib.conv2d(x, weight, **kwargs)
    with pytest.raises(plain.type, match=re.escape(str(plain.value))):
        fast.conv2d(x, weight, **kwargs)


def test_inputs_whose_columns_would_not_fit(monkeypatch):
    """fast never holds all of X_col: it takes inputs whose columns exceed convlib's memory limit."""
    x, weight, bias = _layer(c_in=16, c_out=2, kernel=(3, 3), size=(40, 40))
    expected = convlib.conv2d(x, weight, bias, padding=1)
    monkeypatch.setattr(convlib.validation, "MEMORY_LIMIT", 1_000_000)   # X_col 3.7 MB, input 0.45 MB, output 51 kB
    with pytest.raises(ValueError, match="the im2col matrix X_col would need 3.7 MB"):
        convlib.conv2d(x, weight, bias, padding=1)
    np.testing.assert_allclose(fast.conv2d(x, weight, bias, padding=1), expected, atol=1e-12)
    monkeypatch.setattr(convlib.validation, "MEMORY_LIMIT", 20_000)
    with pytest.raises(ValueError, match="the output would need 51200 bytes"):
        fast.conv2d(x, weight, bias, padding=1)


def _extra_memory(call):
    """Peak bytes allocated during call() beyond its result, the plan's cache emptied first."""
    planner.plan_tiles.cache_clear()
    tracemalloc.start()
    try:
        result = call()
        return tracemalloc.get_traced_memory()[1] - result.nbytes, result.nbytes
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("x_shape, w_shape, kwargs", [
    ((2, 16, 64, 64), (32, 16, 3, 3), {"padding": 1}),         # columns 4.5x the output in the plain layer
    ((2, 16, 128, 128), (32, 16, 3, 3), {"padding": 1}),       # four times the input: the same bound
    ((1, 3, 227, 227), (32, 3, 11, 11), {"stride": 4}),        # space-to-depth: slab and phase planes
    ((1, 256, 96, 96), (4, 256, 3, 3), {"padding": 1}),        # few outputs, long columns: parts of rows
])
@pytest.mark.parametrize("workers, min_tiles", [(1, 1), (2, 1), (2, 10**9)])
def test_extra_memory_is_at_most_twice_the_output(x_shape, w_shape, kwargs, workers, min_tiles, monkeypatch):
    if workers > 1:
        pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(POOL, "workers", lambda: workers)
    tune(monkeypatch, min_tiles_per_thread=min_tiles)   # 1: a pool of threads; 10**9: BLAS's threads
    rng = np.random.default_rng(2)
    x, weight = rng.standard_normal(x_shape, dtype=np.float32), rng.standard_normal(w_shape, dtype=np.float32)
    extra, out_bytes = _extra_memory(lambda: fast.conv2d(x, weight, **kwargs))
    assert extra <= planner.TUNING.memory_factor * out_bytes, f"{extra / out_bytes:.2f}x the output"
    plain, _ = _extra_memory(lambda: convlib.conv2d(x, weight, **kwargs))
    assert plain > 2 * out_bytes                              # the test can tell the two apart


def _conv_in_child(x, weight, results):
    results.put(fast.conv2d(x, weight, padding=1))


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="fork is POSIX only")
def test_a_forked_child_computes_the_layer_after_the_parent_used_its_threads(monkeypatch):
    """The pool's threads are not copied by fork: the child must start its own, not wait for them."""
    pytest.importorskip("threadpoolctl")
    import multiprocessing

    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=1)
    x, weight, _ = _layer(c_in=8, c_out=8, size=(40, 40))
    expected = fast.conv2d(x, weight, padding=1)                 # the parent's helper threads now exist
    assert POOL._executor is not None
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_conv_in_child, args=(x, weight, results))
    child.start()
    try:
        result = results.get(timeout=60)   # read before joining: a child waits until its queue is drained
    except queue.Empty:
        result = None
    child.join(timeout=10)
    if child.is_alive():
        child.kill()
    assert result is not None, "fast.conv2d hung in a forked child"
    assert child.exitcode == 0
    np.testing.assert_array_equal(result, expected)


def test_several_threads_at_once_get_the_same_results(small_tiles):
    """Calls from several threads take turns for the pool and the BLAS limit; every result is right."""
    import concurrent.futures

    layers = [_layer(c_in=4, c_out=6, size=(15 + i, 13), seed=i) for i in range(6)]
    expected = [convlib.conv2d(x, w, b, padding=1) for x, w, b in layers]
    with concurrent.futures.ThreadPoolExecutor(4) as callers:
        results = list(callers.map(lambda layer: fast.conv2d(*layer, padding=1), layers * 3))
    for result, reference in zip(results, expected * 3):
        np.testing.assert_allclose(result, reference, atol=1e-12)


def test_blas_threads_are_given_back_even_when_a_tile_fails(monkeypatch):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(POOL, "workers", lambda: 2)
    tune(monkeypatch, min_flops_per_thread=1, min_tiles_per_thread=1)

    def failing(*args):
        def work(queue):
            raise RuntimeError("a tile failed")
        return work

    monkeypatch.setattr(columns, "worker", failing)
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        with pytest.raises(RuntimeError, match="a tile failed"):
            fast.conv2d(*_layer(c_in=8, c_out=8, size=(40, 40)), padding=1)
        assert POOL.blas_threads() == 2
    monkeypatch.undo()
    assert_same_layer(*_layer(), padding=1)                      # and the lock was released


@pytest.mark.parametrize("stride, needed", [((1, 3 * 10**7), "2.2 GB"), ((1, 10**9), "72.0 GB")])
def test_a_stride_wider_than_the_image_is_refused_before_its_buffers_are_allocated(stride, needed):
    """Each tile's slab spans whole strides: a huge stride would make it huge, so conv2d counts first."""
    with pytest.raises(ValueError, match=rf"the output and the tiles' buffers would need {needed} .*memory limit"):
        fast.conv2d(np.ones((1, 3, 24, 24)), np.ones((2, 3, 3, 3)), stride=stride)


@pytest.mark.parametrize("x_shape, w_shape, kwargs, winograd", [
    ((2, 16, 64, 64), (32, 16, 3, 3), {"padding": 1}, True),
    ((2, 8, 64, 64), (32, 8, 3, 3), {"padding": 1}, False),       # too few channels for Winograd
    ((1, 3, 227, 227), (32, 3, 11, 11), {"stride": 4}, False),     # space-to-depth: slab and phase planes
    ((1, 256, 96, 96), (4, 256, 3, 3), {"padding": 1}, False),     # parts of rows
    ((1, 16, 32, 32), (16, 16, 3, 3), {"padding": 1}, True),
])
def test_the_memory_estimate_bounds_what_is_allocated(x_shape, w_shape, kwargs, winograd, monkeypatch):
    """conv2d refuses by an estimate: it must cover every buffer the chosen path really allocates."""
    monkeypatch.setattr(POOL, "workers", lambda: 1)
    rng = np.random.default_rng(5)
    x, weight = rng.standard_normal(x_shape, dtype=np.float32), rng.standard_normal(w_shape, dtype=np.float32)
    g = convlib.layer_geometry(x_shape[2:], w_shape[2:], **kwargs)
    tiles = planner.plan_tiles(x_shape, w_shape, 4, g, 1, planner.TUNING)
    assert tiles.winograd == winograd
    estimate = 4 * planner.buffer_elements(tiles, w_shape)
    extra, _ = _extra_memory(lambda: fast.conv2d(x, weight, **kwargs))
    assert extra <= estimate + 100_000, f"{extra} bytes allocated, {estimate} estimated"   # + Python's small objects
    out_bytes = 4 * x_shape[0] * w_shape[0] * np.prod(g.output_size)
    monkeypatch.setattr(convlib.validation, "MEMORY_LIMIT", out_bytes + estimate - 1)
    with pytest.raises(ValueError, match="the output and the tiles' buffers would need"):
        fast.conv2d(x, weight, **kwargs)
