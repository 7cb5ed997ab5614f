"""The blast-radius picture: DOT text for a known report, hostile names, collapsing, and real
graphviz rendering (behaviour ids `pic.*` in docs/pictures.md)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from interlock.impact.blast import Change, ImpactReport, blast_radius
from interlock.impact.model import Edge, Resource, Snapshot, build_snapshot
from interlock.impact.picture import duration, headline, render, to_dot
from interlock.model import InputError, InterlockError

SVG = "{http://www.w3.org/2000/svg}"
NS = "k8s:prod-eu:payments"


def report(snap: Snapshot, **kw: object) -> ImpactReport:
    fields: dict[str, object] = {
        "deleted": (),
        "replaced": (),
        "changed": (),
        "created": (),
        "impaired": (),
        "services_impaired": (),
        "data_loss": (),
        "restore_minutes": 0,
        "env_root_teardown": False,
        "snapshot_digest": snap.digest,
        "digest": "imp1:sha256:" + "ab" * 32,
    }
    fields.update(kw)
    return ImpactReport(**fields)  # type: ignore[arg-type]


def payments() -> tuple[Snapshot, ImpactReport]:
    """`kubectl delete ns payments` in prod-eu: the namespace, its workloads and an unbacked
    volume go; the database's replica is replaced; checkout and payments are impaired."""
    r = [
        Resource(f"{NS}:namespace", "namespace", "payments", "prod", "payments", env_root=True),
        Resource(
            f"{NS}:deployment:api", "deployment", "api", "prod", "payments", restore_minutes=20
        ),
        Resource(f"{NS}:deployment:worker", "deployment", "worker", "prod", "payments"),
        Resource(f"{NS}:service:api", "k8s-service", "api", "prod", "payments"),
        Resource(f"{NS}:ingress:api", "ingress", "api.pay.example.com", "prod", "payments"),
        Resource(
            f"{NS}:pvc:ledger",
            "pvc",
            "ledger-data",
            "prod",
            "payments",
            stateful=True,
            backup="none",
            restore_minutes=360,
        ),
        Resource(
            "aws:rds:db-instance:pay-replica",
            "db-instance",
            "pay-replica",
            "prod",
            "payments",
            stateful=True,
            backup="snapshot",
            restore_minutes=90,
        ),
        Resource(
            "aws:rds:db-instance:pay-main",
            "db-instance",
            "pay-main",
            "prod",
            "payments",
            stateful=True,
            backup="verified",
        ),
        Resource("k8s:prod-eu:checkout:deployment:web", "deployment", "web", "prod", "checkout"),
        Resource("svc:checkout", "service", "checkout", "prod", "checkout", criticality="critical"),
        Resource("k8s:prod-eu:cluster", "cluster", "prod-eu", "prod", env_root=True),
        Resource("aws:s3:bucket:pay-audit", "s3-bucket", "pay-audit", "prod", "payments"),
    ]
    r += [
        Resource(f"{NS}:pod:api-{i}", "pod", f"api-7d9f-{i}", "prod", "payments") for i in range(3)
    ]
    e = [Edge(x.id, f"{NS}:namespace", "contains") for x in r if x.id.startswith(NS + ":")]
    e = [x for x in e if x.source != x.target]
    e += [Edge(f"{NS}:pod:api-{i}", f"{NS}:deployment:api", "owns") for i in range(3)]
    e += [
        Edge(f"{NS}:namespace", "k8s:prod-eu:cluster", "contains"),
        Edge(f"{NS}:service:api", f"{NS}:deployment:api", "selects"),
        Edge(f"{NS}:ingress:api", f"{NS}:service:api", "routes-to"),
        Edge(f"{NS}:deployment:api", f"{NS}:pvc:ledger", "binds"),
        Edge(f"{NS}:deployment:api", "aws:rds:db-instance:pay-replica"),
        Edge("aws:rds:db-instance:pay-replica", "aws:rds:db-instance:pay-main"),
        Edge("k8s:prod-eu:checkout:deployment:web", f"{NS}:service:api", "routes-to"),
        Edge("svc:checkout", "k8s:prod-eu:checkout:deployment:web", "owns"),
        Edge(f"{NS}:deployment:worker", "aws:s3:bucket:pay-audit"),
    ]
    snap = build_snapshot(r, e, "merged", "2025-11-25T03:00:00Z")
    gone = tuple(x.id for x in r if x.id.startswith(NS + ":"))
    rep = report(
        snap,
        deleted=gone,
        replaced=("aws:rds:db-instance:pay-replica",),
        impaired=("k8s:prod-eu:checkout:deployment:web", "svc:checkout"),
        services_impaired=("checkout", "payments"),
        data_loss=(f"{NS}:pvc:ledger",),
        restore_minutes=360,
        env_root_teardown=True,
    )
    return snap, rep


