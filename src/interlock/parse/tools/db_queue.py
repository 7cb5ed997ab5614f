"""Message brokers: kafka-topics / kafka-consumer-groups, rabbitmqctl, rabbitmqadmin, nats."""

from __future__ import annotations

from interlock.model import Command, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import D, R, U, W, op, place
from interlock.parse.tools.db_misc import verb_effect as _verb


def kafka_topics(cmd: Command) -> list[Operation]:
    tv = {
        "--bootstrap-server",
        "--zookeeper",
        "--topic",
        "--partitions",
        "--replication-factor",
        "--config",
        "--delete-config",
        "--command-config",
        "--replica-assignment",
        "--group",
        "--to-datetime",
        "--to-offset",
        "--shift-by",
        "--by-duration",
        "--offset-json-file",
        "--from-file",
    }
    a = parse_args(cmd.args, tv)
    server = a.value("--bootstrap-server", "--zookeeper") or ""
    conn = place(cmd, server.split(",")[0] or None, None)
    topic = a.value("--topic", "--group") or ""
    kind = "consumer-group" if "consumer-groups" in cmd.program else "topic"
    tags = {"all"} if topic in ("*", ".*", "") or "*" in topic else set()
    if a.has("--delete", "--delete-offsets"):
        return [
            op(
                cmd,
                "delete",
                D,
                [conn.target(kind, topic or "*")],
                tags,
                f"deletes {kind} `{topic}`",
            )
        ]
    if a.has("--reset-offsets"):
        effect = W if a.has("--execute") else R
        return [
            op(
                cmd,
                "reset-offsets",
                effect,
                [conn.target(kind, topic)],
                set() if a.has("--execute") else {"dry-run"},
                f"resets offsets of `{topic}`",
            )
        ]
    if a.has("--create", "--alter"):
        action = "create" if a.has("--create") else "alter"
        return [op(cmd, action, W, [conn.target(kind, topic)], (), f"{action}s {kind} `{topic}`")]
    return [op(cmd, "describe", R, [conn.target(kind, topic)], (), f"lists {kind}s")]


_RABBIT_D = frozenset(
    {
        "delete_queue",
        "purge_queue",
        "reset",
        "force_reset",
        "delete_vhost",
        "delete_user",
        "forget_cluster_node",
        "delete_shovel",
        "clear_vhost_limits",
        "delete_stream",
        "force_boot",
    }
)


def rabbitmqctl(cmd: Command) -> list[Operation]:
    a = parse_args(
        cmd.args,
        {"-n", "--node", "-p", "--vhost", "-t", "--timeout", "--longnames", "-q"}
        - {"--longnames", "-q"},
    )
    node = a.value("-n", "--node") or ""
    conn = place(cmd, node.split("@", 1)[-1] if node else "localhost", a.value("-p", "--vhost"))
    verb = a.pos[0] if a.pos else "help"
    name = a.pos[1] if len(a.pos) > 1 else ""
    if verb in _RABBIT_D:
        kind = verb.split("_", 1)[-1] if "_" in verb and verb != "force_reset" else "node"
        return [
            op(cmd, verb, D, [conn.target(kind, name)], (), f"rabbitmqctl {verb} {name}".strip())
        ]
    if verb in ("stop", "shutdown", "stop_app"):
        return [
            op(cmd, verb, W, [conn.target("node", node)], {"shutdown"}, f"stops rabbitmq ({verb})")
        ]
    if verb == "eval":
        return [
            op(cmd, "eval", U, [conn.target("node", node)], {"remote-code"}, "evaluates Erlang")
        ]
    action, effect = _verb(verb)
    return [op(cmd, action, effect, [conn.target("node", name)], (), f"rabbitmqctl {verb}")]


def rabbitmqadmin(cmd: Command) -> list[Operation]:
    a = parse_args(
        cmd.args,
        {
            "-H",
            "--host",
            "-P",
            "--port",
            "-V",
            "--vhost",
            "-u",
            "--username",
            "-p",
            "--password",
            "-N",
            "--node",
            "-c",
            "--config",
            "--name",
            "-f",
            "--format",
        },
    )
    conn = place(cmd, a.value("-H", "--host") or "localhost", a.value("-V", "--vhost"))
    pos = a.pos
    verb = pos[0].lower() if pos else "help"
    kind = pos[1] if len(pos) > 1 else ""
    name = a.value("--name") or next((p.split("=", 1)[1] for p in pos if p.startswith("name=")), "")
    if verb in ("queues", "exchanges", "bindings", "users", "vhosts") and len(pos) > 1:
        verb, kind = pos[1].lower(), pos[0]  # v2: `rabbitmqadmin queues delete --name q`
    action, effect = _verb(verb)
    if verb in ("declare", "publish", "close", "import", "rebalance", "set"):
        effect = W
    return [
        op(
            cmd,
            action,
            effect,
            [conn.target(kind or "broker", name)],
            (),
            f"rabbitmqadmin {verb} {kind} {name}".strip(),
        )
    ]


_NATS_TOP = {"sub": R, "subscribe": R, "rtt": R, "latency": R, "events": R, "trace": R,
             "reply": W, "bench": W, "schema": R, "errors": R}  # fmt: skip


def nats(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, {"-s", "--server", "--context", "--creds", "--user", "--password"})
    conn = place(
        cmd, a.value("-s", "--server") or cmd.getenv("NATS_URL"), None, context=a.value("--context")
    )
    pos = a.pos
    noun = pos[0] if pos else "help"
    verb = pos[1] if len(pos) > 1 else ""
    name = pos[2] if len(pos) > 2 else ""
    if noun in ("pub", "publish", "req", "request"):
        return [op(cmd, "publish", W, [conn.target("subject", verb)], (), f"publishes to {verb}")]
    if noun in _NATS_TOP:  # `nats sub SUBJECT`, `nats rtt`: the noun is the verb
        action, effect = noun, _NATS_TOP[noun]
        return [op(cmd, action, effect, [conn.target("subject", verb)], (), f"nats {noun} {verb}")]
    action, effect = _verb(verb or noun)
    tags = {"force"} if a.has("-f", "--force") else set()
    return [
        op(
            cmd,
            action,
            effect,
            [conn.target(noun, name)],
            tags,
            f"nats {noun} {verb} {name}".strip(),
        )
    ]
