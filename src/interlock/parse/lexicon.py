"""The verb lexicon: what a subcommand word says a CLI will do.

Most CLIs nobody wrote a pack for follow `tool [flags] noun… verb [args]`, and the verb tells the
effect: `delete`/`destroy`/`purge` destroy, `create`/`apply`/`deploy` write, `get`/`list`/`show`
read. `classify(word)` answers the effect for one word, seeing through the usual spellings:
`delete-cluster`, `drop_table`, `apps:destroy`, `DeleteUser`, `permanent-delete`.

A few words are mostly nouns (`backup`, `release`, `config`, `log`): they count as verbs only
when no other verb follows them (`velero backup delete` deletes a backup).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from interlock.model import Effect


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (tables stay readable)."""
    return frozenset(text.split())


DESTROY = words(
    "delete del destroy remove rm rmi rmr rb purge drop dropdb terminate wipe erase "
    "truncate revoke uninstall prune reset flush flushall flushdb nuke deregister "
    "unregister decommission teardown kill shred clear expunge obliterate evict demolish "
    "zap discard deprovision unprovision trash forget clean cleanup down wipeout "
    "unpublish vacuum-full format overwrite destruct annihilate delete_all deleteall "
    "removeall dropall gc garbage-collect"
)

WRITE = words(
    "create new add apply deploy install update upgrade downgrade set put patch edit "
    "modify change push publish release run exec execute start stop restart reload scale "
    "rollout rollback enable disable attach detach import migrate sync move mv rename "
    "copy cp tag untag label annotate approve merge promote restore upload send write "
    "invoke trigger grant assign unassign login logout init build compile generate gen "
    "bootstrap provision register connect disconnect link unlink mount unmount lock "
    "unlock pause resume suspend cancel abort retry rerun replace replicate resize reboot "
    "fork clone commit submit post enqueue schedule unschedule cordon uncordon drain "
    "taint upsert insert save load fix fmt bump archive unarchive close reopen resolve "
    "ack acknowledge snooze mute unmute silence rotate renew reindex rebuild refresh seed "
    "backup snapshot transfer invite join leave subscribe unsubscribe configure setup use "
    "switch activate deactivate encrypt sign pull serve unset mark redeploy recreate "
    "reconcile rerun redrive replay revert undo yank shutdown halt hibernate failover "
    "switchover resync recover repair rekey reseal seal unseal demote"
)

READ = words(
    "get list ls describe show status info inspect view cat logs log history diff plan "
    "preview check validate lint version help search find read whoami explain top watch "
    "export dump verify test doctor print display tail head fetch download audit scan "
    "analyze lookup outdated current whois ping health healthcheck stats stat usage quota "
    "count tree graph output outputs summary report trace browse docs completion "
    "completions ps events metrics compare estimate decode decrypt template render env me "
    "echo tokens which where usage open about changelog config-get dry-run ls-remote "
    "verify-config show-config get-config list-all describe-all lint-all vet bench "
    "benchmark coverage query-status poll wait monitor follow tui ui dashboard console "
    "shell-completion manpage man retrieve debug fingerprint query consume discover df du "
    "detect fact facts diagnose diagnostic diagnostics whence"
)

# Words that are nouns at least as often as verbs: a later verb in the same command wins.
WEAK = words(
    "backup release tag label config log logs history status version snapshot import "
    "export dump build test check run plan cache lock link archive search top trace "
    "events metrics stats format login clone schedule template output usage report watch "
    "env debug secret restore sync start deploy open help audit tokens monitor dashboard "
    "console usage health metrics events query ui"
)

# Leading words that only qualify the verb after them (`force-delete`, `permanent-delete`).
_MODIFIERS = words("force hard permanent permanently bulk batch mass soft recursive")
_TRAILERS = _MODIFIERS | {"all"}

# (noun, verb) pairs whose verb understates what happens: disabling a secrets engine deletes
# every secret in it.
DESTROY_PHRASES = frozenset(
    {
        ("secrets", "disable"),
        ("auth", "disable"),
        ("kv", "destroy"),
        ("engine", "disable"),
        ("mount", "disable"),
    }
)

_SPLIT = re.compile(r"[-_:.]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_:][A-Za-z0-9]+)*$")

_EFFECT_OF = {w: Effect.READ for w in READ} | {w: Effect.WRITE for w in WRITE}
_EFFECT_OF |= {w: Effect.DESTROY for w in DESTROY}

# A handful of words mean something else in one spelling.
_OVERRIDES = {
    "tear-down": Effect.DESTROY,
    "tear_down": Effect.DESTROY,
    "rm-rf": Effect.DESTROY,
    "who-am-i": Effect.READ,
}


def is_word(token: str) -> bool:
    """True when `token` looks like a subcommand word rather than a path, value or URL."""
    return bool(_IDENT.match(token)) and len(token) <= 48