def node_attrs(dot: str, name: str) -> str:
    """The attribute list of the node whose label shows `name` in bold."""
    for line in dot.splitlines():
        if re.match(r"\s+n\d+ \[", line) and f"<B>{name}</B>" in line:
            return line
    raise AssertionError(f"no node for {name!r}")


def key_of(dot: str, name: str) -> str:
    return node_attrs(dot, name).split()[0]


# ---------------------------------------------------------------------------- pic.style


def test_deleted_replaced_changed_created_nodes_have_their_colours():
    snap = build_snapshot(
        [Resource(f"r:{n}", "vm", n) for n in ("gone", "swap", "tweak", "new")], [], "aws"
    )
    rep = report(
        snap, deleted=("r:gone",), replaced=("r:swap",), changed=("r:tweak",), created=("r:new",)
    )
    dot = to_dot(snap, rep)
    assert 'fillcolor="#d32f2f"' in node_attrs(dot, "gone")
    assert "filled" in node_attrs(dot, "gone") and "DELETED" in node_attrs(dot, "gone")
    assert 'fillcolor="#fb8c00"' in node_attrs(dot, "swap")
    assert 'fillcolor="#fdd835"' in node_attrs(dot, "tweak")
    assert 'fillcolor="#66bb6a"' in node_attrs(dot, "new")


def test_an_impaired_resource_has_a_dashed_red_border():
    snap, rep = payments()
    web = node_attrs(to_dot(snap, rep), "web")
    assert "dashed" in web and 'color="#d32f2f"' in web and "IMPAIRED" in web


def test_an_impaired_service_is_a_bold_larger_box():
    snap, rep = payments()
    dot = to_dot(snap, rep)
    checkout = node_attrs(dot, "checkout")  # a `service` resource of the snapshot
    assert 'shape="box"' in checkout and "bold" in checkout and 'fontsize="16"' in checkout
    assert "SERVICE IMPAIRED" in checkout and "critical" in checkout
    pay = node_attrs(dot, "payments")  # a name only: gets a node of its own, fed by what it owns
    assert 'shape="box"' in pay and 'fontsize="16"' in pay
    pay = key_of(dot, "payments")  # arrows come from the ends of the damage chains only
    assert f"  {key_of(dot, 'worker')} -> {pay} [" in dot
    assert f"  {key_of(dot, 'ledger-data')} -> {pay} [" not in dot


def test_data_loss_is_a_cylinder_with_a_data_loss_line():
    snap, rep = payments()
    dot = to_dot(snap, rep)
    ledger = node_attrs(dot, "ledger-data")
    assert 'shape="cylinder"' in ledger and "<B>DATA LOSS</B> · backup: none" in ledger
    assert "DATA LOSS" not in node_attrs(dot, "pay-replica")  # backed up by a snapshot


