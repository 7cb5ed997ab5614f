"""Helpers for the shell walker (`interlock.parse.shell`): words, redirects, special operations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import expand
from interlock.parse.unwrap_base import SHELLS
from interlock.parse.words import (
    LIST_SEP,
    evaluate,
    expansion_default,
    expansion_name,
    indirect_name,
    list_words,
    node_text,
    printed_text,
    unescape_word,
)

Node = Any
# `$(which kubectl)`, `` `command -v rm` ``, `$(type -P terraform)`: the program is known
_LOOKUP = re.compile(r"^(?:\$\(|`)\s*(?:which|command\s+-v|type\s+-[pP])\s+([\w.+-]+)\s*(?:\)|`)$")
_NAME = re.compile(r"^[\w./+-]+$")
_UNQUOTED = frozenset({"word", "concatenation", "simple_expansion", "expansion"})


def command_words(
    node: Node, variables: Mapping[str, str], redirects: Any = ()
) -> tuple[list[str], set[int], list[tuple[str, str]]]:
    """The argv of a command node, which words are dynamic, and its leading assignments.

    `redirects` are the redirects that follow the command (`rm < /dev/null -rf /`):
    tree-sitter-bash files the words after a redirect's target under the redirect, but the
    shell passes them to the command as arguments.
    """
    argv: list[str] = []
    dynamic: set[int] = set()
    env: list[tuple[str, str]] = []
    for c in node.named_children:
        t = c.type
        if t == "variable_assignment" and not argv:
            name = c.child_by_field_name("name")
            value = c.child_by_field_name("value")
            if name is not None:
                env.append((node_text(name), evaluate(value, variables)[0] if value else ""))
            continue
        if t == "command_name":
            word = c.named_children[0] if c.named_child_count else c
            _append_word(word, variables, argv, dynamic)
            if argv and ("$(" in node_text(word) or "`" in node_text(word)):
                # `"$(echo rm)" -rf /`: judged as `rm`, and asked about as a hidden name
                dynamic.add(0)
        elif t.endswith("redirect") or t in ("subshell", "compound_statement"):
            continue  # a group after `coproc` is walked as code, not read as a word
        elif c == node.child_by_field_name("name") or argv or t != "variable_assignment":
            _append_word(c, variables, argv, dynamic)
    for r in redirects:
        for word in _after_target(r):
            _append_word(word, variables, argv, dynamic)
    return argv, dynamic, env


def _after_target(r: Node) -> list[Node]:
    """The words of a file redirect after its target (`> out -rf /` → `-rf`, `/`)."""
    if r.type != "file_redirect":
        return []
    dests = r.children_by_field_name("destination")
    # INVARIANT: an argument is separated from what precedes it by white space.
    return [d for prev, d in pairwise(dests) if d.start_byte > prev.end_byte]


def _append_word(
    word: Node, variables: Mapping[str, str], argv: list[str], dynamic: set[int]
) -> None:
    if word.type == "command_substitution":
        printed = printed_text(word, variables)
        if printed is not None:
            argv.extend(printed.split())  # unquoted, so split like the shell
            return
    if word.type == "string" and word.named_child_count == 1:
        inner = word.named_children[0]
        name = expansion_name(inner) or indirect_name(inner, variables)
        star = "*" in node_text(word)  # `"$*"` is one word
        listed = name is not None and (name == "@" or name.endswith("[@]"))
        if listed and name in variables and not star:
            argv.extend(list_words(variables[name]))  # `"$@"`, `"${cmd[@]}"`: one word each
            return
    if word.type in ("simple_expansion", "expansion"):
        name = expansion_name(word) or indirect_name(word, variables)
        if name is not None and name in variables:
            # INVARIANT: an unquoted expansion is split on white space (or the `IFS` the
            # line set: `IFS=,; x=rm,-rf,/; $x`), as the shell does.
            parts = _split_ifs(variables[name].replace(LIST_SEP, " "), variables.get("IFS"))
            argv.extend(parts)
            return
        default = expansion_default(word)
        if default is not None:
            dynamic.add(len(argv))
            argv.append(default)
            return
    if word.type in _UNQUOTED:
        text = node_text(word)
        if "IFS" in text and "IFS" not in variables:
            # `rm${IFS}-rf${IFS}/`: an unset IFS splits on white space
            value, dyn = evaluate(word, {**variables, "IFS": " "})
            for part in value.split():
                if dyn:
                    dynamic.add(len(argv))
                argv.append(part)
            return
        if expand.has_braces(text) and _plain_words(word):
            argv.extend(expand.expand_braces(unescape_word(text)))
            return
    value, dyn = evaluate(word, variables)
    if dyn:
        dynamic.add(len(argv))
    argv.append(value)


MAX_LOOP_ITEMS = 16


def loop_items(node: Node, variables: Mapping[str, str]) -> list[str] | None:
    """The values of `for x in a b c` when each is known and there are few (else None). A glob
    stands for the files it matches (`for f in /*` is judged as `/*`)."""
    items: list[str] = []
    for v in node.children_by_field_name("value"):
        if v.type == "brace_expression":  # `{1..3}`
            items.extend(expand.expand_braces(node_text(v)))
            continue
        text, dynamic = evaluate(v, variables)
        if dynamic:
            return None
        if v.type in ("string", "raw_string", "ansi_c_string"):
            items.append(text)
        elif _plain_words(v) and expand.has_braces(text):
            items.extend(expand.expand_braces(text))  # `for h in web-{1..3}`
        else:
            items.extend(text.replace(LIST_SEP, " ").split())
    return items if len(items) <= MAX_LOOP_ITEMS else None


def _split_ifs(value: str, ifs: str | None) -> list[str]:
    for sep in ifs or "":
        value = value.replace(sep, " ")
    return value.split()


def special_op(
    cmd: Command, action: str, summary: str, tags: tuple[str, ...], text: str
) -> Operation:
    targets = (Target.make("host", cmd.host, host=cmd.host),) if cmd.host else ()
    return Operation(
        family="shell",
        action=action,
        effect=Effect.UNKNOWN,
        program=cmd.program or "sh",
        targets=targets,
        tags=frozenset(tags),
        summary=summary,
        text=text,
        via=cmd.via,
    )


def origins(cmd: Command) -> tuple[str, ...]:
    return tuple(v.split(":", 1)[1] for v in cmd.via if v.startswith("origin:"))


def redirect_parts(r: Node, variables: Mapping[str, str]) -> tuple[str | None, str]:
    op = None
    dest: str | None = None
    for c in r.children:
        if c.type in (">", ">|", ">>", "&>", "&>>", ">&", "<", "<&", "<>", ">&-", "<&-"):
            op = c.type
        elif dest is None and c.is_named and c.type != "file_descriptor":
            # INVARIANT: the first word after the operator is the destination (tree-sitter
            # sometimes also files the next redirect's descriptor under `destination`).
            dest = evaluate(c, variables)[0]
    return op, dest or ""


def remember_selection(cmd: Command, env: list[tuple[str, str]]) -> None:
    """Commands that select an environment for the commands after them in the same line."""
    argv = cmd.argv
    if (
        cmd.program in ("terraform", "tofu")
        and len(argv) >= 4
        and argv[1:3] in (("workspace", "select"), ("workspace", "new"))
        and not cmd.is_dynamic(3)
    ):
        env.append(("TF_WORKSPACE", argv[3]))


def cd(cwd: str | None, cmd: Command) -> str | None:
    args = [a for a in cmd.args if not a.startswith("-")]
    if not args or cmd.is_dynamic(1):
        return None if args else cwd
    target = args[0]
    if target.startswith("/") or cwd is None:
        return target
    return cwd.rstrip("/") + "/" + target


def _plain_words(node: Node) -> bool:
    """True when a word has no quoted or expanded part (brace expansion applies only then)."""
    if node.type == "word":
        return True
    return node.type == "concatenation" and all(c.type == "word" for c in node.children)


def procsub_node(node: Node, redirects: Any, argv: list[str]) -> Node | None:
    """The process substitution a shell or `source` reads its code from (`bash <(curl …)`)."""
    prog = argv[0].rsplit("/", 1)[-1] if argv else ""
    if prog not in SHELLS and prog not in ("source", "."):
        return None
    for r in (*node.named_children, *redirects):
        if r.type == "file_redirect" and any(c.type == "<" for c in r.children):
            sub = r.child_by_field_name("destination")
            if sub is not None and sub.type == "process_substitution":
                return sub
    for c in node.children_by_field_name("argument"):
        text = node_text(c)
        if c.type == "process_substitution" and text.startswith("<("):
            return c
        if not text.startswith("-"):
            return None
    return None


def stdin_of(
    node: Node,
    redirects: Any,
    variables: Mapping[str, str],
    piped: tuple[str | None, tuple[str, ...]] | None,
) -> tuple[str | None, bool]:
    for r in list(node.named_children) + list(redirects):
        if r.type == "heredoc_redirect":
            body = [c for c in r.named_children if c.type == "heredoc_body"]
            return ("".join(node_text(b) for b in body), False)
        if r.type == "herestring_redirect":
            word = r.named_children[-1] if r.named_child_count else None
            if word is not None:
                value, dyn = evaluate(word, variables)
                return (None, True) if dyn else (value + "\n", False)
    if piped is not None:
        return piped[0], piped[0] is None
    return None, False


def redirect_pairs(
    node: Node, redirects: Any, variables: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    for r in list(node.named_children) + list(redirects):
        if r.type == "file_redirect":
            op, dest = redirect_parts(r, variables)
            if op is not None:
                yield op, dest


def guessed_program(word: str) -> str | None:
    """The program a run-time program word most likely names: `$(which rm)` → `rm`, and the
    default of `${TOOL:-kubectl}` (already in `word`) → `kubectl`."""
    m = _LOOKUP.match(word)
    if m:
        return m[1]
    return word if _NAME.match(word) else None


def script_key(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def remember_files(files: dict[str, str], cmd: Command) -> None:
    """Keep what a command writes to a file when the text is known (`echo … > x.sh`,
    `cat > x.sh <<EOF`), so running that file later in the line is read as its text."""
    from interlock.parse.pipes import known_stdout

    writes = [(op, script_key(p)) for op, p in cmd.redirects if op in (">", ">|", ">>", "&>")]
    if not writes:
        return
    text = known_stdout(cmd)
    for op, path in writes:
        if text is None or cmd.host:
            files.pop(path, None)
        elif op == ">>":
            files[path] = files.get(path, "") + text
        else:
            files[path] = text


def written_script(files: Mapping[str, str], cmd: Command) -> str | None:
    """The text of a file written earlier in the line that `cmd` runs (`./x.sh`, `. x.sh`)."""
    if not files or cmd.host:
        return None
    if cmd.program in ("source", ".") and len(cmd.argv) > 1:
        return files.get(script_key(cmd.argv[1]))
    if "/" in cmd.argv[0]:
        return files.get(script_key(cmd.argv[0]))
    return None


def export_op(node: Node, host: str | None, via: tuple[str, ...]) -> Operation:
    """`export A=1 B`: a read-only operation naming the variables, so policies can see them."""
    names = []
    for c in node.named_children:
        name = c.child_by_field_name("name") if c.type == "variable_assignment" else c
        if name is not None and name.type in ("variable_name", "word"):
            names.append(node_text(name))
    return Operation(
        family="shell",
        action="export",
        effect=Effect.READ,
        program="export",
        targets=tuple(Target.make("env-var", n, host=host) for n in names),
        summary="sets environment variables for the commands after it",
        text=node_text(node),
        via=via,
    )


_LOCATED = ("host", "context", "cluster", "profile", "account", "project", "subscription", "url")


def on_host(op: Operation, host: str) -> Operation:
    """`op` as run on `host` (`ssh host …`, `docker exec c …`): every target that an analyzer
    did not locate elsewhere is on that host, and a change with no target still lands there.
    INVARIANT: a local tier an analyzer guessed (`./build`) no longer holds on another host, so
    it is reset for the resolver to decide from the host."""
    from dataclasses import replace

    from interlock.model import Tier

    targets = []
    for t in op.targets:
        if any(t.get(k) for k in _LOCATED):
            targets.append(t)
            continue
        scope = tuple(sorted((*t.scope, ("host", host))))
        targets.append(replace(t, scope=scope, tier=Tier.UNKNOWN))
    if not targets and op.effect is not Effect.READ:
        targets.append(Target.make("host", host, host=host))
    return replace(op, targets=tuple(targets))


_PLACED = (*_LOCATED, "env", "workspace", "stack")


def in_environment(op: Operation, names: tuple[str, ...]) -> Operation:
    """`op` as run with the secrets of the environments `names` (`doppler run -c prd -- …`):
    a target no analyzer placed (no host, context, profile, env …; not a file; no tier of
    its own) is in those environments, and a change with no target still lands there."""
    from dataclasses import replace

    from interlock.model import Tier

    env = tuple(("env", n) for n in names)
    targets = [
        t
        if t.kind == "path" or t.tier is not Tier.UNKNOWN or any(t.get(k) for k in _PLACED)
        else replace(t, scope=tuple(sorted((*t.scope, *env))))
        for t in op.targets
    ]
    if not targets and op.effect is not Effect.READ:
        targets = [Target.make("environment", n, env=n) for n in names]
    return replace(op, targets=tuple(targets))


def init_script(cmd: Command) -> Command:
    """`/etc/init.d/NAME VERB` as the `service NAME VERB` it is."""
    from dataclasses import replace

    name = cmd.argv[0].rsplit("/", 1)[-1]
    return replace(
        cmd,
        argv=("service", name, *cmd.argv[1:]),
        dynamic=frozenset(i + 1 for i in cmd.dynamic),
    )
