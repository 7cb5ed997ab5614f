"""The SQL twin runs proposed SQL in a transaction it always rolls back, on the local
PostgreSQL and on SQLite, and reports what the SQL would have done. PostgreSQL is required:
these tests fail (they never skip) when it cannot be reached."""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from pathlib import Path

import psycopg
import pytest

from interlock.impact.twin_sql import TableLoss, simulate_sql
from interlock.impact.twin_sql_gate import unsafe_reason
from interlock.parse.sql import classify_sql

ORDERS = 250
ITEMS_PER_ORDER = 3
BIG = ORDERS - 120  # orders with amount > 130 (amount = id + 10)


# --- PostgreSQL -------------------------------------------------------------------------


def _admin_dsn() -> str:
    given = os.environ.get("INTERLOCK_TEST_PG")
    candidates = [given] if given else [
        f"postgresql://{user}@127.0.0.1:5432/test" for user in ("postgres", "root")
    ]  # fmt: skip
    problems = []
    for dsn in candidates:
        try:
            psycopg.connect(dsn, connect_timeout=3).close()
            return dsn
        except psycopg.Error as exc:
            problems.append(f"{dsn}: {str(exc).strip().splitlines()[0]}")
    pytest.fail(
        "the SQL twin tests need PostgreSQL at 127.0.0.1:5432 (database `test`, trust auth, "
        "user postgres or root) or a DSN in INTERLOCK_TEST_PG; " + "; ".join(problems)
    )


@pytest.fixture(scope="session")
def pg():
    """A schema with a unique name holding `orders` and `order_items`; dropped at the end."""
    admin = _admin_dsn()
    schema = f"interlock_twin_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(
            f"CREATE TABLE {schema}.orders (id int PRIMARY KEY, amount int NOT NULL, "
            "status text NOT NULL DEFAULT 'open')"
        )
        conn.execute(
            f"CREATE TABLE {schema}.order_items (id serial PRIMARY KEY, "
            f"order_id int NOT NULL REFERENCES {schema}.orders ON DELETE CASCADE, sku text)"
        )
        conn.execute(
            f"INSERT INTO {schema}.orders (id, amount) SELECT g, g + 10 FROM generate_series(1, {ORDERS}) g"
        )
        conn.execute(
            f"INSERT INTO {schema}.order_items (order_id, sku) SELECT o, 'sku-' || k "
            f"FROM generate_series(1, {ORDERS}) o, generate_series(1, {ITEMS_PER_ORDER}) k"
        )
        conn.execute(f"ANALYZE {schema}.orders")
    sep = "&" if "?" in admin else "?"
    twin = f"{admin}{sep}options=-csearch_path%3D{schema}"
    try:
        yield {"admin": admin, "schema": schema, "dsn": twin}
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _pg_state(pg) -> tuple:
    """What a test must find unchanged: table contents, storage and sequence of each table."""
    s = pg["schema"]
    with psycopg.connect(pg["admin"], autocommit=True) as conn:
        out = []
        for table in ("orders", "order_items"):
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')), "
                f"(SELECT relfilenode FROM pg_class WHERE oid = '{s}.{table}'::regclass) "
                f"FROM {s}.{table} t"
            ).fetchone()
            out.append(row)
        return tuple(out)


@pytest.fixture
def unchanged(pg):
    before = _pg_state(pg)
    yield
    assert _pg_state(pg) == before, "the twin changed the database"


def test_delete_from_orders_reports_every_row_and_leaves_the_table_unchanged(pg, unchanged):
    r = simulate_sql(pg["dsn"], "DELETE FROM orders")
    s = pg["schema"]
    assert r.error is None and r.ran and r.verified
    (stmt,) = r.statements
    assert (stmt.status, stmt.kind, stmt.rows, stmt.tag) == (
        "ran",
        "delete",
        ORDERS,
        f"DELETE {ORDERS}",
    )
    by_table = {c.table: c.deleted for c in stmt.row_changes}
    assert by_table == {f"{s}.orders": ORDERS, f"{s}.order_items": ORDERS * ITEMS_PER_ORDER}
    assert r.rows_deleted == ORDERS * (1 + ITEMS_PER_ORDER) == r.rows_lost
    assert stmt.plan.startswith("Delete on orders")


def test_update_with_a_where_clause_counts_the_rows_it_matches(pg, unchanged):
    r = simulate_sql(pg["dsn"], "UPDATE orders SET status = 'void' WHERE amount > 130")
    assert (r.rows_updated, r.rows_deleted, r.rows_inserted) == (BIG, 0, 0)
    assert r.statements[0].rows == BIG and r.verified


