"""`invariant.self-protection`: no agent edits, disables or bypasses Interlock.

Guarded: Interlock's own files (`.interlock/`, `~/.config/interlock/`, its database under
`~/.local/share/interlock/`, and any extra paths the caller names, e.g. `--policy DIR`), the
agent settings that hold its hook entries, its process and service, its package, the
`INTERLOCK_*` environment variables it reads, and the `interlock` commands that lift a kill
switch or approve. Paths are compared by components, anywhere in the path, so `./x`, `~/x`,
`$HOME/x` and `/home/alice/x` all count; deleting, moving or changing the mode of a directory
that holds a guarded file counts too. Reads never do.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Sequence
from functools import lru_cache

from interlock.model import Effect, Finding, Operation, Target
from interlock.policy.invariants_common import deny, what

SELF = "invariant.self-protection"

# pattern → what it is; a trailing `/` guards a whole directory.
PROTECTED: dict[str, str] = {
    ".interlock/": "Interlock's policy and settings",
    ".config/interlock/": "Interlock's settings",
    ".local/share/interlock/": "Interlock's database",
    ".claude/settings.json": "the agent hook settings",
    ".claude/settings.local.json": "the agent hook settings",
    ".codex/": "the agent hook settings",
    ".cursor/hooks.json": "the agent hook settings",
    ".gemini/settings.json": "the agent hook settings",
    ".kiro/agents/": "the agent hook settings",
    ".kiro/hooks/": "the agent hook settings",
    ".kiro/settings/": "the agent hook settings",
    ".github/hooks/": "the agent hook settings",
}
_PATH_KINDS = frozenset({"path", "file", "directory", "resource", "remote-path"})
_NOT_ANCESTOR_ACTIONS = frozenset({"mkdir", "read"})
_SERVICE_KINDS = frozenset({"process", "service", "container", "package", "tool", "unit"})
_PACKAGERS = frozenset(
    {"pip", "pip3", "pipx", "uv", "brew", "apt", "apt-get", "dnf", "yum", "npm", "conda", "poetry"}
)
_SHIFTY_TAGS = frozenset({"inline-code", "dynamic-target", "obfuscated", "remote-code"})
_ENV_KINDS = frozenset({"env-var", "variable", "environment-variable"})
_CLI_GUARDED = frozenset({"unfreeze", "approve"})
_WORD = re.compile(r"(?<![a-z0-9_])interlock(?![a-z0-9_])", re.IGNORECASE)
_PACKAGE = re.compile(r"(?:^|\s)interlock(?:[\[=<>~!@][^\s]*)?(?=\s|$)", re.IGNORECASE)
_ENV_TEXT = (
    re.compile(r"(?:^|[\s;&|(])(INTERLOCK_[A-Za-z0-9_]*)\+?="),  # VAR=… cmd, env VAR=…
    re.compile(r"(?:^|\s)(?:-u\s*|--unset[=\s]+)(INTERLOCK_[A-Za-z0-9_]*)"),  # env -u VAR
    re.compile(r"(?:^|[\s;&|(])unset\s+(?:-[fvn]\s+)*(INTERLOCK_[A-Za-z0-9_]*)"),
)
_HUMAN = "no agent may edit, disable or bypass Interlock; ask a human to make this change"


def self_findings(
    ops: Sequence[Operation], extra: tuple[str, ...] = (), *, only_paths: bool = False
) -> list[Finding]:
    """Deny findings for operations that would weaken Interlock. `extra` adds guarded
    directories; `only_paths` checks just those (the built-in checks ran already)."""
    patterns = {f"{p.rstrip('/')}/": "Interlock's policy or data" for p in extra if _parts(p)}
    if not only_paths:
        patterns = {**PROTECTED, **patterns}
    out: list[Finding] = []
    for op in ops:
        reason = _path_reason(op, patterns)
        if reason is None and not only_paths:
            reason = _env_reason(op) or _service_reason(op) or _cli_reason(op)
        if reason is not None:
            out.append(deny(SELF, reason))
    return out


# ---- paths ------------------------------------------------------------------------------------


def guarded(name: str, patterns: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(pattern, "inside" | "ancestor") when the path `name` is, or holds, a guarded file."""
    parts = _parts(name)
    patterns = patterns or PROTECTED
    if not _components(tuple(patterns)) & set(parts):
        return None  # INVARIANT: a path related to a pattern shares a component with it
    for pattern in patterns:
        where = _relation(parts, pattern)
        if where:
            return pattern, where
    return None