def test_an_env_root_has_a_double_border_and_a_cluster_around_what_it_contains():
    snap, rep = payments()
    dot = to_dot(snap, rep)
    ns = _namespace_key(dot)  # the namespace's node: a double border
    block = dot[dot.index(f"subgraph cluster_{ns} {{") :]
    block = block[: block.index("\n  }\n")]
    assert "namespace payments — TORN DOWN" in block
    for name in ("api-7d9f-0", "ledger-data", "worker"):
        assert f"  {key_of(dot, name)} [" in block
    assert key_of(dot, "pay-replica") not in block.split()


def _namespace_key(dot: str) -> str:
    for line in dot.splitlines():
        if "namespace · prod" in line and 'peripheries="2"' in line:
            return line.split()[0]
    raise AssertionError("no namespace node with a double border")


def test_arrows_point_from_a_change_to_what_depends_on_it_and_are_red_on_the_damage_path():
    snap, rep = payments()
    dot = to_dot(snap, rep)
    svc, web = key_of(dot, "api.pay.example.com"), key_of(dot, "web")
    api_service = next(
        ln.split()[0] for ln in dot.splitlines() if "k8s-service" in ln and " [label=" in ln
    )
    assert re.search(rf"  {api_service} -> {web} \[[^\]]*color=\"#d32f2f\"", dot)
    assert f"  {api_service} -> {svc} [" in dot
    main = key_of(dot, "pay-main")  # unchanged neighbour of the replaced replica: grey, no red
    assert 'fillcolor="#ffffff"' in node_attrs(dot, "pay-main")
    assert re.search(rf"  {main} -> {key_of(dot, 'pay-replica')} \[tooltip=\"depends-on\"\];", dot)


def test_the_title_gives_the_totals_an_approver_needs():
    snap, rep = payments()
    dot = to_dot(snap, rep)
    line = "deletes 9, replaces 1, impairs 2 services, 1 without backup, ~6 h to restore"
    assert headline(rep) == line and f"<B>{line}</B>" in dot
    assert "TEARS DOWN AN ENVIRONMENT ROOT" in dot and "imp1:sha256:abab" in dot


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (90, "1.5 h"),
        (100, "1.5 h"),
        (360, "6 h"),
        (599, "10 h"),
        (780, "13 h"),
        (2880, "2 d"),
    ],
)
def test_restore_time_is_rounded_the_way_a_person_says_it(minutes: int, text: str):
    assert duration(minutes) == text


def test_the_legend_shows_only_the_styles_the_picture_uses():
    snap, rep = payments()
    legend = to_dot(snap, rep).split("subgraph cluster_legend {")[1].split("\n  }\n")[0]
    for entry in ("DELETED", "REPLACED", "IMPAIRED", "SERVICE IMPAIRED", "DATA LOSS", "ENV ROOT"):
        assert f'label="{entry}' in legend
    assert "CREATED" not in legend and "+N more" not in legend


def test_the_real_blast_radius_of_deleting_the_namespace_draws_the_same_story():
    snap, _ = payments()
    rep = blast_radius(snap, [Change(f"{NS}:namespace", "delete")])
    dot = to_dot(snap, rep)
    assert 'shape="cylinder"' in node_attrs(dot, "ledger-data")
    assert "SERVICE IMPAIRED" in node_attrs(dot, "checkout")
    assert "SERVICE IMPAIRED" in node_attrs(dot, "payments")
    assert "deletes 9, impairs 2 services, 1 without backup" in dot
    assert render(dot, "png")[:4] == b"\x89PNG"


def test_the_same_inputs_give_the_same_text():
    snap, rep = payments()
    assert to_dot(snap, rep) == to_dot(snap, rep)


def test_a_report_with_nothing_in_it_still_draws():
    snap = build_snapshot([Resource("a", "vm", "a")], [], "aws")
    svg = render(to_dot(snap, report(snap)), "svg").decode()
    assert "deletes 0, impairs 0 services, 0 without backup" in svg


