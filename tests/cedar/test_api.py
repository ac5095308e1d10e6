"""The package's public names (`assay.models.cedar.__all__`) resolve and work together, and
importing the package does not import Hypothesis (the strategies load on first use)."""

from __future__ import annotations

import subprocess
import sys
import types

import assay.models.cedar as cedar

WANTED = {"format_policy_set", "policy_set_to_json", "policy_set_from_json", "link",
          "Authorizer", "parse_policies", "parse_policy", "parse_expression",
          "parse_entity_uid", "strategies"}


def test_all_names_resolve() -> None:
    assert WANTED <= set(cedar.__all__)
    for name in cedar.__all__:
        assert getattr(cedar, name) is not None, name
    assert isinstance(cedar.strategies, types.ModuleType)
    assert hasattr(cedar.strategies, "schemas") and callable(cedar.link)
    namespace: dict[str, object] = {}
    exec("from assay.models.cedar import *", namespace)  # noqa: S102 - the public API itself
    assert set(cedar.__all__) <= set(namespace)


def test_public_names_work_together() -> None:
    text = ('@id("t") permit(principal == ?principal, action, resource);\n'
            'forbid(principal, action, resource) when { context.x > 1 };\n')
    ps = cedar.parse_policies(text)
    assert cedar.parse_policies(cedar.format_policy_set(ps)) == ps
    linked = cedar.link(ps, "policy0", "alice", {"?principal": cedar.EntityUID("User", "a")})
    back = cedar.policy_set_from_json(cedar.policy_set_to_json(linked))
    assert [k.new_id for k in back.links] == ["alice"]
    alice = cedar.EntityUID("User", "a")
    req = cedar.Request(alice, cedar.EntityUID("Action", "v"), alice)
    resp = cedar.Authorizer(back).is_authorized(req, cedar.Entities())
    assert resp.decision == "allow" and set(resp.reasons) == {"alice"}


def test_package_import_does_not_import_hypothesis() -> None:
    code = "import sys, assay.models.cedar; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
