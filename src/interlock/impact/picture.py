"""The blast radius as a picture: a graphviz DOT graph of what a change does, and its rendering.

    to_dot(snapshot, report, *, max_nodes=150) -> str    pure: values in, DOT text out
    render(dot_text, fmt, timeout_s=10) -> bytes         runs graphviz `dot` (svg or png)

The graph holds the affected resources and their unchanged neighbours. Arrows point the way
damage travels: from a resource to the ones that depend on it (or that it contains), so a
picture reads left to right from the change to the services it hurts.

    deleted  red fill        replaced  orange fill      changed  yellow fill    created  green fill
    impaired dashed red border                           unchanged neighbour  grey outline
    service impaired  bold box, larger text              data loss  cylinder with a DATA LOSS line
    env root  double border, and a cluster around what it contains

Above `max_nodes`, unchanged neighbours collapse into one "+N more" node per kind, then the
least important affected resources into one per (env root, effect, kind); services, env roots
and data loss are kept longest. Resource names are user data: every label is escaped (HTML-like
labels: `& < > "` and backslash; quoted strings: backslash and quote) and invisible characters are shown as
`\\uXXXX`, so no name can add a node, an attribute or a line the approver does not see.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interlock.model.errors import InputError, InterlockError

if TYPE_CHECKING:
    from interlock.impact.blast import ImpactReport
    from interlock.impact.model import Resource, Snapshot

__all__ = ["FORMATS", "render", "to_dot"]

FORMATS = ("svg", "png")
FONT = "Helvetica"
PER_KIND = 6  # when changes collapse, at most this many of one kind stay single
NAME_CHARS = 44  # a longer name is cut in the label; the SVG tooltip has it whole

# effect -> (fill, text colour, border colour, header word)
STYLE = {
    "deleted": ("#d32f2f", "#ffffff", "#7f0000", "DELETED"),
    "replaced": ("#fb8c00", "#000000", "#8a4b00", "REPLACED"),
    "changed": ("#fdd835", "#000000", "#7a6a00", "CHANGED"),
    "created": ("#66bb6a", "#000000", "#1b5e20", "CREATED"),
    "impaired": ("#fff0f0", "#000000", "#d32f2f", "IMPAIRED"),
    "unchanged": ("#ffffff", "#616161", "#9e9e9e", "unchanged"),
}
EFFECTS = ("deleted", "replaced", "changed", "created", "impaired")
GRAPH_ERROR = "impact.graphviz"
HEAT = {"deleted": 2, "replaced": 2, "impaired": 1}  # how an arrow from such a node is drawn

LEGEND = {  # what the legend shows, for each style a picture uses
    **{
        eff: (
            {"impaired": "IMPAIRED (depends on it)", "unchanged": "unchanged neighbour"}.get(
                eff, word
            ),
            f'fillcolor="{fill}", fontcolor="{ink}", color="{border}", style="rounded,filled'
            + (',dashed"' if eff in ("impaired", "unchanged") else '"'),
        )
        for eff, (fill, ink, border, word) in STYLE.items()
    },
    "service": ("SERVICE IMPAIRED", 'shape=box, style="filled,bold", penwidth=3.5, '
                'fillcolor="#fff0f0", color="#d32f2f", fontsize=14'),
    "data-loss": ("DATA LOSS (no backup)", "shape=cylinder, style=filled, penwidth=3, "
                  'fillcolor="#d32f2f", fontcolor="#ffffff", color="#4a0000"'),
    "env-root": ("ENV ROOT", 'peripheries=2, style="rounded,filled", fillcolor="#ffffff"'),
    "collapsed": ("+N more (collapsed)", 'shape=folder, style="filled,dashed", '
                  'fillcolor="#ffffff", color="#9e9e9e"'),
}  # fmt: skip

Node = tuple[str, ...]  # `(resource id,)` or `("+", env root, effect, kind)` for "+N more"


@dataclass(frozen=True, slots=True)
class _Thing:
    """What one node stands for: a resource, a service known only by name, or an id the
    snapshot does not hold (a resource the change creates)."""

    id: str
    kind: str
    name: str
    tier: str = "unknown"
    service: str = ""
    backup: str = "unknown"
    criticality: str = ""
    restore_minutes: int = 0
    env_root: bool = False


@dataclass(slots=True)
class _Scene:
    things: dict[str, _Thing]
    effect: dict[str, str]  # every id in the picture -> deleted|…|impaired|unchanged
    services: set[str]
    data_loss: set[str]
    links: dict[tuple[str, str], set[str]]  # (from, to) in damage direction -> edge kinds
    root_of: dict[str, str]  # member id -> env root id containing it
    roots: set[str]  # env roots that contain something in the picture


# ---------------------------------------------------------------------------- the scene


def _scene(snapshot: Snapshot, report: ImpactReport) -> _Scene:
    res = {r.id: r for r in snapshot.resources}
    effect: dict[str, str] = {}
    for name in EFFECTS:
        for rid in getattr(report, name):
            effect.setdefault(rid, name)  # INVARIANT: EFFECTS runs from most to least severe
    things = {rid: _thing(res.get(rid), rid) for rid in effect}
    services, owners = _services(report, res, things, effect)
    for e in snapshot.edges:  # unchanged neighbours, one hop out
        for near, far in ((e.source, e.target), (e.target, e.source)):
            if near in effect and far not in effect and far in res:
                things[far] = _thing(res[far], far)
    for rid in things:
        effect.setdefault(rid, "unchanged")
    links: dict[tuple[str, str], set[str]] = {}
    root_of: dict[str, str] = {}
    for e in snapshot.edges:
        if e.source in things and e.target in things:
            links.setdefault((e.target, e.source), set()).add(e.kind)
            if e.kind == "contains" and things[e.target].env_root:
                root_of[e.source] = min(root_of.get(e.source, e.target), e.target)
    _link_services(owners, links)
    data_loss = {rid for rid in report.data_loss if rid in things}
    return _Scene(things, effect, services, data_loss, links, root_of, set(root_of.values()))


def _thing(r: Resource | None, rid: str) -> _Thing:
    if r is None:
        return _Thing(rid, "", rid)
    backup = r.backup if r.stateful else ""
    t = (r.id, r.kind, r.name, r.tier, r.service, backup, r.criticality, r.restore_minutes)
    return _Thing(*t, r.env_root)


def _services(
    report: ImpactReport,
    res: dict[str, Resource],
    things: dict[str, _Thing],
    effect: dict[str, str],
) -> tuple[set[str], dict[str, list[str]]]:
    """Ids of the nodes that stand for impaired services (`services_impaired` holds names), and
    for each service that is not a `service` resource of the snapshot, the affected resources
    it owns: such a service gets a node of its own."""
    named = {r.name: r.id for r in res.values() if r.kind == "service"}
    owned: dict[str, list[str]] = {}
    for rid in list(things):
        owned.setdefault(things[rid].service, []).append(rid)
    out: set[str] = set()
    owners: dict[str, list[str]] = {}
    for svc in dict.fromkeys(report.services_impaired):
        rid = named.get(svc, "")
        if not rid:
            rid = "service:" + svc
            while rid in res or rid in things:
                rid += "'"
            things[rid] = _Thing(rid, "service", svc)
            owners[rid] = owned.get(svc, [])
        things.setdefault(rid, _thing(res.get(rid), rid))
        effect.setdefault(rid, "impaired")
        out.add(rid)
    return out, owners


def _link_services(owners: dict[str, list[str]], links: dict[tuple[str, str], set[str]]) -> None:
    """An arrow into a service from the ends of its damage chains only (its resources that
    nothing else in the picture depends on), so one service does not draw a dozen arrows."""
    feeds = {a for a, _ in links}
    for svc, members in owners.items():
        ends = [m for m in members if m not in feeds] or members
        for member in ends:
            links.setdefault((member, svc), set()).add("owns")


def _rank(s: _Scene, rid: str) -> tuple[int, str]:
    eff = s.effect[rid]
    if rid in s.services:
        return (0, rid)
    if s.things[rid].env_root and eff != "unchanged":
        return (1, rid)
    if rid in s.data_loss:
        return (2, rid)
    return (3 + EFFECTS.index(eff) if eff in EFFECTS else 9, rid)


def _choose(s: _Scene, max_nodes: int) -> dict[str, Node]:
    """Map each id to the node that draws it: `(id,)`, or a "+N more" group
    `("+", env root, effect, kind)`."""
    ids = sorted(s.things, key=lambda rid: _rank(s, rid))
    if len(ids) <= max_nodes:
        return {rid: (rid,) for rid in ids}
    affected = [rid for rid in ids if s.effect[rid] != "unchanged"]
    quiet = [rid for rid in ids if s.effect[rid] == "unchanged"]
    room = max_nodes - len({s.things[rid].kind for rid in quiet})
    singles = affected
    if len(affected) > room:
        singles = _samples(s, affected)
        room = max(room - len({_family(s, rid) for rid in affected}), 0)
    kept: dict[str, Node] = {rid: (rid,) for rid in singles[:room]}
    for rid in affected:
        if rid not in kept:
            root = s.root_of.get(rid, "")
            kept[rid] = ("+", root if root in kept else "", *_family(s, rid)[1:])
    for rid in quiet:
        kept[rid] = ("+", "", "unchanged", s.things[rid].kind)
    return kept


def _family(s: _Scene, rid: str) -> tuple[str, str, str]:
    return (s.root_of.get(rid, ""), s.effect[rid], s.things[rid].kind)


def _samples(s: _Scene, ranked: list[str]) -> list[str]:
    """Who may stay single when changes must collapse: every service, env root and data loss,
    then up to PER_KIND of each family, taken in turns so every kind of change shows."""
    seen: dict[tuple[str, str, str], int] = {}
    urgent, turns = [], []
    for rid in ranked:
        rank = _rank(s, rid)[0]
        if rank <= 2:
            urgent.append(rid)
            continue
        fam = _family(s, rid)
        seen[fam] = seen.get(fam, 0) + 1
        if seen[fam] <= PER_KIND:
            turns.append((seen[fam], rank, rid))
    return urgent + [rid for _, _, rid in sorted(turns)]


# ---------------------------------------------------------------------------- DOT text


def to_dot(snapshot: Snapshot, report: ImpactReport, *, max_nodes: int = 150) -> str:
    """The DOT text of the blast radius of `report` over `snapshot` (pure, deterministic)."""
    if max_nodes < 1:
        raise InputError("max_nodes must be at least 1", "input.invalid")
    s = _scene(snapshot, report)
    drawn = _choose(s, max_nodes)
    keys = {node: f"n{i}" for i, node in enumerate(dict.fromkeys(drawn.values()))}
    members: dict[Node, list[str]] = {}
    for rid, node in drawn.items():
        members.setdefault(node, []).append(rid)
    lines = ["digraph blast_radius {", *_graph_head(s, snapshot, report, len(keys))]
    lines += _legend(s, drawn)
    clusters: dict[str, list[str]] = {}
    for node, ids in members.items():
        text = _group_node(s, ids) if len(node) > 1 else _node(s, node[0])
        clusters.setdefault(_cluster_of(s, drawn, node), []).append(f"  {keys[node]} [{text}];")
    lines += _nest(s, keys, clusters, "")
    lines += _edges(s, drawn, keys)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster_of(s: _Scene, drawn: dict[str, Node], node: Node) -> str:
    """The env root whose cluster holds `node`, or ""."""
    if len(node) > 1:
        return node[1]
    rid = node[0]
    if s.things[rid].env_root and rid in s.roots:
        return rid
    root = s.root_of.get(rid, "")
    return root if drawn.get(root) == (root,) else ""


def _nest(s: _Scene, keys: dict[Node, str], clusters: dict[str, list[str]], root: str) -> list[str]:
    """The nodes of `root`'s cluster, and the clusters nested in it ("" is the whole graph)."""
    inner = sorted(r for r in clusters if r and _parent(s, r, clusters) == root)
    body = clusters.get(root, []) + [x for r in inner for x in _nest(s, keys, clusters, r)]
    return body if not root else _cluster(s, keys[(root,)], root, body)


