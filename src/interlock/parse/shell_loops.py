"""Loops whose values are known: `for x in a b c` and `while read x` fed a known input.

`for b in main dev; do git push -f origin $b; done` and `printf '/\\n' | while read d; do
rm -rf "$d"; done` run their body once per value; when the values are fixed by the command
line (and few: `MAX_LOOP_ITEMS`), the body is walked once per value with the variable set, so
`rm -rf "$d"` is judged as `rm -rf /`. Otherwise the body is walked once with the variable
unknown, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from interlock.parse.shell_scope import Scope
from interlock.parse.shell_support import MAX_LOOP_ITEMS, command_words, loop_items
from interlock.parse.words import evaluate, node_text, printed_text

Node = Any

CONTAINERS = frozenset(
    "program list subshell compound_statement if_statement elif_clause else_clause "
    "while_statement for_statement c_style_for_statement case_statement case_item do_group "
    "negated_command test_command binary_expression unary_expression parenthesized_expression "
    "ternary_expression postfix_expression arithmetic_expansion".split()
)
SUBSTITUTIONS = ("command_substitution", "process_substitution")
_READ_TAKES = "ptdi"  # `read` options that take a value (`-n`, `-N`, `-u`: not followed)
_IFS_BLANKS = " \t\n"


class Walk(Protocol):
    def _visit(self, node: Node, scope: Scope, redirects: Any, nest: int) -> None: ...

    def _substitutions(self, node: Node, scope: Scope, nest: int) -> None: ...


def walk_for(w: Walk, node: Node, scope: Scope, nest: int) -> None:
    """`for`/`select`: the body once per known value, else once with the variable unknown."""
    var = node.child_by_field_name("variable")
    items = loop_items(node, scope.variables) if node.type == "for_statement" else None
    body = node.child_by_field_name("body")
    unrolled = var is not None and bool(items) and body is not None
    for item in items if unrolled and items else ():
        # `for b in main dev; do git push -f origin $b; done`: each value, one at a time
        scope.variables[node_text(var)] = item
        w._visit(body, scope, None, nest + 1)
    if var is not None:
        scope.variables.pop(node_text(var), None)
    for c in node.named_children:
        if unrolled and c == body:
            continue
        if c.type == "do_group" or c.type in CONTAINERS or c.type in SUBSTITUTIONS:
            w._visit(c, scope, None, nest + 1)
        else:
            w._substitutions(c, scope, nest)


def walk_read_loop(w: Walk, node: Node, scope: Scope, nest: int, text: str | None) -> None:
    """`while read a b; do …; done` fed `text` (None: unknown): the body once per record read,
    with the variables set as `read` sets them; any other loop is walked as it is."""
    spec = _read_spec(node, scope.variables)
    records = _records(text, spec[1]) if spec is not None and text is not None else None
    body = node.child_by_field_name("body")
    if spec is None or records is None or body is None:
        w._visit(node, scope, None, nest + 1)
        return
    names, (_delim, ifs, raw) = spec
    for record in records:
        for name, value in zip(names, _fields(record, len(names), ifs, raw), strict=True):
            scope.variables[name] = value
        w._visit(body, scope, None, nest + 1)
    for name in names:
        scope.variables.pop(name, None)
    condition = node.child_by_field_name("condition")
    if condition is not None:
        w._visit(condition, scope, None, nest + 1)


def loop_input(redirects: list[Node], variables: Mapping[str, str]) -> str | None:
    """The text a loop reads from its own redirects: `<<< word`, a heredoc, or
    `< <(printf …)` when what it prints is known (None: anything else)."""
    for r in redirects:
        if r.type == "heredoc_redirect":
            return "".join(node_text(c) for c in r.named_children if c.type == "heredoc_body")
        if r.type == "herestring_redirect" and r.named_child_count:
            value, dynamic = evaluate(r.named_children[-1], variables)
            return None if dynamic else value + "\n"
        target = r.child_by_field_name("destination") if r.type == "file_redirect" else None
        if target is not None and target.type == "process_substitution":
            printed = printed_text(target, variables)
            return None if printed is None else printed + "\n"
    return None


_Opts = tuple[str, str | None, bool]  # record delimiter, IFS (None: default), raw (`-r`)


def _read_spec(node: Node, variables: Mapping[str, str]) -> tuple[list[str], _Opts] | None:
    """The variables `while read …` sets and how it reads; None for any other loop (`until`,
    a condition that is more than one `read`, arrays, counted or other-descriptor reads)."""
    if not node.children or node.children[0].type != "while":
        return None
    cond = node.child_by_field_name("condition")
    if cond is not None and cond.type == "list" and cond.named_child_count:
        cond = cond.named_children[0]  # `while read x || [ -n "$x" ]`: the last line too
    if cond is None or cond.type != "command":
        return None
    argv, dynamic, env = command_words(cond, variables)
    if not argv or argv[0] != "read" or dynamic:
        return None
    delim, raw, i = "\n", False, 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        letters, i = argv[i][1:], i + 1
        if letters == "-":
            break
        if set(letters) & set("anNu"):
            return None  # an array, a count of characters, another descriptor
        raw = raw or "r" in letters
        k = next((j for j, ch in enumerate(letters) if ch in _READ_TAKES), None)
        if k is None:
            continue
        value = letters[k + 1 :]
        if not value and i < len(argv):
            value, i = argv[i], i + 1
        if letters[k] == "d":
            delim = value[:1] or "\0"  # `read -d ''` reads up to a NUL
    names = list(argv[i:]) or ["REPLY"]
    if not all(n.isidentifier() for n in names):
        return None
    ifs = next((v for k, v in reversed(env) if k == "IFS"), variables.get("IFS"))
    return names, (delim, ifs, raw)


def _records(text: str, opts: _Opts) -> list[str] | None:
    """The records `read` takes from `text`, at most `MAX_LOOP_ITEMS` (else None). A last
    record with no delimiter counts too: `read` sets the variables before it fails."""
    delim = opts[0]
    parts = text.split(delim)
    if parts and parts[-1] == "":
        parts.pop()
    return parts if 0 < len(parts) <= MAX_LOOP_ITEMS else None


def _fields(record: str, count: int, ifs: str | None, raw: bool) -> list[str]:
    """What `read n1 n2 …` puts in each name: one field each, the rest of the line in the
    last; blanks of IFS around the fields are dropped, as bash does."""
    if not raw:
        record = _unbackslash(record)
    seps = _IFS_BLANKS if ifs is None else ifs
    blanks = "".join(ch for ch in seps if ch in _IFS_BLANKS)
    out: list[str] = []
    rest = record.strip(blanks)
    while len(out) < count - 1 and rest:
        k = next((j for j, ch in enumerate(rest) if ch in seps), len(rest))
        out.append(rest[:k])
        rest = rest[k + 1 :].lstrip(blanks)
    out.append(rest)
    return out + [""] * (count - len(out))


def _unbackslash(text: str) -> str:
    """`read` without `-r`: a backslash keeps the next character, and joins lines."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("" if text[i + 1] == "\n" else text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)