def test_drop_table_reports_the_rows_lost_and_the_table_still_exists(pg, unchanged):
    r = simulate_sql(pg["dsn"], "DROP TABLE orders CASCADE")
    s = pg["schema"]
    assert r.tables_dropped == (TableLoss(f"{s}.orders", ORDERS),)
    assert r.rows_lost == ORDERS and r.ran and r.verified and r.error is None


def test_truncate_reports_every_table_it_empties_with_its_rows(pg, unchanged):
    r = simulate_sql(pg["dsn"], "TRUNCATE orders CASCADE")
    s = pg["schema"]
    assert set(r.tables_truncated) == {
        TableLoss(f"{s}.orders", ORDERS),
        TableLoss(f"{s}.order_items", ORDERS * ITEMS_PER_ORDER),
    }
    assert r.rows_lost == ORDERS * (1 + ITEMS_PER_ORDER) and r.verified


def test_a_script_runs_in_order_and_later_statements_see_earlier_ones(pg, unchanged):
    script = """
        INSERT INTO orders (id, amount) SELECT g, 1 FROM generate_series(1001, 1005) g;
        UPDATE orders SET status = 'paid' WHERE id > 1000;
        DELETE FROM order_items WHERE order_id <= 10;
        CREATE TABLE archive AS SELECT * FROM orders WHERE status = 'paid';
        DROP TABLE archive;
    """
    r = simulate_sql(pg["dsn"], script)
    assert [st.status for st in r.statements] == ["ran"] * 5
    assert [st.rows for st in r.statements[:3]] == [5, 5, 10 * ITEMS_PER_ORDER]
    assert (r.rows_inserted, r.rows_updated, r.rows_deleted) == (10, 5, 30)
    assert r.tables_dropped == (TableLoss(f"{pg['schema']}.archive", 5),)
    assert r.verified and r.error is None


def test_a_statement_longer_than_its_budget_is_stopped_and_the_rest_is_not_run(pg, unchanged):
    r = simulate_sql(pg["dsn"], "SELECT pg_sleep(5); DELETE FROM orders", timeout_ms=200)
    assert r.timed_out and r.error is not None and r.error.code == "impact.sql_timeout"
    assert r.error.sqlstate == "57014"
    assert [st.status for st in r.statements] == ["timed-out", "skipped"]
    assert not r.ran and r.rows_deleted == 0 and r.verified


def test_a_statement_waiting_on_a_lock_past_its_budget_is_stopped(pg, unchanged):
    with psycopg.connect(pg["admin"]) as holder:
        holder.execute(f"LOCK TABLE {pg['schema']}.orders IN ACCESS EXCLUSIVE MODE")
        r = simulate_sql(pg["dsn"], "DELETE FROM orders WHERE id = 1", timeout_ms=200)
        holder.rollback()
    assert r.timed_out and r.error is not None and r.error.code == "impact.sql_timeout"
    assert r.error.sqlstate in ("55P03", "57014")


UNSAFE_PG = [
    "VACUUM orders",
    "VACUUM",
    "CREATE DATABASE interlock_twin_never",
    "DROP DATABASE test",
    "ALTER SYSTEM SET work_mem = '1MB'",
    "CREATE INDEX CONCURRENTLY orders_amount ON orders (amount)",
    "COPY orders TO PROGRAM 'true'",
    "COPY orders FROM PROGRAM 'true'",
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
    "SELECT dblink_exec('dbname=test', 'DROP TABLE orders')",
    "SELECT lo_export(1, '/tmp/interlock-twin')",
    "SELECT setval('order_items_id_seq', 1)",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT agent",
    "RELEASE SAVEPOINT agent",
    "BEGIN",
    "PREPARE TRANSACTION 'agent'",
    "SET statement_timeout = 0",
    "SET LOCAL lock_timeout = 0",
    "SET work_mem = '1MB'",
    "RESET ALL",
    "SELECT set_config('statement_timeout', '0', false)",
    "DO $$ BEGIN DELETE FROM orders; END $$",
    "CALL archive_orders()",
    "LOAD 'plpgsql'",
    "CREATE EXTENSION dblink",
    "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ return 1 $$",
    "CREATE OR REPLACE FUNCTION f() RETURNS int AS 'evil.so', 'f' LANGUAGE C",
    "\\! rm -rf /",
    "frobnicate the orders",
]


@pytest.mark.parametrize("sql", UNSAFE_PG)
def test_unsafe_statements_are_never_run_on_postgresql(pg, unchanged, sql):
    r = simulate_sql(pg["dsn"], sql)
    assert [st.status for st in r.statements] == ["refused"]
    assert r.error is not None and r.error.code == "impact.sql_unsafe"
    assert not r.ran and r.verified


def test_an_unsafe_query_is_explained_instead_of_run(pg):
    r = simulate_sql(pg["dsn"], "SELECT pg_terminate_backend(pid) FROM pg_stat_activity")
    assert r.statements[0].status == "refused" and r.statements[0].plan


