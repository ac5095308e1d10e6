"""The Cedar demo section: the bundled DocCloud example validates against its schema as
cedarpy's validator does, and the demo fails (without a traceback) when the example is wrong."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from rich.console import Console

from assay.models.cedar import demo


def _console(tmp_path: Path) -> Console:
    return Console(file=open(tmp_path / "out.txt", "w"), width=120)  # noqa: SIM115


def _copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(demo.EXAMPLE, folder)
    return folder


def test_bundled_example_validates_as_cedarpy_does() -> None:
    v = demo.validate_example(demo.EXAMPLE)
    # contractor-network reads the optional `context.ip` without `has`: the one rejection
    assert v["rejected"] == ["policy5"] and "optional attribute `ip`" in v["errors"][0]
    assert v["data_errors"] == [] and v["warnings"] == []
    assert (v["policies"], v["entities"], v["requests"]) == (6, 12, 8)
    assert v["cedarpy"] == "agrees"


def test_demo_writes_the_validation(tmp_path: Path) -> None:
    assert demo.demo(_console(tmp_path), tmp_path)
    saved = json.loads((tmp_path / "cedar_validation.json").read_text())
    assert saved["rejected"] == ["policy5"] and saved["cedarpy"] == "agrees"
    out = (tmp_path / "out.txt").read_text()
    assert "rejected exactly these" in out and "cedarpy agrees" in out


def test_a_schema_missing_an_attribute_is_caught_both_ways(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    schema = folder / demo.SCHEMA
    schema.write_text(schema.read_text().replace("  locked: Bool,\n", ""))
    v = demo.validate_example(folder)
    assert v["rejected"] == ["policy4", "policy5"]  # `resource.locked` is no longer declared
    assert any("locked" in m for m in v["data_errors"])  # and the entities have it
    assert v["cedarpy"] == "agrees"


def test_demo_fails_cleanly_on_a_malformed_schema(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy_example(tmp_path)
    (folder / demo.SCHEMA).write_text("entity User in [Nowhere];\n")
    monkeypatch.setattr(demo, "EXAMPLE", folder)
    assert demo.demo(_console(tmp_path), tmp_path) is False
    assert "validation could not run" in (tmp_path / "out.txt").read_text()


def test_demo_without_cedarpy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cedarpy", None)  # `import cedarpy` raises ImportError
    assert demo.validate_example(demo.EXAMPLE)["cedarpy"] == "n/a"
    assert demo.demo(_console(tmp_path), tmp_path)
    assert "no second opinion" in (tmp_path / "out.txt").read_text()
