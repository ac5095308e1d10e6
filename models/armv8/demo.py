"""`assay demo`, AArch64 section: hash a message with the bundled SHA-256 and SHA-512 routines
running in the model (compared with hashlib), then a short conformance campaign against Unicorn
with a progress bar."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress
from rich.table import Table

MESSAGE = b"Assay runs AArch64 crypto code in a model checked against Unicorn. " * 3
PER_CLASS = 100


def _hashes(console: Console) -> bool:
    from . import crypto_routines as cr
    ok = True
    table = Table(title="bundled routines in the model vs hashlib")
    for col in ("routine", "digest (model)", "hashlib", "instructions"):
        table.add_column(col)
    for name, model_fn, ref in (("sha256_block", cr.sha256, hashlib.sha256),
                                ("sha512_block", cr.sha512, hashlib.sha512)):
        digest = model_fn(MESSAGE)
        steps = _steps(name, len(MESSAGE))
        same = digest == ref(MESSAGE).digest()
        ok = ok and same
        table.add_row(name, digest.hex()[:32] + "…", "[green]equal[/]" if same else "[red]DIFFERS",
                      f"{steps:,}")
    console.print(table)
    return ok


def _steps(name: str, length: int) -> int:
    from . import crypto_routines as cr
    from .crypto_specs import SHA256_IV, SHA512_IV
    if name == "sha256_block":
        return cr.sha256_blocks(list(SHA256_IV), cr.sha_pad(MESSAGE, 64))[1]
    return cr.sha512_blocks(list(SHA512_IV), cr.sha_pad(MESSAGE, 128))[1]


def _conformance(console: Console, out: Path) -> bool:
    from .conform import Campaign
    from .registry import classes
    chosen = classes()
    campaign = Campaign(save_dir=out / "armv8-mismatches")
    start = time.perf_counter()
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("conformance vs Unicorn", total=PER_CLASS * len(chosen))
        report = campaign.run(chosen, PER_CLASS, seed=int(time.time()) & 0xFFFF,
                              progress=lambda k: bar.advance(task, k))
    elapsed = time.perf_counter() - start
    n = sum(report.tests.values())
    console.print(f"conformance: {n} random instructions over {len(chosen)} classes, "
                  f"every register, flags, PC and an 8 KiB memory window compared: "
                  f"{len(report.mismatches)} mismatches ({n / elapsed:,.0f} tests/s)")
    for m in report.mismatches[:5]:
        console.print(f"[red]mismatch[/] {m['word']} {m['asm']}: {'; '.join(m['diff'][:2])}")
    return not report.mismatches


def demo(console: Console, out: Path) -> bool:
    try:
        ok = _hashes(console)
    except Exception as exc:  # noqa: BLE001 - the section reports, the demo goes on
        console.print(f"[red]bundled routines failed: {exc}")
        ok = False
    try:
        import unicorn  # noqa: F401
    except ImportError:
        console.print("unicorn is not installed (pip install '.[test]'): conformance skipped", markup=False)
        return ok
    return _conformance(console, out) and ok