def test_a_commit_in_a_script_is_refused_and_the_delete_before_it_is_rolled_back(pg, unchanged):
    r = simulate_sql(pg["dsn"], "DELETE FROM orders WHERE id <= 5; COMMIT; DELETE FROM orders")
    assert [st.status for st in r.statements] == ["ran", "refused", "ran"]
    assert r.rows_deleted == ORDERS * (1 + ITEMS_PER_ORDER) and r.verified


def test_one_call_to_the_database_runs_exactly_one_statement(pg, unchanged):
    from interlock.impact.twin_sql_pg import connect_pg
    from interlock.impact.twin_sql_run import Budget

    engine = connect_pg(pg["dsn"], Budget(lambda: 0.0, 2000, 0.0, 10))
    try:
        engine.begin(read_only=False)
        for smuggled in ("DELETE FROM orders; COMMIT", "SELECT 1; COMMIT"):
            engine.savepoint()
            with pytest.raises(psycopg.errors.SyntaxError):
                engine.execute(smuggled)
            engine.rollback_to()
    finally:
        engine.rollback()
        engine.close()


def test_explain_mode_runs_nothing_and_still_counts_what_a_drop_would_lose(pg, unchanged):
    r = simulate_sql(pg["dsn"], "DROP TABLE orders; DELETE FROM order_items", mode="explain")
    assert [st.status for st in r.statements] == ["explained", "explained"]
    assert r.tables_dropped == (TableLoss(f"{pg['schema']}.orders", ORDERS),)
    assert r.rows_deleted == ORDERS * ITEMS_PER_ORDER
    assert r.statements[1].plan.startswith("Delete on order_items") and not r.ran


def test_the_same_simulation_gives_the_same_digest(pg):
    sql = "UPDATE orders SET status = 'void' WHERE amount > 130; DROP TABLE order_items"
    first, second = simulate_sql(pg["dsn"], sql), simulate_sql(pg["dsn"], sql, mode="run")
    assert first.digest == simulate_sql(pg["dsn"], sql).digest
    assert first.digest.startswith("sqt1:sha256:") and first.digest != second.digest


@pytest.mark.parametrize(
    ("dsn", "code"),
    [
        ("postgresql://postgres@127.0.0.1:1/test", "impact.sql_connect"),
        ("postgresql://postgres@127.0.0.1:5432/interlock_no_such_db", "impact.sql_connect"),
        ("postgresql://postgres@127.0.0.1:5432/test?bogus_option=1", "impact.sql_dsn"),
        ("postgresql://%zz@127.0.0.1/test", "impact.sql_dsn"),
        ("postgresql://[bad", "impact.sql_dsn"),
        ("mysql://root@127.0.0.1/test", "impact.sql_dsn"),
        ("not a dsn", "impact.sql_dsn"),
        ("", "impact.sql_dsn"),
    ],
)
def test_a_bad_dsn_gives_a_clear_error_code(dsn, code):
    r = simulate_sql(dsn, "DELETE FROM orders", timeout_ms=500)
    assert r.error is not None and r.error.code == code, r.error
    assert not r.ran and r.statements == ()


def test_an_unknown_mode_is_a_usage_error():
    from interlock.model import InputError

    with pytest.raises(InputError):
        simulate_sql("sqlite:///x.db", "SELECT 1", mode="apply")  # type: ignore[arg-type]


def test_a_password_never_appears_in_the_result():
    r = simulate_sql("postgresql://u:hunter2@127.0.0.1:1/test?password=hunter2", "SELECT 1")
    assert "hunter2" not in repr(r.as_dict())


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture
def lite(tmp_path: Path):
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount INT, status TEXT)")
        conn.executemany(
            "INSERT INTO orders VALUES (?, ?, 'open')", [(i, i + 10) for i in range(1, ORDERS + 1)]
        )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    yield f"sqlite:///{path}"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the twin changed the file"


def test_sqlite_delete_reports_every_row_and_the_file_is_unchanged(lite):
    r = simulate_sql(lite, "DELETE FROM orders")
    assert r.rows_deleted == ORDERS and r.statements[0].rows == ORDERS
    assert r.ran and r.verified and r.error is None


def test_sqlite_update_with_a_where_clause_counts_the_rows_it_matches(lite):
    r = simulate_sql(lite, "UPDATE orders SET status = 'void' WHERE amount > 130")
    assert r.rows_updated == BIG and r.verified


def test_sqlite_drop_table_reports_the_rows_lost(lite):
    r = simulate_sql(lite, "DROP TABLE orders")
    assert r.tables_dropped == (TableLoss("orders", ORDERS),) and r.verified


