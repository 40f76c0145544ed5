"""Input checks shared by every public function of convlib.

Each check raises a ``ValueError`` or ``TypeError`` that names the argument,
says what is allowed and what was received, so that a learner who passes the
wrong thing reads a sentence instead of a NumPy traceback from deep inside the
package. Checks never use ``assert``: those vanish under ``python -O``.

Memory is checked before it is spent: a call whose result or intermediate
array would need more than ``MEMORY_LIMIT`` bytes (1 GiB by default, enough
for every notebook and small enough for a 2 GB Binder or JupyterHub pod)
raises a ``ValueError`` saying how much it would need and what to do instead.
Raise the limit, if your machine has the memory, with
``convlib.validation.MEMORY_LIMIT = 8 * 2**30``. The estimate counts every
array the chosen path makes (:func:`check_arrays`). Computations that grow as
N^2 or worse refuse, the same way, sizes that would take more than
``TIME_LIMIT`` seconds (:func:`check_time`).
"""

import numbers

import numpy as np

from .i18n import _

MEMORY_LIMIT = 2**30


def describe(value):
    """A short description of a received value for error messages.

    Examples
    --------
    >>> describe(None), describe({"a": 1}), describe(np.ones((2, 3)))
    ('None', 'a dict', 'an array of shape (2, 3) and dtype float64')
    >>> describe(x for x in [1])
    'a generator'
    """
    if value is None or isinstance(value, (bool, numbers.Number, str)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape} and dtype {dtype}").format(shape=value.shape, dtype=value.dtype)
    if isinstance(value, (tuple, list)) and len(repr(value)) <= 60:
        return f"{value!r} ({type(value).__name__})"
    kind = type(value).__name__
    return (_("an {type}") if kind[0] in "aeiou" else _("a {type}")).format(type=kind)


def as_array(value, name, ndim=None):
    """Return `value` as a real, numeric, non-empty NumPy array.

    Parameters
    ----------
    value : array_like
        What the caller passed.
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        The numbers of dimensions allowed.

    Examples
    --------
    >>> as_array([[1, 2], [3, 4]], "x", ndim=(1, 2)).shape
    (2, 2)
    >>> as_array([[1, 2], [3, 4]], "x", ndim=1)
    Traceback (most recent call last):
    ...
    ValueError: `x` must have 1 dimension; got 2 dimensions (shape (2, 2))
    >>> as_array(None, "kernel")
    Traceback (most recent call last):
    ...
    TypeError: `kernel` must be an array of real numbers; got None
    """
    array = _to_numpy(value, name)
    if array.dtype.kind not in "biuf":
        # i18n: error messages of convlib's functions; `{name}` is an argument's name in the code (not translated)
        raise TypeError(_("`{name}` must be an array of real numbers; got {values}").format(
            name=name, values=_describe_values(value, array)))
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = (_("{n} dimension") if allowed == (1,) else _("{n} dimensions")).format(
                n=_(" or ").join(str(n) for n in allowed))
            got = (_("{n} dimension") if array.ndim == 1 else _("{n} dimensions")).format(n=array.ndim)
            raise ValueError(_("`{name}` must have {wanted}; got {got} (shape {shape})").format(
                name=name, wanted=wanted, got=got, shape=array.shape))
    if array.size == 0:
        raise ValueError(_("`{name}` must not be empty; got shape {shape}").format(name=name, shape=array.shape))
    return array


def _to_numpy(value, name):
    if callable(getattr(value, "detach", None)):  # a PyTorch tensor
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError, RuntimeError) as error:  # ragged nested lists, for example
        raise TypeError(_("`{name}` must be an array of real numbers; got {value}, "
                          "which NumPy cannot turn into one array ({error})").format(
            name=name, value=describe(value), error=error)) from None


def _describe_values(value, array):
    if array.dtype.kind == "c":
        return _("complex values")
    if array.dtype.kind == "O":
        return describe(value)
    return _("values of dtype {dtype} ({value})").format(dtype=array.dtype, value=describe(value))


