"""What a learner gave, as numbers, and the digests that check it without showing the answer.

The core that both the self-checks (:mod:`convlib.exercises`) and the autograder's hidden
tests (:mod:`convlib.exercises.grading`) rely on. The NumPy and standard-library functions it
calls are captured when it is imported, in the notebook's first cell, before any answer
cell runs, and the module is read-only (:func:`read_only`): a learner's cell that replaces
``np.round``, ``np.allclose`` or ``convlib.exercises.values.digest`` changes nothing here.
"""

import hashlib
import numbers
import re
import sys
import types

import numpy as np

from ..i18n import _

__all__ = ["DIGEST", "ExerciseNotSolved", "check_author_arguments", "describe_inputs", "digest", "digests",
           "expected_output", "no_answer", "numbers_of", "one_line", "read_only"]

# Captured at import: later reassignments of np.round & co. do not reach the checks.
_asarray, _isnan, _round, _ndarray, _sha256 = np.asarray, np.isnan, np.round, np.ndarray, hashlib.sha256
_TEXT, _TRUTH, _REAL, _COMPLEX = (str, bytes, np.str_), (bool, np.bool_), numbers.Real, numbers.Complex

DIGEST = re.compile(r"(\(\)|\(\d+,\)|\(\d+(?:,\d+)+\)):(\d+):[0-9a-f]{16}")  # "(4,6):6:0123456789abcdef"


