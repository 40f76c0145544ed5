"""Self-checks for the exercises: right, or wrong with a hint that keeps the answer hidden.

Used by every notebook's "Exercises" section (how they work: ``notebooks/00_welcome.ipynb``).
The learner answers in one cell; the check cell below it calls one of three checks:

=======================  ==========================================================
check                    the learner's answer is
=======================  ==========================================================
:func:`check`            a value: a number, a shape, a small array
:func:`check_function`   a function, compared with a reference on several inputs
:func:`check_that`       an array with stated properties, where many answers are right
=======================  ==========================================================

A right answer prints ``✔ name is correct``; a wrong or missing one prints one line
``✘ name: hint`` and raises nothing, so that Run All goes on through an unanswered
notebook. Under nbgrader (``nbgrader autograde`` and ``validate`` set the environment
variable ``NBGRADER_EXECUTION``) a wrong answer raises :class:`ExerciseNotSolved`
instead, and the graded cell scores 0. Each check has a counterpart that prints nothing
and returns the hint, or None for a right answer: :func:`diagnose`,
:func:`diagnose_function`, :func:`diagnose_that`.

A check cell must not show the answer. Where it is a number or a small array, the cell
holds its :func:`digest` (``python -m convlib.exercises "(5, 8)"`` prints one), and no
hint or message ever contains the expected values.
"""

import argparse
import ast
import copy
import hashlib
import itertools
import numbers
import os
import re

import numpy as np

__all__ = ["ExerciseNotSolved", "check", "check_function", "check_that", "diagnose", "diagnose_function",
           "diagnose_that", "digest"]

NO_ANSWER = "no answer yet: replace the placeholder ... with your answer, run that cell, then run this one again"
_DIGEST = re.compile(r"(\(\)|\(\d+,\)|\(\d+(?:,\d+)+\)):(\d+):[0-9a-f]{16}")  # "(4,6):6:0123456789abcdef"


class ExerciseNotSolved(AssertionError):
    """A wrong or missing answer under nbgrader; IPython shows it as one line."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31m✘ {self}\x1b[0m"]


# --- What the learner gave: numbers, or a line saying what it is instead -----------------

def _not_a_number(entry):
    """What `entry` is in a learner's words, or None if it is a real number."""
    if entry is None or entry is Ellipsis:
        return "placeholder"
    if isinstance(entry, (str, bytes, np.str_)):
        return "text (a string in quotes)"
    if isinstance(entry, (bool, np.bool_)):
        return "a truth value (True or False)"
    if isinstance(entry, numbers.Real):
        return None
    if isinstance(entry, np.ndarray) and entry.ndim == 0:
        return _not_a_number(entry.item())
    if isinstance(entry, (list, tuple, np.ndarray)):
        return "ragged"
    if isinstance(entry, numbers.Complex):
        return "a complex number"
    return "a function (did you mean to call it?)" if callable(entry) else f"a {type(entry).__name__}"


def _numbers(answer, subject):
    """`answer` as a float array and None, or None and a line saying what is wrong."""
    try:
        array = np.asarray(answer, dtype=object if isinstance(answer, (list, tuple)) else None)
    except Exception:  # an object whose conversion to an array fails
        return None, f"{subject} is a {type(answer).__name__}; a number or an array of numbers is needed"
    entries = array.ravel() if array.dtype == object else array.ravel()[:1].tolist()
    found = [what for what in map(_not_a_number, entries) if what]
    if "placeholder" in found:
        return None, NO_ANSWER
    if "ragged" in found:
        return None, f"{subject} has rows of different lengths; every row needs the same number of entries"
    if found:
        verb, needed = ("is", "a number is needed") if array.ndim == 0 else ("contains", "numbers are needed")
        advice = "write numbers without quotes" if found[0].startswith("text") else needed
        return None, f"{subject} {verb} {found[0]}; {advice}"
    array = array.astype(float)
    if np.isnan(array).any():
        return None, f"{subject} contains NaN (not a number), the result of 0 / 0 for example"
    return array, None


def _dimensions(n):
    return f"{n} dimension{'' if n == 1 else 's'}"


