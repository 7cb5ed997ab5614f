"""Guess a tier from a name when the environment map says nothing: `prod-eu` is prod,
`kind-dev` is local. Words are split on punctuation; only whole words count, so `product`
is not prod."""

from __future__ import annotations

import re

from interlock.model import Tier

_SPLIT = re.compile(r"[^a-z0-9]+")
_PROD = re.compile(r"(prod|prd|production|live|prod\d+|prd\d+)")
_STAGING = frozenset(
    {
        "staging",
        "stage",
        "stg",
        "preprod",
        "uat",
        "qa",
        "preproduction",
        "stag",
        "staging1",
        "staging2",
        "nonprod",
        "nonproduction",
        "perf",
        "canary",
    }
)
_DEV = frozenset(
    {
        "dev",
        "develop",
        "development",
        "test",
        "testing",
        "sandbox",
        "sbx",
        "demo",
        "devel",
        "tst",
        "playground",
        "scratch",
        "ci",
        "experiment",
        "experimental",
        "lab",
    }
)
_LOCAL_EXACT = frozenset(
    {
        "localhost",
        "127.0.0.1",
        "::1",
        "0.0.0.0",
        "minikube",
        "docker-desktop",
        "rancher-desktop",
        "orbstack",
        "colima",
        "docker-for-desktop",
        "local",
        "host.docker.internal",
        "localhost.localdomain",
    }
)
_LOCAL_PREFIX = ("kind-", "k3d-", "minikube", "127.", "localhost:", "local-")
_CIDR = re.compile(r"^[0-9a-f:.]+/\d{1,3}$")


def guess_tier(value: str) -> Tier | None:
    low = value.lower().strip()
    if not low or _CIDR.match(low):
        return None
    low = (
        low.replace("pre-prod", "preprod")
        .replace("pre_prod", "preprod")
        .replace("non-prod", "nonprod")
    )
    host = _host_of(low)
    if (
        host in _LOCAL_EXACT
        or low in _LOCAL_EXACT
        or host.startswith(_LOCAL_PREFIX)
        or low.startswith(_LOCAL_PREFIX)
    ):
        return Tier.LOCAL
    words = [w for w in _SPLIT.split(low) if w]
    found: Tier | None = None
    for w in words:
        if _PROD.fullmatch(w):
            return Tier.PROD
        if w in _STAGING:
            found = Tier.STAGING
        elif w in _DEV and found is None:
            found = Tier.DEV
    return found


def _host_of(value: str) -> str:
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0]
    value = value.rsplit("@", 1)[-1]
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.split(":", 1)[0] if value.count(":") == 1 else value
