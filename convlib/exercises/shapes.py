"""What a self-check says about an answer of the wrong shape, in the learner's language.

Examples
--------
>>> shape_problem((3, 2), (2, 3), "your answer")
'your answer has shape (3, 2): its rows and columns are swapped'
>>> shape_problem((4,), (2, 2), "your answer", reveal=True)
'your answer has shape (4,); an array with 2 dimensions, of shape (2, 2), is needed'
"""

from ..i18n import _

__all__ = ["shape_problem"]


def _dimensions(n):
    return (_("{n} dimension") if n == 1 else _("{n} dimensions")).format(n=n)


def shape_problem(got, wanted, subject, reveal=False):
    """A line about a wrong shape; the expected shape is named only if `reveal`."""
    if got == wanted:
        return None
    fields = {"subject": subject, "got": got, "wanted": wanted, "dimensions": _dimensions(len(wanted))}
    if reveal:
        # i18n: {subject} is "your answer" or "your function's output for ..."; {got}, {wanted} are shapes like (3, 4)
        message = (_("{subject} is a single number; an array with {dimensions}, of shape {wanted}, is needed")
                   if got == () else
                   _("{subject} has shape {got}; an array with {dimensions}, of shape {wanted}, is needed"))
    elif wanted == ():
        message = _("{subject} has shape {got}; a single number is needed")
    elif got == ():
        message = _("{subject} is a single number; the answer is an array with {dimensions}")
    elif len(got) != len(wanted):
        message = _("{subject} has shape {got}; the answer has {dimensions}")
    elif sorted(got) == sorted(wanted):
        message = (_("{subject} has shape {got}: its rows and columns are swapped") if len(got) == 2 else
                   _("{subject} has shape {got}: its axes are in another order"))
    elif all(abs(g - w) <= 2 for g, w in zip(got, wanted)):
        fields["per_axis"] = ", ".join(f"{g - w:+d}" for g, w in zip(got, wanted))
        message = _("{subject} has shape {got}, off by {per_axis} per axis: count the positions again")
    else:
        message = _("{subject} has shape {got}, not the shape of the answer")
    return message.format(**fields)