def float_dtype(*arrays):
    """The dtype a computation on `arrays` returns.

    float32 stays float32 (as in a neural network); everything else, integers
    included, is computed in float64.

    Examples
    --------
    >>> float_dtype(np.ones(3, np.float32), np.ones(2, np.float32))
    dtype('float32')
    >>> float_dtype(np.ones(3, int), np.ones(2, np.float32))
    dtype('float64')
    """
    if all(a.dtype in (np.float16, np.float32) for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def check_choice(value, name, choices):
    """Raise unless `value` is one of `choices` (strings); return it.

    Examples
    --------
    >>> check_choice("same", "mode", ("full", "same", "valid"))
    'same'
    >>> check_choice("vaild", "mode", ("full", "same", "valid"))
    Traceback (most recent call last):
    ...
    ValueError: `mode` must be one of 'full', 'same', 'valid'; got 'vaild'
    """
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(_("`{name}` must be one of {allowed}; got {value}").format(
            name=name, allowed=allowed, value=describe(value)))
    return value


def as_int(value, name, minimum):
    """Return `value` as a Python int, raising unless it is an integer >= `minimum`.

    Examples
    --------
    >>> as_int(2, "stride", minimum=1)
    2
    >>> as_int(0, "stride", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: `stride` must be an integer >= 1; got 0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(_("`{name}` must be an integer >= {minimum}; got {value}").format(
            name=name, minimum=minimum, value=describe(value)))
    if value < minimum:
        raise ValueError(_("`{name}` must be an integer >= {minimum}; got {value}").format(
            name=name, minimum=minimum, value=value))
    return int(value)


def as_int_pair(value, name, minimum):
    """Return `value` as a pair of ints (height, width); one int is used for both.

    Examples
    --------
    >>> as_int_pair(3, "kernel_size", minimum=1)
    (3, 3)
    >>> as_int_pair((1, 2), "padding", minimum=0)
    (1, 2)
    >>> as_int_pair((1, 2, 3), "stride", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: `stride` must be an integer or a pair of integers; got (1, 2, 3) (tuple)
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(_("`{name}` must be an integer or a pair of integers; got {value}").format(
                name=name, value=describe(value)))
        return tuple(as_int(v, name, minimum) for v in value)
    single = as_int(value, name, minimum)
    return (single, single)


def as_shape(value, name, ndim=(1, 2)):
    """Return `value` as a tuple of positive ints with an allowed length.

    Examples
    --------
    >>> as_shape(4, "input_shape"), as_shape((3, 5), "input_shape")
    ((4,), (3, 5))
    >>> as_shape((3, 0), "input_shape")
    Traceback (most recent call last):
    ...
    ValueError: `input_shape` must be an integer >= 1; got 0
    """
    shape = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if len(shape) not in allowed:
        raise ValueError(_("`{name}` must have {wanted} entries; got {value}").format(
            name=name, wanted=_(" or ").join(str(n) for n in allowed), value=describe(value)))
    return tuple(as_int(n, name, minimum=1) for n in shape)


def as_positive_number(value, name):
    """Return `value` as a float, raising unless it is a finite number > 0.

    Examples
    --------
    >>> as_positive_number(0.5, "sigma")
    0.5
    >>> as_positive_number(float("inf"), "sigma")
    Traceback (most recent call last):
    ...
    ValueError: `sigma` must be a finite number > 0; got inf
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(_("`{name}` must be a finite number > 0; got {value}").format(name=name, value=describe(value)))
    if not (np.isfinite(value) and value > 0):
        raise ValueError(_("`{name}` must be a finite number > 0; got {value}").format(name=name, value=repr(value)))
    return float(value)


def as_bias(bias, c_out, dtype):
    """A layer's `bias` as a 1-D array of `dtype`, one value per output channel (None stays None).

    Examples
    --------
    >>> as_bias([1, 2], 3, np.float64)
    Traceback (most recent call last):
    ...
    ValueError: `bias` must have shape (3,), one value per output channel; got shape (2,)
    """
    if bias is None:
        return None
    bias = as_array(bias, "bias", ndim=1)
    if bias.shape != (c_out,):
        raise ValueError(_("`bias` must have shape ({c_out},), one value per output channel; got shape {shape}").format(
            c_out=c_out, shape=bias.shape))
    return bias.astype(dtype, copy=False)


def check_memory(shape, dtype, what, instead):
    """Raise before allocating an array of `shape` and `dtype` larger than MEMORY_LIMIT.

    `what` names the array ("the weight matrix M"); `instead` says what to do.

    Examples
    --------
    >>> check_memory((16384, 16384), np.float64, "the weight matrix", "use a smaller input")
    Traceback (most recent call last):
    ...
    ValueError: the weight matrix would need 2.1 GB (shape (16384, 16384)), more than convlib's memory limit of 1.1 GB; use a smaller input (or raise convlib.validation.MEMORY_LIMIT)
    """  # noqa: E501 (a doctest: the message is one line)
    check_arrays([(shape, dtype)], what, instead)


def check_arrays(arrays, what, instead):
    """Raise before a computation whose arrays, together, need more than MEMORY_LIMIT.

    `arrays` lists every array the chosen path makes, as (shape, dtype) pairs:
    padding, casts, masks, buffers and the result. The message names the
    largest one.

    Examples
    --------
    >>> check_arrays([((8000, 8000), np.float64), ((8000, 8000), bool), ((9000, 9000), np.float64)],
    ...              "rgb_to_gray", "use a smaller image")
    Traceback (most recent call last):
    ...
    ValueError: rgb_to_gray would need 1.2 GB (3 arrays, the largest of shape (9000, 9000)), more than convlib's memory limit of 1.1 GB; use a smaller image (or raise convlib.validation.MEMORY_LIMIT)
    """  # noqa: E501 (a doctest: the message is one line)
    sizes = [(np.dtype(dtype).itemsize * float(np.prod(shape, dtype=float)), shape) for shape, dtype in arrays]
    nbytes = sum(size for size, _ in sizes)
    if nbytes > MEMORY_LIMIT:
        largest = tuple(int(n) for n in max(sizes, key=lambda pair: pair[0])[1])
        detail = (_("shape {shape}") if len(sizes) == 1 else _("{count} arrays, the largest of shape {shape}")).format(
            shape=largest, count=len(sizes))
        # i18n: {what} names an array or a computation, {instead} says what to do (both translated separately)
        raise ValueError(_("{what} would need {size} ({detail}), more than convlib's memory limit of "
                           "{limit}; {instead} (or raise convlib.validation.MEMORY_LIMIT)").format(
            what=what, size=_size(nbytes), detail=detail, limit=_size(MEMORY_LIMIT), instead=instead))


TIME_LIMIT = 10.0
"""Seconds a computation may be expected to take before convlib refuses it."""


def check_time(operations, per_second, what, instead):
    """Raise before a computation of `operations` steps, at `per_second`, longer than TIME_LIMIT.

    Examples
    --------
    >>> check_time(1e12, 1e9, "the autocorrelation", "use a shorter signal")
    Traceback (most recent call last):
    ...
    ValueError: the autocorrelation would take about 1000 s (1e+12 operations), more than convlib's time limit of 10 s; use a shorter signal (or raise convlib.validation.TIME_LIMIT)
    """  # noqa: E501 (a doctest: the message is one line)
    seconds = float(operations) / per_second
    if seconds > TIME_LIMIT:
        raise ValueError(_("{what} would take about {seconds:.0f} s ({operations:.0e} operations), more than "
                           "convlib's time limit of {limit:.0f} s; {instead} (or raise convlib.validation.TIME_LIMIT)")
                         .format(what=what, seconds=seconds, operations=float(operations), limit=TIME_LIMIT,
                                 instead=instead))


def _size(nbytes):
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return _("{count:.0f} bytes").format(count=nbytes)