def _parent(s: _Scene, root: str, clusters: dict[str, list[str]]) -> str:
    """The cluster a cluster sits in: the nearest env root above it that has one; none when
    containment loops back to it (a hostile snapshot must not nest clusters forever)."""
    chain, up = [], s.root_of.get(root, "")
    while up and up not in chain:
        chain.append(up)
        up = s.root_of.get(up, "")
    return "" if root in chain else next((r for r in chain if r in clusters), "")


def _graph_head(s: _Scene, snapshot: Snapshot, report: ImpactReport, shown: int) -> list[str]:
    roots = [t for rid, t in s.things.items() if t.env_root and s.effect[rid] == "deleted"]
    alarms = [
        (
            "TEARS DOWN AN ENVIRONMENT ROOT" if report.env_root_teardown else "",
            [f"{t.kind} {t.name}" for t in roots],
        ),
        ("services impaired", [s.things[rid].name for rid in s.services]),
        ("data lost, no backup", [f"{s.things[r].name} ({s.things[r].kind})" for r in s.data_loss]),
    ]
    lines = [_row(f"<B>{_h(headline(report), 400)}</B>", 22)]
    for title, names in alarms:
        if title and (names or title.isupper()):
            listed = ": " + _listing(names) if names else ""
            lines.append(_row(f"<B>{_h(title, 40)}</B>{_h(listed, 300)}", 15, "#b71c1c"))
    counts = ", ".join(f"{len(getattr(report, e))} {e}" for e in EFFECTS)
    if shown < len(s.things):
        counts += f"; showing {shown} nodes for {len(s.things)} resources"
    small = [counts, f"impact {report.digest[:27]}…  inventory {snapshot.digest[:24]}…"]
    small[1] += f"  ({snapshot.source}, {snapshot.fetched_at})" if snapshot.fetched_at else ""
    lines += [_row(_h(text, 300), 11, "#424242") for text in small]
    return [
        f'  graph [rankdir=LR, fontname="{FONT}", labelloc=t, labeljust=l, nodesep=0.25,',
        '         ranksep=0.6, pad=0.3, bgcolor="#ffffff", newrank=true,',
        '         label=<<TABLE BORDER="0" CELLSPACING="2">',
        *lines,
        "  </TABLE>>];",
        f'  node [fontname="{FONT}", fontsize=12, shape=box, style="rounded,filled", margin="0.15,0.06"];',
        f'  edge [fontname="{FONT}", fontsize=9, color="#9e9e9e", arrowsize=0.7];',
    ]


