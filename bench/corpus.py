"""Build the benchmark corpus: a deterministic mix of at least 5,000 commands.

    .venv/bin/python bench/corpus.py [--out bench/out/corpus.jsonl] [--min 5000]

Sources: every `command` (and `sql`, wrapped in `psql -c`) of tests/cases/*.yaml and every
`input` of tests/parse/shell.yaml. Each source command is written as is, then in a few
systematic variations chosen round-robin by its position, so the same repository always gives
the same corpus: option groups reordered, wrappers (`sudo`, `env`, `timeout`, `nice`), a prod
context/profile, a pipeline, a list, `bash -c '…'`. Every line is
`{"id": …, "command": …, "mode": …}`; the mode alternates so both modes are exercised.

The corpus measures speed, not correctness: a variation may change what a command means.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "corpus.jsonl"

# a prod location for the programs whose target is named by a flag
_LOCATION = {
    "kubectl": ["--context", "prod-eu"],
    "helm": ["--kube-context", "prod-eu"],
    "aws": ["--profile", "prod"],
    "gcloud": ["--project", "prod-123"],
    "az": ["--subscription", "prod"],
    "psql": ["-h", "db.prod.internal"],
    "mysql": ["-h", "db.prod.internal"],
    "terraform": ["-chdir=envs/prod"],
    "docker": ["--context", "prod"],
    "git": ["-C", "/srv/prod"],
}
_OPERATORS = ("|", "&", ";", "<", ">", "(", ")", "$", "`", "\n", "\\", "*", "?", "{")


def sources() -> Iterator[str]:
    """The source commands, in file and case order."""
    for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")) or []:
            if not isinstance(case, dict):
                continue
            if isinstance(case.get("command"), str):
                yield case["command"]
            elif isinstance(case.get("sql"), str):
                yield "psql -c " + shlex.quote(case["sql"])
    shell = ROOT / "tests" / "parse" / "shell.yaml"
    if shell.is_file():
        for case in yaml.safe_load(shell.read_text("utf-8")) or []:
            if isinstance(case, dict) and isinstance(case.get("input"), str):
                yield case["input"]


def _simple_argv(command: str) -> list[str] | None:
    """The argv of a plain simple command, or None when it has shell syntax we won't rewrite."""
    if any(ch in command for ch in _OPERATORS):
        return None
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    return argv or None


def _join(argv: list[str]) -> str:
    return " ".join(shlex.quote(w) for w in argv)


def reorder_flags(command: str) -> str | None:
    """Reverse the order of the option groups after the first option.

    `kubectl get po -n kube-system -o wide` -> `kubectl get po -o wide -n kube-system`: each group
    is an option and the words up to the next option.
    """
    argv = _simple_argv(command)
    if argv is None or "--" in argv:
        return None
    first = next((i for i, w in enumerate(argv) if i and w.startswith("-") and len(w) > 1), None)
    if first is None:
        return None
    groups: list[list[str]] = []
    for w in argv[first:]:
        if (w.startswith("-") and len(w) > 1) or not groups:
            groups.append([w])
        else:
            groups[-1].append(w)
    if len(groups) < 2:
        return None
    return _join(argv[:first] + [w for g in reversed(groups) for w in g])


def with_location(command: str) -> str | None:
    argv = _simple_argv(command)
    if argv is None or argv[0] not in _LOCATION:
        return None
    return _join([argv[0], *_LOCATION[argv[0]], *argv[1:]])


def with_env_profile(command: str) -> str:
    return f"AWS_PROFILE=prod KUBECONFIG=/etc/kube/prod.yaml {command}"


def sudo(command: str) -> str | None:
    return f"sudo -u deploy {command}" if _simple_argv(command) else None


def env_wrapper(command: str) -> str | None:
    return f"env -i PATH=/usr/bin TERM=xterm {command}" if _simple_argv(command) else None


def timeout(command: str) -> str | None:
    return f"timeout -s KILL 30s {command}" if _simple_argv(command) else None


def nice(command: str) -> str | None:
    return f"nice -n 10 nohup {command}" if _simple_argv(command) else None


def pipeline(command: str) -> str:
    return f"{command} 2>&1 | grep -v DEBUG | head -n 50"


def listed(command: str) -> str:
    return f"cd /srv/app && {command}; echo done"


def bash_c(command: str) -> str:
    return f"bash -c {shlex.quote(command)}"


def ssh(command: str) -> str:
    return f"ssh -o BatchMode=yes deploy@web-1.prod {shlex.quote(command)}"


# applied to every command they fit (they keep it a plain command)
ALWAYS: tuple[Callable[[str], str | None], ...] = (reorder_flags, with_location)
# tried round-robin by position, PER_SOURCE of those that fit each command
ROTATING: tuple[Callable[[str], str | None], ...] = (
    sudo,
    pipeline,
    env_wrapper,
    bash_c,
    timeout,
    listed,
    with_env_profile,
    nice,
    ssh,
)
PER_SOURCE = 2


def build(minimum: int = 5000) -> list[dict[str, str]]:
    base = list(dict.fromkeys(sources()))
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(command: str | None, tag: str) -> None:
        if command is None or command in seen:
            return
        seen.add(command)
        n = len(out)
        out.append(
            {
                "id": f"{n:05d}-{tag}",
                "command": command,
                "mode": "gateway" if n % 2 else "workstation",
            }
        )

    for rounds in range(len(ROTATING) // PER_SOURCE + 1):
        for i, command in enumerate(base):
            if rounds == 0:
                add(command, "src")
                for fn in ALWAYS:
                    add(fn(command), fn.__name__)
            start = (i + rounds) * PER_SOURCE
            made = 0
            for k in range(len(ROTATING)):
                fn = ROTATING[(start + k) % len(ROTATING)]
                varied = fn(command)
                if varied is not None:
                    add(varied, fn.__name__)
                    made += 1
                    if made == PER_SOURCE:
                        break
        if len(out) >= minimum:
            break
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--min", type=int, default=5000, help="at least this many commands")
    ns = p.parse_args(argv)
    lines = build(ns.min)
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    with ns.out.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for line in lines:
        tag = line["id"].split("-", 1)[1]
        kinds[tag] = kinds.get(tag, 0) + 1
    mix = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    print(f"{len(lines)} commands -> {ns.out} ({mix})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
