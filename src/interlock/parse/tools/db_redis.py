"""redis-cli and its forks (valkey-cli, keydb-cli), and redis-benchmark."""

from __future__ import annotations

from interlock.model import Command, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import Conn, D, R, U, W, input_ops, op, parse_url, place


def _split_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_REDIS_TV = frozenset(
    {
        "-h",
        "-p",
        "-s",
        "-a",
        "--user",
        "--pass",
        "-u",
        "-n",
        "-r",
        "-i",
        "-d",
        "-D",
        "--rdb",
        "--functions-rdb",
        "--pattern",
        "--count",
        "--eval",
        "--cacert",
        "--cacertdir",
        "--cert",
        "--key",
        "--sni",
        "--tls-ciphers",
        "--tls-ciphersuites",
        "--quoted-pattern",
        "--memkeys-samples",
        "--cluster",
        "-t",
        "-P",
        "--dbnum",
    }
)
_REDIS_DESTROY = frozenset(
    {"FLUSHALL", "FLUSHDB", "DEL", "UNLINK", "SHUTDOWN", "GETDEL", "SWAPDB", "REPLICAOF", "SLAVEOF"}
)
_REDIS_READ = _split_words(
    "GET MGET EXISTS KEYS SCAN TYPE TTL PTTL STRLEN HGET HGETALL HKEYS HVALS HLEN HEXISTS "
    "HMGET HSCAN HSTRLEN HRANDFIELD LRANGE LLEN LINDEX LPOS SMEMBERS SCARD SISMEMBER "
    "SMISMEMBER SSCAN SRANDMEMBER SINTER SUNION SDIFF SINTERCARD ZRANGE ZRANGEBYSCORE "
    "ZRANGEBYLEX ZREVRANGE ZREVRANGEBYSCORE ZSCORE ZMSCORE ZCARD ZRANK ZREVRANK ZCOUNT "
    "ZLEXCOUNT ZSCAN ZRANDMEMBER INFO PING ECHO DBSIZE TIME LASTSAVE ROLE MONITOR SUBSCRIBE "
    "PSUBSCRIBE SSUBSCRIBE PUBSUB XRANGE XREVRANGE XREAD XLEN XINFO XPENDING PFCOUNT GETRANGE "
    "BITCOUNT BITPOS GETBIT RANDOMKEY DUMP SORT_RO GEOPOS GEODIST GEOHASH GEORADIUS_RO "
    "GEOSEARCH AUTH HELLO SELECT QUIT WAIT OBJECT COMMAND LATENCY SLOWLOG MEMORY CLIENT "
    "CONFIG CLUSTER ACL MODULE FUNCTION SCRIPT JSON.GET JSON.MGET JSON.TYPE FT.SEARCH FT.INFO "
    "FT._LIST FT.AGGREGATE TS.GET TS.RANGE TS.INFO LCS SUBSTR READONLY READWRITE RESET DEBUG "
    "EVAL_RO EVALSHA_RO FCALL_RO"
)
# subcommands that only read, for the container commands above
_REDIS_READ_SUB = frozenset(
    {
        "GET",
        "LIST",
        "INFO",
        "NODES",
        "SLOTS",
        "SHARDS",
        "WHOAMI",
        "CAT",
        "GETUSER",
        "USERS",
        "COUNT",
        "DOCS",
        "GETKEYSINSLOT",
        "COUNTKEYSINSLOT",
        "KEYSLOT",
        "MYID",
        "LEN",
        "HELP",
        "EXISTS",
        "STATS",
        "USAGE",
        "DOCTOR",
        "LATEST",
        "HISTORY",
        "ENCODING",
        "FREQ",
        "IDLETIME",
        "REFCOUNT",
        "GETNAME",
        "ID",
        "TRACKINGINFO",
        "LOG",
        "DUMP",
        "OBJECT",
        "MALLOC-STATS",
        "LINKS",
        "GENPASS",
        "STREAM",
        "GROUPS",
        "CONSUMERS",
        "MASTERS",
        "MASTER",
        "REPLICAS",
        "SLAVES",
        "SENTINELS",
        "GET-MASTER-ADDR-BY-NAME",
        "CKQUORUM",
        "INFO-CACHE",
        "PENDING-SCRIPTS",
    }
)
# (command, subcommand) pairs that are not plain writes
_REDIS_SUB_EFFECT = {
    ("CLUSTER", "RESET"): (D, frozenset()),
    ("ACL", "DELUSER"): (D, frozenset()),
    ("SCRIPT", "LOAD"): (R, frozenset()),  # only caches the script
    ("MODULE", "LOAD"): (U, frozenset({"remote-code"})),  # native code inside the server
    ("MODULE", "LOADEX"): (U, frozenset({"remote-code"})),
    ("DEBUG", "SEGFAULT"): (W, frozenset({"shutdown"})),
    ("DEBUG", "RESTART"): (W, frozenset({"shutdown"})),
    ("DEBUG", "CRASH-AND-RECOVER"): (W, frozenset({"shutdown"})),
}
# `CONFIG SET dir` / `dbfilename` then `SAVE` writes any file the server can reach
_REDIS_FILE_PARAMS = frozenset({"DIR", "DBFILENAME", "LOGFILE"})


