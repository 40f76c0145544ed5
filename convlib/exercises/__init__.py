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

import ast
import copy
import itertools
import os

import numpy as np

from ..i18n import _
from . import grading
from .shapes import shape_problem
from .typed import by_hand_problem
from .watch import shortcuts, watched_call
from .values import (DIGEST, ExerciseNotSolved, check_author_arguments, describe_inputs, digest, digests,
                     expected_output, no_answer, numbers_of, one_line, read_only)

__all__ = ["ExerciseNotSolved", "check", "check_function", "check_that", "diagnose", "diagnose_function",
           "diagnose_that", "digest", "digests", "shortcuts"]


class _Key:
    """The expected answer, a value or a digest: its shape, and whether an array matches it."""

    def __init__(self, expected, rtol, atol):
        self.digest = expected if isinstance(expected, str) else None
        if self.digest is not None:
            match = DIGEST.fullmatch(expected)
            if not match:
                raise ValueError(_("expected must be a value or a digest such as '():6:0123456789abcdef'; "
                                   "got the string {expected!r}").format(expected=expected))
            self.shape, self.decimals = ast.literal_eval(match[1]), int(match[2])
            return
        self.value, problem = numbers_of(expected, "expected")
        if problem:
            raise TypeError(_("expected must be numbers or a digest: {problem}").format(problem=problem))
        self.shape, self.rtol, self.atol = self.value.shape, rtol, atol

    def matches(self, array):
        if self.digest is not None:
            return digest(array, self.decimals) == self.digest
        return array.shape == self.shape and np.allclose(array, self.value, rtol=self.rtol, atol=self.atol)

    def differences(self, array):
        """Which entries are wrong, without their right values."""
        if array.size == 1 or self.digest is not None:
            return _("the value is not right yet") if array.size == 1 else _("some entries are not right yet")
        wrong = ~np.isclose(array, self.value, rtol=self.rtol, atol=self.atol)
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        return _("{wrong} of {size} entries differ; the first is at index {first}").format(
            wrong=wrong.sum(), size=wrong.size, first=first)


def _off_by_one(array, key):
    """A line if adding or subtracting 1 to some entries of an integer answer makes it right."""
    if array.size > 4 or not np.array_equal(array, np.round(array)):
        return None
    for offsets in itertools.product((-1, 0, 1), repeat=array.size):
        if any(offsets) and key.matches(array + np.reshape(offsets, array.shape)):
            wrong = sum(map(bool, offsets))
            if array.size == 1:
                return _("you are off by one")
            return _("{wrong} of {size} entries are off by one").format(wrong=wrong, size=array.size)
    return None


def _diagnose(answer, expected, mistakes, hint, rtol, atol, subject):
    key = _Key(expected, rtol, atol)
    array, problem = numbers_of(answer, subject)
    if problem:
        return problem
    if key.matches(array):
        return None
    for text, wrong in (mistakes or {}).items():
        if _Key(wrong, rtol, atol).matches(array):
            return _(text)   # the notebook's hints are in the catalog too (tools/translate.py finds them)
    diagnosis = shape_problem(array.shape, key.shape, subject) or _off_by_one(array, key)
    # i18n: what joins a line about the answer's shape or its entries and the exercise's hint
    return _("; ").join(line for line in (diagnosis, hint and _(hint)) if line) or key.differences(array)


