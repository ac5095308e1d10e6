"""`assay cedar format`: output, --check and --write exit codes, errors as messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cli import main
from assay.models.cedar.parser import parse_policies

MESSY = 'permit(principal==User::"a",action,resource)when{context.x>1&&context.y};\n'


def test_format_prints_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.cedar"
    src.write_text(MESSY)
    assert main(["cedar", "format", "-p", str(src)]) == 0
    out = capsys.readouterr().out
    assert parse_policies(out) == parse_policies(MESSY)
    assert main(["cedar", "format", "-p", str(src), "--check"]) == 1
    src.write_text(out)
    assert main(["cedar", "format", "-p", str(src), "--check"]) == 0


def test_format_write_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.cedar"
    src.write_text(MESSY)
    assert main(["cedar", "format", "-p", str(src), "--write", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["written"] and not result["unchanged"]
    assert src.read_text() == result["formatted"]


def test_long_conditions_break_per_operand(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    body = " && ".join(f"context.attribute_number_{i} == {i}" for i in range(6))
    text = f"permit(principal, action, resource) when {{ {body} || false }};"
    src = tmp_path / "p.cedar"
    src.write_text(text)
    assert main(["cedar", "format", "-p", str(src), "-l", "60", "-i", "4"]) == 0
    out = capsys.readouterr().out
    assert "\n    context.attribute_number_0 == 0 &&\n" not in out  # top level is ||
    assert "\n    false\n" in out
    assert parse_policies(out) == parse_policies(text)


def test_syntax_error_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.cedar"
    src.write_text("permit(principal, action, resource)\nwhen { 1 + };\n")
    assert main(["cedar", "format", "-p", str(src)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:2:12" in err and "^" in err
    assert main(["cedar", "format", "-p", str(tmp_path / "missing.cedar")]) == 1