def redis_cli(cmd: Command, ctx: object) -> list[Operation]:
    a = parse_args(cmd.args, _REDIS_TV, stop_at_first_positional=True)
    host, db = a.value("-h"), a.value("-n")
    url = a.value("-u") or ""
    if url:
        u_host, u_db, _ = parse_url(url)
        # `-u "$REDIS_URL"`: a host we cannot read is not this machine
        host, db = host or u_host or (url if "$" in url or "`" in url else None), db or u_db
    if a.value("-s"):
        host = "localhost"
    conn = place(cmd, host or "localhost", db)
    if a.value("--cluster"):
        return _redis_cluster(cmd, conn, a.value("--cluster") or "", a.pos)
    if a.has("--help", "--version", "-v"):
        return [op(cmd, "info", R, [conn.target("database", "")], (), "prints help")]
    if a.value("--eval"):
        return [
            op(cmd, "script", U, [conn.target("database", "")], {"script"}, "runs a Lua script")
        ]
    if a.has("--pipe"):
        return [
            op(cmd, "import", U, [conn.target("database", "")], {"script"}, "pipes raw commands")
        ]
    scans = (
        "--scan",
        "--bigkeys",
        "--memkeys",
        "--hotkeys",
        "--stat",
        "--latency",
        "--latency-history",
        "--latency-dist",
        "--rdb",
        "--functions-rdb",
        "--replica",
        "--intrinsic-latency",
        "--keystats",
    )
    if not a.pos and a.has(*scans):
        return [op(cmd, "scan", R, [conn.target("database", "")], (), "scans or measures keys")]
    if not a.pos and cmd.stdin is not None and cmd.stdin.strip():
        # redis-cli reads one command per line from its input: judge each one
        lines = [ln.split() for ln in cmd.stdin.splitlines()[:1000] if ln.strip()]
        return [redis_command(cmd, conn, words) for words in lines]
    if not a.pos:
        return input_ops(cmd, ctx, conn, None)  # type: ignore[arg-type]
    return [redis_command(cmd, conn, a.pos)]


def redis_command(cmd: Command, conn: Conn, words: list[str]) -> Operation:
    name = words[0].upper()
    sub = words[1].upper() if len(words) > 1 else ""
    keys = tuple(words[1:]) if name in ("DEL", "UNLINK", "GETDEL") else ()
    if name in _REDIS_DESTROY:
        tags = {"all"} if name in ("FLUSHALL", "FLUSHDB") else set()
        tags |= {"shutdown"} if name == "SHUTDOWN" else set()
        if name in ("DEL", "UNLINK") and (not keys or any("$" in k or "*" in k for k in keys)):
            tags.add("dynamic-target")
        if name in ("REPLICAOF", "SLAVEOF") and sub == "NO":
            return op(cmd, "failover", W, [conn.target("database", "")], (), "promotes to primary")
        kind = "key" if keys else "database"
        targets = [conn.target(kind, k) for k in keys] or [
            conn.target("database", conn.database or "")
        ]
        action = name.lower()
        return op(cmd, action, D, targets, tags, f"{action} {' '.join(keys[:3])}".strip())
    if name in ("FUNCTION", "SCRIPT") and sub == "FLUSH":
        return op(
            cmd,
            "flush",
            D if name == "FUNCTION" else W,
            [conn.target("database", "")],
            (),
            f"{name.lower()} flush",
        )
    if name in (
        "CLUSTER",
        "ACL",
        "CONFIG",
        "CLIENT",
        "MODULE",
        "FUNCTION",
        "SCRIPT",
        "MEMORY",
        "OBJECT",
        "LATENCY",
        "SLOWLOG",
        "COMMAND",
        "XINFO",
        "DEBUG",
        "SENTINEL",
    ):
        return _container(cmd, conn, name, sub, words)
    if name in _REDIS_READ:
        return op(cmd, "read", R, [conn.target("database", "")], (), f"{name.lower()} (read)")
    key = words[1] if len(words) > 1 else ""
    effect = U if name.startswith(("EVAL", "FCALL")) else W
    return op(
        cmd,
        name.lower(),
        effect,
        [conn.target("key" if key else "database", key)],
        (),
        f"{name.lower()} {key}".strip(),
    )


def _container(cmd: Command, conn: Conn, name: str, sub: str, words: list[str]) -> Operation:
    """`CONFIG GET`, `CLUSTER NODES`, `MODULE LOAD`, `SENTINEL FAILOVER` …"""
    what = f"{name} {sub}".lower()
    if (name, sub) in _REDIS_SUB_EFFECT:
        effect, tags = _REDIS_SUB_EFFECT[(name, sub)]
        return op(cmd, "info" if effect is R else what, effect, [conn.target("database", "")],
                  tags, what)  # fmt: skip
    if sub in _REDIS_READ_SUB or not sub:
        return op(cmd, "info", R, [conn.target("database", "")], (), what)
    param = words[2].upper() if len(words) > 2 else ""
    tags = (
        {"remote-code"} if (name, sub) == ("CONFIG", "SET") and param in _REDIS_FILE_PARAMS else ()
    )
    return op(cmd, what, W, [conn.target("database", "")], tags, what)


def _redis_cluster(cmd: Command, conn: Conn, sub: str, pos: list[str]) -> list[Operation]:
    sub = sub.lower()
    conn = place(cmd, pos[0], conn.database) if pos and ":" in pos[0] else conn
    target = [conn.target("database", "")]
    if sub == "call" and len(pos) > 1:
        node = place(cmd, pos[0], conn.database)
        return [redis_command(cmd, node, pos[1:]).with_tags("all-nodes")]
    if sub in ("check", "info", "help"):
        return [op(cmd, "info", R, target, (), f"cluster {sub}")]
    effect = D if sub in ("del-node",) else W
    return [op(cmd, f"cluster-{sub}", effect, target, (), f"redis cluster {sub}")]


def redis_benchmark(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _REDIS_TV)
    conn = place(cmd, a.value("-h") or "localhost", a.value("--dbnum"))
    return [
        op(
            cmd,
            "benchmark",
            W,
            [conn.target("database", "")],
            {"bulk"},
            "floods the server with benchmark writes",
        )
    ]