def diagnose(answer, expected, *, mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """What :func:`check` would say, without printing: None if right, else the hint.

    Examples
    --------
    >>> diagnose(8.0, digest(8)) is None
    True
    >>> diagnose("8", digest(8))
    'your answer is text (a string in quotes); write numbers without quotes'
    """
    check_author_arguments(mistakes, hint, rtol, atol)
    return _diagnose(answer, expected, mistakes, hint, rtol, atol, _("your answer"))


def diagnose_function(function, reference, inputs, *, mistakes=None, hint=None, forbidden=None, rtol=1e-6,
                      atol=1e-8):
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
    check_author_arguments(mistakes, hint, rtol, atol)
    if function is None or function is Ellipsis:
        return no_answer()
    if not callable(function):
        return _("your answer is a {type}, not a function").format(type=type(function).__name__)
    for index, args in enumerate(inputs):
        expected = expected_output(reference, index, args)
        try:
            used, output = watched_call(function, copy.deepcopy(tuple(args)), forbidden)
        except (Exception, SystemExit, KeyboardInterrupt) as error:  # the learner's code, shown as one line
            return _("your function raised {error} for {inputs}").format(error=one_line(error),
                                                                         inputs=describe_inputs(args))
        if used:
            return _("your function calls {names}: this exercise asks you to compute it yourself, "
                     "with the idea of this section, not with a library's convolution").format(names=", ".join(used))
        if output is None:
            return _("no answer yet: your function returned None; write its body, ending in `return ...`, "
                     "run its cell, then run this one again")
        wrong = {text: expected_output(mistake, index, args) for text, mistake in (mistakes or {}).items()}
        subject = _("your function's output for {inputs}").format(inputs=describe_inputs(args))
        message = _diagnose(output, expected, wrong, hint, rtol, atol, subject)
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
    array, problem = numbers_of(answer, _("your answer"))
    if problem:
        return problem
    if shape is not None and array.shape != tuple(shape):
        return shape_problem(array.shape, tuple(shape), _("your answer"), reveal=True)
    for text, holds in requirements.items():
        try:
            if not holds(array):
                return _(text)
        except Exception as error:  # a requirement that cannot be evaluated on this answer
            return _("your answer could not be checked: {error}").format(error=one_line(error))
    return None


# --- The checks a notebook calls --------------------------------------------------------------

def _report(name, message):
    if message is None:
        # i18n: the verdicts of a self-check; {name} is the variable the learner answers in (code, not translated)
        print(_("✔ {name} is correct").format(name=name))
    elif os.environ.get("NBGRADER_EXECUTION"):
        raise ExerciseNotSolved(_("{name}: {message}").format(name=name, message=message))
    else:
        print(_("✘ {name}: {message}").format(name=name, message=message))


def check(answer, expected, *, name, mistakes=None, hint=None, rtol=1e-6, atol=1e-8, by_hand=None):
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
    by_hand : str, optional
        The answer's variable, where it must be worked out by hand: computed, it gets a hint.

    Examples
    --------
    >>> check(4, digest(4), name="2 + 2")
    ✔ 2 + 2 is correct
    >>> check(5, digest(4), name="2 + 2")
    ✘ 2 + 2: you are off by one
    >>> check(np.zeros(3), [[1, 2], [3, 4]], name="Z", hint="slide the window over every position")
    ✘ Z: your answer has shape (3,); the answer has 2 dimensions; slide the window over every position
    """
    message = diagnose(answer, expected, mistakes=mistakes, hint=hint, rtol=rtol, atol=atol)
    _report(name, message if message or not by_hand else by_hand_problem(by_hand))


def check_function(function, reference, inputs, *, name, mistakes=None, hint=None, forbidden=None, rtol=1e-6,
                   atol=1e-8):
    """Call the learner's `function` on each of `inputs` and compare with `reference`.

    Parameters
    ----------
    function : callable
        The learner's function; one returning None (the unanswered stub) means "no
        answer yet", and one that raises is reported in one line.
    reference : callable or sequence
        Gives the right output for the same arguments; or, so that the check cell holds no
        reference implementation, the right outputs themselves, one per input, as values or
        :func:`digest` s (:func:`digests` computes them).
    inputs : iterable of tuple
        The arguments of each call; the learner's function gets copies.
    name : str
        What the function is called in the messages.
    mistakes : dict, optional
        Hint -> a function giving a typical wrong output (a flipped kernel...), or its
        outputs, one per input, like `reference`.
    forbidden : dict, optional
        Name -> function, the library shortcuts an exercise "by hand" or "with the FFT" rules
        out (:func:`shortcuts` finds them): a call of one, under any name, gets a hint.
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
    _report(name, diagnose_function(function, reference, inputs, mistakes=mistakes, hint=hint, forbidden=forbidden,
                                    rtol=rtol, atol=atol))


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


read_only(__name__, ["grading", "shapes", "values", "watch"])
