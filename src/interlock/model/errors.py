"""Errors with stable codes.

    InterlockError
     ├── InputError           input.*   (bad command line, batch line, env map)
     ├── PolicyError          policy.*  (a rule file that does not load)
     └── InternalError        internal.* (a bug or a budget exceeded; always fails closed)

Messages are lower case, one line, user input in backticks, and say what to do next.
"""

from __future__ import annotations


class InterlockError(Exception):
    code = "internal.error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class InputError(InterlockError):
    code = "input.invalid"


class PolicyError(InterlockError):
    code = "policy.invalid"


class InternalError(InterlockError):
    code = "internal.error"
