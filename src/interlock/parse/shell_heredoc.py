"""Heredocs whose first line goes on: `cat <<EOF | sh`, `cat <<EOF > /etc/passwd`,
`cat <<EOF && rm -rf /`, `cat <<EOF; rm -rf /`.

tree-sitter-bash files what follows the delimiter on the heredoc's first line inside the
heredoc node (and, after a `;`, takes `EOF;` for the delimiter), so the walker would never see
the pipeline, the redirect or the next command. The shell reads that rest of the line as part of
the statement, and the heredoc as the command's standard input. `inline_heredocs` rewrites such
a heredoc into a here-string of the same text placed where the heredoc started, which
tree-sitter reads correctly: `cat <<EOF | sh⏎rm -rf /⏎EOF` becomes `cat <<< 'rm -rf /' | sh`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Node = Any

# `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF`: the operator and the delimiter word
_START = re.compile(rb"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([\w.@%+:/=-]+))")
MAX_REWRITES = 16


def inline_heredocs(root: Node, text: str, parse: Callable[[str], Node]) -> tuple[Node, str]:
    """The tree and text of `text` with every heredoc that goes on after its delimiter
    rewritten (bounded: what is left after `MAX_REWRITES` stays as tree-sitter read it)."""
    for _ in range(MAX_REWRITES):
        source = text.encode("utf-8", "surrogateescape")
        rewritten = _first(root, source)
        if rewritten is None:
            break
        text = rewritten.decode("utf-8", "surrogateescape")
        root = parse(text)
    return root, text


def _first(root: Node, source: bytes) -> bytes | None:
    """`source` with its first heredoc that has more on its first line rewritten as a
    here-string, or None when there is none."""
    for node in _heredocs(root):
        rewritten = _rewrite(node, source)
        if rewritten is not None:
            return rewritten
    return None


def _heredocs(root: Node) -> list[Node]:
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        after = node.next_sibling
        if node.type in ("<<", "<<-") and after is not None and after.type == "heredoc_start":
            found.append(node)  # also inside an ERROR node (`cat <<EOF; rm x`)
        stack.extend(reversed(node.children))
    return found


def _rewrite(node: Node, source: bytes) -> bytes | None:
    m = _START.match(source, node.start_byte)
    if m is None:
        return None
    eol = source.find(b"\n", m.end())
    if eol < 0:
        return None
    rest = source[m.end() : eol]
    if not rest.strip() or rest.lstrip().startswith(b"#"):
        return None  # nothing follows the delimiter: tree-sitter reads this one right
    quoted = m[4] is None
    delimiter = m[2] if m[2] is not None else m[3] if m[3] is not None else m[4]
    body, end = _body(source, eol + 1, delimiter, strip_tabs=bool(m[1]))
    word = _single_quoted(body) if quoted else _double_quoted(body)
    return source[: node.start_byte] + b"<<< " + word + rest + b"\n" + source[end:]


def _body(source: bytes, start: int, delimiter: bytes, strip_tabs: bool) -> tuple[bytes, int]:
    """The heredoc's text (without its last newline) and where the line after it starts."""
    pos = start
    while pos < len(source):
        eol = source.find(b"\n", pos)
        line_end = len(source) if eol < 0 else eol
        line = source[pos:line_end]
        if (line.lstrip(b"\t") if strip_tabs else line) == delimiter:
            return source[start : max(start, pos - 1)], min(len(source), line_end + 1)
        pos = line_end + 1
    return source[start:].rstrip(b"\n"), len(source)  # bash reads to the end of input


def _single_quoted(text: bytes) -> bytes:
    """A quoted delimiter keeps the text literal."""
    return b"'" + text.replace(b"'", b"'\\''") + b"'"


def _double_quoted(text: bytes) -> bytes:
    """An unquoted delimiter expands `$…` and `` `…` `` as inside double quotes; only `"`
    differs (literal in a heredoc)."""
    return b'"' + text.replace(b'"', b'\\"') + b'"'


def dash_before_heredoc(node: Node, redirects: Any) -> bool:
    """True when a lone `-` stands between `node` (a command) and its heredoc: tree-sitter-bash
    leaves it out of the command (`make -f - <<EOF`, `kubectl apply -f - <<EOF`)."""
    heredoc = next((r for r in redirects if r.type == "heredoc_redirect"), None)
    parent = heredoc.parent if heredoc is not None else None
    if parent is None or node.end_byte > heredoc.start_byte:
        return False
    base = parent.start_byte
    gap = parent.text[node.end_byte - base : heredoc.start_byte - base]
    return gap.strip() == b"-"
