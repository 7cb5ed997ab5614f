"""Parsing a shell line with tree-sitter-bash, and the budget a walk of it may spend.

The walk has a deadline and a nesting limit; past either it raises `BudgetExceeded`, which
the caller turns into a fail-closed decision.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from interlock.model import InternalError

Node = Any


class BudgetExceeded(InternalError):
    code = "internal.budget"


@dataclass(slots=True)
class Budget:
    deadline: float
    nodes: int = 0

    def tick(self) -> None:
        self.nodes += 1
        if self.nodes & 255 == 0 and time.perf_counter() > self.deadline:
            raise BudgetExceeded("the command took too long to analyze; it needs a human")


_parser: Any = None


def _get_parser() -> Any:
    global _parser
    if _parser is None:
        from interlock.parse._grammar import make_parser

        _parser = make_parser()
    return _parser


def parse_tree(text: str) -> Node:
    """The root node of `text`'s syntax tree (the parser is made on first use)."""
    return _get_parser().parse(text.encode("utf-8", "surrogateescape")).root_node
