"""Split a tool's arguments into positionals and options.

Every CLI spells options a little differently; this covers the common GNU/Go/Python shapes:
`--flag`, `--flag=value`, `--flag value` (when the flag is known to take a value), `-f value`,
`-fvalue`, bundled short flags `-rf` (when `bundle=True`), and `--` ending options.
A flag not known to take a value is treated as a boolean, so its would-be value stays a
positional; callers that care list their value-taking flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Args:
    pos: list[str] = field(default_factory=list)
    opts: dict[str, list[str]] = field(default_factory=dict)
    after_dashdash: list[str] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return any(n in self.opts for n in names)

    def value(self, *names: str) -> str | None:
        """The last value given for any of `names` (None when absent or boolean)."""
        found: str | None = None
        for n in names:
            vals = self.opts.get(n)
            if vals and vals[-1] != "":
                found = vals[-1]
        return found

    def values(self, *names: str) -> list[str]:
        return [v for n in names for v in self.opts.get(n, ()) if v != ""]


def parse_args(
    args: Sequence[str],
    takes_value: Iterable[str] = (),
    bundle: bool = False,
    stop_at_first_positional: bool = False,
) -> Args:
    """Parse `args`. `takes_value` lists flags (with dashes) that consume the next word."""
    tv = takes_value if isinstance(takes_value, (set, frozenset)) else frozenset(takes_value)
    out = Args()
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "--":
            out.after_dashdash = list(args[i:])
            break
        if len(a) < 2 or a[0] != "-" or (stop_at_first_positional and out.pos):
            out.pos.append(a)
            continue
        if a.startswith("--"):
            name, eq, val = a.partition("=")
            if eq:
                out.opts.setdefault(name, []).append(val)
            elif name in tv and i < n:
                out.opts.setdefault(name, []).append(args[i])
                i += 1
            else:
                out.opts.setdefault(name, []).append("")
            continue
        # single dash
        if a in tv:
            if i < n:
                out.opts.setdefault(a, []).append(args[i])
                i += 1
            else:
                out.opts.setdefault(a, []).append("")
            continue
        name, eq, val = a.partition("=")
        if eq and name in tv:
            out.opts.setdefault(name, []).append(val)
            continue
        if bundle and len(a) > 2 and not a[1].isdigit():
            i = _bundle(a, args, i, tv, out)
            continue
        if len(a) > 2 and a[:2] in tv:  # -nfoo
            out.opts.setdefault(a[:2], []).append(a[2:])
            continue
        out.opts.setdefault(a, []).append("")
    return out


def _bundle(a: str, args: Sequence[str], i: int, tv: Iterable[str], out: Args) -> int:
    for j, ch in enumerate(a[1:], start=1):
        flag = "-" + ch
        if flag in tv:
            rest = a[j + 1 :]
            if rest:
                out.opts.setdefault(flag, []).append(rest)
            elif i < len(args):
                out.opts.setdefault(flag, []).append(args[i])
                i += 1
            return i
        out.opts.setdefault(flag, []).append("")
    return i