def parts(word: str) -> list[str]:
    """Lower-case parts of `word`: `delete-cluster` → [delete, cluster], `DeleteUser` → [delete,
    user]."""
    out: list[str] = []
    for piece in _SPLIT.split(word):
        if not piece:
            continue
        if piece.islower() or piece.isupper() or piece.isdigit():
            out.append(piece.lower())
        else:
            out.extend(p.lower() for p in _CAMEL.findall(piece))
    return out


def classify(word: str) -> Effect | None:
    """The effect a verb word names, or None when the word is not a verb we know."""
    low = word.lower()
    hit = _OVERRIDES.get(low) or _EFFECT_OF.get(low)
    if hit is not None:
        return hit
    ps = parts(word)
    if not ps:
        return None
    if len(ps) == 1:
        return _EFFECT_OF.get(ps[0])
    # `apps:destroy`, `db:drop`: the verb comes last after a colon.
    if ":" in word:
        last = _EFFECT_OF.get(ps[-1])
        if last is not None:
            return last
    first = _EFFECT_OF.get(ps[0])
    if first is not None:
        return first
    if ps[0] in _MODIFIERS or any(_EFFECT_OF.get(p) is Effect.DESTROY for p in ps[1:2]):
        for p in ps[1:]:
            eff = _EFFECT_OF.get(p)
            if eff is not None:
                return eff
    return None


def verb_of(word: str) -> str:
    """The verb part of a word already classified: `delete-cluster` → `delete`."""
    low = word.lower()
    if low in _EFFECT_OF or low in _OVERRIDES:
        return low
    ps = parts(word)
    if ":" in word and ps and ps[-1] in _EFFECT_OF:
        return ps[-1]
    if ps and ps[0] in _EFFECT_OF:
        return ps[0]
    for p in ps:
        if p in _EFFECT_OF and p not in WEAK:
            return p
    for p in ps:
        if p in _EFFECT_OF:
            return p
    return low


def is_weak(word: str) -> bool:
    return word.lower() in WEAK


def classify_lead(word: str) -> Effect | None:
    """`classify` for a CLI's leading words, which also reads noun-first compounds (`user-find`,
    `vm-list`, `group-add-member`) and never takes a name with a number in it (`build-run-1`,
    `release-2024`) for a verb."""
    ps = parts(word)
    if any(p.isdigit() for p in ps):
        return None
    found = classify(word)
    if found is None and len(ps) == 1:
        return _read_prefixed(ps[0])
    if found is not None or len(ps) < 2:
        return found
    for p in ps[1:]:
        eff = _EFFECT_OF.get(p)
        if eff is not None and p not in WEAK:
            return eff
    return None


def _read_prefixed(word: str) -> Effect | None:
    """`listsnapshot`, `showrepl`, `getconf`, `listprincs`: a read verb glued to its noun."""
    for prefix in _READ_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + 3 and word not in _NOT_READS:
            return Effect.READ
    return None


_READ_PREFIXES = ("list", "show", "get", "describe", "print")
_NOT_READS = words("listen listener listeners getaway showcase printer")


def _plain(word: str) -> Effect | None:
    """A verb on its own (`delete`, `delete-all`), not a name made of verbs (`deploy-app`)."""
    ps = parts(word)
    if len(ps) == 1 or (len(ps) == 2 and ps[1] in _TRAILERS):
        return classify(word)
    return None


def _unless_changed(words: list[str], i: int, vocab: Mapping[str, Effect]) -> tuple[int, Effect]:
    """A tool's read word, unless a plain verb that changes state follows it: `infisical secrets
    delete` deletes even though `infisical secrets` lists."""
    if vocab[words[i]] is Effect.READ:
        for j in range(i + 1, len(words)):
            eff = None if words[j] in vocab else _plain(words[j])
            if eff in (Effect.WRITE, Effect.DESTROY) and not is_weak(words[j]):
                return j, eff
    return i, vocab[words[i]]


def pick_verb(
    words: list[str], vocab: Mapping[str, Effect] | None = None
) -> tuple[int, Effect] | None:
    """Index and effect of the verb among leading subcommand words: a word of the tool's own
    `vocab` or the first strong verb, else the first weak one. After a weak verb, only a plain
    verb counts: `logs deploy-app` reads the logs of `deploy-app`."""
    for i, w in enumerate(words):
        if vocab and w in vocab:
            return _unless_changed(words, i, vocab)
    weak: tuple[int, Effect] | None = None
    for i, w in enumerate(words):
        eff = classify_lead(w) if weak is None else _plain(w)
        if eff is None:
            continue
        if not is_weak(w):
            return i, eff
        if weak is None:
            weak = (i, eff)
    return weak


__all__ = [
    "DESTROY",
    "DESTROY_PHRASES",
    "READ",
    "WEAK",
    "WRITE",
    "classify",
    "classify_lead",
    "is_word",
    "parts",
    "pick_verb",
    "verb_of",
    "words",
]
