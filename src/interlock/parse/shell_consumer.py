"""What the next stage of a pipeline does with its input, seen through its wrappers.

`find … | sudo xargs rm` hands find's output to `xargs` as arguments; `… | sudo sh` and
`… | at now` run it as shell code. The walker asks this before it trusts a stand-in for the
text (`find`'s `ROOT/{}`) or judges the known part of a partly known input as commands.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from interlock.model import Command
from interlock.parse import unwrap
from interlock.parse.shell_support import command_words
from interlock.parse.words import node_text

Node = Any

MAX_WRAPPERS = 6  # `sudo nice timeout 5 xargs …`: wrappers peeled before giving up


def stage_command(node: Node | None, variables: Mapping[str, str]) -> Command | None:
    """The command a pipeline stage runs, as written (None for a compound stage)."""
    redirects: tuple[Node, ...] = ()
    if node is not None and node.type == "redirected_statement":
        body = node.child_by_field_name("body")
        redirects = tuple(c for c in node.named_children if c != body)
        node = body
    if node is None or node.type != "command":
        return None
    argv, dynamic, env = command_words(node, variables, redirects)
    if not argv:
        return None
    return Command(
        argv=tuple(argv), dynamic=frozenset(dynamic), env=tuple(env), text=node_text(node)
    )


def feeds_xargs(node: Node | None, variables: Mapping[str, str]) -> bool:
    """True when the stage `node` hands its input to `xargs` (`| xargs rm`, `| sudo xargs rm`)."""
    cmd = stage_command(node, variables)
    return cmd is not None and any(c.program == "xargs" for c in _chain(cmd))


def reads_code(cmd: Command, depth: int = 0) -> bool:
    """True when `cmd`, fed from a pipe, runs its input as shell code (`sh`, `sudo bash -s`,
    `at now`, `ssh host sh`): what reaches it through the pipe is a script."""
    piped = Command(argv=cmd.argv, dynamic=cmd.dynamic, stdin_piped=True, text=cmd.text)
    for c in _chain(piped):
        for p in _peels(c):
            if isinstance(p, unwrap.Opaque) and "piped-code" in p.tags:
                return True
            if isinstance(p, unwrap.Script) and depth < 2 and _plain(p.text):
                # `ssh host sh`: the remote command reads what ssh reads
                return reads_code(Command(argv=tuple(p.text.split())), depth + 1)
    return False


def _plain(text: str) -> bool:
    return bool(text.strip()) and not set(text) & _SHELL_META


_SHELL_META = frozenset(";|&$`<>()'\"\\\n")


def _chain(cmd: Command) -> Iterator[Command]:
    """`cmd`, then each command its wrappers run in turn (`sudo nice xargs` → …, `xargs`)."""
    for _ in range(MAX_WRAPPERS):
        yield cmd
        if cmd.program == "xargs" or cmd.is_dynamic(0):
            return
        inner = [p for p in _peels(cmd) if isinstance(p, unwrap.Inner) and not p.own_op]
        if len(inner) != 1:
            return
        cmd = inner[0].cmd


def _peels(cmd: Command) -> list[unwrap.Inner | unwrap.Script | unwrap.Opaque]:
    peeled = unwrap.peel(cmd)
    if peeled is None:
        return []
    return peeled if isinstance(peeled, list) else [peeled]
