"""QF_BV benchmark: Assay's certified `sat` backend against z3 and bitwuzla, measured in one run.

Every (solver, file) pair runs in its own subprocess with the same timeout and a hard kill a few
seconds after it, so a hung solver cannot stall the run. `sat` parses the file with Assay's
SMT-LIB parser, bit-blasts, solves with CaDiCaL and checks the LRAT proof of every unsat answer
(its time includes all of that); z3 and bitwuzla read the file with their own parsers. Answers
are compared with the file's `:status` and with each other.

    python bench/qfbv.py [FOLDER] [--timeout 60] [--jobs 1] [--json] [--solvers sat,z3,bitwuzla]

Default folder: ../shared/smtlib relative to the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO / ".." / "shared" / "smtlib"
SOLVERS = ("sat", "z3", "bitwuzla")
GRACE = 10.0  # seconds past the timeout before the subprocess is killed


# -- worker (runs in the subprocess) -----------------------------------------------------------

def _work(solver: str, path: Path, timeout: float) -> dict[str, Any]:
    text = path.read_text()
    start = time.perf_counter()
    out: dict[str, Any] = {}
    if solver == "sat":
        from assay.core.backend_sat import SatBackend
        from assay.core.smtlib import parse_script
        script = parse_script(text, str(path))
        out["parse_seconds"] = time.perf_counter() - start
        result = SatBackend().check(script.assertions, timeout=max(0.1, timeout - (
            time.perf_counter() - start)))
        out["answer"] = str(result.status)
        out["reason"] = result.reason
        for key in ("encode_seconds", "solve_seconds", "check_seconds", "vars", "clauses",
                    "proof_bytes"):
            if key in result.stats:
                out[key] = result.stats[key]
    elif solver == "z3":
        import z3
        s = z3.Solver()
        s.set("timeout", int(timeout * 1000))
        s.from_string(text)
        out["answer"] = str(s.check())
    elif solver == "bitwuzla":
        from assay.core.backend_smtcli import run_bitwuzla
        out["answer"] = run_bitwuzla(text, timeout=timeout)[0]
    else:
        raise SystemExit(f"unknown solver {solver}")
    out["seconds"] = time.perf_counter() - start
    return out


def _run_one(solver: str, path: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", solver, str(path),
           "--timeout", str(timeout)]
    start = time.perf_counter()
    row: dict[str, Any] = {"solver": solver, "file": str(path)}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + GRACE)
    except subprocess.TimeoutExpired:
        row.update(answer="timeout", seconds=time.perf_counter() - start, reason="killed")
        return row
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        row.update(answer="error", seconds=time.perf_counter() - start, reason=tail[:300])
        return row
    row.update(json.loads(lines[-1]))
    if row["answer"] not in ("sat", "unsat"):
        row["answer"] = "unknown"
    if row["seconds"] > timeout and row["answer"] == "unknown":
        row["answer"] = "timeout"
    return row


# -- the run ----------------------------------------------------------------------------------

def expected_status(path: Path) -> str | None:
    m = re.search(r"\(set-info\s+:status\s+(sat|unsat)\s*\)", path.read_text(errors="replace"))
    return m.group(1) if m else None


def run(files: list[Path], solvers: list[str], timeout: float, jobs: int,
        show_progress: bool) -> list[dict[str, Any]]:
    from rich.console import Console
    from rich.progress import Progress
    tasks = [(s, f) for f in files for s in solvers]
    rows: list[dict[str, Any]] = []
    with Progress(console=Console(stderr=True), disable=not show_progress) as bar, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        task = bar.add_task("solving", total=len(tasks))
        futures = [pool.submit(_run_one, s, f, timeout) for s, f in tasks]
        for fut in as_completed(futures):
            rows.append(fut.result())
            bar.advance(task)
    return rows


def judge(rows: list[dict[str, Any]], files: list[Path]) -> None:
    """Mark wrong answers: against `:status`, and against another solver's definite answer."""
    status = {str(f): expected_status(f) for f in files}
    by_file: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append(r)
    for name, group in by_file.items():
        definite = {r["answer"] for r in group if r["answer"] in ("sat", "unsat")}
        for r in group:
            r["expected"] = status.get(name)
            r["wrong_vs_status"] = (r["answer"] in ("sat", "unsat") and
                                    status.get(name) is not None and r["answer"] != status[name])
            r["disagrees"] = r["answer"] in ("sat", "unsat") and len(definite) > 1


