"""Document and key-value stores: mongosh/mongo (`--eval` JavaScript), redis-cli and its
forks, arangosh."""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import Conn, D, R, U, W, input_ops, op, parse_url, place

_RANK = {R: 0, W: 1, U: 2, D: 3}
_CALL = re.compile(
    r"(?:\b(db|rs|sh)\b)?\s*((?:\.\s*[\w$]+|\[[^\]\n]+\]|"
    r"\.getCollection\([^()\n]+\))*)\s*\.\s*(\w+)\s*\(\s*(\{?\s*\}?)"
)
_JS_METHODS: dict[str, tuple[str, Effect]] = {
    "dropDatabase": ("drop", D), "drop": ("drop", D), "dropIndex": ("drop", D),
    "dropIndexes": ("drop", D), "dropUser": ("drop", D), "dropAllUsers": ("drop", D),
    "dropRole": ("drop", D), "dropAllRoles": ("drop", D), "_drop": ("drop", D),
    "_dropDatabase": ("drop", D), "truncate": ("truncate", D), "shutdownServer": ("shutdown", W),
    "deleteMany": ("delete", W), "remove": ("delete", W), "removeByExample": ("delete", W),
    "updateMany": ("update", W), "update": ("update", W), "deleteOne": ("delete", W),
    "findOneAndDelete": ("delete", W), "findAndModify": ("update", W), "replaceOne": ("update", W),
    "updateOne": ("update", W), "insert": ("insert", W), "insertOne": ("insert", W),
    "insertMany": ("insert", W), "save": ("insert", W), "bulkWrite": ("write", W),
    "createIndex": ("create", W), "createIndexes": ("create", W), "createCollection": ("create", W),
    "createUser": ("create", W), "createRole": ("create", W), "grantRolesToUser": ("grant", W),
    "revokeRolesFromUser": ("revoke", W), "renameCollection": ("rename", W),
    "stepDown": ("failover", W), "reconfig": ("reconfig", W), "add": ("reconfig", W),
    "adminCommand": ("command", U), "runCommand": ("command", U), "eval": ("command", U),
    "load": ("script", U), "_create": ("create", W), "_createDatabase": ("create", W),
}  # fmt: skip
_EMPTY_FILTER = frozenset({"deleteMany", "remove", "updateMany", "removeByExample"})
# methods on `db` whose object is not a collection
_OBJECT_KIND = {"dropIndex": "index", "dropIndexes": "index", "dropUser": "user",
                "dropAllUsers": "user", "dropRole": "role", "dropAllRoles": "role"}  # fmt: skip