class ExerciseNotSolved(AssertionError):
    """A wrong or missing answer under nbgrader; IPython shows it as one line."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31m✘ {self}\x1b[0m"]


# --- What the learner gave: numbers, or a line saying what it is instead -----------------

def no_answer():
    """The hint for an answer still left as the placeholder."""
    return _("no answer yet: replace the placeholder ... with your answer, run that cell, then run this one again")


def _not_a_number(entry):
    """What `entry` is in a learner's words (or "placeholder", "ragged", "text"), or None if it
    is a real number."""
    if entry is None or entry is Ellipsis:
        return "placeholder"
    if isinstance(entry, _TEXT):
        return "text"
    if isinstance(entry, _TRUTH):
        return _("a truth value (True or False)")
    if isinstance(entry, _REAL):
        return None
    if isinstance(entry, _ndarray) and entry.ndim == 0:
        return _not_a_number(entry.item())
    if isinstance(entry, (list, tuple, _ndarray)):
        return "ragged"
    if isinstance(entry, _COMPLEX):
        return _("a complex number")
    if callable(entry):
        return _("a function (did you mean to call it?)")
    # i18n: {type} is the name of a Python type, such as dict or set (not translated)
    return _("a {type}").format(type=type(entry).__name__)


def numbers_of(answer, subject):
    """`answer` as a float array and None, or None and a line saying what is wrong."""
    if callable(getattr(answer, "detach", None)):   # a PyTorch tensor, with or without grad, is its numbers
        answer = answer.detach().cpu().numpy()
    try:
        array = _asarray(answer, dtype=object if isinstance(answer, (list, tuple)) else None)
    except Exception:  # an object whose conversion to an array fails
        return None, _("{subject} is a {type}; a number or an array of numbers is needed").format(
            subject=subject, type=type(answer).__name__)
    entries = array.ravel() if array.dtype == object else array.ravel()[:1].tolist()
    found = [what for what in map(_not_a_number, entries) if what]
    if "placeholder" in found:
        return None, no_answer()
    if "ragged" in found:
        return None, _("{subject} has rows of different lengths; every row needs the same number of entries").format(
            subject=subject)
    if found:
        return None, _what_instead(subject, found[0], array.ndim)
    try:
        array = array.astype(float)
    except OverflowError:   # an integer beyond float's range, such as 10**400
        return None, _("{subject} holds a number too large for a float (more than about 1.8e308)").format(
            subject=subject)
    if _isnan(array).any():
        return None, _("{subject} contains NaN (not a number), the result of 0 / 0 for example").format(subject=subject)
    return array, None


def _what_instead(subject, what, ndim):
    """A line saying that the answer is or contains `what` instead of numbers, and what to write."""
    if what == "text":
        what, advice = _("text (a string in quotes)"), _("write numbers without quotes")
    else:
        advice = _("a number is needed") if ndim == 0 else _("numbers are needed")
    message = _("{subject} is {what}; {advice}") if ndim == 0 else _("{subject} contains {what}; {advice}")
    return message.format(subject=subject, what=what, advice=advice)



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
    array, problem = numbers_of(value, _("the value"))
    if problem:
        raise TypeError(_("digest needs real numbers: {problem}").format(problem=problem))
    rounded = _round(array, decimals) + 0.0  # adding 0.0 turns -0.0 into 0.0
    shape = "(" + ",".join(map(str, array.shape)) + ("," if array.ndim == 1 else "") + ")"
    text = shape + ":" + ",".join(f"{v:.{decimals}f}" for v in rounded.ravel())
    return f"{shape}:{decimals}:{_sha256(text.encode()).hexdigest()[:16]}"


class _ReadOnly(types.ModuleType):
    """A module whose listed names cannot be reassigned or deleted from outside."""

    def __setattr__(self, name, value):
        if name in self.__dict__.get("__read_only__", ()):
            raise AttributeError(f"{self.__name__}.{name} is read-only: the checks keep what they imported")
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in self.__dict__.get("__read_only__", ()):
            raise AttributeError(f"{self.__name__}.{name} is read-only: the checks keep what they imported")
        super().__delattr__(name)


def read_only(module_name, names=None):
    """Make `names` of a loaded module (default: all it has now) impossible to reassign.

    This stops ``module.name = ...`` typed in a cell, the way a learner patches a check. It does
    not stop a deliberate ``vars(module)[name] = ...``, nor a notebook edited outside JupyterLab;
    nbgrader's own cell locks have the same limit.

    Examples
    --------
    >>> import convlib.exercises.values as values
    >>> values.digest = len
    Traceback (most recent call last):
    AttributeError: convlib.exercises.values.digest is read-only: the checks keep what they imported
    """
    module = sys.modules[module_name]
    protected = set(vars(module) if names is None else names) | {"__class__", "__read_only__", "__dict__"}
    module.__read_only__ = frozenset(protected)
    module.__class__ = _ReadOnly


read_only(__name__)


def one_line(error):
    """An exception as one line: its type and the first line of its message."""
    text = str(error).strip().splitlines()
    return type(error).__name__ + (f": {text[0][:120]}" if text else "")


def describe_inputs(args):
    """The inputs of a learner's function, named by shape, for a hint."""
    if all(isinstance(a, np.ndarray) for a in args):
        return _("inputs of shape {shapes}").format(shapes=_(" and ").join(str(a.shape) for a in args))
    described = [_("an array of shape {shape}").format(shape=a.shape) if isinstance(a, np.ndarray) else repr(a)[:30]
                 for a in args]
    return _("the inputs ({inputs})").format(inputs=", ".join(described))


def digests(reference, inputs, decimals=6):
    """The digests of `reference`'s outputs for `inputs`: what a check cell lists instead of a
    reference implementation (run it once in a scratch cell and paste the result).

    Examples
    --------
    >>> digests(np.cumsum, [(np.arange(3),)])
    ['(3,):6:1ede33f03edb1139']
    """
    return [digest(reference(*args), decimals) for args in inputs]


def check_author_arguments(mistakes, hint, rtol, atol):
    """The notebook's author, not the learner, made these: name the argument that is wrong."""
    if mistakes is not None and not isinstance(mistakes, dict):
        raise TypeError(f"`mistakes` must be a dict {{hint: wrong answer}}; got a {type(mistakes).__name__}")
    if hint is not None and not isinstance(hint, str):
        raise TypeError(f"`hint` must be a string; got a {type(hint).__name__}")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
            raise TypeError(f"`{name}` must be a number >= 0; got {value!r}")


def expected_output(reference, index, args):
    """What a reference gives for the `index`-th input: a function's output, or the listed entry."""
    return reference(*args) if callable(reference) else reference[index]
