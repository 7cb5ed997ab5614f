"""Load the tree-sitter-bash grammar without paying for `importlib.resources`.

`tree_sitter_bash/__init__.py` imports `importlib.resources` (about 20 ms of start-up) only to
read highlight queries we never use; loading its compiled `_binding` directly skips that.
"""

from __future__ import annotations

from typing import Any


def make_parser() -> Any:
    import tree_sitter

    return tree_sitter.Parser(tree_sitter.Language(_language_capsule()))


def _language_capsule() -> object:
    import importlib.machinery
    import importlib.util
    import os
    import sys

    mod = sys.modules.get("tree_sitter_bash._binding")
    if mod is None:
        spec = importlib.util.find_spec("tree_sitter_bash")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("tree-sitter-bash is not installed; run `pip install interlock`")
        pkg_dir = next(iter(spec.submodule_search_locations))
        for name in os.listdir(pkg_dir):
            if name.startswith("_binding") and name.endswith((".so", ".pyd")):
                path = os.path.join(pkg_dir, name)
                loader = importlib.machinery.ExtensionFileLoader("tree_sitter_bash._binding", path)
                bspec = importlib.util.spec_from_loader("tree_sitter_bash._binding", loader)
                if bspec is None:
                    raise ImportError(f"cannot load the bash grammar from `{path}`")
                mod = importlib.util.module_from_spec(bspec)
                loader.exec_module(mod)
                break
        else:
            import tree_sitter_bash

            return tree_sitter_bash.language()
    return mod.language()