def _shape_problem(got, wanted, subject, reveal=False):
    """A line about a wrong shape; the expected shape is named only if `reveal`."""
    if got == wanted:
        return None
    if reveal:
        has = "is a single number" if got == () else f"has shape {got}"
        return f"{subject} {has}; an array with {_dimensions(len(wanted))}, of shape {wanted}, is needed"
    if wanted == ():
        return f"{subject} has shape {got}; a single number is needed"
    if got == ():
        return f"{subject} is a single number; the answer is an array with {_dimensions(len(wanted))}"
    if len(got) != len(wanted):
        return f"{subject} has shape {got}; the answer has {_dimensions(len(wanted))}"
    if sorted(got) == sorted(wanted):
        swapped = "its rows and columns are swapped" if len(got) == 2 else "its axes are in another order"
        return f"{subject} has shape {got}: {swapped}"
    offsets = [g - w for g, w in zip(got, wanted)]
    if all(abs(d) <= 2 for d in offsets):
        per_axis = ", ".join(f"{d:+d}" for d in offsets)
        return f"{subject} has shape {got}, off by {per_axis} per axis: count the positions again"
    return f"{subject} has shape {got}, not the shape of the answer"


# --- What the answer is: a value, or a digest of it ----------------------------------------

def digest(value, decimals=6):
    """A short, stable fingerprint of a value, to check an answer without showing it.

    The value is rounded to `decimals` decimals first, so that 8, 8.0 and
    ``np.int64(8)`` give the same digest, as do -0.0 and 0.0, a tuple and the array
    of it, and 0.1 + 0.2 and 0.3. The edge of rounding: two values that differ by less
    than ``10**-decimals`` get different digests when a rounding boundary lies between
    them (0.1234565 and 0.1234564999 with 6 decimals), so use digests for answers that
    are exact to far fewer decimals: counts, shapes, small arrays of integers. A digest
    hides the answer from a reader, not from a search over candidates (the check cell
    answers guesses anyway).

    Parameters
    ----------
    value : number or array_like
        Real numbers only: a string or a truth value is refused.
    decimals : int
        How many decimals the value is rounded to.

    Returns
    -------
    str
        ``"(shape):decimals:hash"``, the hash being the first 16 hex digits of the
        SHA-256 of the rounded values.

    Examples
    --------
    >>> digest(8)
    '():6:47945a2af16bcc9f'
    >>> digest(8) == digest(8.0) == digest(np.int64(8)) and digest(-0.0) == digest(0)
    True
    >>> digest((5, 8)) == digest(np.array([5, 8]))
    True

    From a shell: ``python -m convlib.exercises 8 "(5, 8)"`` prints both digests.
    """
    array, problem = _numbers(value, "the value")
    if problem:
        raise TypeError(f"digest needs real numbers: {problem}")
    rounded = np.round(array, decimals) + 0.0  # adding 0.0 turns -0.0 into 0.0
    shape = "(" + ",".join(map(str, array.shape)) + ("," if array.ndim == 1 else "") + ")"
    text = shape + ":" + ",".join(f"{v:.{decimals}f}" for v in rounded.ravel())
    return f"{shape}:{decimals}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class _Key:
    """The expected answer, a value or a digest: its shape, and whether an array matches it."""

    def __init__(self, expected, rtol, atol):
        self.digest = expected if isinstance(expected, str) else None
        if self.digest is not None:
            match = _DIGEST.fullmatch(expected)
            if not match:
                raise ValueError(f"expected must be a value or a digest such as '():6:0123456789abcdef'; "
                                 f"got the string {expected!r}")
            self.shape, self.decimals = ast.literal_eval(match[1]), int(match[2])
            return
        self.value, problem = _numbers(expected, "expected")
        if problem:
            raise TypeError(f"expected must be numbers or a digest: {problem}")
        self.shape, self.rtol, self.atol = self.value.shape, rtol, atol

    def matches(self, array):
        if self.digest is not None:
            return digest(array, self.decimals) == self.digest
        return array.shape == self.shape and np.allclose(array, self.value, rtol=self.rtol, atol=self.atol)

    def differences(self, array):
        """Which entries are wrong, without their right values."""
        if array.size == 1 or self.digest is not None:
            return "the value is not right yet" if array.size == 1 else "some entries are not right yet"
        wrong = ~np.isclose(array, self.value, rtol=self.rtol, atol=self.atol)
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        return f"{wrong.sum()} of {wrong.size} entries differ; the first is at index {first}"


def _off_by_one(array, key):
    """A line if adding or subtracting 1 to some entries of an integer answer makes it right."""
    if array.size > 4 or not np.array_equal(array, np.round(array)):
        return None
    for offsets in itertools.product((-1, 0, 1), repeat=array.size):
        if any(offsets) and key.matches(array + np.reshape(offsets, array.shape)):
            wrong = sum(map(bool, offsets))
            return "you are off by one" if array.size == 1 else f"{wrong} of {array.size} entries are off by one"
    return None


