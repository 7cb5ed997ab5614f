"""Paths in inline code: home-directory expressions read as the path `rm` would be given, and
writes to literal paths (`open('/etc/hosts', 'w')`) read as the redirection they amount to.

`shutil.rmtree(os.path.expanduser('~/.ssh'))`, `fs.rmSync(os.homedir() + '/.ssh')`,
`FileUtils.rm_rf(Dir.home)` and `remove_tree("$ENV{HOME}/.ssh")` all delete `~/.ssh` or `~`;
spelled that way, the path is judged exactly like `rm -rf ~/.ssh`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from interlock.model import Effect

if TYPE_CHECKING:
    from interlock.parse.tools.code_scan import Finding

_S = r"""(?:"([^"\\]*)"|'([^'\\]*)'|`([^`\\]*)`)"""
_HOME = (
    r"(?:(?:pathlib\.)?Path\.home\(\)|os\.path\.expanduser\(\s*['\"]~['\"]\s*\)|"
    r"(?:require\(\s*['\"](?:node:)?os['\"]\s*\)|os)\.homedir\(\)|Dir\.home|"
    r"ENV\[\s*['\"]HOME['\"]\s*\]|\$ENV\{HOME\}|os\.environ\[\s*['\"]HOME['\"]\s*\]|"
    r"os\.getenv\(\s*['\"]HOME['\"]\s*\)|process\.env\.HOME|Deno\.env\.get\(\s*['\"]HOME['\"]\s*\))"
)
# the argument, after the call's opening parenthesis
_EXPANDED = re.compile(r"\(\s*(?:os\.path\.expanduser|File\.expand_path)\(\s*" + _S + r"\s*\)")
_JOINED = re.compile(
    r"\(\s*(?:(?:os\.)?path\.join|File\.join)\(\s*" + _HOME + r"\s*,\s*" + _S + r"\s*\)"
)
_CONCAT = re.compile(r"\(\s*" + _HOME + r"\s*(?:\+|/|\.joinpath\()\s*" + _S)
_BARE = re.compile(r"\(\s*" + _HOME + r"\s*[),]")
_IN_STRING = re.compile(
    r"\$ENV\{HOME\}|#\{(?:Dir\.home|ENV\[['\"]HOME['\"]\])\}|\$\{(?:os|require\(['\"]os['\"]\))"
    r"\.homedir\(\)\}|\$\{process\.env\.HOME\}|\$HOME\b"
)


def _first(m: re.Match[str]) -> str:
    return next((g for g in m.groups()[-3:] if g is not None), "")


def home_path(after: str, literal: str | None) -> str | None:
    """`~` or `~/rest` when a deletion's argument is a home-directory expression, else None."""
    if literal is not None:
        found = _IN_STRING.match(literal)
        return "~" + literal[found.end() :] if found else None
    for pattern in (_EXPANDED, _JOINED, _CONCAT):
        m = pattern.match(after)
        if m:
            rest = _first(m)
            if pattern is _EXPANDED:
                return rest if rest.startswith("~") else None
            return "~/" + rest.lstrip("/")
    return "~" if _BARE.match(after) else None


# a write to a literal path, and whether it truncates (`>`) or appends (`>>`)
_FILE_WRITE = re.compile(
    r"(?:\bopen\s*\(\s*(?:my\s+)?[$\w]*\s*,?\s*(?:['\"](?P<pl>\+?[>]{1,2}|\+<)['\"]\s*,\s*)?|"
    r"(?P<fn>writeFileSync|writeFile|appendFileSync|appendFile|File\.(?:write|open)|IO\.write|"
    r"file_put_contents|fopen|Path)\s*\(\s*)"
    r"['\"](?P<inline>>{1,2})?\s*(?P<path>/[^'\"]+|~/[^'\"]+)['\"]"
    r"(?:\s*\)\.(?P<pm>write_text|write_bytes|open)\b|\s*,\s*['\"](?P<mode>[^'\"]*)['\"])?"
)


def file_writes(code: str) -> list[Finding]:
    """Writes to a literal path: `open('/etc/hosts', 'w')`, `fs.writeFileSync('/dev/sda', b)`."""
    from interlock.parse.tools.code_scan import Finding

    out = []
    for m in _FILE_WRITE.finditer(code):
        fn, mode = m.group("fn") or "", m.group("mode") or ""
        op = m.group("pl") or m.group("inline") or ""
        if fn.startswith("append") or "a" in mode:
            op = ">>"
        elif fn in ("writeFileSync", "writeFile", "File.write", "IO.write", "file_put_contents"):
            op = op or ">"
        elif m.group("pm") in ("write_text", "write_bytes") or "w" in mode:
            op = ">"
        if not op or op == "+<":
            continue
        extra = ">>" if "FILE_APPEND" in code[m.end() : m.end() + 80] else op
        out.append(
            Finding("fs-write", Effect.WRITE, "write", m.group("path"), "filesystem", set(), extra)
        )
    return out[:4]