# `rs.*` / `sh.*` helpers: replica-set and sharding administration, not data
_RS_SH: dict[str, tuple[str, Effect]] = {
    "remove": ("remove-member", W), "add": ("reconfig", W), "addArb": ("reconfig", W),
    "reconfig": ("reconfig", W), "stepDown": ("failover", W), "freeze": ("freeze", W),
    "syncFrom": ("reconfig", W), "initiate": ("init", W), "removeShard": ("remove-shard", W),
    "addShard": ("reconfig", W), "shardCollection": ("shard", W), "moveChunk": ("move", W),
    "stopBalancer": ("balancer", W), "startBalancer": ("balancer", W),
    "setBalancerState": ("balancer", W), "enableSharding": ("shard", W),
    "disableBalancing": ("balancer", W), "enableBalancing": ("balancer", W),
    "splitAt": ("split", W), "splitFind": ("split", W), "moveRange": ("move", W),
}  # fmt: skip
_AGG_OUT = re.compile(r"['\"]?\$(?:out|merge)['\"]?\s*:")
_ALL_COLLECTIONS = re.compile(r"\b(getCollectionNames|listCollections|getCollectionInfos)\b")
_MONGO_TV = frozenset(
    {
        "--eval",
        "--host",
        "--port",
        "-u",
        "--username",
        "-p",
        "--password",
        "--authenticationDatabase",
        "--authenticationMechanism",
        "-f",
        "--file",
        "--tlsCertificateKeyFile",
        "--tlsCAFile",
        "--apiVersion",
        "--server.endpoint",
        "--server.database",
        "--server.username",
        "--javascript.execute",
        "--javascript.execute-string",
    }
)
_CMD_DOC = re.compile(r"(?:adminCommand|runCommand)\(\s*\{\s*['\"]?(\w+)['\"]?\s*:")
_CMD_CLASS = {
    "dropDatabase": ("drop", D),
    "drop": ("drop", D),
    "shutdown": ("shutdown", W),
    "delete": ("delete", W),
    "dropAllUsersFromDatabase": ("drop", D),
}
_JS_READ = re.compile(
    r"\b(find|findOne|count|countDocuments|estimatedDocumentCount|aggregate|"
    r"distinct|getIndexes|stats|getCollectionNames|listCollections|"
    r"serverStatus|version|hello|isMaster|ping|status|getName|explain|"
    r"printjson|print|show|getSiblingDB|getUsers|currentOp|toArray|"
    r"getCollectionInfos|_collections|_databases|_query|conf|config|printReplicationInfo|"
    r"printSecondaryReplicationInfo|printSlaveReplicationInfo|hostInfo|getReplicationInfo|"
    r"getProfilingStatus|printShardingStatus|isBalancerRunning|getBalancerState|"
    r"getShardDistribution|dataSize|totalSize|storageSize|totalIndexSize|latencyStats|"
    r"getRoles|getUser|getRole|getLogComponents|getCollection|getDB|itcount)\b"
)


def _split_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


Found = tuple[str, Effect, str, tuple[str, ...], str]


def classify_js(code: str) -> list[Found]:
    """Mongo/Arango shell JavaScript → (action, effect, name, tags, kind) per mutating call;
    kind is `collection`, `database`, `index`, `user`, `role` or `cluster`."""
    found: list[Found] = []
    if "aggregate" in code and _AGG_OUT.search(code):
        found.append(("aggregate-out", W, "", (), "collection"))  # `$out`/`$merge` write
    for m in _CALL.finditer(code):
        method, args = m.group(3), m.group(4)
        if m.group(1) in ("rs", "sh") and not m.group(2):
            if method in _RS_SH:
                found.append((*_RS_SH[method], _first_string(code, m.end()), (), "cluster"))
            continue
        if method not in _JS_METHODS:
            continue
        action, effect = _JS_METHODS[method]
        coll, tags = _collection(m.group(2)), ()
        if coll == "*":
            whole = bool(_ALL_COLLECTIONS.search(code))
            tags = ("dynamic-target", "all") if whole else ("dynamic-target",)
        bare = args.replace(" ", "") == "{}" or code[m.end() : m.end() + 1] == ")"
        if method in _EMPTY_FILTER and (bare or (not args and _not_literal(code, m.end()))):
            action, effect, tags = action, D, (*tags, "no-where")
        if method in ("adminCommand", "runCommand"):
            sub = _CMD_DOC.search(code, m.start())
            if sub and sub.group(1) in _CMD_CLASS:
                action, effect = _CMD_CLASS[sub.group(1)]
            elif (sub and _JS_READ.search(sub.group(1))) or (
                sub
                and sub.group(1).startswith(
                    (
                        "list",
                        "get",
                        "server",
                        "db",
                        "coll",
                        "ping",
                        "hello",
                        "isMaster",
                        "replSetGetStatus",
                        "buildInfo",
                        "connectionStatus",
                        "top",
                    )
                )
            ):
                action, effect = "command", R
        if method == "drop" and not coll and not m.group(1):
            continue
        kind = _OBJECT_KIND.get(method) or ("collection" if coll else "database")
        if kind in ("user", "role", "index"):
            named = _first_string(code, m.end())
            coll = f"{coll}.{named}" if kind == "index" and coll and named else named or coll
        found.append((action, effect, coll, tags, kind))
    return found


