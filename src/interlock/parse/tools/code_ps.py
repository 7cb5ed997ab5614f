"""PowerShell cmdlets in `pwsh -Command …`: deletions understood like `rm`, disk cmdlets like
`wipefs`, power cmdlets like `poweroff`, and every other changing cmdlet located by its
`-Name` (or first plain argument) so `Remove-AzResourceGroup -Name prod-rg` is on prod."""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools import code_args as args
from interlock.parse.tools import code_scan as scan

_DISK = {"Clear-Disk", "Format-Volume", "Initialize-Disk", "Remove-Partition"}
_POWER = {"Stop-Computer": "poweroff", "Restart-Computer": "reboot"}
_NAME = re.compile(
    r"-(?:Name|ResourceGroupName|Bucket(?:Name)?|Namespace|Database(?:Name)?|Path|Id|"
    r"InstanceId|Identity|ComputerName|Server(?:Name)?)\s+['\"]?([^\s'\";|]+)",
    re.IGNORECASE,
)
_COMPUTER = re.compile(r"-ComputerName\s+['\"]?([\w.-]+)", re.IGNORECASE)
_NUMBER = re.compile(r"-(?:Number|DiskNumber|DriveLetter)\s+(\w+)", re.IGNORECASE)


def operations(cmd: Command, ctx: Context, code: str) -> list[Operation]:
    from interlock.parse.tools.code import _delete, _op, _shell

    out: list[Operation] = []
    for verb, noun, rest in args.cmdlets(code):
        name = f"{verb}-{noun}"
        effect = args.ps_effect(verb, noun)
        if effect not in (Effect.DESTROY, Effect.WRITE):
            continue
        low = rest.lower()
        tags = {t for t, f in (("recursive", "-recurse"), ("force", "-force")) if f in low}
        if noun == "Item" and verb == "Remove":
            path = next((w.strip("'\"") for w in rest.split() if not w.startswith("-")), "")
            tags |= scan.path_tags(path) if path[1:3] == ":\\" else set()
            out.append(_delete(cmd, path, tags | (set() if path else {"dynamic-target"})))
            continue
        if name in _POWER:
            host = _COMPUTER.search(rest)
            text = f"ssh {host.group(1)} {_POWER[name]}" if host else _POWER[name]
            out.extend(_shell(cmd, ctx, text))
        if name in _DISK:
            disk = _NUMBER.search(rest)
            out.append(_disk(cmd, name, disk.group(1) if disk else "?"))
        target = _NAME.search(rest)
        targets = (
            [Target.make("resource", target.group(1), host=cmd.host)]
            if target and name not in _DISK
            else None
        )
        out.append(_op(cmd, name.lower(), effect, tags | {"cmdlet"}, f"runs `{name}`", targets))
    return out


def _disk(cmd: Command, cmdlet: str, disk: str) -> Operation:
    from interlock.parse.tools.code import _op

    target = Target.make("device", f"disk {disk}", host=cmd.host)
    return _op(
        cmd,
        "wipe",
        Effect.DESTROY,
        {"block-device"},
        f"`{cmdlet}` erases disk `{disk}`",
        [target],
        "filesystem",
    )
