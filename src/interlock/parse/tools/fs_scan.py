"""GNU-style argument scanning for the filesystem tools: flags, flag values and positionals in
any order, with long options abbreviated to any unique prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Scan:
    """Flags (`-r`, `--recursive`), flag values and positionals, GNU order-insensitive."""

    flags: set[str]
    values: dict[str, list[str]]
    pos: list[str]

    def has(self, *names: str) -> bool:
        return any(n in self.flags or n in self.values for n in names)

    def value(self, *names: str) -> str | None:
        found = [v for n in names for v in self.values.get(n, ())]
        return found[-1] if found else None


def scan(
    args: tuple[str, ...] | list[str],
    longs: tuple[str, ...] = (),
    short_values: str = "",
    long_values: tuple[str, ...] = (),
) -> Scan:
    """Scan `args`; long options may be abbreviated to any unique prefix, as getopt allows."""
    out = Scan(set(), {}, [])
    known = longs + long_values
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "--":
            out.pos.extend(args[i:])
            break
        if len(a) < 2 or a[0] != "-":
            out.pos.append(a)
        elif a.startswith("--"):
            i = _long(a, args, i, known, long_values, out)
        else:
            i = _short(a, args, i, short_values, out)
    return out


def _long(a: str, args, i: int, known, long_values, out: Scan) -> int:  # type: ignore[no-untyped-def]
    name, eq, val = a.partition("=")
    if name not in known:
        cands = [k for k in known if k.startswith(name)]
        name = cands[0] if len(cands) == 1 else name
    if name in long_values:
        if not eq and i < len(args):
            val, i = args[i], i + 1
        out.values.setdefault(name, []).append(val)
    elif eq:
        out.values.setdefault(name, []).append(val)
    else:
        out.flags.add(name)
    return i


def _short(a: str, args, i: int, short_values: str, out: Scan) -> int:  # type: ignore[no-untyped-def]
    for j, ch in enumerate(a[1:], start=2):
        if ch in short_values:
            rest = a[j:]
            if not rest and i < len(args):
                rest, i = args[i], i + 1
            out.values.setdefault("-" + ch, []).append(rest)
            return i
        out.flags.add("-" + ch)
    return i