def summarise(rows: list[dict[str, Any]], solvers: list[str],
              timeout: float) -> dict[str, dict[str, Any]]:
    solved = {s: {r["file"]: r for r in rows if r["solver"] == s and
                  r["answer"] in ("sat", "unsat")} for s in solvers}
    out: dict[str, dict[str, Any]] = {}
    for s in solvers:
        mine = [r for r in rows if r["solver"] == s]
        times = [r["seconds"] for r in solved[s].values()]
        summary: dict[str, Any] = {
            "runs": len(mine),
            "solved": len(solved[s]),
            "sat": sum(1 for r in solved[s].values() if r["answer"] == "sat"),
            "unsat": sum(1 for r in solved[s].values() if r["answer"] == "unsat"),
            "unknown_or_timeout": sum(1 for r in mine if r["answer"] in ("unknown", "timeout")),
            "errors": sum(1 for r in mine if r["answer"] == "error"),
            "wrong_vs_status": sum(1 for r in mine if r.get("wrong_vs_status")),
            "disagreements": sum(1 for r in mine if r.get("disagrees")),
            "median_seconds": statistics.median(times) if times else None,
            "total_seconds": sum(min(r["seconds"], timeout) if r["answer"] in ("sat", "unsat")
                                 else timeout for r in mine),
        }
        if s == "sat":
            summary["solve_seconds"] = sum(r.get("solve_seconds", 0.0) for r in mine)
            summary["lrat_check_seconds"] = sum(r.get("check_seconds", 0.0) for r in mine)
            summary["encode_seconds"] = sum(r.get("encode_seconds", 0.0) for r in mine)
        for peer in solvers:
            if peer == s:
                continue
            both = set(solved[s]) & set(solved[peer])
            mine_t = sum(solved[s][f]["seconds"] for f in both)
            peer_t = sum(solved[peer][f]["seconds"] for f in both)
            summary[f"ratio_to_{peer}"] = (mine_t / peer_t) if both and peer_t > 0 else None
            summary[f"common_with_{peer}"] = len(both)
        out[s] = summary
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def print_tables(summary: dict[str, dict[str, Any]], solvers: list[str], timeout: float,
                 nfiles: int) -> None:
    from rich.console import Console
    from rich.table import Table
    console = Console()
    table = Table(title=f"QF_BV: {nfiles} files, timeout {timeout:g} s per run")
    keys = ["solved", "sat", "unsat", "unknown_or_timeout", "errors", "wrong_vs_status",
            "disagreements", "median_seconds", "total_seconds"]
    keys += [f"ratio_to_{p}" for p in solvers]
    table.add_column("")
    for s in solvers:
        table.add_column(s, justify="right")
    for k in keys:
        table.add_row(k, *[_fmt(summary[s].get(k)) for s in solvers])
    console.print(table)
    if "sat" in summary:
        s = summary["sat"]
        solve, check = s["solve_seconds"], s["lrat_check_seconds"]
        ratio = f"{check / solve:.2f}x" if solve else "-"
        console.print(f"sat: encoding {s['encode_seconds']:.2f} s, CaDiCaL {solve:.2f} s, "
                      f"LRAT checking {check:.2f} s (checking/solving = {ratio})")
    console.print("ratios: total time of the row's solver over the column's solver on the files "
                  "both solved (lower is faster)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worker", nargs=2, metavar=("SOLVER", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(_work(args.worker[0], Path(args.worker[1]), args.timeout)))
        return 0
    folder = args.folder.resolve()
    if not folder.is_dir():
        print(f"qfbv: benchmark folder {folder} not found (expected ../shared/smtlib next to "
              "the repository, or pass a folder)", file=sys.stderr)
        return 2
    files = sorted(folder.rglob("*.smt2"))
    solvers = [s for s in args.solvers.split(",") if s]
    for s in solvers:
        if s not in SOLVERS:
            print(f"qfbv: unknown solver {s}; expected some of {SOLVERS}", file=sys.stderr)
            return 2
    rows = run(files, solvers, args.timeout, args.jobs,
               show_progress=not args.json and sys.stderr.isatty())
    judge(rows, files)
    summary = summarise(rows, solvers, args.timeout)
    if args.json:
        rel = {r["file"]: str(Path(r["file"]).relative_to(folder)) for r in rows}
        print(json.dumps({"folder": str(folder), "timeout": args.timeout, "files": len(files),
                          "summary": summary,
                          "runs": [dict(r, file=rel[r["file"]]) for r in sorted(
                              rows, key=lambda r: (r["file"], r["solver"]))]}, indent=2))
    else:
        print_tables(summary, solvers, args.timeout, len(files))
    wrong = sum(v["wrong_vs_status"] + v["disagreements"] for v in summary.values())
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
