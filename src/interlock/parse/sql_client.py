"""Client commands inside SQL text: psql/mysql backslash commands, sqlite/duckdb dot commands,
SQL*Plus and sqlcmd lines. Most only change the client's display; a few run shell code
(`\\!`, `.shell`, `HOST`, `!!`), run a script file (`\\i`, `.read`, `@file`, `:r`) or
change the database (`.restore`, `\\lo_unlink`)."""

from __future__ import annotations

import re

from interlock.model import Effect
from interlock.parse.sql_keywords import SqlStatement

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

_PSQL = {
    "\\!": ("shell", U), "\\i": ("script", U), "\\ir": ("script", U),
    "\\include": ("script", U), "\\include_relative": ("script", U), "\\c": ("connect", R),
    "\\connect": ("connect", R), "\\gexec": ("execute", U), "\\e": ("edit", U),
    "\\edit": ("edit", U), "\\ef": ("edit", U), "\\ev": ("edit", U),
    "\\lo_unlink": ("drop", D), "\\lo_import": ("insert", W), "\\password": ("alter", W),
}  # fmt: skip
_MYSQL = {
    "\\!": ("shell", U), "system": ("shell", U), "\\.": ("script", U), "source": ("script", U),
    "\\u": ("use", R), "use": ("use", R), "\\e": ("edit", U), "edit": ("edit", U),
    "\\r": ("connect", R), "connect": ("connect", R),
}  # fmt: skip
_DOT = {
    ".shell": ("shell", U), ".system": ("shell", U), ".read": ("script", U),
    ".restore": ("restore", D), ".import": ("insert", W), ".load": ("load", U),
    ".open": ("connect", R), ".edit": ("edit", U), ".ar": ("archive", W),
    ".archive": ("archive", W),
}  # fmt: skip
_SQLPLUS = {
    "host": ("shell", U), "!": ("shell", U), "@": ("script", U), "@@": ("script", U),
    "start": ("script", U), "exec": ("call", U), "execute": ("call", U),
    "shutdown": ("shutdown", W), "startup": ("startup", W), "connect": ("connect", R),
    "conn": ("connect", R), "get": ("script", U), "run": ("execute", U),
}  # fmt: skip
_SQLCMD = {"!!": ("shell", U), ":r": ("script", U)}
_PROGRAM = re.compile(r"\bprogram\s+'((?:[^']|'')*)'", re.I)
_TABLES = {
    "postgres": _PSQL,
    "redshift": _PSQL,
    "": _PSQL,
    "mysql": _MYSQL,
    "sqlite": _DOT,
    "duckdb": _DOT,
    "oracle": _SQLPLUS,
    "tsql": _SQLCMD,
}


def client_command(text: str, dialect: str, database: str | None) -> SqlStatement:
    """Classify one client command line (`\\dt`, `.tables`, `HOST rm x`, `!! dir`)."""
    head, arg = _head(text.strip())
    table = _TABLES.get(dialect, _PSQL)
    kind, effect = table.get(head.lower(), ("meta", R))
    if head.lower() in ("\\copy",):
        kind, effect = "copy", W if _copies_in(arg) else R
        program = _PROGRAM.search(arg)
        if program:  # `\\copy t TO PROGRAM 'gzip > x'` runs a shell command on this machine
            return SqlStatement("shell", U, "", (), frozenset(), text, database, program.group(1))
    tags = frozenset({"shutdown"}) if kind == "shutdown" else frozenset()
    objects = (_first(arg),) if arg and kind in ("use", "connect", "script", "restore") else ()
    shell = arg if kind == "shell" else None
    return SqlStatement(kind, effect, "", objects, tags, text, database, shell)


def _copies_in(arg: str) -> bool:
    """`\\copy t FROM f` loads rows; `\\copy (SELECT … FROM t) TO f` only reads them."""
    rest = arg.lower()
    if rest.startswith("("):
        depth = 0
        for i, ch in enumerate(rest):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                rest = rest[i + 1 :]
                break
        else:
            return True  # unbalanced: assume the worse direction
    else:
        rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
        if rest.startswith("("):  # a column list: `t (a, b) FROM f`
            rest = rest.split(")", 1)[-1]
    return rest.split(None, 1)[:1] != ["to"]


def _head(text: str) -> tuple[str, str]:
    """Split `\\!rm x`, `!rm x`, `@file`, `.shell x`, `HOST x` into command and argument."""
    for prefix in ("\\!", "!!", "@@", "@", "!"):
        if text.startswith(prefix):
            return prefix, text[len(prefix) :].strip()
    parts = text.split(None, 1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _first(arg: str) -> str:
    word = arg.split()[0] if arg.split() else arg
    return word.strip("'\";")