def test_ids_the_snapshot_does_not_hold_are_drawn_by_id():
    snap = build_snapshot([], [], "tfplan")
    dot = to_dot(snap, report(snap, created=("tf:aws_s3_bucket.new",)))
    assert "CREATED" in node_attrs(dot, "tf:aws_s3_bucket.new")


def test_max_nodes_below_one_is_refused():
    snap, rep = payments()
    with pytest.raises(InputError) as exc:
        to_dot(snap, rep, max_nodes=0)
    assert exc.value.code == "input.invalid"


# ---------------------------------------------------------------------------- pic.escape

HOSTILE = [
    'quote"]; evil [label="x',
    "back\\slash\\",
    "line\nbreak\r\ttab",
    "<b>html</b> & <TABLE>",
    "}; digraph x { a -> b",
    "\\N \\G \\L \\n escapes",
    "rtl\u202eevil\u200bzero\x00nul",
    "emoji 🔥 ünïcödé 日本",
    "]]><!-- -->&amp;&#x41;",
]


def hostile_snapshot() -> tuple[Snapshot, ImpactReport]:
    res = [Resource(f'id"{i}\\', f"kind<{i}>", name, "prod") for i, name in enumerate(HOSTILE)]
    edges = [Edge(res[i].id, res[i + 1].id) for i in range(len(res) - 1)]
    snap = build_snapshot(res, edges, "aws")
    ids = tuple(r.id for r in res)
    return snap, report(
        snap,
        deleted=ids[:3],
        impaired=ids[3:],
        data_loss=ids[:1],
        services_impaired=('svc "q" <x>\n',),
    )


def svg_texts(svg: bytes) -> tuple[int, str]:
    root = ET.fromstring(svg)
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    text = "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    return len(nodes), text


def test_hostile_names_are_escaped_and_add_no_node():
    snap, rep = hostile_snapshot()
    dot = to_dot(snap, rep)
    assert not re.search("[\x00-\x09\x0b-\x1f\u200b\u202e]", dot)
    assert all(line.startswith(("digraph ", "  ", "}")) for line in dot.splitlines())
    count, text = svg_texts(render(dot, "svg"))
    legend = dot.count("    legend")
    legend -= dot.count("-> legend")
    assert count == len(HOSTILE) + 1 + legend  # the resources, the service, the legend
    for shown in (
        'quote"]; evil [label="x',
        "back\\slash\\",
        "line\\nbreak\\r\\ttab",
        "<b>html</b> & <TABLE>",
        "}; digraph x { a -> b",
        "\\N \\G \\L \\n escapes",
        "rtl\\u202eevil\\u200bzero\\u0000nul",
        "emoji 🔥 ünïcödé 日本",
        "]]><!-- -->&amp;&#x41;",
        'svc "q" <x>\\n',
    ):
        assert shown in text, shown


def test_hostile_ids_are_escaped_in_tooltips():
    snap, rep = hostile_snapshot()
    root = ET.fromstring(render(to_dot(snap, rep), "svg"))
    tips = {a.get("{http://www.w3.org/1999/xlink}title", "") for a in root.iter(f"{SVG}a")}
    assert any(t.startswith('id"0\\ | deleted kind<0> quote"]; evil') for t in tips), tips


def test_a_very_long_name_is_cut_in_the_label():
    snap = build_snapshot([Resource("a", "vm", "x" * 500)], [], "aws")
    dot = to_dot(snap, report(snap, deleted=("a",)))
    assert "x" * 43 + "…</B>" in dot and "x" * 45 not in dot.split("tooltip")[0]


# ---------------------------------------------------------------------------- pic.collapse


