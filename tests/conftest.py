from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Keep the suite from writing into the developer's cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="interlock-test-cache-")
for _var in (
    "INTERLOCK_MODE",
    "INTERLOCK_ENVMAP",
    "AWS_PROFILE",
    "TF_WORKSPACE",
    "PGHOST",
    "KUBECONFIG",
):
    os.environ.pop(_var, None)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings():
    from interlock.policy.packs import load_index
    from interlock.service import Settings

    return Settings(rules=load_index(use_cache=False))


@pytest.fixture(scope="session")
def decide(settings):
    from interlock.model import Mode, Tier
    from interlock.service import CheckCall, check

    def run(command=None, mode="workstation", env=None, sql=None):
        call = CheckCall(command=command, sql=sql, mode=Mode(mode), env=Tier(env) if env else None)
        return check(call, settings)

    return run


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/environment collected as a user would: `interlock inventory collect --tfstate …
    --kubernetes … --context prod-eu --catalogue … -o snapshot.json`."""
    import io

    from interlock.cli.main import main

    env = ROOT / "examples" / "environment"
    path = tmp_path_factory.mktemp("env") / "snapshot.json"
    argv = [
        "inventory", "collect",
        "--tfstate", str(env / "terraform.tfstate"),
        "--kubernetes", str(env / "kubernetes.json"), "--context", "prod-eu",
        "--catalogue", str(env / "catalogue.yaml"),
        "-o", str(path),
    ]  # fmt: skip
    err = io.StringIO()
    assert main(argv, io.StringIO(""), io.StringIO(), err) == 0, err.getvalue()
    return path
