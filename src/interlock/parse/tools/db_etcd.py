"""etcd: `etcdctl` against a running cluster and `etcdutl` on a data directory offline.

`del --prefix ""` wipes the keyspace (for Kubernetes, the whole cluster state); a snapshot
restore into the live data directory replaces the cluster's state (`in-place`).
"""

from __future__ import annotations

from interlock.model import Command, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import Conn, D, R, U, W, op, place
from interlock.parse.tools.db_misc import _flag


def etcdctl(cmd: Command) -> list[Operation]:
    tv = {
        "--endpoints",
        "--cacert",
        "--cert",
        "--key",
        "--user",
        "--password",
        "--dial-timeout",
        "--command-timeout",
        "-w",
        "--write-out",
        "--discovery-srv",
        "-d",
        "--keepalive-time",
        "--keepalive-timeout",
        "--lease",
        "--prev-kv-limit",
        "--data-dir",
        "--name",
        "--initial-cluster",
        "--initial-cluster-token",
        "--initial-advertise-peer-urls",
    }
    a = parse_args(cmd.args, tv)
    # no default to localhost: etcdctl runs on control-plane nodes, where local etcd is the cluster
    endpoint = a.value("--endpoints") or cmd.getenv("ETCDCTL_ENDPOINTS") or ""
    conn = place(cmd, endpoint.split(",")[0] or None, None)
    pos = a.pos
    verb = pos[0].lower() if pos else "help"
    key = pos[1] if len(pos) > 1 else ""
    if verb in ("del", "delete"):
        whole = (a.has("--prefix") and key in ("", "/")) or (
            a.has("--from-key") and key in ("", "\x00")
        )
        tags = {"all"} if whole or len(pos) < 2 else set()
        tags |= {"recursive"} if a.has("--prefix") else set()
        return [
            op(
                cmd,
                "delete",
                D,
                [conn.target("key", key or "*")],
                tags,
                f"deletes etcd key{'s under' if a.has('--prefix') else ''} `{key}`",
            )
        ]
    sub = pos[1].lower() if len(pos) > 1 else ""
    if (verb, sub) == ("snapshot", "restore"):
        return [_etcd_restore(cmd, conn, a.value("--data-dir") or "")]
    action, effect = _ETCD.get((verb, sub), _ETCD.get((verb, ""), (verb, U)))
    return [
        op(
            cmd,
            action,
            effect,
            [conn.target("key" if verb in ("put", "get") else "cluster", key)],
            (),
            f"etcdctl {verb} {key}".strip(),
        )
    ]


def _etcd_restore(cmd: Command, conn: Conn, data_dir: str) -> Operation:
    """A restore into the live data directory replaces the cluster's state (`in-place`)."""
    live = data_dir.rstrip("/").startswith(("/var/lib/", "/etc/", "/opt/"))
    effect, tags = (D, {"in-place"}) if live else (W, set())
    where = data_dir or "the default data directory"
    return op(cmd, "restore", effect, [conn.target("cluster", data_dir)], tags,
              f"restores an etcd snapshot into `{where}`")  # fmt: skip


_ETCD = {
    ("get", ""): ("get", R),
    ("put", ""): ("put", W),
    ("watch", ""): ("watch", R),
    ("txn", ""): ("txn", U),
    ("compact", ""): ("compact", D),
    ("defrag", ""): ("defrag", W),
    ("snapshot", "save"): ("snapshot", R),
    ("snapshot", "status"): ("snapshot", R),
    ("snapshot", "restore"): ("restore", W),
    ("member", "list"): ("list", R),
    ("member", "remove"): ("remove", D),
    ("member", "add"): ("add", W),
    ("member", "update"): ("update", W),
    ("member", "promote"): ("promote", W),
    ("endpoint", ""): ("status", R),
    ("alarm", "list"): ("list", R),
    ("alarm", "disarm"): ("disarm", W),
    ("lease", "revoke"): ("revoke", D),
    ("lease", "grant"): ("grant", W),
    ("lease", "list"): ("list", R),
    ("lease", "timetolive"): ("get", R),
    ("lease", "keep-alive"): ("keep-alive", W),
    ("user", "delete"): ("delete", D),
    ("role", "delete"): ("delete", D),
    ("user", "list"): ("list", R),
    ("role", "list"): ("list", R),
    ("user", "get"): ("get", R),
    ("role", "get"): ("get", R),
    ("auth", "status"): ("status", R),
    ("version", ""): ("version", R),
    ("check", ""): ("check", W),
    ("help", ""): ("help", R),
    ("move-leader", ""): ("move-leader", W),
    ("lock", ""): ("lock", W),
    ("elect", ""): ("elect", W),
    ("make-mirror", ""): ("mirror", W),
}


_ETCDUTL = {"snapshot status": R, "hashkv": R, "version": R, "help": R, "backup": R,
            "defrag": W, "migrate": W, "check": R}  # fmt: skip


def etcdutl(cmd: Command) -> list[Operation]:
    """etcdutl works on a data directory offline; a restore into the live one replaces the
    cluster's state."""
    words = [w for w in cmd.args if not w.startswith("-")]
    data_dir = _flag(cmd.args, "--data-dir") or ""
    live = data_dir.rstrip("/").startswith(("/var/lib/", "/etc/", "/opt/"))
    conn = place(cmd, None, None)
    if words[:2] == ["snapshot", "restore"]:
        return [_etcd_restore(cmd, conn, data_dir)]
    key = " ".join(words[:2]) if words[:1] == ["snapshot"] else (words[0] if words else "help")
    effect = _ETCDUTL.get(key, W)
    tags = {"in-place"} if effect is W and live else set()
    return [op(cmd, key.replace(" ", "-"), effect, [conn.target("cluster", data_dir)], tags,
               f"etcdutl {key} {data_dir}".strip())]  # fmt: skip