def big(pods: int, neighbours: int) -> tuple[Snapshot, ImpactReport]:
    ns = Resource("ns", "namespace", "payments", "prod", env_root=True)
    res = [ns, Resource("db", "db-instance", "ledger", "prod", stateful=True, backup="none")]
    res += [Resource(f"pod{i:04}", "pod", f"pod-{i}", "prod") for i in range(pods)]
    res += [Resource(f"peer{i:04}", "config-map", f"cm-{i}", "prod") for i in range(neighbours)]
    edges = [Edge(f"pod{i:04}", "ns", "contains") for i in range(pods)]
    edges += [Edge("db", "ns", "contains")]
    edges += [Edge(f"pod{i % pods:04}", f"peer{i:04}") for i in range(neighbours)]
    snap = build_snapshot(res, edges, "kubernetes")
    gone = ("ns", "db", *(f"pod{i:04}" for i in range(pods)))
    return snap, report(snap, deleted=gone, data_loss=("db",), env_root_teardown=True)


def drawn_nodes(dot: str) -> list[str]:
    return [ln for ln in dot.splitlines() if re.match(r"\s+n\d+ \[", ln)]


def test_under_max_nodes_every_neighbour_is_drawn():
    dot = to_dot(*big(5, 5), max_nodes=150)
    assert len(drawn_nodes(dot)) == 12 and "+N more" not in dot


def test_above_max_nodes_unchanged_neighbours_collapse_first():
    dot = to_dot(*big(20, 200), max_nodes=150)
    nodes = drawn_nodes(dot)
    assert len(nodes) == 23  # ns, db, 20 pods, one "+200 more unchanged config-map"
    assert any("<B>+200 more</B>" in n and "unchanged · config-map" in n for n in nodes)
    assert "+N more (collapsed)" in dot


def test_far_above_max_nodes_the_least_important_changes_collapse_too():
    dot = to_dot(*big(5000, 300), max_nodes=40)
    nodes = drawn_nodes(dot)
    assert len(nodes) <= 40
    assert "<B>ledger</B>" in dot and 'shape="cylinder"' in node_attrs(dot, "ledger")
    assert _namespace_key(dot)  # the env root survives, with its double border
    more = [n for n in nodes if "more</B>" in n]
    assert (
        sum(int(re.search(r"\+(\d+) more", n).group(1)) for n in more)
        == 5300 - (len(nodes) - len(more)) + 2
    )
    assert f"showing {len(nodes)} nodes for 5302 resources" in dot


def test_collapsed_changes_stay_inside_their_env_root_cluster():
    dot = to_dot(*big(500, 0), max_nodes=30)
    ns = _namespace_key(dot)
    block = dot[dot.index(f"subgraph cluster_{ns} {{") :]
    assert "more</B>" in block[: block.index("\n  }\n")]


def test_a_huge_report_collapses_into_a_picture_dot_can_draw():
    svg = render(to_dot(*big(20000, 20000)), "svg", timeout_s=60)
    assert svg.startswith(b"<?xml")


# ---------------------------------------------------------------------------- pic.render


def test_render_makes_real_svg_and_png():
    dot = to_dot(*payments())
    svg = render(dot, "svg")
    count, text = svg_texts(svg)
    assert count > 10 and "ledger-data" in text and "DATA LOSS" in text
    png = render(dot, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_an_unknown_format_is_refused():
    with pytest.raises(InputError) as exc:
        render("digraph {}", "pdf")
    assert exc.value.code == "input.invalid"


def test_a_missing_dot_is_an_impact_graphviz_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InterlockError) as exc:
        render("digraph {}", "svg")
    assert exc.value.code == "impact.graphviz" and "apt-get install graphviz" in exc.value.message


def test_dot_failing_is_an_impact_graphviz_error():
    with pytest.raises(InterlockError) as exc:
        render("digraph { this is not dot", "svg")
    assert exc.value.code == "impact.graphviz" and "syntax error" in exc.value.message


def test_dot_running_past_its_budget_is_an_impact_graphviz_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    slow = tmp_path / "dot"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert shutil.which("dot") == str(slow)
    with pytest.raises(InterlockError) as exc:
        render("digraph {}", "svg", timeout_s=0.2)
    assert exc.value.code == "impact.graphviz" and "longer than 0.2 s" in exc.value.message
