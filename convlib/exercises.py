"""Self-checks for the exercises: right, or wrong with a useful hint.

An exercise's check cell calls :func:`check`. It prints a clear pass, or a hint
for the usual mistakes (not done yet, wrong shape, off-by-one size, a known
wrong answer such as a flipped kernel, nearly right), and never prints the
expected values. On failure it raises :class:`ExerciseNotSolved`, which
IPython shows as one line instead of a traceback, and which nbgrader's
autograder counts as a failed test.
"""

import numpy as np


class ExerciseNotSolved(AssertionError):
    """Raised by :func:`check` when an answer is wrong; shown without a traceback."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31m✘ not yet: {self}\x1b[0m"]


def _shape_hint(got, wanted):
    if len(got) != len(wanted):
        return f"it has {len(got)} dimension(s) (shape {got}); the answer has {len(wanted)}"
    differences = [g - w for g, w in zip(got, wanted)]
    hint = f"its shape is {got}, which is not the shape of the answer"
    if all(abs(d) <= 2 for d in differences):
        hint += ("; it is off by " + ", ".join(f"{d:+d}" for d in differences) + " per axis."
                 " Count the window positions again: in 'valid' mode N - K + 1 per axis,"
                 " with padding p and stride s floor((N + 2p - K) / s) + 1")
    return hint


def _diagnose(answer, expected, mistakes, rtol, atol, hint=None):
    """None if `answer` is right, else a hint that does not reveal `expected`."""
    if answer is None or answer is Ellipsis:
        return "no answer yet: replace the placeholder with your code and run the cell again"
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"the answer should be a number or an array of numbers; got {type(answer).__name__}"
    expected = np.asarray(expected, dtype=float)
    if answer.shape != expected.shape:
        return _shape_hint(answer.shape, expected.shape)
    if np.allclose(answer, expected, rtol=rtol, atol=atol):
        return None
    for hint, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == answer.shape and np.allclose(answer, wrong, rtol=rtol, atol=atol):
            return hint
    if np.isnan(answer).any():
        return "the answer contains NaN: did an operation divide by zero or use an empty array?"
    if hint:
        return hint
    wrong = ~np.isclose(answer, expected, rtol=rtol, atol=atol)
    if wrong.size == 1:
        return "the value is not right yet"
    where = f"{wrong.sum()} of {wrong.size} entries differ"
    return where + ("; the first is at index " + str(tuple(int(i) for i in np.argwhere(wrong)[0])))


def check(answer, expected, *, name="answer", mistakes=None, hint=None, rtol=1e-6, atol=1e-8):
    """Compare a learner's `answer` with `expected`; print a pass or raise a hint.

    Parameters
    ----------
    answer : number, array_like or None
        What the learner computed (None or ``...`` means "not done yet").
    expected : number or array_like
        The right answer, computed by the check cell (never printed).
    name : str
        What the answer is called in the messages.
    mistakes : dict, optional
        Hint text -> a typical wrong answer (a flipped kernel, 'full' instead of
        'valid'...). When the learner's answer equals one, that hint is shown.

    Examples
    --------
    >>> check(4, 2 + 2, name="2 + 2")
    ✔ 2 + 2 is correct
    >>> check([1, 2], [1, 2, 3], name="output")
    Traceback (most recent call last):
    ...
    convlib.exercises.ExerciseNotSolved: output: its shape is (2,), which is not the shape of the answer; it is off by -1 per axis. Count the window positions again: in 'valid' mode N - K + 1 per axis, with padding p and stride s floor((N + 2p - K) / s) + 1
    """
    message = _diagnose(answer, expected, mistakes, rtol, atol, hint)
    if message is not None:
        raise ExerciseNotSolved(f"{name}: {message}")
    print(f"✔ {name} is correct")
