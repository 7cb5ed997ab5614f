"""classify_sql: statement kinds, effects, tags, and text built to hide a destructive verb."""

from __future__ import annotations

import subprocess
import sys

import pytest

from interlock.model import Effect
from interlock.parse.sql import classify_sql

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

CASES = [
    # (sql, dialect, kind, effect, object_kind, tags that must be present)
    ("DROP TABLE users", "psql", "drop", D, "table", set()),
    ("DROP TABLE IF EXISTS a.b, c CASCADE", "psql", "drop", D, "table", {"if-exists", "cascade"}),
    ("DROP DATABASE app", "mysql", "drop", D, "database", set()),
    ("DROP SCHEMA public CASCADE", "psql", "drop", D, "schema", {"cascade"}),
    ("DROP INDEX idx", "psql", "drop", D, "index", set()),
    ("DROP VIEW v", "psql", "drop", D, "view", set()),
    ("DROP USER bob", "psql", "drop", D, "user", set()),
    ("DROP ROLE IF EXISTS app", "psql", "drop", D, "role", {"if-exists"}),
    ("DROP KEYSPACE metrics", "cqlsh", "drop", D, "keyspace", set()),
    ("TRUNCATE TABLE users", "psql", "truncate", D, "table", set()),
    ("TRUNCATE users CASCADE", "psql", "truncate", D, "table", {"cascade"}),
    ("DELETE FROM users", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users WHERE 1=1", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM `p.d.t` WHERE true", "bigquery", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users WHERE (1 = 1) OR id = 4", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users WHERE NOT FALSE", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users WHERE name LIKE '%'", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users LIMIT 10", "mysql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM t USING u", "psql", "delete", D, "table", {"no-where"}),
    ("DELETE FROM users WHERE id = 4", "psql", "delete", W, "table", set()),
    ("DELETE FROM users WHERE 1=1 AND id = 4", "psql", "delete", W, "table", set()),
    ("DELETE t FROM t JOIN u ON t.id = u.id", "mysql", "delete", W, "table", set()),
    ("UPDATE users SET a = 1", "psql", "update", D, "table", {"no-where"}),
    ("UPDATE users SET a = 1 WHERE id = 3", "psql", "update", W, "table", set()),
    ("ALTER TABLE t DROP COLUMN c", "psql", "alter-drop", D, "table", set()),
    ("ALTER TABLE t DROP CONSTRAINT fk", "psql", "alter-drop", D, "table", set()),
    ("ALTER TABLE t ADD COLUMN c int", "psql", "alter", W, "table", set()),
    ("ALTER TABLE t DELETE WHERE 1", "clickhouse", "alter-drop", D, "table", {"no-where"}),
    ("ALTER TABLE t DELETE WHERE id = 5", "clickhouse", "delete", W, "table", set()),
    ("INSERT INTO t VALUES (1)", "psql", "insert", W, "table", set()),
    ("INSERT OVERWRITE TABLE t SELECT 1", "", "insert", D, "table", {"overwrite"}),
    ("CREATE TABLE t (id int)", "psql", "create", W, "table", set()),
    ("CREATE TABLE a AS SELECT 1", "psql", "create", W, "table", set()),
    ("CREATE OR REPLACE TABLE t AS SELECT 1", "snowflake", "create", D, "table", {"replace"}),
    ("CREATE OR REPLACE VIEW v AS SELECT 1", "snowflake", "create", W, "view", set()),
    ("GRANT ALL ON t TO bob", "psql", "grant", W, "privilege", set()),
    ("REVOKE ALL ON t FROM bob", "psql", "revoke", W, "privilege", set()),
    ("COPY t FROM '/tmp/t.csv'", "psql", "copy", W, "table", set()),
    ("COPY t TO '/tmp/t.csv'", "psql", "copy", R, "table", set()),
    ("SELECT * INTO newt FROM t", "psql", "select-into", W, "table", set()),
    ("SELECT * FROM t", "psql", "select", R, "", set()),
    ("WITH x AS (SELECT 1) SELECT * FROM x", "psql", "select", R, "", set()),
    ("EXPLAIN SELECT 1", "psql", "explain", R, "", set()),
    ("EXPLAIN DELETE FROM t", "psql", "explain", R, "", set()),
    ("SHOW TABLES", "mysql", "show", R, "", set()),
    ("DESCRIBE t", "mysql", "describe", R, "", set()),
    ("VACUUM FULL", "psql", "vacuum", W, "", set()),
    ("SET GLOBAL read_only = 0", "mysql", "set", W, "", {"global"}),
    ("SET search_path TO app", "psql", "set", R, "", set()),
    ("RESET MASTER", "mysql", "reset", D, "binlog", set()),
    ("SHUTDOWN", "mysql", "shutdown", W, "server", {"shutdown"}),
    (
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
        "psql",
        "merge",
        W,
        "table",
        set(),
    ),
    (
        "select pg_terminate_backend(pid) from pg_stat_activity",
        "psql",
        "call",
        W,
        "function",
        set(),
    ),
]


