"""The database analyzers, called directly: what they report, to what, and where."""

from __future__ import annotations

import shlex

import pytest

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools._registry import PROGRAMS
from interlock.parse.tools.db import analyze, analyze_bare_sql

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN


def run(line: str, shell_seen: list[str] | None = None, **kw: object) -> list[Operation]:
    argv = tuple(shlex.split(line))

    def shell(text: str, cmd: Command) -> list[Operation]:
        if shell_seen is not None:
            shell_seen.append(text)
        return []

    return analyze(Command(argv=argv, text=line, **kw), Context(shell=shell))  # type: ignore[arg-type]


def one(line: str, **kw: object) -> Operation:
    (op,) = run(line, **kw)
    return op


def test_psql_drop_names_table_host_and_database():
    op = one('psql -h prod-db -d app -c "DROP TABLE users"')
    assert (op.family, op.action, op.effect) == ("database", "drop", D)
    (t,) = op.targets
    assert (t.kind, t.name, t.get("host"), t.get("database")) == (
        "table",
        "users",
        "prod-db",
        "app",
    )


def test_psql_uri_gives_host_and_database():
    t = one('psql postgresql://u@prod-db:5432/app -c "TRUNCATE t"').targets[0]
    assert (t.get("host"), t.get("database")) == ("prod-db", "app")


def test_pghost_from_the_environment():
    op = one('psql -c "DROP TABLE x"', env=(("PGHOST", "prod-db"),))
    assert op.targets[0].get("host") == "prod-db"


def test_local_host_spellings_become_localhost():
    for line in (
        'psql -h 127.0.0.1 -c "DROP TABLE x"',
        'mysql -S /tmp/my.sock -e "DROP TABLE x"',
        'psql -h /var/run/postgresql -c "DROP TABLE x"',
    ):
        assert one(line).targets[0].get("host") == "localhost", line


def test_localhost_on_a_remote_machine_is_that_machine():
    op = one('psql -h localhost -c "DROP TABLE x"', host="prod-db-1")
    assert op.targets[0].get("host") == "prod-db-1"


def test_no_host_is_left_to_the_resolver():
    assert one('psql -c "DROP TABLE x"').targets[0].get("host") is None


def test_repeated_dash_c_reports_every_statement():
    ops = run('psql -c "SELECT 1" -c "DELETE FROM t"')
    assert [o.effect for o in ops] == [R, D]


def test_psql_script_file_is_unknown():
    op = one("psql -h db1 -f migrate.sql")
    assert (op.action, op.effect) == ("script", U)


def test_psql_with_no_sql_is_an_interactive_session():
    op = one("psql -h db1")
    assert op.effect is U and "interactive" in op.tags


def test_psql_stdin_text_is_classified():
    op = one("psql -h db1", stdin="DROP TABLE x;")
    assert (op.action, op.effect) == ("drop", D)


def test_piped_stdin_is_unknown():
    assert one("psql -h db1", stdin_piped=True).effect is U


def test_shell_escape_is_handed_to_the_shell_analyzer():
    seen: list[str] = []
    ops = run("psql -c '\\! rm -rf /tmp/x'", shell_seen=seen)
    assert seen == ["rm -rf /tmp/x"]
    assert ops[0].effect is U and "shell-escape" in ops[0].tags


def test_copy_from_program_is_remote_code():
    ops = run("psql -h db1 -c \"COPY t FROM PROGRAM 'id'\"")
    assert "remote-code" in ops[0].tags


def test_mysql_short_cluster_ending_in_e():
    op = one('mysql -h db1 -Nse "DELETE FROM t"')
    assert op.effect is D and "no-where" in op.tags


def test_mysql_password_glued_to_p_is_not_a_socket():
    op = one('mysql -pSecret -h prod-db -e "DROP TABLE t"')
    assert op.targets[0].get("host") == "prod-db"


def test_sqlite_relative_file_is_local():
    op = one('sqlite3 app.db "DROP TABLE x"')
    assert op.targets[0].tier is Tier.LOCAL