@lru_cache(maxsize=32)
def _components(patterns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p for pattern in patterns for p in pattern.split("/") if p)


@lru_cache(maxsize=4096)
def _parts(name: str) -> tuple[str, ...]:
    text = name.strip().strip("'\"")
    for home in ("${HOME}", "$HOME"):
        if text.startswith(home):
            text = "~" + text[len(home) :]
    if not text:
        return ()
    return tuple(p for p in posixpath.normpath(text).split("/") if p and p != ".")


def _relation(parts: tuple[str, ...], pattern: str) -> str:
    pat = tuple(p for p in pattern.split("/") if p)
    n, k = len(parts), len(pat)
    if not n or not k:
        return ""
    if pattern.endswith("/"):
        if any(parts[i : i + k] == pat for i in range(n - k + 1)):
            return "inside"
    elif parts[-k:] == pat:
        return "inside"
    if any(parts[-j:] == pat[:j] for j in range(1, min(k, n + 1))):
        return "ancestor"
    return ""


def _path_reason(op: Operation, patterns: dict[str, str]) -> str | None:
    if op.effect is Effect.READ:
        return None
    for t in op.targets:
        for name in _names(t):
            found = guarded(name, patterns)
            if found is None:
                continue
            pattern, where = found
            if where == "ancestor" and (
                t.kind not in _PATH_KINDS or op.action in _NOT_ANCESTOR_ACTIONS
            ):
                continue
            held = "holds" if where == "ancestor" else "is"
            return f"{what(op)}: `{name}` {held} {patterns[pattern]}; {_HUMAN}"
    return _text_reason(op, patterns)


def _names(t: Target) -> list[str]:
    return [t.name] + [v for k, v in t.scope if k in ("database", "path")]


def _text_reason(op: Operation, patterns: dict[str, str]) -> str | None:
    """Code we cannot follow (inline Python, a dynamic path) that names a guarded file."""
    unclear = op.effect is Effect.UNKNOWN or op.tags & _SHIFTY_TAGS
    if not unclear and all(t.name for t in op.targets):
        return None
    for pattern, label in patterns.items():
        if _mentions(op.text, pattern):
            return f"{what(op)}: the code names `{pattern.rstrip('/')}` ({label}); {_HUMAN}"
    return None


def _mentions(text: str, pattern: str) -> bool:
    if pattern.strip("/") not in text:
        return False  # cheap test first: the regex below only refines a substring match
    core = re.escape(pattern.strip("/"))
    return re.search(rf"(?<![\w.-]){core}(?![\w-])", text) is not None


# ---- environment, process, package, CLI -------------------------------------------------------


def _env_reason(op: Operation) -> str | None:
    names = [t.name for t in op.targets if t.kind in _ENV_KINDS and _is_env(t.name)]
    if "INTERLOCK_" in op.text:  # the patterns below all need it: skip them otherwise
        names += [m.group(1) for rx in _ENV_TEXT for m in rx.finditer(op.text)]
    if not names:
        return None
    return f"sets or unsets `{names[0]}`, an environment variable Interlock reads; {_HUMAN}"


def _is_env(name: str) -> bool:
    return name.upper().startswith("INTERLOCK_")


def _service_reason(op: Operation) -> str | None:
    if op.effect is Effect.READ:
        return None
    for t in op.targets:
        if t.kind in _SERVICE_KINDS and _WORD.search(t.name):
            return f"{what(op)}: that stops or removes Interlock (`{t.name}`); {_HUMAN}"
    removes = any(w in op.action for w in ("uninstall", "remove"))
    if removes and op.program in _PACKAGERS and _PACKAGE.search(op.text):
        return f"{what(op)}: that uninstalls Interlock; {_HUMAN}"
    return None


def _cli_reason(op: Operation) -> str | None:
    if op.program != "interlock":
        return None
    try:
        words = shlex.split(op.text)
    except ValueError:
        words = op.text.split()
    start = next((i for i, w in enumerate(words) if posixpath.basename(w) == "interlock"), -1)
    verbs = [w for w in words[start + 1 :] if not w.startswith("-")][:2]
    hit = sorted(_CLI_GUARDED & set(verbs))
    if not hit:
        return None
    return f"runs `interlock {hit[0]}`: lifting a kill switch or approving is for humans; {_HUMAN}"