def _row(inner: str, size: int, colour: str = "#000000") -> str:
    return (
        f'  <TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{size}" COLOR="{colour}">{inner}'
        "</FONT></TD></TR>"
    )


def _listing(names: list[str], most: int = 6) -> str:
    names = sorted(names)
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def headline(report: ImpactReport) -> str:
    """`deletes 41, impairs 3 services, 2 without backup, ~6 h to restore`."""
    n_svc = len(report.services_impaired)
    parts = [f"deletes {len(report.deleted)}"]
    verbs = {"replaces": report.replaced, "changes": report.changed, "creates": report.created}
    parts += [f"{verb} {len(ids)}" for verb, ids in verbs.items() if ids]
    parts.append(f"impairs {n_svc} service{'' if n_svc == 1 else 's'}")
    parts.append(f"{len(report.data_loss)} without backup")
    if report.restore_minutes > 0:
        parts.append(f"~{duration(report.restore_minutes)} to restore")
    return ", ".join(parts)


def duration(minutes: int) -> str:
    """`45 min`, `1.5 h`, `6 h`, `3 d`: rounded the way a person says it."""
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 600:
        halves = (minutes + 15) // 30
        return f"{halves // 2}.5 h" if halves % 2 else f"{halves // 2} h"
    if minutes < 2880:
        return f"{(minutes + 30) // 60} h"
    return f"{(minutes + 720) // 1440} d"