def _first_string(code: str, at: int) -> str:
    """The string literal that opens a call's arguments (`dropUser("bob")` → `bob`)."""
    m = re.match(r"\s*['\"]([^'\"]*)['\"]", code[at:])
    return m.group(1) if m else ""


def _collection(chain: str) -> str:
    """The collection a call chain names; `*` when it is computed (`db[name]`)."""
    m = re.search(r"['\"]([^'\"]+)['\"]", chain)
    if m:
        return m.group(1)
    if "[" in chain or "getCollection(" in chain:
        return "*"
    parts = [p.strip() for p in chain.split(".") if p.strip()]
    return parts[-1] if parts else ""


def _not_literal(code: str, at: int) -> bool:
    """`remove(filter)`: a variable may hold `{}`; `remove("x")`/`remove(5)` is not a filter."""
    return not code[at : at + 1].isdigit() and code[at : at + 1] not in ("'", '"', "`")


def mongosh(cmd: Command, ctx: object) -> list[Operation]:
    a = parse_args(cmd.args, _MONGO_TV)
    conn = _mongo_conn(cmd, a.pos, a.value("--host"))
    scripts = [p for p in a.pos if p.endswith(".js")] + a.values("-f", "--file")
    codes = a.values("--eval")
    if a.has("--help", "-h", "--version") and not codes:
        return [op(cmd, "info", R, [conn.target("database", "")], (), "prints help")]
    ops = [
        op(cmd, "script", U, [conn.target("database", "")], {"script"}, f"runs `{s}`")
        for s in scripts
    ]
    for code in codes:
        ops.extend(js_ops(cmd, conn, code))
    if ops:
        return ops
    if cmd.stdin is not None and not cmd.stdin_piped:
        return js_ops(cmd, conn, cmd.stdin)
    return input_ops(cmd, ctx, conn, None)  # type: ignore[arg-type]


def js_ops(cmd: Command, conn: Conn, code: str) -> list[Operation]:
    found = classify_js(code)
    if not found:
        effect = R if _JS_READ.search(code) or not code.strip() else U
        return [
            op(
                cmd,
                "query" if effect is R else "eval",
                effect,
                [conn.target("database", "")],
                (),
                "runs a read-only query" if effect is R else "runs JavaScript",
            )
        ]
    out = []
    for action, effect, name, tags, kind in found:
        what = f"{kind} `{name or conn.database or '?'}`"
        out.append(op(cmd, action, effect, [conn.target(kind, name)], tags, f"{action} {what}"))
    return out


def _mongo_conn(cmd: Command, pos: list[str], host: str | None) -> Conn:
    uri = next((p for p in pos if "://" in p), None)
    db = None
    if uri:
        u_host, db, _ = parse_url(uri)
        host = host or u_host
    else:
        first = next((p for p in pos if not p.endswith(".js")), None)
        if first and "/" in first:
            host, db = host or first.split("/", 1)[0], first.split("/", 1)[1] or None
        elif first:
            db = first
    return place(cmd, host or "localhost", db)


def arangosh(cmd: Command, ctx: object) -> list[Operation]:
    a = parse_args(cmd.args, _MONGO_TV)
    conn = place(cmd, a.value("--server.endpoint") or "localhost", a.value("--server.database"))
    code = a.value("--javascript.execute-string")
    if code:
        return js_ops(cmd, conn, code)
    if a.value("--javascript.execute"):
        return [op(cmd, "script", U, [conn.target("database", "")], {"script"}, "runs a script")]
    return input_ops(cmd, ctx, conn, None)  # type: ignore[arg-type]


def memcached_tool(cmd: Command) -> list[Operation]:
    pos = [p for p in cmd.args if not p.startswith("-")]
    conn = place(cmd, pos[0] if pos else "localhost", None)
    mode = pos[1] if len(pos) > 1 else "display"
    effect = R if mode in ("display", "stats", "settings", "sizes", "dump") else U
    return [op(cmd, mode, effect, [conn.target("database", "")], (), f"memcached {mode}")]
