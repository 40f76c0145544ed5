"""Input checks shared by every public function of convlib.

Each check raises a ``ValueError`` or ``TypeError`` that names the argument,
says what is allowed and what was received, so that a learner who passes the
wrong thing reads a sentence instead of a NumPy traceback from deep inside the
package. Checks never use ``assert``: those vanish under ``python -O``.
"""

import numbers

import numpy as np

MODES = ("full", "same", "valid")


def _describe(value):
    """A short description of a received value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


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
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, for example
        raise TypeError(
            f"`{name}` must be an array of real numbers; got {_describe(value)}, "
            f"which NumPy cannot turn into one array ({error})"
        ) from None
    if array.dtype.kind not in "biuf":
        kind = "complex" if array.dtype.kind == "c" else f"dtype {array.dtype}"
        raise TypeError(
            f"`{name}` must contain real numbers (bool, integer or float); "
            f"got {kind} values"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(str(n) for n in allowed)
            plural = "" if allowed == (1,) else "s"
            raise ValueError(
                f"`{name}` must have {wanted} dimension{plural}; got {array.ndim} "
                f"dimension{'' if array.ndim == 1 else 's'} (shape {array.shape})"
            )
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {array.shape}")
    return array


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
    >>> check_choice("same", "mode", MODES)
    'same'
    >>> check_choice("vaild", "mode", MODES)
    Traceback (most recent call last):
    ...
    ValueError: `mode` must be one of 'full', 'same', 'valid'; got 'vaild'
    """
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {allowed}; got {_describe_short(value)}")
    return value


def check_mode(mode):
    """Raise unless `mode` is 'full', 'same' or 'valid'; return it."""
    return check_choice(mode, "mode", MODES)


def _describe_short(value):
    return repr(value) if isinstance(value, str) else _describe(value)


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
        raise TypeError(f"`{name}` must be an integer >= {minimum}; got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value}")
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
            raise ValueError(
                f"`{name}` must be an integer or a pair of integers; got {_describe(value)}"
            )
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
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"`{name}` must have {wanted} entries; got {_describe(value)}")
    return tuple(as_int(n, name, minimum=1) for n in shape)
