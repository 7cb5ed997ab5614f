"""SDK calls in inline code, spelled as the CLI command that does the same thing.

`boto3.client('s3').delete_bucket(Bucket='prod-logs')` is `aws s3api delete-bucket --bucket
prod-logs`; `CoreV1Api().delete_namespace('payments')` after `load_kube_config(context='prod')`
is `kubectl --context prod delete namespace payments`; `redis.Redis(host='prod-cache')
.flushall()` is `redis-cli -h prod-cache flushall`. Handing that spelling back to the shell
walker gives an SDK call exactly the verdict of its CLI twin. `hints` reads the connection
facts (profile, context, host, database) that locate everything else the code touches.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_S = r"""(?:"([^"\\]*)"|'([^'\\]*)')"""  # one simple string literal
_STRING = re.compile(_S)
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_K8S_CODE = re.compile(r"kubernetes|CoreV1Api|AppsV1Api|k8s\.")
_REDIS_CODE = re.compile(r"redis", re.IGNORECASE)
_MONGO_CODE = re.compile(r"mongo", re.IGNORECASE)
_PRUNE_ALL = re.compile(r"['\"]all['\"]|dangling['\"]?\s*[:=]\s*False")
_STATEMENT_END = re.compile(r"[;\n]")


def _lit(m: re.Match[str] | None, start: int = 1) -> str | None:
    if m is None:
        return None
    return next((m.group(g) for g in (start, start + 1) if m.group(g) is not None), None)


# ---------------------------------------------------------------- connection facts
_PROFILE = re.compile(r"\bprofile(?:_name)?\s*[=:]\s*" + _S)
_REGION = re.compile(r"\bregion(?:_name)?\s*[=:]\s*" + _S)
_CONTEXT = re.compile(r"(?:\bcontext\s*[=:]\s*|[sS]et_?[cC]urrent_?[cC]ontext\(\s*)" + _S)
_HOST = re.compile(r"\bhost\s*(?:=>|[=:])\s*" + _S)
_DSN_HOST = re.compile(r"\bhost=([\w.-]+)")
_POS_HOST = re.compile(
    r"\b(?:mysqli|mysqli_connect|Redis|StrictRedis|MongoClient|Mysql2::Client\.new)\(\s*"
    r"(?:\"([\w.-]+)\"|'([\w.-]+)')\s*[,)]"
)
_URL_HOST = re.compile(
    r"\b(?:redis|rediss|mongodb(?:\+srv)?|postgres(?:ql)?|mysql|amqps?|https?)://"
    r"(?:[^@/'\"\s]*@)?([\w.-]+)(?::\d+)?(?:/(\w+))?"
)
_DBNAME = re.compile(r"\b(?:dbname|database|db)\s*[=:]\s*" + _S + r"|\bdbname=(\w+)")
_PROJECT = re.compile(r"\bproject\s*[=:]\s*" + _S)


@dataclass(frozen=True, slots=True)
class Hints:
    profile: str | None = None
    region: str | None = None
    context: str | None = None
    host: str | None = None
    database: str | None = None
    project: str | None = None

    def scope(self) -> dict[str, str | None]:
        return {
            "profile": self.profile,
            "region": self.region,
            "context": self.context,
            "database": self.database,
            "project": self.project,
        }


def hints(code: str) -> Hints:
    """Connection facts written in the code (`profile_name='prod'`, `host='prod-db'` …)."""
    url = _URL_HOST.search(code)
    dsn = _DSN_HOST.search(code)
    host = _lit(_HOST.search(code)) or (dsn.group(1) if dsn else _lit(_POS_HOST.search(code)))
    db = _DBNAME.search(code)
    return Hints(
        profile=_lit(_PROFILE.search(code)),
        region=_lit(_REGION.search(code)),
        context=_lit(_CONTEXT.search(code)),
        host=host or (url.group(1) if url else None),
        database=(_lit(db) or db.group(3)) if db else (url.group(2) if url else None),
        project=_lit(_PROJECT.search(code)),
    )


