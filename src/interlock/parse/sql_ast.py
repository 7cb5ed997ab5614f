"""Classify one SQL statement from its sqlglot syntax tree.

Imported lazily by `interlock.parse.sql` (sqlglot is slow to import). Statements sqlglot only
keeps as an opaque command (`DROP USER`, `VACUUM`, `EXPLAIN`) go to the keyword classifier.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlglot
from sqlglot import exp

from interlock.model import Effect
from interlock.parse.sql_keywords import SqlStatement, by_keywords, stmt

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN
_RANK = {R: 0, W: 1, U: 2, D: 3}
_DML = (exp.Delete, exp.Update, exp.Drop, exp.TruncateTable, exp.Insert, exp.Merge, exp.Create)
_KINDS = {
    "TABLE": "table",
    "DATABASE": "database",
    "SCHEMA": "schema",
    "VIEW": "view",
    "INDEX": "index",
    "COLUMN": "column",
    "SEQUENCE": "sequence",
    "FUNCTION": "function",
    "PROCEDURE": "procedure",
    "TRIGGER": "trigger",
    "CONSTRAINT": "constraint",
    "USER": "user",
    "ROLE": "role",
    "TYPE": "type",
    "MATERIALIZED VIEW": "view",
    "DICTIONARY": "dictionary",
    "WAREHOUSE": "warehouse",
    "STAGE": "stage",
}
_OUTER = frozenset({"LEFT", "RIGHT", "FULL", "OUTER", "CROSS"})

logging.getLogger("sqlglot").setLevel(logging.CRITICAL)  # its fallback warnings are noise here


def classify_tree(text: str, dialect: str, words: list[str]) -> SqlStatement | None:
    """The statement's class, or None when neither sqlglot nor keywords can tell."""
    try:
        trees = [t for t in sqlglot.parse(text, read=dialect or None) if t is not None]
    except Exception:  # sqlglot's ParseError/TokenError, and any bug in a dialect
        found = by_keywords(words, text)
        if found is None:
            return None
        return SqlStatement(
            found.kind,
            found.effect,
            found.object_kind,
            found.objects,
            found.tags | {"unparsed"},
            text,
        )
    results = [_tree(t, text, words) for t in trees]
    results = [r for r in results if r is not None]
    if not results:
        return None
    return max(results, key=lambda s: _RANK[s.effect])


def _tree(node: exp.Expression, text: str, words: list[str]) -> SqlStatement | None:
    handler = _HANDLERS.get(type(node))
    if handler is None:
        if isinstance(node, exp.Query):
            handler = _select
        else:
            return by_keywords(words, text) or stmt("other", U, text=text)
    found = handler(node, text)
    if not isinstance(node, (exp.Alter, exp.Merge)):  # their DELETE/UPDATE arms are filtered
        for sub in node.find_all(*_DML):
            if sub is node:
                continue
            inner = _HANDLERS[type(sub)](sub, text)
            if _RANK[inner.effect] > _RANK[found.effect]:
                found = SqlStatement(
                    inner.kind,
                    inner.effect,
                    inner.object_kind,
                    inner.objects,
                    inner.tags | {"nested"},
                    text,
                )
    return found


def _name(e: exp.Expression | None) -> str:
    if e is None:
        return ""
    if isinstance(e, exp.Table):
        return ".".join(p.name for p in e.parts) or e.sql()
    return e.name or e.sql()


def _names(items: list[exp.Expression] | None) -> tuple[str, ...]:
    return tuple(n for n in (_name(i) for i in items or ()) if n)


def _kind(node: exp.Expression, default: str = "object") -> str:
    raw = str(node.args.get("kind") or "").upper()
    return _KINDS.get(raw, raw.lower() or default)


def _drop(node: exp.Expression, text: str) -> SqlStatement:
    tags = [t for t, key in (("if-exists", "exists"), ("cascade", "cascade")) if node.args.get(key)]
    objs = _names(node.args.get("tables")) or _names([node.this] if node.this else [])
    return stmt("drop", D, _kind(node), objs, tuple(tags), text)


def _truncate(node: exp.Expression, text: str) -> SqlStatement:
    okind = "database" if node.args.get("is_database") else "table"
    tags = ("cascade",) if "CASCADE" in text.upper() else ()
    return stmt("truncate", D, okind, _names(node.expressions), tags, text)


def _filtered(kind: str, node: exp.Expression, text: str) -> SqlStatement:
    target = node.this
    objs = _names(node.args.get("tables")) or _names([target] if target is not None else [])
    where = node.args.get("where")
    if where is not None and not always_true(where.this):
        return stmt(kind, W, "table", objs, (), text)
    if where is None and _join_filtered(target):
        return stmt(kind, W, "table", objs, ("join",), text)
    return stmt(kind, D, "table", objs, ("no-where",), text)


def _join_filtered(target: exp.Expression | None) -> bool:
    """An inner join with an ON condition filters the rows an UPDATE/DELETE touches."""
    joins = target.args.get("joins") if target is not None else None
    for j in joins or ():
        side = {str(j.args.get(k) or "").upper() for k in ("side", "kind")}
        if j.args.get("on") is not None and not side & _OUTER:
            return True
    return False


def _delete(node: exp.Expression, text: str) -> SqlStatement:
    return _filtered("delete", node, text)


def _update(node: exp.Expression, text: str) -> SqlStatement:
    return _filtered("update", node, text)


