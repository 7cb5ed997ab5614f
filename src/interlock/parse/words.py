"""Static evaluation of shell words: quotes, escapes, `$'…'`, and variables set earlier.

A word evaluates to `(text, dynamic)`: `dynamic` is True when some part of it cannot be known
without running the script (`$HOME`, `$(…)`, `$((…))`, `$1`); the text then keeps that part's
source so analyzers can still recognise `$HOME` or `~`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

Node = Any  # tree_sitter.Node; typed loosely to keep tree-sitter out of import time

LIST_SEP = "\0"  # separates the items of `$@` and `${a[@]}` in a variable's value
MAX_PRINTED_DEPTH = 4  # `$(echo $(echo …))` nested deeper than this stays dynamic
MAX_PRINTF_PARTS = 4096  # `printf FMT ARGS…` printing more pieces than this is not followed
_PRINTF_SPEC = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?([sbcdiuxXo%])")
_ANSI_SIMPLE = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def node_text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def unescape_word(text: str) -> str:
    """Remove backslash escapes from an unquoted word (`\\r\\m` → `rm`)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def decode_ansi_c(body: str) -> str:
    """Decode the inside of `$'…'`."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ANSI_SIMPLE:
            out.append(_ANSI_SIMPLE[nxt])
            i += 2
        elif nxt == "x":
            i = _take_code(body, i + 2, 2, 16, out)
        elif nxt == "u":
            i = _take_code(body, i + 2, 4, 16, out)
        elif nxt == "U":
            i = _take_code(body, i + 2, 8, 16, out)
        elif nxt in "01234567":
            i = _take_code(body, i + 1, 3, 8, out)
        elif nxt == "c" and i + 2 < n:
            out.append(chr(ord(body[i + 2]) & 0x1F))
            i += 3
        else:
            out.append("\\" + nxt)
            i += 2
    return "".join(out)


def _take_code(body: str, start: int, most: int, base: int, out: list[str]) -> int:
    digits = "0123456789abcdefABCDEF"[: base if base <= 10 else 22]
    end = start
    while end < len(body) and end - start < most and body[end] in digits:
        end += 1
    if end == start:
        out.append("\\" + body[start - 1])
        return start
    try:
        out.append(chr(int(body[start:end], base)))
    except (ValueError, OverflowError):
        out.append("\ufffd")
    return end


def _unescape_dquoted(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def expansion_name(node: Node) -> str | None:
    """`$NAME`, `${NAME}` → NAME; `$@`, `$1` → `@`, `1`; `${a[@]}`, `${a[2]}` → `a[@]`, `a[2]`
    (`*` reads as `@`); anything fancier → None."""
    if node.type == "simple_expansion":
        for c in node.children:
            if c.type in ("variable_name", "special_variable_name"):
                return _list_name(node_text(c))
        return None
    if node.type == "expansion":
        kids = [c for c in node.children if c.type not in ("${", "}")]
        if len(kids) != 1:
            return None
        if kids[0].type in ("variable_name", "special_variable_name"):
            return _list_name(node_text(kids[0]))
        if kids[0].type == "subscript":
            return _subscript_name(kids[0])
    return None


def indirect_name(node: Node, variables: Mapping[str, str]) -> str | None:
    """`${!ref}` with `ref` known: the name it refers to (`ref=HOME` → `HOME`; `ref=a[1]`,
    `ref=@`, `ref=2` too). None for anything else, `${!prefix*}` and `${!a[@]}` included."""
    if node.type != "expansion" or node.child_count != 4 or node.children[1].type != "!":
        return None
    ref = node.children[2]
    if ref.type != "variable_name" or node_text(ref) not in variables:
        return None
    name = variables[node_text(ref)]
    base, bracket, index = name.partition("[")
    if not (base.isidentifier() or base.isdigit() or base in ("@", "*")):
        return None
    if not bracket:
        return _list_name(base)
    index = index.removesuffix("]")
    if index in ("@", "*"):
        return base + "[@]"
    return f"{base}[{index}]" if index.isdigit() else None


def _list_name(name: str) -> str:
    return "@" if name == "*" else name


def _subscript_name(node: Node) -> str | None:
    parts = [c for c in node.children if c.type not in ("[", "]")]
    if len(parts) != 2 or parts[0].type != "variable_name":
        return None
    index = node_text(parts[1])
    if index in ("@", "*"):
        return node_text(parts[0]) + "[@]"
    return f"{node_text(parts[0])}[{index}]" if index.isdigit() else None


def list_words(value: str) -> list[str]:
    """The words of a list value (`$@`, `${a[@]}`), stored with NUL between items."""
    return value.split(LIST_SEP) if value else []


def expansion_default(node: Node) -> str | None:
    """`${NAME:-default}` → `default` (a static guess at the value when NAME is unset)."""
    if node.type != "expansion":
        return None
    text = node_text(node)
    for op in (":-", "-", ":=", "="):
        head, sep, tail = text[2:-1].partition(op)
        if sep and head.isidentifier() and "$" not in tail and "`" not in tail:
            return tail.strip("'\"")
    return None


def evaluate(node: Node, variables: Mapping[str, str], depth: int = 0) -> tuple[str, bool]:
    """The static value of a word node, and whether any part of it is dynamic."""
    t = node.type
    if t == "word":
        return unescape_word(node_text(node)), False
    if t == "raw_string":
        return node_text(node)[1:-1], False
    if t == "number":
        return node_text(node), False
    if t == "ansi_c_string":
        return decode_ansi_c(node_text(node)[2:-1]), False
    if t in ("string", "translated_string"):
        return _evaluate_parts(node, variables, True, depth)
    if t == "concatenation":
        return _evaluate_parts(node, variables, False, depth)
    if t in ("simple_expansion", "expansion"):
        name = expansion_name(node) or indirect_name(node, variables)
        if name is not None and name in variables:
            return variables[name].replace(LIST_SEP, " "), False
        if name is not None and node_text(node)[2:3] == "!":
            return "${" + name + "}", True  # `${!ref}` with ref=HOME reads as `${HOME}`
        return node_text(node), True
    if t == "command_substitution" and depth < MAX_PRINTED_DEPTH:
        printed = printed_text(node, variables, depth + 1)
        if printed is not None:
            return printed, False
    return node_text(node), True


def printed_text(node: Node, variables: Mapping[str, str], depth: int = 0) -> str | None:
    """What `$(echo …)` / `$(printf …)` expands to, when every word in it is static; also
    through a pipeline of decoders (`$(echo cm0g… | base64 -d)`, `$(base64 -d <<< cm0g…)`)."""
    body = [c for c in node.named_children if c.type != "comment"]
    if len(body) != 1:
        return None
    if body[0].type == "command":
        words = _static_command(body[0], variables, depth)
        out = _printed(words[0]) if words is not None and words[1] is None else None
        if out is None and words is not None:
            out = _piped([body[0]], variables, depth)
    elif body[0].type in ("pipeline", "redirected_statement"):
        stages = body[0].named_children if body[0].type == "pipeline" else [body[0]]
        out = _piped(stages, variables, depth)
    else:
        return None
    # INVARIANT: a command substitution drops the trailing newlines (and NULs) it captures.
    return None if out is None else out.replace("\0", "").rstrip("\n")


def _static_command(
    node: Node, variables: Mapping[str, str], depth: int
) -> tuple[list[str], str | None] | None:
    """The argv of a command node and the text of its here-string, when all are static."""
    argv: list[str] = []
    stdin = None
    for c in node.named_children:
        if c.type == "command_name":
            c = c.named_children[0] if c.named_child_count else c
        elif c.type == "herestring_redirect" and c.named_child_count:
            value, dynamic = evaluate(c.named_children[-1], variables, depth)
            if dynamic:
                return None
            stdin = value + "\n"
            continue
        elif c.type.endswith("redirect") or c.type == "variable_assignment":
            return None
        value, dynamic = evaluate(c, variables, depth)
        if dynamic:
            return None
        argv.append(value)
    return (argv, stdin) if argv else None


def _here_text(redirects: list[Node], variables: Mapping[str, str], depth: int) -> str | None:
    """The text of the single here-string or heredoc in `redirects` (None: anything else)."""
    if len(redirects) != 1 or not redirects[0].named_child_count:
        return None
    r = redirects[0]
    if r.type == "heredoc_redirect":
        return "".join(node_text(c) for c in r.named_children if c.type == "heredoc_body")
    if r.type != "herestring_redirect":
        return None
    value, dynamic = evaluate(r.named_children[-1], variables, depth)
    return None if dynamic else value + "\n"


def _piped(stages: list[Node], variables: Mapping[str, str], depth: int) -> str | None:
    """What the last of `stages` prints, each fed what the one before printed."""
    from interlock.model import Command
    from interlock.parse.pipes import known_stdout

    text: str | None = None
    for k, stage in enumerate(stages):
        if stage.type == "redirected_statement":
            body = stage.child_by_field_name("body")
            redirects = [c for c in stage.named_children if c != body]
            here = _here_text(redirects, variables, depth)
            if body is None or body.type != "command" or here is None:
                return None
            stage = body
        else:
            here = None
        words = _static_command(stage, variables, depth) if stage.type == "command" else None
        if words is None or (k and text is None):
            return None
        stdin = here or words[1] or text
        text = known_stdout(Command(argv=tuple(words[0]), stdin=stdin))
    return text


def _printed(argv: list[str]) -> str | None:
    prog, args = (argv[0], argv[1:]) if argv else ("", [])
    if prog == "echo":
        escapes = False
        while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
            escapes = escapes or "e" in args[0]
            args = args[1:]
        text = " ".join(args)
        if escapes and "\\" in text:
            return None if "\\0" in text else decode_ansi_c(text)
        return text
    if prog != "printf" or not args or args[0] == "-v":
        return None
    out = printf_text(args[0], args[1:])
    return None if out is None else out.replace("\0", "")  # bash drops NULs it captures


def printf_text(fmt: str, args: Sequence[str]) -> str | None:
    """What `printf FMT ARGS…` prints: the escapes of FMT, and `%s %b %c %d %i %u %x %X %o %%`
    with flags, width and precision; the format is reused while arguments remain (as bash
    does). None for what we do not model (`%q`, `%*d`, a number that is not one)."""
    specs = list(_PRINTF_SPEC.finditer(fmt))
    if "%" in _PRINTF_SPEC.sub("", fmt):
        return None
    out: list[str] = []
    rest = list(args)
    while True:
        pos, used = 0, 0
        for m in specs:
            out.append(decode_ansi_c(fmt[pos : m.start()]))
            pos = m.end()
            if m[4] == "%":
                out.append("%")
                continue
            used += 1
            piece = _convert(m[4], rest.pop(0) if rest else "", m[3])
            if piece is None:
                return None
            out.append(_pad(piece, m[1], int(m[2] or 0), m[4] in "diuxXo"))
        out.append(decode_ansi_c(fmt[pos:]))
        if not rest or not used or len(out) > MAX_PRINTF_PARTS:
            return "".join(out) if len(out) <= MAX_PRINTF_PARTS else None


def _pad(piece: str, flags: str, width: int, number: bool) -> str:
    if "-" in flags:
        return piece.ljust(width)
    return piece.zfill(width) if number and "0" in flags else piece.rjust(width)


def _convert(conv: str, arg: str, precision: str | None) -> str | None:
    if conv in "sb":
        text = decode_ansi_c(arg) if conv == "b" else arg
        return text[: int(precision)] if precision else text
    if conv == "c":
        return arg[:1]
    try:
        n = int(arg or "0", 0)
    except ValueError:
        return None
    return format(n, {"x": "x", "X": "X", "o": "o"}.get(conv, "d"))


def _evaluate_parts(
    node: Node, variables: Mapping[str, str], quoted: bool, depth: int
) -> tuple[str, bool]:
    parts: list[str] = []
    dynamic = False
    end = node.start_byte
    for c in node.children:
        ct = c.type
        if quoted and c.start_byte > end:
            # tree-sitter leaves the newlines of a quoted string out of its parts
            gap = node.text[end - node.start_byte : c.start_byte - node.start_byte]
            parts.append(gap.decode("utf-8", "replace"))
        end = c.end_byte
        if ct == '"':
            if c.end_byte - c.start_byte > 1:
                # `"$a "`: tree-sitter folds white space after an expansion into the quote
                parts.append(node_text(c)[:-1])
            continue
        if ct == "string_content":
            parts.append(_unescape_dquoted(node_text(c)))
        elif ct == "$" and quoted:
            parts.append("$")
        else:
            value, dyn = evaluate(c, variables, depth)
            parts.append(value)
            dynamic = dynamic or dyn
    return "".join(parts), dynamic