def test_sqlite_a_table_dropped_and_recreated_is_reported_as_emptied(lite):
    r = simulate_sql(lite, "DROP TABLE orders; CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    assert r.tables_dropped == (TableLoss("orders", ORDERS),) and r.rows_lost == ORDERS


def test_sqlite_a_script_runs_in_order(lite):
    script = (
        "INSERT INTO orders (amount, status) VALUES (1, 'new'), (2, 'new');"
        "UPDATE orders SET status = 'paid' WHERE status = 'new';"
        "DELETE FROM orders WHERE status = 'paid'"
    )
    r = simulate_sql(lite, script)
    assert [st.rows for st in r.statements] == [2, 2, 2]
    assert (r.rows_inserted, r.rows_updated, r.rows_deleted) == (2, 2, 2) and r.verified


def test_sqlite_a_statement_longer_than_its_budget_is_stopped(lite):
    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    )
    r = simulate_sql(lite, f"{endless}; DELETE FROM orders", timeout_ms=200)
    assert r.timed_out and r.error is not None and r.error.code == "impact.sql_timeout"
    assert [st.status for st in r.statements] == ["timed-out", "skipped"] and r.verified


def test_sqlite_a_write_lock_held_past_the_budget_stops_the_statement(lite):
    holder = sqlite3.connect(lite.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        r = simulate_sql(lite, "DELETE FROM orders WHERE id = 1", timeout_ms=200)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.timed_out and r.error is not None and r.error.code == "impact.sql_timeout"


UNSAFE_LITE = [
    "VACUUM",
    "ATTACH DATABASE '/tmp/other.db' AS other",
    "DETACH DATABASE other",
    "PRAGMA journal_mode = WAL",
    "PRAGMA user_version = 7",
    "PRAGMA writable_schema = ON",
    "COMMIT",
    "BEGIN IMMEDIATE",
    "SAVEPOINT agent",
    "SELECT load_extension('/tmp/evil')",
    ".shell rm -rf /",
    "frobnicate the orders",
]


@pytest.mark.parametrize("sql", UNSAFE_LITE)
def test_unsafe_statements_are_never_run_on_sqlite(lite, sql):
    r = simulate_sql(lite, sql)
    assert [st.status for st in r.statements] == ["refused"]
    assert r.error is not None and r.error.code == "impact.sql_unsafe" and not r.ran


def test_sqlite_explain_mode_runs_nothing_and_counts_what_a_drop_would_lose(lite):
    r = simulate_sql(lite, "DROP TABLE orders", mode="explain")
    assert r.tables_dropped == (TableLoss("orders", ORDERS),) and not r.ran


def test_sqlite_a_missing_file_is_not_created(tmp_path: Path):
    path = tmp_path / "missing.db"
    r = simulate_sql(f"sqlite:///{path}", "SELECT 1")
    assert r.error is not None and r.error.code == "impact.sql_connect"
    assert not path.exists()


# --- the gate, without a database ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "engine"),
    [
        ("DELETE FROM orders", "postgresql"),
        ("DROP TABLE orders CASCADE", "postgresql"),
        ("TRUNCATE orders RESTART IDENTITY", "postgresql"),
        ("SET LOCAL work_mem = '64MB'", "postgresql"),
        ("CREATE INDEX orders_amount ON orders (amount)", "postgresql"),
        ("SELECT 'pg_sleep is fine', pg_sleep(0)", "postgresql"),
        ("DELETE FROM orders", "sqlite"),
        ("PRAGMA table_info(orders)", "sqlite"),
        ("PRAGMA main.index_list(orders)", "sqlite"),
    ],
)
def test_ordinary_statements_pass_the_gate(sql, engine):
    (stmt,) = classify_sql(sql, "sqlite" if engine == "sqlite" else "postgres")
    assert unsafe_reason(stmt, engine) == ""


def test_every_refusal_says_why():
    for sql in UNSAFE_PG:
        for stmt in classify_sql(sql, "postgres"):
            assert unsafe_reason(stmt, "postgresql"), sql


# --- the report -------------------------------------------------------------------------


def test_the_summary_and_the_impact_say_what_would_be_lost(lite):
    from interlock.impact.twin_sql_report import as_impact, summary_lines

    r = simulate_sql(lite, "DROP TABLE orders")
    assert f"  dropped: orders ({ORDERS} rows)" in summary_lines(r)
    impact = as_impact(r)
    assert (impact.deleted, impact.simulated, impact.digest) == (1, True, r.digest)


def test_a_simulation_with_a_refused_statement_is_not_complete(lite):
    from interlock.impact.twin_sql_report import as_impact, summary_lines

    r = simulate_sql(lite, "DELETE FROM orders; VACUUM")
    assert not as_impact(r).simulated
    assert any(line.startswith("  error: impact.sql_unsafe") for line in summary_lines(r))
