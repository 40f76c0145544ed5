"""`python -m convlib.exercises 8 "(5, 8)"`: the digests an author pastes into a check cell."""

import argparse
import ast

from .values import digest


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
