"""Shell expansions the walker performs statically: braces, globbed program names, aliases.

Bash expands `{rm,-rf,/srv}` into three words and `/srv/{a,b}` into two before it runs
anything, and finds `/bin/r?` by globbing; a reader must do the same or be fooled.
"""

from __future__ import annotations

import fnmatch
import re
import shlex

MAX_WORDS = 64  # a brace expansion larger than this is cut short (the rest is not needed)
_BRACE_WORD = re.compile(r"(?<![^\s;&|(])\{[^\s{}$\"'`]*,[^\s{}\"'`]*\}(?=$|[\s;&|)])")
_GLOB = frozenset("*?[")
# programs a globbed command name is checked against, most harmful first
_NOTABLE = (
    "rm shred dd mkfs wipefs truncate mv cp chmod chown ln kill pkill killall reboot shutdown "
    "halt poweroff sh bash zsh dash python python3 perl ruby node curl wget git kubectl docker "
    "terraform aws gcloud az helm psql mysql redis-cli find xargs tar rsync systemctl iptables"
).split()


def has_braces(text: str) -> bool:
    return "{" in text and ("," in text or ".." in text)


def expand_braces(word: str) -> list[str]:
    """Bash brace expansion of an unquoted word: `a{b,c}d` → `abd acd`, `{1..3}` → 1 2 3."""
    out: list[str] = []
    _expand(word, out)
    return out or [word]


def _expand(word: str, out: list[str]) -> None:
    if len(out) >= MAX_WORDS:
        return
    span = _first_group(word)
    if span is None:
        out.append(word)
        return
    start, end, parts = span
    for part in parts:
        _expand(word[:start] + part + word[end + 1 :], out)


def _first_group(word: str) -> tuple[int, int, list[str]] | None:
    i = 0
    while True:
        start = word.find("{", i)
        if start < 0:
            return None
        if start > 0 and word[start - 1] == "$":
            i = start + 1
            continue
        end, parts = _group(word, start)
        if end is not None and parts is not None:
            return start, end, parts
        i = start + 1


def _group(word: str, start: int) -> tuple[int | None, list[str] | None]:
    depth, last, parts = 0, start + 1, []
    for j in range(start, len(word)):
        ch = word[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parts.append(word[last:j])
                if len(parts) > 1:
                    return j, parts
                return j, _range(parts[0])
        elif ch == "," and depth == 1:
            parts.append(word[last:j])
            last = j + 1
    return None, None


def _range(body: str) -> list[str] | None:
    ends = body.split("..")
    if len(ends) not in (2, 3):
        return None
    a, b = ends[0], ends[1]
    if a.lstrip("-").isdigit() and b.lstrip("-").isdigit():
        lo, hi = int(a), int(b)
        step = 1 if lo <= hi else -1
        return [str(n) for n in range(lo, hi + step, step)][:MAX_WORDS]
    if len(a) == 1 and len(b) == 1 and a.isalpha() and b.isalpha():
        lo, hi = ord(a), ord(b)
        step = 1 if lo <= hi else -1
        return [chr(n) for n in range(lo, hi + step, step)]
    return None


def expand_brace_words(text: str) -> str:
    """Rewrite whole-word brace groups (`{rm,-rf,/}`) that tree-sitter cannot parse."""
    return _BRACE_WORD.sub(lambda m: " ".join(shlex.quote(w) for w in expand_braces(m[0])), text)


def is_glob(word: str) -> bool:
    return any(ch in _GLOB for ch in word)


def glob_matches(word: str) -> list[str]:
    """Notable programs a globbed command name (`/bin/r?`, `/usr/bin/[r]m`) could be."""
    pattern = word.rsplit("/", 1)[-1]
    return [p for p in _NOTABLE if fnmatch.fnmatchcase(p, pattern)][:3]


def alias_definitions(args: tuple[str, ...]) -> list[tuple[str, str]]:
    """`alias ll='ls -la' x=y` → [(ll, ls -la), (x, y)]."""
    found = []
    for a in args:
        name, sep, value = a.partition("=")
        if sep and name and not name.startswith("-"):
            found.append((name, value))
    return found


def alias_text(value: str, args: tuple[str, ...]) -> str:
    return " ".join((value, *(shlex.quote(a) for a in args)))
