"""Proof bundles: theorems exported to a folder that anyone can re-check with `assay check`.

A bundle holds `theorems.jsonl`, one line per theorem of the exported derivations in dependency
order (premises first), and the certificate files the leaves rest on: `tN.cnf` (DIMACS) and
`tN.lrat` for `by_sat`, `tN.smt2` for `by_smt`, each named with its SHA-256 in the line. A line
gives the rule, the premises by id, the conclusion and hypotheses as SMT-LIB terms with the
declarations they need, the rule's other arguments, and what the theorem trusts.

`check_bundle` trusts nothing in the folder: it checks every hash, parses the terms back, and
replays every rule through the kernel, which re-derives the CNF and runs the LRAT checker or
re-runs the SMT solvers on the query text. The replayed theorem must have exactly the recorded
conclusion and hypotheses, and its trusts are reported (not the recorded ones).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.core import kernel
from assay.core.backend import LratCertificate, Opinion, SmtCertificate
from assay.core.errors import AssayError, CertificateError
from assay.core.kernel import Theorem
from assay.core.printer import to_smtlib
from assay.core.query import declarations
from assay.core.term import Term

__all__ = ["export_bundle", "check_bundle", "BundleReport", "TheoremReport", "THEOREMS"]

THEOREMS = "theorems.jsonl"
FORMAT = "assay-bundle/1"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _derivation(roots: Sequence[Theorem]) -> list[Theorem]:
    """Every theorem the roots rest on, premises before conclusions (iterative)."""
    order: list[Theorem] = []
    seen: set[int] = set()
    for root in roots:
        stack: list[tuple[Theorem, bool]] = [(root, False)]
        while stack:
            th, ready = stack.pop()
            if id(th) in seen:
                continue
            if ready:
                seen.add(id(th))
                order.append(th)
                continue
            stack.append((th, True))
            stack.extend((p, False) for p in reversed(th.premises) if id(p) not in seen)
    return order


def _arg_terms(th: Theorem) -> list[Term]:
    if th.rule == "instantiate":
        return [t for pair in th.args[0] for t in pair]
    return [a for a in th.args if isinstance(a, Term)]


def _encode_args(th: Theorem) -> dict[str, Any]:
    if th.rule == "instantiate":
        return {"mapping": [[to_smtlib(k), to_smtlib(v)] for k, v in th.args[0]]}
    if th.rule in ("deduce", "conj_elim"):
        return {"term": to_smtlib(th.args[0])}
    return {}


def _write(folder: Path, name: str, text: str) -> dict[str, str]:
    data = text.encode()
    (folder / name).write_bytes(data)
    return {"file": name, "sha256": _sha256(data)}


def _certificate_entry(folder: Path, n: int, th: Theorem) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for cert in th.certificates:
        if th.rule == "by_sat" and isinstance(cert, LratCertificate):
            out.append({"kind": cert.kind, "solver": cert.solver,
                        "cnf": _write(folder, f"t{n}.cnf", cert.dimacs),
                        "lrat": _write(folder, f"t{n}.lrat", cert.lrat)})
        elif th.rule == "by_smt" and isinstance(cert, SmtCertificate):
            out.append({"kind": cert.kind, "smt2": _write(folder, f"t{n}.smt2", cert.smtlib),
                        "opinions": [vars(o) for o in (cert.primary, *cert.second_opinions)]})
    return out


def export_bundle(theorems: Sequence[Theorem], folder: Path,
                  names: Sequence[str] | None = None) -> Path:
    """Write `theorems` (and everything they were derived from) to `folder`; returns the
    path of `theorems.jsonl`. `names` label the exported theorems in `assay check` output."""
    folder.mkdir(parents=True, exist_ok=True)
    order = _derivation(theorems)
    ids = {id(th): n for n, th in enumerate(order)}
    labels = {id(th): name for th, name in zip(theorems, names or [])}
    exported = {id(th) for th in theorems}
    lines = []
    for n, th in enumerate(order):
        terms = [th.conclusion, *th.hypotheses, *_arg_terms(th)]
        lines.append(json.dumps({
            "format": FORMAT, "id": n, "name": labels.get(id(th), ""),
            "exported": id(th) in exported, "rule": th.rule,
            "premises": [ids[id(p)] for p in th.premises],
            "declarations": declarations(terms),
            "conclusion": to_smtlib(th.conclusion),
            "hypotheses": [to_smtlib(h) for h in th.hypotheses],
            "args": _encode_args(th),
            "trusts": sorted(th.trusts),
            "certificates": _certificate_entry(folder, n, th),
        }, sort_keys=True))
    path = folder / THEOREMS
    path.write_text("\n".join(lines) + "\n")
    return path


# -- checking ----------------------------------------------------------------------------------

@dataclass
class TheoremReport:
    id: int
    name: str
    rule: str
    conclusion: str
    exported: bool
    ok: bool
    trusts: list[str] = field(default_factory=list)
    error: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self), seconds=round(self.seconds, 6))


@dataclass
class BundleReport:
    folder: str
    theorems: list[TheoremReport]

    @property
    def ok(self) -> bool:
        return bool(self.theorems) and all(t.ok for t in self.theorems)

    def to_json(self) -> dict[str, Any]:
        return {"bundle": self.folder, "ok": self.ok,
                "theorems": [t.to_json() for t in self.theorems]}


def _read_file(folder: Path, entry: dict[str, str]) -> str:
    name = Path(entry["file"]).name  # no paths outside the bundle
    path = folder / name
    if not path.is_file():
        raise CertificateError(f"certificate file {name} is missing")
    data = path.read_bytes()
    if _sha256(data) != entry["sha256"]:
        raise CertificateError(f"certificate file {name} does not match its SHA-256 hash")
    return data.decode()


class _Parser:
    """Parses a line's terms back, in the context of the line's declarations."""

    def __init__(self, decls: list[str]) -> None:
        from assay.core.smtlib.script import parse_script
        script = parse_script("\n".join(decls) + "\n", "<bundle declarations>")
        self.symbols = script.declarations

    def term(self, text: str) -> Term:
        from assay.core.smtlib.script import parse_term
        return parse_term(text, self.symbols)


def _replay(line: dict[str, Any], folder: Path, proved: dict[int, Theorem],
            timeout: float | None, allow_admit: bool) -> Theorem:
    rule, args = line["rule"], line.get("args", {})
    parser = _Parser(line["declarations"])
    goal = parser.term(line["conclusion"])
    try:
        premises = [proved[i] for i in line["premises"]]
    except KeyError as exc:
        raise CertificateError(f"premise {exc} was not proved earlier in the bundle") from None
    certs = line.get("certificates", [])
    if rule == "by_evaluation":
        return kernel.by_evaluation(goal)
    if rule == "by_sat":
        c = _one(certs, "sat+lrat")
        cert = LratCertificate(_read_file(folder, c["cnf"]), _read_file(folder, c["lrat"]),
                               checked=False, solver=c.get("solver", ""))
        return kernel.by_sat(goal, cert)
    if rule == "by_smt":
        c = _one(certs, "smt")
        opinions = [Opinion(o["solver"], o["version"], o["answer"]) for o in c["opinions"]]
        if not opinions:
            raise CertificateError("an smt certificate without any solver opinion")
        text = _same_query(_read_file(folder, c["smt2"]), goal)
        smt = SmtCertificate(text, opinions[0], tuple(opinions[1:]))
        return kernel.by_smt(goal, smt, timeout=timeout)
    if rule == "admit":
        if not allow_admit:
            raise CertificateError("the bundle admits this theorem and admits were refused")
        with kernel.allow_admit():
            return kernel.admit(goal)
    if rule == "assume":
        return kernel.assume(goal)
    if rule == "deduce":
        return kernel.deduce(_single(premises), parser.term(args["term"]))
    if rule == "modus_ponens":
        return kernel.modus_ponens(*premises)
    if rule == "conj_intro":
        return kernel.conj_intro(*premises)
    if rule == "conj_elim":
        return kernel.conj_elim(_single(premises), parser.term(args["term"]))
    if rule == "instantiate":
        mapping = {parser.term(k): parser.term(v) for k, v in args["mapping"]}
        return kernel.instantiate(_single(premises), mapping)
    raise CertificateError(f"unknown rule {rule!r}")


def _same_query(stored: str, goal: Term) -> str:
    """The kernel's canonical query for ¬goal when the stored query states exactly ¬goal.

    The canonical text orders the two sides of `=` and `xor` by creation order, which a fresh
    process reading the bundle may not reproduce (a side bound by `let` is created before the
    other). The stored text is read back; if its assertions are, as terms, exactly ¬goal, the
    solvers are re-run on the kernel's own text for ¬goal (which is what the kernel trusts
    anyway); otherwise the stored text goes to the kernel unchanged, and it refuses it.
    """
    from assay.core.query import query_text
    from assay.core.smtlib.script import parse_script
    from assay.core.terms import And, Not
    canonical = query_text([Not(goal)])
    if stored == canonical:
        return stored
    try:
        assertions = parse_script(stored, "<bundle query>").assertions
    except AssayError:
        return stored
    if assertions and And(*assertions) is Not(goal):
        return canonical
    return stored


def _one(certs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [c for c in certs if c.get("kind") == kind]
    if len(found) != 1:
        raise CertificateError(f"expected one {kind} certificate, found {len(found)}")
    return found[0]


def _single(premises: list[Theorem]) -> Theorem:
    if len(premises) != 1:
        raise CertificateError(f"expected one premise, found {len(premises)}")
    return premises[0]


def _kinds(trusts: Sequence[str]) -> set[str]:
    return {t.split()[0] for t in trusts}


def check_bundle(folder: Path, *, timeout: float | None = None,
                 allow_admit: bool = True, progress: Any = None) -> BundleReport:
    """Re-verify every theorem of the bundle in `folder` through the kernel."""
    path = folder / THEOREMS
    if not path.is_file():
        raise CertificateError(f"{folder} is not a proof bundle: {THEOREMS} is missing")
    lines = [ln for ln in path.read_text().splitlines() if ln.strip()]
    proved: dict[int, Theorem] = {}
    reports: list[TheoremReport] = []
    for lineno, text in enumerate(lines, 1):
        start = time.perf_counter()
        try:
            line = json.loads(text)
            if line.get("format") != FORMAT:
                raise CertificateError(f"line {lineno}: unknown format {line.get('format')!r}")
        except (json.JSONDecodeError, AttributeError) as exc:
            reports.append(TheoremReport(-1, "", "?", "", True, False,
                                         error=f"line {lineno}: not a JSON object: {exc}"))
            continue
        report = TheoremReport(int(line.get("id", -1)), line.get("name", ""),
                               line.get("rule", "?"), line.get("conclusion", ""),
                               bool(line.get("exported")), False)
        try:
            th = _replay(line, folder, proved, timeout, allow_admit)
            _compare(th, line)
            report.trusts = sorted(th.trusts)
            if sorted(line.get("trusts", [])) != report.trusts:
                report.notes.append(f"recorded trusts {line.get('trusts')} differ from "
                                    f"the re-check's {report.trusts}")
            if _kinds(line.get("trusts", [])) != _kinds(report.trusts):
                raise CertificateError(f"the bundle says the theorem trusts "
                                       f"{line.get('trusts')} but it trusts {report.trusts}")
            proved[report.id] = th
            report.ok = True
        except (AssayError, KeyError, TypeError, ValueError) as exc:
            report.error = f"{type(exc).__name__}: {exc}"
        report.seconds = time.perf_counter() - start
        reports.append(report)
        if progress is not None:
            progress()
    return BundleReport(str(folder), reports)


def _compare(th: Theorem, line: dict[str, Any]) -> None:
    parser = _Parser(line["declarations"])
    if th.conclusion is not parser.term(line["conclusion"]):
        raise CertificateError("the replayed rule does not prove the recorded conclusion")
    hyps = {parser.term(h) for h in line.get("hypotheses", [])}
    if hyps != set(th.hypotheses):
        raise CertificateError("the replayed rule has other hypotheses than recorded")
