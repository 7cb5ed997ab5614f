"""`interlock simulate` pictures and SQL twin, end to end through `main`."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from interlock.cli.main import main

FIX = Path(__file__).parent / "fixtures" / "inventory"


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def _snapshot(tmp_path):
    snap = tmp_path / "snap.json"
    code, _, err = run([
        "inventory", "collect", "--kubernetes", str(FIX / "shop.k8s.json"), "--context", "prod-eu",
        "--tier", "prod", "--catalogue", str(FIX / "catalogue.yaml"), "-o", str(snap),
    ])  # fmt: skip
    assert code == 0, err
    return snap


def test_simulate_draws_the_blast_radius_as_svg_and_png(tmp_path):
    snap = _snapshot(tmp_path)
    svg, png = tmp_path / "b.svg", tmp_path / "b.png"
    argv = ["simulate", "--inventory", str(snap), "--svg", str(svg), "--png", str(png), "--",
            "kubectl --context prod-eu delete ns shop"]  # fmt: skip
    code, out, _ = run(argv)
    assert code == 2 and "tears down an environment root" in out
    assert svg.read_text().lstrip().startswith(("<?xml", "<svg")) and "checkout" in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_picture_without_an_inventory_is_a_usage_error(tmp_path):
    code, _, err = run(["simulate", "--svg", str(tmp_path / "x.svg"), "--", "ls"])
    assert code == 1 and "input.usage" in err


def test_the_sql_twin_reports_rows_and_leaves_the_database_unchanged(tmp_path):
    db = tmp_path / "app.db"
    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE orders(id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1),(2),(3);"
    )
    con.commit()
    con.close()
    code, out, _ = run(
        ["simulate", "--json", "--sql-twin", f"sqlite:///{db}", "--sql", "DELETE FROM orders"]
    )
    obj = json.loads(out)
    assert obj["sql_twin"]["rows_deleted"] == 3
    assert obj["verdict"] != "allow" and code in (2, 3)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM orders").fetchone()[0] == 3


def test_the_sql_twin_needs_sql():
    code, _, err = run(["simulate", "--sql-twin", "sqlite:///x.db"])
    assert code == 1 and "deny" in (err or "deny")


def test_only_one_subject_at_a_time(tmp_path):
    code, _, err = run(["simulate", "--tfplan", "x.json", "--", "ls"])
    assert code == 1 and err.startswith("deny  usage")
