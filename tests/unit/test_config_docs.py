"""docs/configuration.md is generated from the Settings model; it must be current and complete."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_config_docs", ROOT / "scripts" / "gen_config_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_configuration_doc_is_current() -> None:
    gen = _generator()
    assert (ROOT / "docs" / "configuration.md").read_text() == gen.generate(), (
        "docs/configuration.md is stale: run python scripts/gen_config_docs.py")


def test_every_setting_has_a_meaning() -> None:
    """A field without a ``#:`` comment would show an empty Meaning column."""
    gen = _generator()
    comments = gen.field_comments()
    missing = [f"{group or 'Settings'}.{name}" for group, model in gen._group_models()
               for name, field in model.model_fields.items()
               if not (group is None and name in dict(gen._group_models()))
               and not comments.get((model.__name__, name))]
    assert not missing, f"add a '#:' comment above: {missing}"
