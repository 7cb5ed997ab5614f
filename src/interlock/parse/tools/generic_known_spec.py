"""What one known tool's words and flags mean: the row type of `generic_known`'s tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from interlock.model import Effect

_R, _W, _D = Effect.READ, Effect.WRITE, Effect.DESTROY


def vocab(read: str = "", write: str = "", destroy: str = "") -> dict[str, Effect]:
    """A tool's own words by effect, each written as one space-separated string."""
    out = dict.fromkeys(read.split(), _R)
    out.update(dict.fromkeys(write.split(), _W))
    out.update(dict.fromkeys(destroy.split(), _D))
    return out


@dataclass(frozen=True, slots=True)
class Known:
    """What one tool's words and flags mean."""

    vocab: Mapping[str, Effect] = field(default_factory=dict)
    flags: Mapping[str, Effect] = field(default_factory=dict)
    default: Effect | None = None
    dotted: bool = False
    local: bool = False
    value_flags: frozenset[str] = frozenset()
    scope_flags: Mapping[str, str] = field(default_factory=dict)
    kv_write: frozenset[str] = frozenset()  # read words that set when given `key=value`
    env_vars: tuple[str, ...] = ()  # variables naming the environment (`DOPPLER_CONFIG=prd`)
    # Words that write files on this machine (`crane pull IMG x.tar`, `oras pull REF`); `export`
    # writes only when a file other than `-` follows the image.
    local_words: frozenset[str] = frozenset()
