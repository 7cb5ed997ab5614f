"""Rules indexed by family so each operation is checked only against rules that could match.

An index is built either from `Rule`s (`build`), or lazily from rule data that has been
validated before (`lazy`, used for the pack cache): then a family's rules are made, through the
same `load_rules` validation, the first time an operation of that family is checked, so a hook
call pays only for the families its command touches. `rules` makes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from interlock.model import Effect, Mode, Operation
from interlock.policy.rules import Rule

_MEMO_LIMIT = 4096  # (family, action, effect, mode) keys remembered; analyzers name actions


class RuleIndex:
    __slots__ = (
        "_count",
        "_made",
        "_make",
        "_memo",
        "_merged",
        "_pending",
        "_rules",
        "anywhere",
        "version",
    )

    def __init__(self, rules: Iterable[Rule] = (), version: str = "") -> None:
        rules = tuple(rules)
        self.version = version
        self.anywhere = tuple(r for r in rules if r.match.family is None)
        self._rules: tuple[Rule, ...] | None = rules
        self._count = len(rules)
        self._made: dict[int, Rule] = {}
        self._make: Callable[[int], Rule] = self._made.__getitem__
        self._pending: dict[str, tuple[int, ...]] = {}
        self._memo: dict[tuple[str, str, Effect, Mode | None], tuple[Rule, ...]] = {}
        fam: dict[str, list[Rule]] = {}
        for r in rules:
            for f in sorted(r.match.family or ()):
                fam.setdefault(f, []).append(r)
        # INVARIANT: each family's tuple already ends with the rules that apply anywhere
        self._merged = {f: (*v, *self.anywhere) for f, v in fam.items()}

    @classmethod
    def build(cls, rules: Iterable[Rule], version: str = "") -> RuleIndex:
        return cls(rules, version)

    @classmethod
    def lazy(
        cls,
        count: int,
        families: Mapping[str, tuple[int, ...]],
        anywhere: Mapping[int, Rule],
        make: Callable[[int], Rule],
        version: str = "",
    ) -> RuleIndex:
        """An index of `count` rules numbered in pack order; `make(i)` builds rule `i`.

        `families` numbers the rules of each family (in order); `anywhere` holds the rules that
        apply to every family, already made.
        """
        index = cls((), version)
        index.anywhere = tuple(anywhere[i] for i in sorted(anywhere))
        index._made = dict(anywhere)
        index._make = make
        index._pending = dict(families)
        index._rules = None if count else ()
        index._count = count
        return index

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in pack order."""
        if self._rules is None:
            for family in list(self._pending):
                self._load(family)
            self._rules = tuple(self._rule(i) for i in range(self._count))
        return self._rules

    @property
    def by_family(self) -> dict[str, tuple[Rule, ...]]:
        """The rules of each family (without the rules that apply anywhere)."""
        for family in list(self._pending):
            self._load(family)
        n = len(self.anywhere)
        return {f: v[: len(v) - n] for f, v in self._merged.items()}

    def candidates(self, op: Operation, mode: Mode | None = None) -> tuple[Rule, ...]:
        """The rules that could match `op`, in pack order: its family's and those that apply
        anywhere, narrowed to the ones whose `action`, `effect` (and, when given, modes) admit
        it. `Match.matches` still decides."""
        key = (op.family, op.action, op.effect, mode)
        found = self._memo.get(key)
        if found is None:
            found = tuple(
                r
                for r in self._family(op.family)
                if (r.match.action is None or op.action in r.match.action)
                and (r.match.effect is None or op.effect.value in r.match.effect)
                and (mode is None or mode in r.modes)
            )
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[key] = found
        return found

    def _family(self, family: str) -> tuple[Rule, ...]:
        found = self._merged.get(family)
        if found is None:
            found = self._load(family) if family in self._pending else self.anywhere
        return found

    def _load(self, family: str) -> tuple[Rule, ...]:
        numbers = self._pending.get(family)
        if numbers is None:  # another thread made it meanwhile
            return self._merged.get(family, self.anywhere)
        own = tuple(self._rule(i) for i in numbers)
        # the family stays pending until all its rules are made: a rule that fails validation
        # raises here, and again on the next check, never leaving the family silently empty
        merged = self._merged[family] = (*own, *self.anywhere)
        self._pending.pop(family, None)
        return merged

    def _rule(self, i: int) -> Rule:
        rule = self._made.get(i)
        if rule is None:
            rule = self._made[i] = self._make(i)
        return rule
