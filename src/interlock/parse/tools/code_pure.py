"""Whether inline code only computes and prints: no call whose name says it changes anything,
and no I/O-ish module or builtin left once the known-harmless ones (`os.path`, `fs.readFileSync`,
`Path(…).exists()`) are taken out."""

from __future__ import annotations

import re

from interlock.model import Effect
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools.code_args import cmdlets, ps_effect
from interlock.parse.tools.code_scan import _IO_ISH, _SAFE_FS, _SAFE_OS, _SAFE_PATH, _SAFE_REQUIRE

_EFFECT_CALL = re.compile(
    r"\.(?:(?:rm|unlink|write|kill|exec|spawn|drop|truncate|send|upload|destroy|terminate|"
    r"purge|flush|erase|wipe|rename|chmod|chown|mkdir|touch|save|post|put|patch)\w*|"
    r"(?:remove|delete|empty)[A-Z_]\w*)\s*\(",
    re.IGNORECASE,
)
_STD_WRITE = re.compile(
    r"\b(?:sys\.)?std(?:out|err)\.write\(|process\.std(?:out|err)\.write\(|"
    r"\$stdout\.write\(|STDOUT\.write\("
)
_OSA_PURE = re.compile(
    r"^\s*(?:display (?:notification|dialog|alert)|say|return|get|log|"
    r"current date|system info|path to)\b"
)


_CALL_NAME = re.compile(r"(\w+)\s*\(")
_PURE_METHODS = words(
    "load loads join format replace add update set get append insert pop copy clear "
    "remove sort reverse extend index count encode decode strip read readlines print log "
    "info debug warn error dumps render test match search find split check open"
)
_PS_IMPURE = re.compile(
    r"(?:^|[;|&]\s*)(?!(?:[A-Z][a-z]+-[A-Z]\w*|\$\w+|echo|ls|dir|cat|pwd|"
    r"gci|gc|gps|select|where|sort|ft|fl|%|\?)\b)[\w./\\-]+",
    re.M,
)


def is_pure(code: str, lang: str = "py") -> bool:
    """True when the code does nothing but compute and print (no I/O-ish name at all)."""
    if lang == "osa":
        return bool(_OSA_PURE.match(code)) and "tell" not in code
    if lang == "ps":
        found = cmdlets(code)
        return (
            bool(found)
            and all(ps_effect(v, n) is Effect.READ for v, n, _ in found)
            and not (_PS_IMPURE.search(code) or "iex" in code.lower() or "invoke-" in code.lower())
        )
    stripped = _STD_WRITE.sub("", code)
    if _EFFECT_CALL.search(stripped):
        return False
    for m in _CALL_NAME.finditer(stripped):
        name = m.group(1)
        if name not in _PURE_METHODS and lexicon.classify(name) in (Effect.WRITE, Effect.DESTROY):
            return False
    stripped = _SAFE_OS.sub("", stripped)
    stripped = _SAFE_REQUIRE.sub("", stripped)
    stripped = _SAFE_PATH.sub("", stripped)
    stripped = _SAFE_FS.sub("", stripped)
    stripped = re.sub(r"\bimport os\b|\bimport os,|, os\b|\bimport sys, os\b", "", stripped)
    return not _IO_ISH.search(stripped)