# list/get/describe-style method and command names
READ_PREFIX = re.compile(
    r"^(?:list|get|describe|read|head|count|find|fetch|scan|query|search|lookup|exists|"
    r"estimated|info|dbsize|keys|hget|hgetall|hkeys|hlen|lrange|llen|smembers|scard|zrange|"
    r"zcard|ttl|pttl|type|ping|mget|xrange|xlen|batch_get|batchGet)",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- AWS
_AWS_SERVICE = re.compile(r"(?:client|resource)\(\s*" + _S + r"|Aws::(\w+)::Client\b")
_JS_V2 = re.compile(
    r"new\s+AWS\.(\w+)\([^()]*\)\s*\.\s*(\w+)\(\s*(\{[^{}]*\})?|"
    r"\b(\w+)\s*=\s*new\s+AWS\.(\w+)\("
)
_RUBY_BUCKET = re.compile(r"Aws::S3::Bucket\.new\(\s*" + _S + r"\s*\)\.(delete!?)")
_BOTO_CALL = re.compile(
    r"\.((?:delete|terminate|remove|purge|deregister|stop|reboot|disable|revoke|detach|"
    r"put|update|modify|create|attach|start|run|invoke|restore)_\w+)\s*\(([^()]*)\)"
)
_KWARG = re.compile(r"(\w+)\s*[=:]\s*(" + _S + r"|\[[^\]]*\]|True|False|true|false|\d+)")
_JS_COMMAND = re.compile(r"new\s+(\w+?)Command\s*\(\s*(\{[^{}]*\})?")
_JS_PACKAGE = re.compile(r"@aws-sdk/client-([\w-]+)")
_RESOURCE_DELETE = re.compile(
    r"\.(Bucket|Table|Instance|Queue|Topic)\(\s*" + _S + r"\s*\)"
    r"((?:\.(?:objects|object_versions|instances)\.(?:all|filter)\([^()]*\))?)"
    r"\.(delete|terminate|purge)\(\)"
)
_RESOURCE_VAR = re.compile(
    r"\b(\w+)\s*=\s*[\w.()'\" ]*?\.(Bucket|Table)\(\s*" + _S + r"\s*\)\s*[;\n]"
)
_S3_SERVICE_CLI = {"s3": "s3api"}
_RESOURCE_CLI = {
    ("Bucket", "delete"): "aws s3api delete-bucket --bucket {}",
    ("Bucket", "objects"): "aws s3 rm s3://{} --recursive",
    ("Bucket", "object_versions"): "aws s3 rm s3://{} --recursive",
    ("Table", "delete"): "aws dynamodb delete-table --table-name {}",
    ("Instance", "terminate"): "aws ec2 terminate-instances --instance-ids {}",
    ("Queue", "delete"): "aws sqs delete-queue --queue-url {}",
    ("Queue", "purge"): "aws sqs purge-queue --queue-url {}",
    ("Topic", "delete"): "aws sns delete-topic --topic-arn {}",
}


def kebab(name: str) -> str:
    """`DBInstanceIdentifier` → `db-instance-identifier`, `delete_bucket` → `delete-bucket`."""
    name = _CAMEL_SPLIT.sub("-", name)
    return name.replace("_", "-").lower()


def _aws_args(params: str) -> list[str]:
    out: list[str] = []
    for m in _KWARG.finditer(params or ""):
        key, raw = kebab(m.group(1)), m.group(2)
        if raw in ("True", "true"):
            out.append(f"--{key}")
        elif raw in ("False", "false"):
            out.append(f"--no-{key}")
        elif raw.startswith("["):
            values = [_lit(v) or "" for v in _STRING.finditer(raw)]
            out += [f"--{key}", *values] if values else []
        else:
            out += [f"--{key}", _lit(m, 3) or raw]
    return out


def _aws_prefix(h: Hints) -> list[str]:
    out = ["aws"]
    out += ["--profile", h.profile] if h.profile else []
    out += ["--region", h.region] if h.region else []
    return out


def _aws(code: str, h: Hints) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if "boto3" in code or "Aws::" in code:
        for m in _BOTO_CALL.finditer(code):
            found = _last(_AWS_SERVICE, code, m.start())
            svc = (_lit(found) or (found.group(3) or "").lower()) if found else None
            if svc:
                svc = _S3_SERVICE_CLI.get(svc, svc)
                argv = [*_aws_prefix(h), svc, kebab(m.group(1)), *_aws_args(m.group(2))]
                out.append((m.group(1), shlex.join(argv)))
        out += _boto_resources(code, h)
        for m in _RUBY_BUCKET.finditer(code):
            bucket = shlex.quote(_lit(m) or "")
            cli = f"aws s3 rb s3://{bucket} --force" if m.group(3) == "delete!" else ""
            cli = cli or f"aws s3api delete-bucket --bucket {bucket}"
            out.append(("delete", _with_prefix(cli, " ".join(_aws_prefix(h)[1:]))))
    if "aws-sdk" in code and "AWS." in code:
        out += _aws_v2(code, h)
    pkg = _JS_PACKAGE.search(code)
    if pkg:
        svc = _S3_SERVICE_CLI.get(pkg.group(1), pkg.group(1))
        for m in _JS_COMMAND.finditer(code):
            if READ_PREFIX.match(m.group(1)):
                continue  # reads are judged by `code_pure.sdk_read_only`
            argv = [*_aws_prefix(h), svc, kebab(m.group(1)), *_aws_args(m.group(2) or "")]
            out.append((m.group(1), shlex.join(argv)))
    return out


def _aws_v2(code: str, h: Hints) -> list[tuple[str, str]]:
    """`new AWS.S3().deleteBucket({Bucket: 'x'})`, or through a variable holding the client."""
    calls: list[tuple[str, str, str]] = []
    for m in _JS_V2.finditer(code):
        if m.group(1):
            calls.append((m.group(1), m.group(2), m.group(3) or ""))
            continue
        var = re.escape(m.group(4))
        for c in re.finditer(r"\b" + var + r"\.(\w+)\(\s*(\{[^{}]*\})?", code):
            calls.append((m.group(5), c.group(1), c.group(2) or ""))
    out = []
    for svc, method, params in calls:
        if READ_PREFIX.match(method) or method in ("promise", "send", "on"):
            continue
        svc = _S3_SERVICE_CLI.get(svc.lower(), svc.lower())
        argv = [*_aws_prefix(h), svc, kebab(method), *_aws_args(params)]
        out.append((method, shlex.join(argv)))
    return out


def _boto_resources(code: str, h: Hints) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    prefix = " ".join(shlex.quote(w) for w in _aws_prefix(h)[1:])
    for m in _RESOURCE_DELETE.finditer(code):
        coll = m.group(4)[1:].split(".", 1)[0] if m.group(4) else m.group(5)
        template = _RESOURCE_CLI.get((m.group(1), coll))
        if template:
            cli = template.format(shlex.quote(_lit(m, 2) or ""))
            out.append((m.group(5), _with_prefix(cli, prefix)))
    for m in _RESOURCE_VAR.finditer(code):
        var, kind, name = m.group(1), m.group(2), _lit(m, 3) or ""
        for call in re.finditer(
            r"\b" + re.escape(var) + r"\.(?:(objects|object_versions)\.\w+\([^()]*\)\.)?delete\(\)",
            code,
        ):
            template = _RESOURCE_CLI.get((kind, call.group(1) or "delete"))
            if template:
                out.append(("delete", _with_prefix(template.format(shlex.quote(name)), prefix)))
    return out


def _with_prefix(cli: str, prefix: str) -> str:
    return cli.replace("aws ", f"aws {prefix} ", 1) if prefix else cli


def _last(pattern: re.Pattern[str], code: str, before: int) -> re.Match[str] | None:
    found = None
    for m in pattern.finditer(code, 0, before):
        found = m
    return found


# ---------------------------------------------------------------- Kubernetes
_K8S_CALL = re.compile(
    r"\b(deleteCollection|delete_collection|delete|patch|replace)_?"
    r"(namespaced_?|Namespaced)?(\w*?)\s*\(([^()]*)\)"
)
_K8S_VERB = {
    "delete": "delete",
    "deleteCollection": "delete",
    "delete_collection": "delete",
    "patch": "patch",
    "replace": "replace",
}
_POSITIONAL = re.compile(r"(?:^|,)\s*" + _S)
_NAMED = re.compile(r"\b(name|namespace)\s*[=:]\s*" + _S)


def _k8s(code: str, h: Hints) -> list[tuple[str, str]]:
    if not _K8S_CODE.search(code):
        return []
    out: list[tuple[str, str]] = []
    for m in _K8S_CALL.finditer(code):
        verb, namespaced, kind, params = m.groups()
        kind = kind.strip("_").replace("_", "").lower()
        if not kind or len(kind) > 40:
            continue
        named = {mm.group(1): _lit(mm, 2) for mm in _NAMED.finditer(params)}
        pos = [_lit(p) or "" for p in _POSITIONAL.finditer(params)]
        collection = "ollection" in verb
        name = None if collection else named.get("name") or (pos[0] if pos else None)
        ns = named.get("namespace") or (
            (pos[0] if collection else pos[1] if len(pos) > 1 else None) if namespaced else None
        )
        argv = ["kubectl", *(["--context", h.context] if h.context else [])]
        argv += [_K8S_VERB[verb], kind]
        argv += [name] if name else (["--all"] if verb.startswith("delete") else [])
        argv += ["-n", ns] if ns else []
        if verb in ("patch", "replace"):
            argv += ["-f", "-"] if verb == "replace" else ["-p", "{}"]
        out.append((m.group(0).split("(", 1)[0], shlex.join(argv)))
    return out


# ---------------------------------------------------------------- Redis, MongoDB
_REDIS_FLUSH = re.compile(r"\.(flush_?all|flush_?db)\b", re.IGNORECASE)
# `r.execute_command('FLUSHALL')`, `client.sendCommand(['FLUSHALL'])`, `redis.call('DEL', k)`
_REDIS_RAW = re.compile(
    r"\.(execute_command|sendCommand|send_command|call|command)\(\s*\[?\s*((?:"
    + _S
    + r"\s*,?\s*)+)"
)
_MONGO_DROP = re.compile(
    r"(?:\.db\(\s*" + _S + r"\s*\))?\.(drop_database|dropDatabase)\(\s*(?:" + _S + r")?"
)


def _redis(code: str, h: Hints) -> list[tuple[str, str]]:
    if not _REDIS_CODE.search(code):
        return []
    host = ["-h", h.host] if h.host else []
    out = [
        (m.group(1), shlex.join(["redis-cli", *host, m.group(1).replace("_", "").lower()]))
        for m in _REDIS_FLUSH.finditer(code)
    ]
    for m in _REDIS_RAW.finditer(code):
        words = [_lit(w) or "" for w in _STRING.finditer(m.group(2))]
        out.append((m.group(1), shlex.join(["redis-cli", *host, *words])))
    return out[:4]


def _mongo(code: str, h: Hints) -> list[tuple[str, str]]:
    if not _MONGO_CODE.search(code):
        return []
    out = []
    for m in _MONGO_DROP.finditer(code):
        db = _lit(m) or _lit(m, 4) or h.database or "test"
        uri = f"mongodb://{h.host or 'localhost'}/{db}"
        out.append((m.group(3), shlex.join(["mongosh", uri, "--eval", "db.dropDatabase()"])))
    return out[:2]


# ---------------------------------------------------------------- Docker, signals
_DOCKER_PRUNE = re.compile(
    r"\.(?:(volumes|containers|images|networks)\.prune|prune(Volumes|Containers|Images|Networks))"
    r"\(([^()]*)\)"
)
_KILL_PID_FIRST = re.compile(
    r"(?:\bos\.kill|\bprocess\.kill)\(\s*(-?\d+)\s*(?:,\s*(?:signal\.)?['\"]?(\w+)['\"]?)?"
)
_KILL_SIG_FIRST = re.compile(
    r"(?:\bProcess\.kill|(?<![.\w])kill)\s*\(?\s*['\"]?(\w+)['\"]?\s*,\s*(-?\d+)"
)


def _docker(code: str) -> list[tuple[str, str]]:
    out = []
    for m in _DOCKER_PRUNE.finditer(code):
        kind = (m.group(1) or m.group(2)).lower().rstrip("s")
        every = ["-a"] if _PRUNE_ALL.search(m.group(3)) else []
        out.append(("prune", shlex.join(["docker", kind, "prune", *every, "-f"])))
    return out[:4]


def _signals(code: str) -> list[tuple[str, str]]:
    found = [(m.group(1), m.group(2) or "TERM") for m in _KILL_PID_FIRST.finditer(code)]
    found += [(m.group(2), m.group(1)) for m in _KILL_SIG_FIRST.finditer(code)]
    out = []
    for pid, sig in found[:4]:
        sig = sig.upper().removeprefix("SIG")
        out.append(
            ("kill", f"kill -{sig} -- {pid}" if sig.isdigit() else f"kill -s {sig} -- {pid}")
        )
    return out


def commands(code: str) -> list[tuple[str, str]]:
    """(method, CLI command) for each SDK call we can spell as a CLI command."""
    h = hints(code)
    found = _aws(code, h) + _k8s(code, h) + _redis(code, h) + _mongo(code, h)
    return (found + _docker(code) + _signals(code))[:12]


def handled(method: str) -> str:
    """The key comparing a translated method with a scanner finding's action."""
    return method.replace("_", "").lower()


# ---------------------------------------------------------------- names and reads
_RECEIVER = re.compile(r"(\w+)\(\s*" + _S + r"\s*\)\s*(?:\.\w+(?:\([^()]*\))?)*\s*$")


def call_name(code: str, start: int, end: int) -> str:
    """The resource a destroying call names: its first literal argument (`begin_delete(
    'prod-rg')`), or the literal its receiver was built from (`bucket('prod-logs').delete()`)."""
    inside = code[end : end + 200].split(")", 1)[0]
    args = _STRING.search(inside) if not inside.lstrip().startswith(")") else None
    if args:
        return _lit(args) or ""
    stmt = _STATEMENT_END.split(code[max(0, start - 300) : start])[-1]
    recv = _RECEIVER.search(stmt)
    return (_lit(recv, 2) or "") if recv else ""