def _node(s: _Scene, rid: str) -> str:
    t, eff = s.things[rid], s.effect[rid]
    fill, ink, border, word = STYLE[eff]
    service, lost = rid in s.services, rid in s.data_loss
    kind = "" if service and t.kind == "service" else t.kind
    head = ["SERVICE " + word if service else word, kind, "" if t.tier == "unknown" else t.tier]
    rows = [_font(" · ".join(_h(p, 30) for p in head if p), 9), f"<B>{_h(t.name, NAME_CHARS)}</B>"]
    if lost:
        rows.append(f"<B>DATA LOSS</B> · backup: {_h(t.backup or 'unknown', 20)}")
    extra = [
        f"restore ~{duration(t.restore_minutes)}"
        if t.restore_minutes and eff in ("deleted", "replaced")
        else "",
        t.criticality,
        "ENV ROOT" if t.env_root else "",
    ]
    if any(extra):
        rows.append(_font(" · ".join(_h(x, 20) for x in extra if x), 9))
    style = ["rounded", "filled"] if not service else ["filled", "bold"]
    attrs = {"fillcolor": fill, "fontcolor": ink, "color": border, "penwidth": "1.2"}
    if eff == "impaired":
        style.append("dashed")
        attrs["penwidth"] = "2"
    if service:
        attrs |= {"shape": "box", "fontsize": "16", "penwidth": "3.5", "margin": "0.25,0.12"}
        style = [x for x in style if x != "dashed"]
    if lost:
        attrs |= {"shape": "cylinder", "penwidth": "3", "color": "#4a0000"}
        style = [x for x in style if x != "rounded"]
    if t.env_root:
        attrs["peripheries"] = "2"
    attrs["style"] = ",".join(style)
    return _attrs(attrs, "<BR/>".join(rows), _tooltip(t, eff))


