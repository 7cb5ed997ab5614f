"""Rules indexed by family so each operation is checked only against rules that could match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from interlock.model import Operation
from interlock.policy.rules import Rule


@dataclass(slots=True)
class RuleIndex:
    rules: tuple[Rule, ...] = ()
    by_family: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    anywhere: tuple[Rule, ...] = ()
    version: str = ""

    @classmethod
    def build(cls, rules: Iterable[Rule], version: str = "") -> RuleIndex:
        rules = tuple(rules)
        fam: dict[str, list[Rule]] = {}
        anywhere = []
        for r in rules:
            if r.match.family is None:
                anywhere.append(r)
            else:
                for f in r.match.family:
                    fam.setdefault(f, []).append(r)
        return cls(rules, {k: tuple(v) for k, v in fam.items()}, tuple(anywhere), version)

    def candidates(self, op: Operation) -> tuple[Rule, ...]:
        found = self.by_family.get(op.family, ())
        return found + self.anywhere if self.anywhere else found
