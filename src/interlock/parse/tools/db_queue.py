"""Message brokers: kafka-topics / kafka-consumer-groups, rpk, rabbitmqctl, rabbitmqadmin, nats.

Moving a consumer group's committed offsets (`--reset-offsets --execute`, `rpk group seek`,
deleting them) is tagged `offset-reset`: its consumers skip or replay messages.
"""

from __future__ import annotations

from interlock.model import Command, Operation, Target, Tier
from interlock.parse import lexicon
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.db_common import Conn, D, R, U, W, op, place
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
    # `--command-config prod-client.properties`: the client settings name the cluster.
    conn = place(cmd, server.split(",")[0] or None, None, env=a.value("--command-config"))
    topic = a.value("--topic", "--group") or ""
    kind = "consumer-group" if "consumer-groups" in cmd.program else "topic"
    tags = {"all"} if topic in ("*", ".*", "") or "*" in topic else set()
    if a.has("--delete", "--delete-offsets"):
        if a.has("--delete-offsets"):
            tags.add("offset-reset")
        target = [conn.target(kind, topic or "*")]
        return [op(cmd, "delete", D, target, tags, f"deletes {kind} `{topic}`")]
    if a.has("--reset-offsets"):
        # Without `--execute` the tool only prints the new offsets (`--dry-run` is the default).
        run = a.has("--execute") and not a.has("--dry-run")
        effect, tags = (W, {"offset-reset"}) if run else (R, {"dry-run"})
        target = [conn.target(kind, a.value("--group") or topic)]
        return [op(cmd, "reset-offsets", effect, target, tags, f"resets offsets of `{topic}`")]
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


# --- rpk (Redpanda; speaks the Kafka protocol) ---------------------------------------------------

_RPK_VALUES = frozenset(
    "-X --brokers --profile --config --to --to-group --to-file --topics -t -p -r -n --num -o "
    "--offset --set -c --format -g --group --partitions --replicas --user --password "
    "--sasl-mechanism --api-urls --admin-api-urls".split()
)
# Words the lexicon reads wrong: seeking and producing change state, trimming deletes records.
_RPK_VOCAB = {
    "seek": W, "produce": W, "alter-config": W, "trim-prefix": D, "trim": D, "metadata": R,
    "logdirs": R, "txn": R, "connections": R, "balancer-status": R, "self-test": W, "tune": W,
}  # fmt: skip
_RPK_KINDS = {"topic": "topic", "group": "consumer-group", "g": "consumer-group"}
_RPK_LOCAL = frozenset(("container", "profile", "plugin", "generate"))


def rpk(cmd: Command) -> list[Operation]:
    """`rpk [-X brokers=…] NOUN [NOUN] VERB [NAME]`: topics, groups and cluster settings."""
    a = parse_args(cmd.args, _RPK_VALUES)
    words = [w for w in a.pos[:4] if lexicon.is_word(w)]
    noun = words[0] if words else "help"
    found = lexicon.pick_verb(words[1:], _RPK_VOCAB)
    if found is None:  # `rpk version`, `rpk topic` (prints the group's help)
        effect, verb, name = (R if len(a.pos) <= 1 else U), noun, ""
    else:
        verb, effect = words[1 + found[0]], found[1]
        rest = a.pos[a.pos.index(verb) + 1 :]
        name = rest[0] if rest else ""
    conn = _rpk_conn(cmd, a)
    kind = _RPK_KINDS.get(noun, "cluster")
    moves = kind == "consumer-group" and verb in ("seek", "offset-delete")
    tags = {"offset-reset"} if moves else set()
    if noun in _RPK_LOCAL:  # containers on this machine, rpk's own settings and plugins
        tier = Tier.UNKNOWN if cmd.host else Tier.LOCAL
        target = Target.make(noun, name or "rpk", tier=tier, host=cmd.host)
    else:
        target = conn.target(kind, name)
    return [op(cmd, verb, effect, [target], tags, f"rpk {noun} {verb} {name}".strip())]


def _rpk_conn(cmd: Command, a: Args) -> Conn:
    brokers = a.value("--brokers") or cmd.getenv("RPK_BROKERS") or cmd.getenv("REDPANDA_BROKERS")
    for kv in a.values("-X"):
        key, _, val = kv.partition("=")
        if key in ("brokers", "admin.hosts") and val:
            brokers = val
    profile = a.value("--profile") or cmd.getenv("RPK_PROFILE")
    return place(cmd, brokers.split(",")[0] if brokers else None, None, profile=profile)
