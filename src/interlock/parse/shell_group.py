"""What a `( … )` or `{ …; }` stage of a pipeline prints, where it can be known.

`{ echo 'rm -rf /'; echo ls; } | sh` runs what the group prints, and every part of it is fixed
by the command line. `(crontab -l; echo '* * * * * cmd') | crontab -` installs the current
crontab plus one new entry: the current entries are unknown, but they are installed already,
so only the appended entry needs judging — by `crontab`, and by no other consumer (a shell fed
the same text would also run the unknown part).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from interlock.model import Command, Effect, Operation
from interlock.parse.pipes import known_stdout
from interlock.parse.shell_support import command_words
from interlock.parse.words import node_text, unescape_word

Node = Any

MAX_PARTS = 32
_STDOUT_AWAY = (">", ">>", ">|", "&>", "&>>", "1>", "1>>")
_REINSTALLS = frozenset({"crontab"})  # consumers for which `crontab -l` output is not news


def group_output(
    node: Node, variables: Mapping[str, str], consumer: Node | None
) -> tuple[str | None, str | None]:
    """The text the group `node` prints, or None when some of it is unknown (the current
    crontab counts as known, and empty, when `consumer` is `crontab`); and, when some of it is
    unknown, the parts that are known (`(crontab -l; echo 'rm -rf /') | sh` runs `rm -rf /`
    whatever else it runs), else None."""
    if node.type not in ("subshell", "compound_statement"):
        return None, None
    reinstall = _program(consumer) in _REINSTALLS
    parts = [
        _stage_output(c, variables, reinstall)
        for c in node.named_children[:MAX_PARTS]
        if c.type != "comment"
    ]
    known = "".join(p for p in parts if p is not None)
    if None in parts or len(node.named_children) > MAX_PARTS:
        return None, known or None
    return (known if known or not reinstall else None), None


def _stage_output(node: Node, variables: Mapping[str, str], reinstall: bool) -> str | None:
    redirects: tuple[Node, ...] = ()
    if node.type == "redirected_statement":
        body = node.child_by_field_name("body")
        redirects = tuple(c for c in node.named_children if c != body)
        if any(node_text(r).lstrip().startswith(_STDOUT_AWAY) for r in redirects):
            return ""  # `echo x > f`: nothing reaches the pipe
        node = body
    if node is None:
        return None
    if node.type == "pipeline" and reinstall:
        return "" if _filters_current_crontab(node, variables) else None
    if node.type != "command":
        return None
    argv, dynamic, _ = command_words(node, variables, redirects)
    if not argv or dynamic:
        return None
    if reinstall and _lists_crontab(argv):
        return ""
    if argv[0] in ("true", ":"):
        return ""
    return known_stdout(Command(argv=tuple(argv), text=node_text(node)))


def _lists_crontab(argv: list[str]) -> bool:
    return argv[0] == "crontab" and "-l" in argv[1:]


def _filters_current_crontab(node: Node, variables: Mapping[str, str]) -> bool:
    """`crontab -l | grep -v old`: what is left of the installed entries."""
    stages = [c for c in node.named_children if c.type == "command"]
    if len(stages) != len(node.named_children) or not stages:
        return False
    words = [command_words(c, variables, ())[0] for c in stages]
    return _lists_crontab(words[0]) and all(w[:1] == ["grep"] for w in words[1:])


def _program(node: Node | None) -> str:
    if node is not None and node.type == "redirected_statement":
        node = node.child_by_field_name("body")
    if node is None or node.type != "command":
        return ""
    name = node.child_by_field_name("name")
    return unescape_word(node_text(name)).rsplit("/", 1)[-1] if name is not None else ""


def settle_exec(ops: list[Operation], start: int) -> None:
    """`kubectl exec pod -- sh -c 'git status'`, `oc rsh pod cmd`: the walker judged the inner
    command (the ops from `start` on, the exec's own op last); when they all only read, so does
    the exec. The kubectl analyzer alone knows only a short list of read-only commands."""
    own = ops[-1] if len(ops) >= start + 2 else None
    if own is None or own.family != "kubernetes" or own.action not in ("exec", "rsh"):
        return
    if own.effect is not Effect.WRITE or "privileged" in own.tags:
        return
    if all(op.effect is Effect.READ for op in ops[start:-1]):
        summary = f"reads in {own.summary.split(' ', 2)[-1]}"
        ops[-1] = replace(own, effect=Effect.READ, summary=summary)
