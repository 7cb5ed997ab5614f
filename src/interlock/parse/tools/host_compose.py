"""Compose (`docker compose`, `docker-compose`, `podman-compose`): a project's services.

`down` removes the project's containers and networks; `-v/--volumes` also deletes its named
volumes (the data), `--rmi` its images. `up -V/--renew-anon-volumes` throws away anonymous
volumes. `exec`/`run` hand their inner command back to the shell analyzer with the service as
the host.
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    CONTAINER,
    first_positional,
    make_op,
    names,
    short_flags,
    target,
    unknown_op,
    wants_help,
    words,
)

_GLOBAL_TV = words(
    "-f --file -p --project-name --profile --env-file --project-directory --ansi --parallel "
    "--progress -H --host --context -c -l --log-level"
)
_SUB_TV = words(
    "--rmi -t --timeout --signal -e --env -u --user -w --workdir --index --name "
    "--entrypoint -l --label -p --publish -v --volume --scale --pull --wait-timeout "
    "--exit-code-from --attach --no-attach --format --tail --since --until --filter "
    "--status -q --quiet"
)
_READ = words("ps ls logs config images top version events port stats convert")
_WRITE = words(
    "up create start restart build pull stop kill pause unpause scale watch cp attach wait "
    "commit alpha"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    """`docker-compose`/`podman-compose` as a program of its own."""
    from interlock.parse.tools.host_container import engine_scope

    g = parse_args(cmd.args, _GLOBAL_TV, stop_at_first_positional=True)
    scope = engine_scope(cmd, g.value("-H", "--host"), g.value("--context", "-c"))
    return compose(cmd, ctx, list(cmd.args), scope)


def compose(cmd: Command, ctx: Context, args: list[str], scope: dict[str, str]) -> list[Operation]:
    g = parse_args(args, _GLOBAL_TV, stop_at_first_positional=True)
    project = g.value("-p", "--project-name") or cmd.getenv("COMPOSE_PROJECT_NAME") or "project"
    tier = Tier.UNKNOWN if scope else Tier.LOCAL
    proj = target(cmd, "compose-project", project, tier, **scope)
    if not g.pos or wants_help(args):
        return [make_op(cmd, CONTAINER, "read", Effect.READ, [proj], summary="shows compose help")]
    sub, rest = g.pos[0], g.pos[1:]
    if "--dry-run" in args[: args.index(sub)] or (
        sub not in ("exec", "run") and "--dry-run" in rest
    ):
        summary = f"shows what compose {sub} would do"
        return [make_op(cmd, CONTAINER, sub, Effect.READ, [proj], {"dry-run"}, summary)]
    where = f" on `{scope.get('host') or scope.get('context')}`" if scope else ""
    a = parse_args(rest, _SUB_TV, bundle=True, stop_at_first_positional=sub in ("exec", "run"))
    if sub in _READ or (sub == "alpha" and a.pos[:1] == ["viz"]):
        return [make_op(cmd, CONTAINER, sub, Effect.READ, [proj], summary=f"compose {sub}")]
    if sub in ("down", "rm"):
        volumes = "v" in short_flags(rest) or "--volumes" in rest
        rmi = parse_args(rest, ("--rmi", "-t", "--timeout")).value("--rmi")
        return [_down(cmd, sub, volumes, rmi, proj, where)]
    if sub in ("exec", "run"):
        return _exec(cmd, ctx, sub, a.pos, proj, where)
    if sub == "push" or (sub == "build" and "--push" in rest):
        from interlock.parse.tools.host_container_remote import push_op

        return [push_op(cmd, [f"images of {project}"], scope, set())]
    if sub in _WRITE:
        tags: set[str] = set()
        if sub == "up" and a.has("-V", "--renew-anon-volumes"):
            tags.add("volumes")
            vol = target(cmd, "volume", f"{project} anonymous volumes", tier, **scope)
            summary = f"recreates `{project}` and discards its anonymous volumes{where}"
            return [make_op(cmd, CONTAINER, "up", Effect.DESTROY, [proj, vol], tags, summary)]
        summary = f"compose {sub} {names(a.pos)} in `{project}`{where}".replace("  ", " ")
        return [make_op(cmd, CONTAINER, sub, Effect.WRITE, [proj], tags, summary)]
    return [unknown_op(cmd, CONTAINER, f"compose {sub}")]


def _down(
    cmd: Command, sub: str, volumes: bool, rmi: str | None, proj: Target, where: str
) -> Operation:
    tgts = [proj]
    tags: set[str] = set()
    what = "stops and removes the containers and networks of"
    if sub == "rm":
        what = "removes the stopped containers of"
    if volumes:
        tags.add("volumes")
        label = "volumes" if sub == "down" else "anonymous volumes"
        tgts.append(target(cmd, "volume", f"{proj.name} {label}", proj.tier, **dict(proj.scope)))
        what = f"deletes the containers and {label} (data) of"
    if rmi:
        tags.add("images")
        name = f"{proj.name} images ({rmi})"
        tgts.append(target(cmd, "image", name, proj.tier, **dict(proj.scope)))
    summary = f"{what} `{proj.name}`{where}"
    return make_op(cmd, CONTAINER, "delete", Effect.DESTROY, tgts, tags, summary)


def _exec(
    cmd: Command, ctx: Context, sub: str, pos: list[str], proj: Target, where: str
) -> list[Operation]:
    service, inner = first_positional(pos)
    svc = service or "?"
    summary = f"runs a command in service `{svc}` of `{proj.name}`{where}"
    # `exec` with a command is judged by that command; `run` starts a new container
    effect = Effect.READ if sub == "exec" and inner else Effect.WRITE
    ops = [make_op(cmd, CONTAINER, sub, effect, [proj], summary=summary)]
    if inner and ctx.depth < 8:
        sub_cmd = replace(cmd, host=cmd.host or f"{proj.name}-{svc}")
        ops.extend(ctx.shell(shlex.join(inner), sub_cmd))
    return ops
