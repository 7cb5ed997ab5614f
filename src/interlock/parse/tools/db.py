"""Databases and data stores: SQL clients, admin tools, key-value and document stores, queues.

Each program maps to a handler; SQL clients are data (`db_sql.Client`), the rest are small
functions. Every operation is family `database`; targets carry `host` and `database` scope so
the resolver can tell `prod-db` from `localhost`.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Operation
from interlock.parse.tools import Context
from interlock.parse.tools import db_admin as adm
from interlock.parse.tools import db_etcd as etcd
from interlock.parse.tools import db_extra as extra
from interlock.parse.tools import db_migrate as migrate
from interlock.parse.tools import db_misc as misc
from interlock.parse.tools import db_nosql as nosql
from interlock.parse.tools import db_queue as queue
from interlock.parse.tools import db_redis as redis
from interlock.parse.tools import db_sql as sql
from interlock.parse.tools import db_tools as tools
from interlock.parse.tools.db_common import Conn, U, op, sql_ops

Handler = Callable[[Command, Context], list[Operation]]
MYSQL_TOOLS = ("mydumper", "myloader", "mysqlcheck", "mysqlpump", "mysqlbinlog", "gh-ost",
               "pt-online-schema-change", "pt-archiver", "pt-table-checksum", "pt-kill",
               "pt-table-sync", "pt-query-digest", "pt-heartbeat", "pt-duplicate-key-checker",
               "pt-show-grants", "pt-mysql-summary", "pt-summary", "pt-variable-advisor",
               "pt-slave-restart", "pt-index-usage", "pt-deadlock-logger")  # fmt: skip
_KAFKA = ("kafka-delete-records", "kafka-configs", "kafka-console-consumer",
          "kafka-console-producer", "kafka-acls", "kafka-reassign-partitions",
          "kafka-leader-election", "kafka-storage", "kafka-get-offsets", "kafka-log-dirs",
          "kafka-dump-log", "kafka-streams-application-reset", "kafka-producer-perf-test",
          "kafka-consumer-perf-test", "kafka-features", "kafka-metadata-quorum",
          "kafka-server-stop", "kafka-server-start", "kafka-broker-api-versions",
          "kafka-preferred-replica-election", "kafka-cluster")  # fmt: skip
KAFKA_TOOLS = _KAFKA + tuple(f"{p}.sh" for p in _KAFKA)
ELASTIC_TOOLS = tuple(f"{e}-{t}" for e in ("elasticsearch", "opensearch") for t in (
    "node", "keystore", "users", "reset-password", "plugin", "certutil", "setup-passwords",
    "create-enrollment-token", "shard", "service-tokens", "certgen", "syskeygen",
    "reconfigure-node"))  # fmt: skip


def _client(spec: sql.Client) -> Handler:
    return lambda cmd, ctx: sql.analyze_client(cmd, ctx, spec, list(cmd.args))


def _plain(fn: Callable[[Command], list[Operation]]) -> Handler:
    return lambda cmd, ctx: fn(cmd)


def _atlas(cmd: Command, ctx: Context) -> list[Operation]:
    """`atlas` is Ariga's schema tool (`atlas schema clean`) or MongoDB's Atlas CLI
    (`atlas clusters delete`); the second is an ordinary CLI."""
    words = [w for w in cmd.args if not w.startswith("-")]
    if words[:1] and words[0] in migrate.ATLAS_NOUNS:
        return migrate.migration(cmd)
    from interlock.parse.tools import generic

    return generic.analyze(cmd, ctx)


_HANDLERS: dict[str, Handler] = {
    "psql": _client(sql.PSQL), "psql-prod": _client(sql.PSQL),
    "mysql": _client(sql.MYSQL), "mariadb": _client(sql.MYSQL),
    "sqlite3": _client(sql.SQLITE), "duckdb": _client(sql.DUCKDB),
    "cqlsh": _client(sql.CQLSH), "snowsql": _client(sql.SNOWSQL),
    "trino": _client(sql.TRINO), "presto": _client(sql.TRINO), "usql": _client(sql.USQL),
    "spanner-cli": _client(sql.SPANNER), "pgcli": _client(sql.PGCLI),
    "mycli": _client(sql.MYCLI), "litecli": _client(sql.LITECLI), "bq-sql": _client(sql.BQ_SQL),
    "sqlcmd": sql.sqlcmd, "sqlplus": sql.sqlplus,
    "clickhouse-client": misc.clickhouse, "clickhouse": misc.clickhouse,
    "cockroach": misc.cockroach, "cockroachdb": misc.cockroach,
    "dropdb": _plain(lambda c: adm.pg_object(c, "drop")),
    "dropuser": _plain(lambda c: adm.pg_object(c, "drop")),
    "createdb": _plain(lambda c: adm.pg_object(c, "create")),
    "createuser": _plain(lambda c: adm.pg_object(c, "create")),
    "pg_restore": _plain(adm.pg_restore), "pg_dump": _plain(adm.dump),
    "pg_dumpall": _plain(adm.dump), "mysqldump": _plain(adm.dump),
    "mongodump": _plain(adm.dump), "mongoexport": _plain(adm.dump),
    "mongorestore": _plain(adm.mongo_tool), "mongoimport": _plain(adm.mongo_tool),
    "mysqladmin": _plain(adm.mysqladmin), "mysqlimport": _plain(adm.mysqlimport),
    "pg_ctl": _plain(adm.pg_ctl), "pg_ctlcluster": _plain(adm.pg_ctl),
    "pg_upgrade": _plain(adm.pg_upgrade),
    "mongosh": nosql.mongosh, "mongo": nosql.mongosh,  # type: ignore[dict-item]
    "redis-cli": redis.redis_cli, "valkey-cli": redis.redis_cli,  # type: ignore[dict-item]
    "keydb-cli": redis.redis_cli, "arangosh": nosql.arangosh,  # type: ignore[dict-item]
    "redis-benchmark": _plain(redis.redis_benchmark),
    "memcached-tool": _plain(nosql.memcached_tool),
    "etcdctl": _plain(etcd.etcdctl), "influx": misc.influx,  # type: ignore[dict-item]
    "kafka-topics": _plain(queue.kafka_topics), "kafka-topics.sh": _plain(queue.kafka_topics),
    "kafka-consumer-groups": _plain(queue.kafka_topics),
    "kafka-consumer-groups.sh": _plain(queue.kafka_topics),
    "rabbitmqctl": _plain(queue.rabbitmqctl), "rabbitmqadmin": _plain(queue.rabbitmqadmin),
    "nats": _plain(queue.nats), "cypher-shell": misc.cypher_shell,  # type: ignore[dict-item]
    "neo4j": _plain(misc.service_cli), "rethinkdb": _plain(misc.service_cli),
    "surreal": _plain(misc.service_cli),
    **{p: _plain(tools.pg_tool) for p in tools._PG_FIXED},
    **{p: _plain(migrate.migration) for p in migrate.PROGRAMS},
    "atlas": _atlas,
    "mysqlsh": tools.mysqlsh, "mongostat": _plain(tools.mongo_tool),  # type: ignore[dict-item]
    "mongotop": _plain(tools.mongo_tool), "mongofiles": _plain(tools.mongo_tool),
    **{p: tools.mysql_tool for p in MYSQL_TOOLS},  # type: ignore[misc]
    **{p: _plain(tools.kafka_tool) for p in KAFKA_TOOLS},
    **{p: _plain(tools.elastic_tool) for p in ELASTIC_TOOLS},
    "couchbase-cli": _plain(tools.couchbase_cli), "sqlpackage": _plain(tools.sqlpackage),
    **{p: _plain(extra.monitor) for p in extra.MONITORS},
    "pgbench": _plain(extra.pgbench), "pg_repack": _plain(extra.pg_repack),
    "pgloader": _plain(extra.pgloader), "etcdutl": _plain(etcd.etcdutl),
}  # fmt: skip


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    """Operations for one database command (never raises, never empty)."""
    handler = _HANDLERS.get(cmd.program)
    try:
        ops = handler(cmd, ctx) if handler is not None else []
    except Exception:  # an analyzer bug must not let a command through unexamined
        ops = []
    if ops:
        return ops
    return [
        op(
            cmd,
            "run",
            U,
            [Conn(host=cmd.host).target("database", cmd.program)],
            (),
            f"runs `{cmd.program}`, which interlock cannot read",
        )
    ]


def analyze_bare_sql(text: str, dialect: str | None = None) -> list[Operation]:
    """Operations for a bare SQL statement with no client and no host (`sql:` proposals)."""
    cmd = Command(argv=("sql",), text=text)
    ctx = Context(shell=lambda t, c: [])
    try:
        return sql_ops(cmd, ctx, Conn(), text, dialect)
    except Exception:
        return [op(cmd, "unparsed", U, [Conn().target("database", "")], (), "unreadable SQL")]