def _group_node(s: _Scene, ids: list[str]) -> str:
    first = s.things[ids[0]]
    eff = s.effect[ids[0]]
    fill, ink, border, word = STYLE[eff]
    lost = sum(rid in s.data_loss for rid in ids)
    rows = [f"<B>+{len(ids)} more</B>", _font(f"{word} · {_h(first.kind or 'resource', 30)}", 10)]
    if lost:
        rows.append(f"<B>{lost} with DATA LOSS</B>")
    style = "filled,dashed" if eff in ("impaired", "unchanged") else "filled"
    attrs = {"shape": "folder", "fillcolor": fill, "fontcolor": ink, "color": border}
    attrs["style"] = style
    tip = f"{len(ids)} more {word} {first.kind}: " + ", ".join(sorted(ids)[:20])
    return _attrs(attrs, "<BR/>".join(rows), tip)


def _cluster(s: _Scene, key: str, root: str, body: list[str]) -> list[str]:
    t, eff = s.things[root], s.effect[root]
    gone = eff in ("deleted", "replaced")
    label = f"{t.kind} {t.name}" + (" — TORN DOWN" if eff == "deleted" else "")
    colour, bg = ("#b71c1c", "#fdecea") if gone else ("#757575", "#fafafa")
    return [
        f"  subgraph cluster_{key} {{",
        f'    label=<<B>{_h(label, 80)}</B>>; fontsize=13; fontcolor="{colour}";',
        f'    style="rounded,filled"; color="{colour}"; fillcolor="{bg}"; penwidth=2;',
        *("  " + line for line in body),
        "  }",
    ]


def _edges(s: _Scene, drawn: dict[str, Node], keys: dict[Node, str]) -> list[str]:
    """Arrows in the direction damage travels, merged between collapsed nodes. Red: from a
    deleted or replaced resource; dashed red: passed on by an impaired one; grey: context.
    An env root's `contains` arrows are left out where its cluster already says so."""
    out: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for (a, b), kinds in s.links.items():
        ka, kb = keys[drawn[a]], keys[drawn[b]]
        if ka == kb or (kinds == {"contains"} and a in s.roots and s.root_of.get(b) == a):
            continue
        heat = 0 if s.effect[b] == "unchanged" else HEAT.get(s.effect[a], 0)
        was_heat, was_kinds = out.get((ka, kb), (0, set()))
        out[(ka, kb)] = (max(heat, was_heat), was_kinds | kinds)
    lines = []
    for (ka, kb), (heat, kinds) in sorted(out.items(), key=lambda kv: _num(kv[0])):
        style = ("", ', color="#d32f2f", style=dashed', ', color="#d32f2f", penwidth=2')[heat]
        lines.append(f'  {ka} -> {kb} [tooltip="{_q(", ".join(sorted(kinds)), 200)}"{style}];')
    return lines