def test_sqlite_absolute_file_is_not_assumed_local():
    op = one('sqlite3 /srv/data/app.db "DROP TABLE x"')
    assert op.targets[0].tier is Tier.UNKNOWN


def test_sqlite_readonly_downgrades_writes():
    assert one('sqlite3 -readonly app.db "DELETE FROM t"').effect is R


@pytest.mark.parametrize(("line", "action", "effect"), [
    ("redis-cli FLUSHALL", "flushall", D),
    ("redis-cli -h prod -n 3 flushdb", "flushdb", D),
    ("redis-cli DEL a b", "del", D),
    ("redis-cli UNLINK a", "unlink", D),
    ("redis-cli SHUTDOWN", "shutdown", D),
    ("redis-cli CONFIG SET maxmemory 1gb", "config set", W),
    ("redis-cli SET a 1", "set", W),
    ("redis-cli GET a", "read", R),
    ("redis-cli KEYS *", "read", R),
    ("redis-cli --scan --pattern a*", "scan", R),
    ("redis-cli INFO", "read", R),
    ("valkey-cli FLUSHALL", "flushall", D),
    ("keydb-cli -h x GET y", "read", R),
])  # fmt: skip
def test_redis_commands(line, action, effect):
    op = one(line)
    assert (op.action, op.effect) == (action, effect)


def test_redis_uri_host():
    op = one("redis-cli -u redis://user:pw@cache.prod:6379/2 FLUSHDB")
    assert op.targets[0].get("host") == "cache.prod"


@pytest.mark.parametrize(("code", "action", "effect", "no_where"), [
    ("db.dropDatabase()", "drop", D, False),
    ("db.users.drop()", "drop", D, False),
    ('db.getCollection("users").drop()', "drop", D, False),
    ("db.users.deleteMany({})", "delete", D, True),
    ("db.users.deleteMany({ })", "delete", D, True),
    ("db.users.remove({})", "delete", D, True),
    ("db.users.deleteMany({a: 1})", "delete", W, False),
    ("db.users.updateMany({}, {$set: {a: 1}})", "update", D, True),
    ("db.users.insertOne({a: 1})", "insert", W, False),
    ("db.users.find({})", "query", R, False),
    ("db.runCommand({dropDatabase: 1})", "drop", D, False),
])  # fmt: skip
def test_mongosh_eval(code, action, effect, no_where):
    op = one(f"mongosh mongodb://db1/app --eval '{code}'")
    assert (op.action, op.effect) == (action, effect)
    assert ("no-where" in op.tags) is no_where


def test_mongosh_connection_string_host_and_collection():
    t = one("mongosh mongodb://prod-mongo:27017/app --eval 'db.users.drop()'").targets[0]
    assert (t.kind, t.name, t.get("host"), t.get("database")) == (
        "collection",
        "users",
        "prod-mongo",
        "app",
    )


@pytest.mark.parametrize(("line", "effect"), [
    ("dropdb -h prod app", D), ("dropuser bob", D), ("createdb app", W), ("createuser bob", W),
    ("pg_restore --clean -d app x.dump", D), ("pg_restore -d app x.dump", W),
    ("pg_restore -f out.sql x.dump", R), ("pg_dump -d app", R), ("pg_dumpall", R),
    ("mysqldump shop", R), ("mongodump", R), ("mongorestore --drop dump/", D),
    ("mongorestore dump/", W), ("mysqladmin -h x drop shop", D), ("mysqladmin status", R),
    ("etcdctl del k", D), ("etcdctl get k", R), ("etcdctl put k v", W),
    ("etcdctl compact 5", D), ("kafka-topics --delete --topic t", D),
    ("kafka-topics --list", R), ("rabbitmqctl delete_queue q", D),
    ("rabbitmqctl purge_queue q", D), ("rabbitmqctl reset", D), ("rabbitmqctl list_queues", R),
    ('cqlsh -e "DROP KEYSPACE ks"', D), ('clickhouse-client --query "DROP TABLE t"', D),
    ('clickhouse client -q "SELECT 1"', R), ('sqlcmd -S x -Q "TRUNCATE TABLE t"', D),
    ('duckdb -c "DROP TABLE t"', D), ("influx bucket delete -n b", D),
    ("influx delete --bucket b", D),
    ('cockroach sql -e "DROP TABLE t"', D), ('snowsql -q "DROP TABLE t"', D),
    ('trino --execute "DROP TABLE t"', D), ('cypher-shell "MATCH (n) DETACH DELETE n"', D),
    ('cypher-shell "MATCH (n) RETURN n LIMIT 1"', R), ("nats stream rm S", D),
    ("pg_ctl stop -D x", W), ("mysqlimport --delete shop t.csv", D),
])  # fmt: skip
def test_tool_effects(line, effect):
    assert max((o.effect for o in run(line)), key=[R, W, U, D].index) is effect


