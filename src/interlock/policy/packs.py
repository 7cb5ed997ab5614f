"""Load rule packs: the defaults shipped in `policy/packs/*.yaml`, plus the user's.

This module is an edge (it reads files). Parsed packs are cached as JSON under the user's cache
directory, keyed by the SHA-256 of every pack's text, so a hook call does not pay for YAML.
The cache holds the same data the YAML does and is re-validated through `load_rules` on load.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from interlock.model import PolicyError
from interlock.policy.index import RuleIndex
from interlock.policy.rules import load_rules

PACK_DIR = Path(__file__).with_name("packs")


def pack_texts(extra_dirs: tuple[Path, ...] = ()) -> list[tuple[str, str]]:
    """(pack name, YAML text) for the default packs and any extra directories, sorted by name."""
    out = []
    for d in (PACK_DIR, *extra_dirs):
        if not d.is_dir():
            raise PolicyError(f"rule directory `{d}` does not exist", "policy.missing")
        for p in sorted(d.glob("*.yaml")):
            out.append((p.stem if d == PACK_DIR else f"{d.name}/{p.stem}", p.read_text("utf-8")))
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


def load_index(extra_dirs: tuple[Path, ...] = (), use_cache: bool = True) -> RuleIndex:
    texts = pack_texts(extra_dirs)
    h = hashlib.sha256()
    for name, text in texts:
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    version = h.hexdigest()[:16]
    cache = _cache_dir() / f"packs-{version}.json" if use_cache else None
    if cache is not None and cache.is_file():
        try:
            parsed = json.loads(cache.read_text("utf-8"))
            return build_index([(n, d) for n, d in parsed], version)
        except (ValueError, PolicyError, OSError):
            pass  # a damaged cache is rebuilt from the YAML
    parsed = parse_packs(texts)
    index = build_index(parsed, version)
    if cache is not None:
        _write_cache(cache, [(n, _strip_examples(d)) for n, d in parsed])
    return index


def _strip_examples(data: Any) -> Any:
    rules = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(rules, list):
        return data
    return [
        {k: v for k, v in r.items() if k not in ("hit", "miss")} if isinstance(r, dict) else r
        for r in rules
    ]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "interlock"


def _write_cache(path: Path, parsed: list[tuple[str, Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(parsed), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no cache is only slower