def _num(pair: tuple[str, str]) -> tuple[int, int]:
    return (int(pair[0][1:]), int(pair[1][1:]))


def _legend(s: _Scene, drawn: dict[str, Node]) -> list[str]:
    """One sample node per style the picture uses, in a cluster of its own."""
    used = {s.effect[rid] for rid in drawn} | {
        "service" if s.services else "",
        "data-loss" if s.data_loss else "",
        "env-root" if any(s.things[rid].env_root for rid in drawn) else "",
        "collapsed" if any(len(node) > 1 for node in drawn.values()) else "",
    }
    rows = [LEGEND[k] for k in LEGEND if k in used]
    lines = [
        "  subgraph cluster_legend {",
        "    label=<<B>legend</B>   arrow A → B: B depends on A, so what happens to A reaches B>;",
        '    fontsize=11; style="rounded"; color="#bdbdbd"; fontcolor="#424242";',
    ]
    for i, (text, attrs) in enumerate(rows):
        lines.append(f'    legend{i} [label="{text}", fontsize=10, {attrs}];')
    lines += [f"    legend{i} -> legend{i + 1} [style=invis];" for i in range(len(rows) - 1)]
    return [*lines, "  }"]


# ---------------------------------------------------------------------------- escaping


def _visible(text: str, limit: int) -> str:
    """`text` with every invisible or layout-changing character shown as `\\n`, `\\uXXXX`,
    cut to `limit` characters with an ellipsis."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif cat[0] in "CZ" and ch != " ":  # controls, bidi overrides, zero-width, separators
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def _h(text: str, limit: int) -> str:
    """Escaped for an HTML-like label: XML entities, and backslashes doubled because graphviz
    still expands `\\N`, `\\G`, `\\L`… inside HTML-like text."""
    return html.escape(_visible(text, limit), quote=True).replace("\\", "\\\\")


def _q(text: str, limit: int) -> str:
    """Escaped for the inside of a DOT quoted string (backslash and quote)."""
    return _visible(text, limit).replace("\\", "\\\\").replace('"', '\\"')


def _font(inner: str, size: int) -> str:
    return f'<FONT POINT-SIZE="{size}">{inner}</FONT>'


def _tooltip(t: _Thing, eff: str) -> str:
    bits = [t.id, f"{eff} {t.kind} {t.name}", t.tier, t.service and f"service {t.service}"]
    bits += [t.backup and f"backup {t.backup}", t.criticality]
    return " | ".join(b for b in bits if b)


def _attrs(attrs: dict[str, str], label: str, tooltip: str) -> str:
    body = ", ".join(f'{k}="{v}"' for k, v in sorted(attrs.items()))
    return f'label=<{label}>, tooltip="{_q(tooltip, 400)}", {body}'


# ---------------------------------------------------------------------------- rendering


def render(dot_text: str, fmt: str, timeout_s: float = 10) -> bytes:
    """Run graphviz `dot` on `dot_text`; the image as bytes. Errors: `impact.graphviz` when
    `dot` is missing, fails or runs past `timeout_s`."""
    if fmt not in FORMATS:
        raise InputError(f"picture format `{fmt}` is not one of svg, png", "input.invalid")
    exe = shutil.which("dot")
    if exe is None:
        raise _graphviz("is not installed; install graphviz (apt-get install graphviz)")
    try:
        argv, data = [exe, f"-T{fmt}"], dot_text.encode("utf-8")
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise _graphviz(f"ran longer than {timeout_s:g} s; draw fewer nodes") from None
    except OSError as exc:
        raise _graphviz(f"could not run: {exc.strerror}") from None
    if done.returncode != 0 or not done.stdout:
        lines = done.stderr.decode("utf-8", "replace").splitlines()
        why = next((line.strip() for line in lines if line.strip()), "")[:200]
        raise _graphviz(f"failed: {why or f'exit status {done.returncode}'}")
    return done.stdout


def _graphviz(what: str) -> InterlockError:
    return InterlockError(f"graphviz `dot` {what}", GRAPH_ERROR)
