"""Load rule packs: the defaults shipped in `policy/packs/*.yaml`, plus the user's.

This module is an edge (it reads files). Parsed packs are cached as JSON under the user's cache
directory, keyed by the SHA-256 of every pack's text, so a hook call does not pay for YAML.
The cache holds the same data the YAML does and is re-validated through `load_rules`, each
family when it is first checked (`lazy_index`).
Paths are plain strings (`os.path`): `pathlib` costs a few milliseconds of start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from interlock.model import PolicyError
from interlock.policy.index import RuleIndex
from interlock.policy.rules import Rule, load_rules

PACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs")
Dir = str | os.PathLike[str]


def pack_texts(extra_dirs: tuple[Dir, ...] = ()) -> list[tuple[str, str]]:
    """(pack name, YAML text) for the default packs and any extra directories, sorted by name."""
    out = []
    for d in (PACK_DIR, *(os.fspath(x) for x in extra_dirs)):
        if not os.path.isdir(d):
            raise PolicyError(f"rule directory `{d}` does not exist", "policy.missing")
        prefix = "" if d == PACK_DIR else os.path.basename(os.path.normpath(d)) + "/"
        for fname in sorted(os.listdir(d)):
            path = os.path.join(d, fname)
            if fname.endswith(".yaml") and os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    out.append((prefix + fname[: -len(".yaml")], fh.read()))
    return out


def parse_packs(texts: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for name, text in texts:
        try:
            out.append((name, yaml.load(text, Loader=loader)))
        except yaml.YAMLError as exc:
            raise PolicyError(
                f"pack `{name}` is not valid YAML: {str(exc).splitlines()[0]}", "policy.yaml"
            ) from None
    return out


def build_index(parsed: list[tuple[str, Any]], version: str = "") -> RuleIndex:
    rules = []
    seen: dict[str, str] = {}
    for name, data in parsed:
        for rule in load_rules(data, name):
            if rule.id in seen:
                raise PolicyError(
                    f"rule id `{rule.id}` is defined in both `{seen[rule.id]}` and `{name}`",
                    "policy.duplicate_id",
                )
            seen[rule.id] = name
            rules.append(rule)
    return RuleIndex.build(rules, version)


def load_index(extra_dirs: tuple[Dir, ...] = (), use_cache: bool = True) -> RuleIndex:
    texts = pack_texts(extra_dirs)
    h = hashlib.sha256()
    for name, text in texts:
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    version = h.hexdigest()[:16]
    cache = os.path.join(_cache_dir(), f"packs-{version}.json") if use_cache else None
    if cache is not None:
        try:
            with open(cache, encoding="utf-8") as fh:
                parsed = json.load(fh)
            return lazy_index([(n, d) for n, d in parsed], version)
        except FileNotFoundError:
            pass  # the first call with these packs
        except (ValueError, TypeError, PolicyError, OSError):
            pass  # a damaged cache is rebuilt from the YAML
    parsed = parse_packs(texts)
    index = build_index(parsed, version)
    if cache is not None:
        _write_cache(cache, [(n, _strip_examples(d)) for n, d in parsed])
    return index


def lazy_index(parsed: list[tuple[str, Any]], version: str = "") -> RuleIndex:
    """An index over rule data that was valid when cached: each family's rules are made, through
    `load_rules`, when the family is first checked (a hook call touches one or two of them).

    Ids must still be unique across packs; data that cannot be sorted by family is built at
    once, so a damaged cache still fails here and is rebuilt from the YAML.
    """
    entries: list[tuple[str, Any]] = []
    families: dict[str, list[int]] = {}
    anywhere: dict[int, Rule] = {}
    ids: set[str] = set()
    for pack, items in parsed:
        if not isinstance(items, list):
            return build_index(parsed, version)
        for item in items:
            block = item.get("match") if isinstance(item, dict) else None
            rid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(block, dict) or not isinstance(rid, str) or rid in ids:
                return build_index(parsed, version)
            ids.add(rid)
            n = len(entries)
            entries.append((pack, item))
            family = block.get("family")
            if isinstance(family, str):
                family = [family]
            if family is None:
                anywhere[n] = _one_rule(pack, item)
            elif isinstance(family, list) and family and all(isinstance(f, str) for f in family):
                for f in dict.fromkeys(family):
                    families.setdefault(f, []).append(n)
            else:
                return build_index(parsed, version)
    return RuleIndex.lazy(
        len(entries),
        {f: tuple(v) for f, v in families.items()},
        anywhere,
        lambda i: _one_rule(*entries[i]),
        version,
    )


def _one_rule(pack: str, item: Any) -> Rule:
    return load_rules([item], pack)[0]


def _strip_examples(data: Any) -> Any:
    rules = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(rules, list):
        return data
    return [
        {k: v for k, v in r.items() if k not in ("hit", "miss")} if isinstance(r, dict) else r
        for r in rules
    ]


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "interlock")


def _write_cache(path: str, parsed: list[tuple[str, Any]]) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{os.path.splitext(path)[0]}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(parsed))
        os.replace(tmp, path)
    except OSError:
        pass  # no cache is only slower