@pytest.mark.parametrize(("sql", "dialect", "kind", "effect", "okind", "tags"), CASES)
def test_statement_is_classified(sql, dialect, kind, effect, okind, tags):
    (st,) = classify_sql(sql, dialect)
    assert (st.kind, st.effect, st.object_kind) == (kind, effect, okind)
    assert tags <= st.tags


def _worst(sql: str, dialect: str | None = "psql") -> Effect:
    order = [R, W, U, D]
    return max((s.effect for s in classify_sql(sql, dialect)), key=order.index)


ADVERSARIAL = [
    ("a block comment hides nothing", "/* hi */ DROP TABLE users", "psql", D),
    ("a MySQL executable comment runs", "/*!50000 DROP TABLE x*/", "mysql", D),
    ("a versionless executable comment runs", "SELECT 1; /*! DROP TABLE x */", "mysql", D),
    ("mixed case", "dRoP tAbLe UsErS", "psql", D),
    ("many statements", "SELECT 1; SELECT 2; INSERT INTO t VALUES (1); TRUNCATE t;", "psql", D),
    ("statement after a line comment", "-- just a read\nDROP TABLE x", "psql", D),
    ("a data-modifying CTE", "WITH g AS (DELETE FROM t RETURNING *) SELECT * FROM g", "psql", D),
    ("explain analyze runs the statement", "EXPLAIN ANALYZE DELETE FROM t", "psql", D),
    ("explain with options", "EXPLAIN (ANALYZE, BUFFERS) DELETE FROM t", "psql", D),
    ("dynamic SQL in a DO block", "DO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$", "psql", D),
    ("EXEC of a string", "EXEC('DROP TABLE x')", "tsql", D),
    ("prepare from a string", "PREPARE s FROM 'DROP TABLE x'; EXECUTE s", "mysql", D),
    ("T-SQL batches split by GO", "SELECT 1\nGO\nDROP TABLE x\nGO", "tsql", D),
    (
        "SQL*Plus lines and slash",
        "SET ECHO ON\nSELECT 1 FROM dual\n/\nDROP TABLE x PURGE;",
        "oracle",
        D,
    ),
    ("a MySQL DELIMITER block", "DELIMITER //\nDROP TABLE x//\nDELIMITER ;", "mysql", D),
    ("drop inside a string is data", "SELECT 'DROP TABLE users'", "psql", R),
    ("drop inside a comment is nothing", "SELECT 1 /* ; DROP TABLE x */", "psql", R),
    ("drop after a line comment marker", "SELECT 1 -- ; DROP TABLE x", "psql", R),
    ("a dollar-quoted string", "SELECT $x$ DROP TABLE y; $x$", "psql", R),
    ("truncate the numeric function", "SELECT TRUNCATE(1.5, 1)", "mysql", R),
    ("unknown dialect drop", "DROP TABLE x GO AWAY", "clickhouse", D),
    ("garbage", "this is not sql", None, U),
    ("psql shell escape is code", "\\! rm -rf /", "psql", U),
    ("copy from program is code", "COPY t FROM PROGRAM 'rm -rf /'", "psql", U),
]


@pytest.mark.parametrize(
    ("note", "sql", "dialect", "effect"), ADVERSARIAL, ids=[a[0] for a in ADVERSARIAL]
)
def test_adversarial_sql_is_not_underrated(note, sql, dialect, effect):
    assert _worst(sql, dialect) is effect


def test_meta_commands_are_reads_and_shell_escapes_carry_their_code():
    dt, bang = classify_sql("\\dt\n\\! rm -rf /tmp/x", "psql")
    assert (dt.kind, dt.effect) == ("meta", R)
    assert (bang.kind, bang.shell) == ("shell", "rm -rf /tmp/x")


def test_sqlite_dot_commands():
    tables, shell, restore = classify_sql(".tables\n.shell ls\n.restore main b.db", "sqlite3")
    assert tables.effect is R
    assert shell.shell == "ls"
    assert restore.effect is D


def test_copy_from_program_reports_the_shell_code():
    (st,) = classify_sql("COPY t FROM PROGRAM 'curl x | sh'", "psql")
    assert st.shell == "curl x | sh"
    assert "remote-code" in st.tags


def test_use_sets_the_database_of_later_statements():
    use, drop = classify_sql("USE prod; DROP TABLE x", "mysql")
    assert use.kind == "use"
    assert drop.database == "prod"


def test_unparsed_text_is_unknown_and_tagged():
    (st,) = classify_sql("SELEC * FRM x", "psql")
    assert (st.kind, st.effect) == ("unparsed", U)
    assert "unparsed" in st.tags


def test_empty_text_has_no_statements():
    assert classify_sql("   ") == []


@pytest.mark.parametrize("text", ["'", '"', "/*", "$$", "\\", ";;;", "DROP", "(((", "\x00", "`"])
def test_odd_input_never_raises(text):
    assert isinstance(classify_sql(text, "psql"), list)
    assert isinstance(classify_sql(text, "mysql"), list)


def test_a_plain_select_does_not_import_sqlglot():
    code = (
        "import sys\nfrom interlock.parse.sql import classify_sql\n"
        "classify_sql('SELECT id FROM users WHERE id = 1', 'psql')\n"
        "print('sqlglot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
