"""Commands whose leading words name no verb: the generic model's fallbacks.

A flag may be the command (`gpg --list-keys`, `--delete`), a bare plural noun lists (`cf apps`),
a check flag or `--dry-run` makes a read (`telegraf --test`), `--doit` makes a preview real
(`octodns-sync --doit`), and the program's own name may be the verb (`ldapdelete`, `klist`,
`kdestroy`, `virt-df`, a dokku `apps:destroy` run over ssh). Otherwise the effect is unknown.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools import generic_saas
from interlock.parse.tools.generic import (
    _WORDS,
    Parsed,
    _destroy_flag,
    _target,
    applies,
    op,
)

# Boolean flags that make a verbless command a check (`telegraf --test`).
_CHECK_FLAGS = words(
    "--test --check --validate --lint --verify --config.test_and_exit --configtest "
    "--check-config --syntax-check --list --list-all -l"
)


def verbless(
    cmd: Command,
    parsed: Parsed,
    scope: dict[str, str],
    tags: set[str],
    family: str,
    lead: list[str],
) -> Operation:
    flag_verb = _destroy_flag(parsed.flags)
    assigns = any("=" in w for _, w in parsed.pos)  # `tool settings key=value` sets
    listed = not assigns and generic_saas.plural_listing(lead, len(parsed.pos))
    effect = None if flag_verb else generic_saas.flag_verb(parsed.flags)
    named = None if (flag_verb or effect or listed) else _program_verb(cmd.program)
    if named is not None:
        return _named(cmd, parsed, scope, tags, family, named)
    if not flag_verb and ("dry-run" in tags or _checks(parsed.flags)):
        effect = Effect.READ
    if effect is not Effect.DESTROY and applies(parsed.flags):
        effect = Effect.WRITE
    if listed or effect is not None:
        effect = effect or Effect.READ
        summary = f"`{' '.join([cmd.program, *lead])}` ({_WORDS[effect]})"
        targets = [Target.make("resource", "", **scope)] if scope else []
        return op(cmd, "list" if listed else "run", effect, targets, tags, summary, family)
    name = parsed.pos[0][1] if parsed.pos else ""
    targets = [Target.make("resource", name, **scope)] if (scope or name) else []
    if flag_verb:
        target = _target(cmd, parsed.pos, parsed.flags, "resource", scope, tags)
        return op(
            cmd,
            flag_verb,
            Effect.DESTROY,
            [target],
            tags,
            f"`{cmd.program} --{flag_verb}` destroys `{target.name}`",
            family,
        )
    return op(
        cmd, "run", Effect.UNKNOWN, targets, tags, f"runs `{cmd.program}` (effect unknown)", family
    )


def _checks(flags: dict[str, str]) -> bool:
    return any(flags.get(f) == "" for f in _CHECK_FLAGS)


def _program_verb(prog: str) -> Effect | None:
    """The effect a program's own name says: `ldapdelete`, `virt-df`, `apps:destroy` (a dokku
    command over ssh), `kdestroy`."""
    found = lexicon.classify_lead(prog)
    if found is not None or not prog.isalpha() or len(prog) < 5:
        return found
    low = prog.lower()
    for size in range(len(low) - 1, 3, -1):
        eff = lexicon.classify(low[-size:])
        if eff is not None and low[-size:] in _NAME_SUFFIXES:
            return eff
    return None


# Verbs a program name may end with (`ldapdelete`, `ldapsearch`, `shellcheck`, `kdestroy`).
_NAME_SUFFIXES = words(
    "delete destroy remove purge search modify passwd whoami lint check list clean "
    "audit scan verify validate inspect show status"
)


def _named(
    cmd: Command,
    parsed: Parsed,
    scope: dict[str, str],
    tags: set[str],
    family: str,
    effect: Effect,
) -> Operation:
    target = _target(cmd, parsed.pos, parsed.flags, "resource", scope, tags)
    if "dry-run" in tags and effect is not Effect.READ:
        effect = Effect.READ
    verb = lexicon.verb_of(cmd.program)
    what = f" `{target.name}`" if target.name else ""
    summary = f"`{cmd.program}`{what} ({_WORDS[effect]})"
    return op(cmd, verb, effect, [target], tags, summary, family)
