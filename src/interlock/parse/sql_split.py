"""Split SQL text into statements and client commands, the way the client would run them.

Comments are dropped, except MySQL executable comments (`/*! … */`, `/*!50000 … */`), whose
body runs and is kept. Client commands are whole lines: psql/mysql `\\x`, sqlite/duckdb `.x`,
SQL*Plus lines (`SET …`, `@file`, `HOST …`), sqlcmd `!!`/`:r`; a T-SQL `GO` line or SQL*Plus
`/` line ends a statement; MySQL `DELIMITER` changes the terminator.
"""

from __future__ import annotations

import re

Segment = tuple[str, str]  # ("sql" | "meta", text)


def _split_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_SQLPLUS = _split_words(
    "SET SPOOL COLUMN COL PROMPT WHENEVER EXIT QUIT SHOW DESC DESCRIBE TTITLE BTITLE BREAK "
    "COMPUTE ACCEPT DEFINE UNDEFINE VARIABLE VAR PRINT CONNECT CONN DISCONNECT STARTUP "
    "SHUTDOWN REM REMARK HOST PAUSE CLEAR TIMING EXECUTE EXEC RUN SAVE GET START"
)
_DOT_DIALECTS = frozenset({"sqlite", "duckdb"})
_BACKSLASH_DIALECTS = frozenset({"postgres", "mysql", "redshift", ""})


def split_sql(text: str, dialect: str = "") -> list[Segment]:
    """Statements (`sql`) and client commands (`meta`) in the order they would run."""
    return _Splitter(text, dialect).run()


class _Splitter:
    def __init__(self, text: str, dialect: str) -> None:
        self.text = text
        self.dialect = dialect
        self.delim = ";"
        self.out: list[Segment] = []
        self.buf: list[str] = []
        self.i = 0

    def run(self) -> list[Segment]:
        t, n = self.text, len(self.text)
        while self.i < n:
            if (self.i == 0 or t[self.i - 1] == "\n") and self._terminator_line():
                continue
            if self._at_line_start() and self._line_command():
                continue
            c = t[self.i]
            if t.startswith(self.delim, self.i):
                self._flush()
                self.i += len(self.delim)
            elif c == "\\" and self.dialect in _BACKSLASH_DIALECTS:
                self._backslash()
            elif c in "'\"`" or (c == "[" and self.dialect == "tsql"):
                self._quoted("]" if c == "[" else c)
            elif c == "$" and _DOLLAR.match(t, self.i) and self.dialect != "tsql":
                self._dollar()
            elif t.startswith("--", self.i) or (c == "#" and self.dialect == "mysql"):
                self._skip_to_eol()
            elif t.startswith("/*", self.i):
                self._block_comment()
            else:
                self.buf.append(c)
                self.i += 1
        self._flush()
        return self.out

    # -- pieces -------------------------------------------------------------------------------

    def _flush(self) -> None:
        stmt = "".join(self.buf).strip()
        self.buf = []
        if stmt:
            self.out.append(("sql", stmt))

    def _at_line_start(self) -> bool:
        return not "".join(self.buf).strip()

    def _line(self) -> str:
        end = self.text.find("\n", self.i)
        return self.text[self.i : len(self.text) if end < 0 else end]

    def _line_command(self) -> bool:
        """Handle a whole-line client command at the start of a statement."""
        line = self._line()
        stripped = line.strip()
        if not stripped:
            return False
        head = stripped.split(None, 1)[0].upper()
        meta = False
        if (
            (self.dialect in _DOT_DIALECTS and stripped.startswith("."))
            or (self.dialect == "oracle" and (head in _SQLPLUS or stripped[0] in "@!"))
            or (self.dialect == "tsql" and stripped[:2] in ("!!", ":r", ":R"))
        ):
            meta = True
        elif self.dialect == "mysql" and head == "DELIMITER":
            parts = stripped.split()
            self.delim = parts[1] if len(parts) > 1 else ";"
            self.i += len(line)
            return True
        elif self.dialect == "mysql" and head in ("SOURCE", "SYSTEM"):
            meta = True
        if meta:
            self.buf = []
            self.out.append(("meta", stripped))
            self.i += len(line)
        return meta

    def _terminator_line(self) -> bool:
        """A T-SQL `GO [n]` or SQL*Plus `/` line ends the statement before it."""
        line = self._line()
        words = line.split()
        go = self.dialect == "tsql" and words and words[0].upper() == "GO" and len(words) <= 2
        slash = self.dialect == "oracle" and line.strip() == "/"
        if not (go or slash):
            return False
        self._flush()
        self.i += len(line)
        return True

    def _backslash(self) -> None:
        """A psql/mysql backslash command: runs to the end of the line, ends the buffer."""
        line = self._line()
        self._flush()
        cmd = line.strip()
        if cmd not in ("\\g", "\\G", "\\gx", "\\;"):
            self.out.append(("meta", cmd))
        self.i += len(line)

    def _quoted(self, close: str) -> None:
        t, n = self.text, len(self.text)
        j = self.i + 1
        while j < n:
            ch = t[j]
            if ch == "\\" and close == "'" and self.dialect in ("mysql", "bigquery", ""):
                j += 2
                continue
            if ch == close:
                if j + 1 < n and t[j + 1] == close:
                    j += 2
                    continue
                break
            j += 1
        self.buf.append(t[self.i : j + 1])
        self.i = j + 1

    def _dollar(self) -> None:
        m = _DOLLAR.match(self.text, self.i)
        if m is None:
            self.buf.append("$")
            self.i += 1
            return
        tag = m.group(0)
        end = self.text.find(tag, m.end())
        stop = len(self.text) if end < 0 else end + len(tag)
        self.buf.append(self.text[self.i : stop])
        self.i = stop

    def _skip_to_eol(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end

    def _block_comment(self) -> None:
        end = self.text.find("*/", self.i + 2)
        stop = len(self.text) if end < 0 else end
        body = self.text[self.i + 2 : stop]
        if body.startswith("!"):
            # MySQL executable comment: `/*!50000 DROP TABLE x */` runs its body
            self.buf.append(" " + body[1:].lstrip("0123456789") + " ")
        elif body.startswith("M!"):
            self.buf.append(" " + body[2:].lstrip("0123456789") + " ")
        else:
            self.buf.append(" ")
        self.i = stop + 2
