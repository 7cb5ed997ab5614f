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
from interlock.parse.tools.code_sdk import READ_PREFIX

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


# ---------------------------------------------------------------- SDK reads
_SDK_MODULES = re.compile(
    r"\b(?:boto3|botocore|kubernetes|redis|pymongo|psycopg2?|pymysql|MySQLdb|google\.cloud|aws-sdk|"
    r"azure|mongodb|ioredis|hvac|elasticsearch|github)\b|@aws-sdk/|@kubernetes/client-node"
)
_CALL = re.compile(r"(\.?)\b([A-Za-z_]\w*)\s*\(")
_JS_CMD = re.compile(r"new\s+(\w+?)Command\b")
_NOT_READ = words("getattr getoutput get_or_create getOrCreate getstatusoutput")
_HARMLESS = words(
    "client resource Session session Redis StrictRedis from_url MongoClient connect cursor "
    "createClient KubeConfig loadFromDefault makeApiClient load_kube_config "
    "load_incluster_config setCurrentContext set_current_context ApiClient Client Pool "
    "log error dumps loads then catch fetchone fetchall fetchmany items values to_dict json "
    "format join decode encode all limit sort filter where Bucket Table Object send close quit "
    "disconnect paginate get_paginator Config Github get_repo get_user CoreV1Api AppsV1Api "
    "map each forEach flatMap reduce"
)
# builtins, harmless only when not called as a method (`set(x)` is not `r.set(k, v)`)
_BUILTINS = words(
    "print str len dict list sorted set tuple int float repr require next iter enumerate "
    "range map zip min max sum any isinstance hasattr bool type"
)


def sdk_read_only(code: str) -> bool:
    """Code that uses an SDK and calls nothing but list/get/describe-style methods."""
    if not _SDK_MODULES.search(code):
        return False
    if any(not READ_PREFIX.match(m.group(1)) for m in _JS_CMD.finditer(code)):
        return False
    for m in _CALL.finditer(code):
        method, name = m.group(1), m.group(2)
        if name in _NOT_READ:
            return False
        if name in _HARMLESS or (not method and name in _BUILTINS):
            continue
        if name[0].isupper() and name.endswith(("Client", "Api")):
            continue
        if not READ_PREFIX.match(name) or (name == "type" and method):
            return False
    return True