def test_bare_sql_has_no_host():
    (op,) = analyze_bare_sql("DROP TABLE users")
    assert (op.action, op.effect) == ("drop", D)
    assert op.targets[0].get("host") is None


@pytest.mark.parametrize("program", PROGRAMS["db"])
@pytest.mark.parametrize(
    "args", [(), ("--help",), ("-h",), ("-c",), ("'",), ("--", "x"), ("-e", "")]
)
def test_every_program_answers_without_raising(program, args):
    ops = analyze(Command(argv=(program, *args), text=program), Context(shell=lambda t, c: []))
    # MongoDB's `atlas` CLI shares its name with Ariga's schema tool and is read generically
    families = ("database", "generic") if program == "atlas" else ("database",)
    assert ops and all(o.family in families for o in ops)


def test_migration_tools_read_the_database_url():
    op = one("flyway -url=jdbc:postgresql://prod-db:5432/app clean")
    assert (op.action, op.effect, op.targets[0].get("host")) == ("clean", D, "prod-db")
    assert one("goose postgres 'host=prod-db dbname=app' down-to 0").effect is D
    assert one("goose postgres 'host=prod-db dbname=app' down-to 3").effect is W
    assert one("liquibase update-sql").effect is R
    assert one("sqlx migrate info").effect is R


def test_a_dynamic_database_url_is_not_this_machine():
    op = one('migrate -path db/migrations -database "$DATABASE_URL" drop -f')
    assert op.effect is D and "dynamic-target" in op.tags
    assert one('redis-cli -u "$REDIS_URL" flushall').targets[0].get("host") == "$REDIS_URL"


def test_mongodb_atlas_cli_is_not_the_schema_tool():
    (op,) = run("atlas clusters delete prod-cluster --force")
    assert op.family == "generic"
    assert one("atlas schema clean -u postgres://prod-db/app").effect is D


def test_postgres_cluster_tools():
    assert one("pg_resetwal -f /var/lib/postgresql/14/main").effect is D
    assert one("pg_archivecleanup -n /mnt/archive 000000010000003700000010").effect is R
    assert one("pg_isready -h prod-db").effect is R
    assert one("pg_dropcluster 14 main --stop").targets[0].kind == "cluster"


def test_online_schema_change_is_a_noop_without_execute():
    assert one("gh-ost --host=prod-db --alter='DROP COLUMN x' --table=t").effect is R
    op = one(
        "pt-online-schema-change --alter 'DROP COLUMN legacy' D=shop,t=users,h=prod-db --execute"
    )
    assert op.effect is D and op.targets[0].get("host") == "prod-db"


def test_kafka_side_scripts():
    assert (
        one("kafka-delete-records --bootstrap-server prod:9092 --offset-json-file o.json").effect
        is D
    )
    assert (
        one("kafka-configs --bootstrap-server prod:9092 --describe --entity-type topics").effect
        is R
    )
    assert one("kafka-storage.sh format -t abc -c server.properties").effect is D


def test_etcd_restore_into_the_live_data_dir_is_in_place():
    op = one("etcdctl snapshot restore snap.db --data-dir /var/lib/etcd")
    assert op.effect is D and "in-place" in op.tags
    assert one("etcdctl snapshot restore snap.db --data-dir ./restored").effect is W
