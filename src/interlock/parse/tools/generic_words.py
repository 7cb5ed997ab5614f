"""Where a generic CLI's verb and target sit among its words.

The leading subcommand words hold the verb; an id between them does not end them when a verb
follows (`sentry-cli releases files 1.2.3 upload-sourcemaps ./dist`). The first positional after
the verb is the target, except for verbs that move data from somewhere to somewhere:
`sanity dataset import data.ndjson production` writes to `production`, `tool dataset copy
production staging` writes to `staging`.
"""

from __future__ import annotations

from collections.abc import Mapping

from interlock.model import Effect
from interlock.parse import lexicon
from interlock.parse.lexicon import words

# `copy SRC DST`: what is written is the last word.
_COPY_VERBS = words("copy cp clone duplicate")
# `import FILE DEST`: the first word is a file (or URL) read from, the next one is written.
_LOAD_VERBS = words("import load restore upload ingest seed")
_FILE_EXTS = words(
    "ndjson json jsonl csv tsv sql gz tgz tar zip yaml yml xml dump bak bson parquet txt avro"
)


def lead_words(
    pos: list[tuple[int, str]], vocab: Mapping[str, Effect] | None
) -> list[tuple[int, str]]:
    """Up to four subcommand words (argv index, word). A word that is not one (a path, a value,
    a version) ends them, unless no verb came yet and a verb follows it."""
    lead: list[tuple[int, str]] = []
    skipped = False
    for i, w in pos:
        if not lexicon.is_word(w):
            if lead and (skipped or lexicon.pick_verb([x for _, x in lead], vocab)):
                break
            skipped = bool(lead)
            continue
        if skipped and not (vocab and w in vocab) and lexicon.classify_lead(w) is None:
            break  # `releases 1.2.3 notes`: only a verb goes on past an id
        lead.append((i, w))
        if len(lead) == 4:
            break
    return lead


def destination(verb: str, after: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """`after` (argv index, word) with the word a copy or import writes to first."""
    if len(after) < 2:
        return after
    if verb in _COPY_VERBS:
        return [after[-1], *after[:-1]]
    if verb in _LOAD_VERBS and _is_file(after[0][1]) and not _is_file(after[1][1]):
        return [after[1], after[0], *after[2:]]
    return after


def _is_file(word: str) -> bool:
    if word == "-" or "://" in word or word.startswith(("/", "./", "../", "~")):
        return True
    stem, dot, ext = word.rpartition(".")
    return bool(dot and stem) and ext.lower() in _FILE_EXTS