def _diagnose(answer, expected, mistakes, hint, rtol, atol, subject):
    key = _Key(expected, rtol, atol)
    array, problem = _numbers(answer, subject)
    if problem:
        return problem
    if key.matches(array):
        return None
    for text, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == array.shape and np.allclose(array, wrong, rtol=rtol, atol=atol):
            return text
    diagnosis = _shape_problem(array.shape, key.shape, subject) or _off_by_one(array, key)
    return "; ".join(line for line in (diagnosis, hint) if line) or key.differences(array)


def diagnose(answer, expected, *, mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """What :func:`check` would say, without printing: None if right, else the hint.

    Examples
    --------
    >>> diagnose(8.0, digest(8)) is None
    True
    >>> diagnose("8", digest(8))
    'your answer is text (a string in quotes); write numbers without quotes'
    """
    return _diagnose(answer, expected, mistakes, hint, rtol, atol, "your answer")


def _one_line(error):
    text = str(error).strip().splitlines()
    return type(error).__name__ + (f": {text[0][:120]}" if text else "")


def _describe(args):
    if all(isinstance(a, np.ndarray) for a in args):
        return "inputs of shape " + " and ".join(str(a.shape) for a in args)
    return "the inputs (" + ", ".join(f"an array of shape {a.shape}" if isinstance(a, np.ndarray)
                                      else repr(a)[:30] for a in args) + ")"


def diagnose_function(function, reference, inputs, *, mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """What :func:`check_function` would say, without printing: None if right, else the hint.

    Examples
    --------
    >>> def stub(x):
    ...     pass  # YOUR CODE HERE: replace this line with your answer
    >>> diagnose_function(stub, np.cumsum, [(np.arange(4),)])
    'no answer yet: your function returned None; write its body, ending in `return ...`,
    run its cell, then run this one again'
    >>> diagnose_function(np.cumsum, np.cumsum, [(np.arange(4),)]) is None
    True
    """
    if function is None or function is Ellipsis:
        return NO_ANSWER
    if not callable(function):
        return f"your answer is a {type(function).__name__}, not a function"
    for args in inputs:
        expected = reference(*args)
        try:
            output = function(*copy.deepcopy(tuple(args)))
        except Exception as error:  # the learner's code, shown as one line
            return f"your function raised {_one_line(error)} for {_describe(args)}"
        if output is None:
            return ("no answer yet: your function returned None; write its body, ending in `return ...`, "
                    "run its cell, then run this one again")
        wrong = {text: mistake(*args) for text, mistake in (mistakes or {}).items()}
        message = _diagnose(output, expected, wrong, hint, rtol, atol, f"your function's output for {_describe(args)}")
        if message:
            return message
    return None


def diagnose_that(answer, *, shape=None, requirements):
    """What :func:`check_that` would say, without printing: None if right, else the hint.

    Examples
    --------
    >>> diagnose_that([[1, 2]], shape=(2,), requirements={})
    'your answer has shape (1, 2); an array with 1 dimension, of shape (2,), is needed'
    >>> diagnose_that([1, 2], requirements={"it must sum to 0": lambda w: w.sum() == 0})
    'it must sum to 0'
    """
    array, problem = _numbers(answer, "your answer")
    if problem:
        return problem
    if shape is not None and array.shape != tuple(shape):
        return _shape_problem(array.shape, tuple(shape), "your answer", reveal=True)
    for text, holds in requirements.items():
        try:
            if not holds(array):
                return text
        except Exception as error:  # a requirement that cannot be evaluated on this answer
            return f"your answer could not be checked: {_one_line(error)}"
    return None


# --- The checks a notebook calls --------------------------------------------------------------

def _report(name, message):
    if message is None:
        print(f"✔ {name} is correct")
    elif os.environ.get("NBGRADER_EXECUTION"):
        raise ExerciseNotSolved(f"{name}: {message}")
    else:
        print(f"✘ {name}: {message}")


def check(answer, expected, *, name, mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """Say whether `answer` is right; for a wrong one, a hint that does not reveal `expected`.

    Parameters
    ----------
    answer : number, array_like, None or ...
        What the learner computed; None or ``...`` (the placeholder) means "no answer yet".
    expected : number, array_like or str
        The right answer, or its :func:`digest` where showing it would give it away.
    name : str
        What the answer is called in the messages.
    mistakes : dict, optional
        Hint -> a typical wrong answer (a value that does not reveal the right one).
        That hint is shown for that wrong answer only.
    hint : str, optional
        Shown for every other wrong answer; without it, a line that says how many
        entries differ. Off by one and wrong shapes are also said.
    rtol, atol : float
        Tolerances for comparing with a value (a digest rounds instead).

    Examples
    --------
    >>> check(4, digest(4), name="2 + 2")
    ✔ 2 + 2 is correct
    >>> check(5, digest(4), name="2 + 2")
    ✘ 2 + 2: you are off by one
    >>> check(np.zeros(3), [[1, 2], [3, 4]], name="Z", hint="slide the window over every position")
    ✘ Z: your answer has shape (3,); the answer has 2 dimensions; slide the window over every position
    """
    _report(name, diagnose(answer, expected, mistakes=mistakes, hint=hint, rtol=rtol, atol=atol))


def check_function(function, reference, inputs, *, name, mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """Call the learner's `function` on each of `inputs` and compare with `reference`.

    Parameters
    ----------
    function : callable
        The learner's function; one returning None (the unanswered stub) means "no
        answer yet", and one that raises is reported in one line.
    reference : callable
        Gives the right output for the same arguments.
    inputs : iterable of tuple
        The arguments of each call; the learner's function gets copies.
    name : str
        What the function is called in the messages.
    mistakes : dict, optional
        Hint -> a function giving a typical wrong output (a flipped kernel...).
    hint, rtol, atol
        As for :func:`check`.

    Examples
    --------
    >>> inputs = [(np.arange(3.0), np.array([1.0, 0.0, -1.0]))]
    >>> def inner(x, w):
    ...     return x * w
    >>> check_function(inner, lambda x, w: np.sum(x * w), inputs, name="inner")
    ✘ inner: your function's output for inputs of shape (3,) and (3,) has shape (3,); a single number is needed
    >>> check_function(lambda x, w: x[3], lambda x, w: np.sum(x * w), inputs, name="inner")
    ✘ inner: your function raised IndexError: index 3 is out of bounds for axis 0 with size 3
    for inputs of shape (3,) and (3,)
    >>> check_function(lambda x, w: x @ w, lambda x, w: np.sum(x * w), inputs, name="inner")
    ✔ inner is correct
    """
    _report(name, diagnose_function(function, reference, inputs, mistakes=mistakes, hint=hint, rtol=rtol, atol=atol))


def check_that(answer, *, name, shape=None, requirements):
    """Check properties where many answers are right; the first that fails gives its hint.

    Parameters
    ----------
    answer : array_like
        What the learner gave; its type and shape are checked first.
    name : str
        What the answer is called in the messages.
    shape : tuple of int, optional
        The shape the answer must have (the exercise states it, so messages name it).
    requirements : dict
        Hint -> a predicate on the answer as a float array, true when it holds.

    Examples
    --------
    >>> zero_sum = {"the weights must sum to zero": lambda w: np.isclose(w.sum(), 0)}
    >>> check_that([1, -1], name="w", shape=(2,), requirements=zero_sum)
    ✔ w is correct
    >>> check_that([1, 1], name="w", shape=(2,), requirements=zero_sum)
    ✘ w: the weights must sum to zero
    >>> check_that([1, -1, 0], name="w", shape=(2, 2), requirements=zero_sum)
    ✘ w: your answer has shape (3,); an array with 2 dimensions, of shape (2, 2), is needed
    """
    _report(name, diagnose_that(answer, shape=shape, requirements=requirements))


def main(argv=None):
    """Print the digest of each value given on the command line."""
    parser = argparse.ArgumentParser(prog="python -m convlib.exercises",
                                     description="Print the digest of each value, for a check cell.")
    parser.add_argument("values", nargs="+", help="Python literals such as 8, 2.5, '(5, 8)' or '[[1, 2], [3, 4]]'")
    parser.add_argument("--decimals", type=int, default=6, help="decimals to round to (default 6)")
    arguments = parser.parse_args(argv)
    for text in arguments.values:
        try:
            print(digest(ast.literal_eval(text), arguments.decimals))
        except (ValueError, SyntaxError, TypeError) as error:
            parser.error(f"cannot digest {text!r}: {error}")


if __name__ == "__main__":
    main()
