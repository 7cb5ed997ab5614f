"""The walker's view of the shell's state: variables (with `$@` and arrays), functions,
aliases, exported environment, the directory and the files the script wrote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from interlock.model import Command
from interlock.parse.words import LIST_SEP, evaluate, list_words, node_text

Node = Any


@dataclass(slots=True)
class Scope:
    """What the script has set up so far: variables, functions, aliases, exports, the
    directory, and files it wrote."""

    variables: dict[str, str] = field(default_factory=dict)
    functions: dict[str, Node] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    env: list[tuple[str, str]] = field(default_factory=list)
    cwd: str | None = None
    host: str | None = None
    via: tuple[str, ...] = ()
    calling: tuple[str, ...] = ()
    # INVARIANT: shared with child scopes: a file written in a subshell is on disk for all.
    files: dict[str, str] = field(default_factory=dict)

    def child(self) -> Scope:
        return Scope(
            dict(self.variables),
            dict(self.functions),
            dict(self.aliases),
            list(self.env),
            self.cwd,
            self.host,
            self.via,
            self.calling,
            self.files,
        )


def assign(scope: Scope, key: str, node: Node, value: Node | None) -> None:
    """`key=value`, `key+=value`, `key=(a b c)`: a value known statically is kept; any other
    makes the variable unknown."""
    appending = "+=" in node_text(node)[len(key) : len(key) + 3]
    if value is None:
        scope.variables[key] = ""
    elif value.type == "array":
        items = array_values(value, scope.variables)
        if appending and items is not None:
            before = scope.variables.get(key + "[@]")
            items = None if before is None else [*list_words(before), *items]
        forget(scope.variables, key) if items is None else set_array(scope.variables, key, items)
    else:
        text, dynamic = evaluate(value, scope.variables)
        if appending:
            dynamic = dynamic or key not in scope.variables
            text = scope.variables.get(key, "") + text
        if dynamic:
            forget(scope.variables, key)
            return
        scope.variables[key] = text
        for i, (k, _v) in enumerate(scope.env):
            if k == key:
                scope.env[i] = (k, text)


def script_scope(cmd: Command, args: tuple[str | None, ...] | None = None) -> Scope:
    """The scope a nested script starts in: the command's environment, host and directory,
    and `$0 $1 …` when given (`sh -c 'rm -rf "$1"' sh /srv`: the words after the script)."""
    scope = Scope(env=list(cmd.env), host=cmd.host, via=cmd.via, cwd=cmd.cwd)
    if args:
        if args[0] is not None:
            scope.variables["0"] = args[0]
        positional(scope.variables, list(args[1:]))
    return scope


def bare_command(node: Node, scope: Scope) -> Command:
    """The stand-in command for a redirect on a compound statement (`{ …; } > f`)."""
    return Command(
        argv=(":",),
        text=node_text(node),
        host=scope.host,
        cwd=scope.cwd,
        via=scope.via,
        env=tuple(scope.env),
    )


def static_args(cmd: Command) -> list[str | None]:
    """A function's arguments; None for those known only at run time."""
    return [None if cmd.is_dynamic(i) else a for i, a in enumerate(cmd.argv) if i]


def positional(variables: dict[str, str], args: list[str | None]) -> None:
    """Set `$1`…, `$#` and `$@` for a function call or after `shift` (None: known only at run
    time, so left unset)."""
    for key in [k for k in variables if k.isdigit() and k != "0"] + ["@"]:
        variables.pop(key, None)
    for n, a in enumerate(args, start=1):
        if a is not None:
            variables[str(n)] = a
    variables["#"] = str(len(args))
    if None not in args:
        variables["@"] = LIST_SEP.join(a for a in args if a is not None)


def array_values(node: Node, variables: Mapping[str, str]) -> list[str] | None:
    """The items of `(a "b c" d)` when all are static, else None."""
    items: list[str] = []
    for c in node.named_children:
        value, dynamic = evaluate(c, variables)
        if dynamic:
            return None
        items.append(value)
    return items


def forget(variables: dict[str, str], name: str) -> None:
    """Drop a variable and every item of the array of that name."""
    variables.pop(name, None)
    for key in [k for k in variables if k.startswith(name + "[")]:
        del variables[key]


def set_array(variables: dict[str, str], name: str, items: list[str]) -> None:
    forget(variables, name)
    variables[name + "[@]"] = LIST_SEP.join(items)
    for n, item in enumerate(items):
        variables[f"{name}[{n}]"] = item
    if items:
        variables[name] = items[0]