def _alter(node: exp.Expression, text: str) -> SqlStatement:
    objs = _names([node.this] if node.this else [])
    okind = _kind(node)
    for action in node.args.get("actions") or ():
        if isinstance(action, (exp.Drop, exp.DropPartition)):
            return stmt("alter-drop", D, okind, objs, (), text)
        if isinstance(action, exp.Delete):
            where = action.args.get("where")
            if where is None or always_true(where.this):
                return stmt("alter-drop", D, okind, objs, ("no-where",), text)
            return stmt("delete", W, okind, objs, (), text)
    return by_keywords_alter(text) or stmt("alter", W, okind, objs, (), text)


def by_keywords_alter(text: str) -> SqlStatement | None:
    """`ALTER TABLE t DROP …` forms sqlglot keeps as an opaque property."""
    from interlock.parse.sql_keywords import words_of

    words = words_of(text)
    found = by_keywords(words, text)
    return found if found is not None and found.effect is D else None


def _create(node: exp.Expression, text: str) -> SqlStatement:
    okind = _kind(node)
    objs = _names([node.this] if isinstance(node.this, exp.Table) else [])
    if node.args.get("replace") and okind in ("table", "database", "schema"):
        return stmt("create", D, okind, objs, ("replace",), text)
    return stmt("create", W, okind, objs, (), text)


def _insert(node: exp.Expression, text: str) -> SqlStatement:
    objs = _names([node.this] if isinstance(node.this, exp.Table) else [])
    if node.args.get("overwrite"):
        return stmt("insert", D, "table", objs, ("overwrite",), text)
    return stmt("insert", W, "table", objs, (), text)


def _merge(node: exp.Expression, text: str) -> SqlStatement:
    return stmt("merge", W, "table", _names([node.this] if node.this else []), (), text)


def _grant(node: exp.Expression, text: str) -> SqlStatement:
    return stmt("grant" if isinstance(node, exp.Grant) else "revoke", W, "privilege", text=text)


def _copy(node: exp.Expression, text: str) -> SqlStatement:
    if "PROGRAM" in text.upper():
        return by_keywords(_words(text), text) or stmt("copy", U, tags=("remote-code",), text=text)
    objs = _names([node.this] if isinstance(node.this, exp.Table) else [])
    return stmt("copy", W if node.args.get("kind") else R, "table", objs, (), text)


def _select(node: exp.Expression, text: str) -> SqlStatement:
    into = node.args.get("into")
    if into is not None:
        return stmt("select-into", W, "table", _names([into.this] if into.this else []), (), text)
    return stmt("select", R, text=text)


def _words(text: str) -> list[str]:
    from interlock.parse.sql_keywords import words_of

    return words_of(text)


def always_true(e: exp.Expression | None) -> bool:
    """A WHERE condition that holds for every row (`1=1`, `true`, `1`, `x = x`, `a OR 1=1`)."""
    if e is None:
        return True
    if isinstance(e, exp.Paren):
        return always_true(e.this)
    if isinstance(e, exp.Boolean):
        return bool(e.this)
    if isinstance(e, exp.Literal):
        return not e.is_string and _num(e) not in (None, 0.0)
    if isinstance(e, exp.Or):
        return always_true(e.this) or always_true(e.expression)
    if isinstance(e, exp.And):
        return always_true(e.this) and always_true(e.expression)
    if isinstance(e, exp.Not):
        return _always_false(e.this)
    if isinstance(e, (exp.EQ, exp.GTE, exp.LTE)):
        return e.this == e.expression or _compare(e)
    if isinstance(e, (exp.NEQ, exp.GT, exp.LT)):
        return _compare(e)
    if isinstance(e, exp.Like):
        pat = e.expression
        return isinstance(pat, exp.Literal) and pat.is_string and set(pat.this) <= {"%"}
    return False


def _always_false(e: exp.Expression | None) -> bool:
    if isinstance(e, exp.Paren):
        return _always_false(e.this)
    if isinstance(e, exp.Boolean):
        return not e.this
    if isinstance(e, exp.Literal):
        return not e.is_string and _num(e) == 0.0
    if isinstance(e, exp.EQ | exp.NEQ | exp.GT | exp.LT | exp.GTE | exp.LTE):
        return _compare(e, negate=True)
    return False


def _num(e: exp.Expression) -> float | None:
    try:
        return float(e.this)
    except (TypeError, ValueError):
        return None


_OPS: dict[type, Callable[[object, object], bool]] = {
    exp.EQ: lambda a, b: a == b, exp.NEQ: lambda a, b: a != b,
    exp.GT: lambda a, b: a > b, exp.LT: lambda a, b: a < b,  # type: ignore[operator]
    exp.GTE: lambda a, b: a >= b, exp.LTE: lambda a, b: a <= b,  # type: ignore[operator]
}  # fmt: skip


def _compare(e: exp.Expression, negate: bool = False) -> bool:
    """Both sides literals of one type and the comparison holds (or fails, when `negate`)."""
    a, b = e.this, e.expression
    if not (isinstance(a, exp.Literal) and isinstance(b, exp.Literal)):
        return False
    if a.is_string != b.is_string:
        return False
    va, vb = (a.this, b.this) if a.is_string else (_num(a), _num(b))
    if va is None or vb is None:
        return False
    return _OPS[type(e)](va, vb) != negate


_HANDLERS: dict[type, Callable[[exp.Expression, str], SqlStatement]] = {
    exp.Drop: _drop, exp.TruncateTable: _truncate, exp.Delete: _delete, exp.Update: _update,
    exp.Alter: _alter, exp.Create: _create, exp.Insert: _insert, exp.Merge: _merge,
    exp.Grant: _grant, exp.Revoke: _grant, exp.Copy: _copy, exp.Select: _select,
}  # fmt: skip
