"""`assay arm run --elf`: objects built by clang (ziglang) from the bundled routines run with
their relocations resolved and give hashlib's results; `assay arm asm` + `run --bin` too."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import pytest

from assay.cli import main

from .ziglang_util import clang_object

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "armv8"
STATE_AT, MESSAGE_AT = 0x900000, 0x910000
H256 = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
        0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19]


def sha256_padded(message: bytes) -> bytes:
    bits = 8 * len(message)
    message += b"\x80" + bytes(-(len(message) + 9) % 64)
    return message + struct.pack(">Q", bits)


def variant(source: str, how: str) -> str:
    """The bundled SHA-256 routine with its constant table reached through relocations: in
    .rodata via ADRP + ADD :lo12: (R_AARCH64_ADR_PREL_PG_HI21, ADD_ABS_LO12_NC), or via a
    literal pool `ldr x3, =table` (R_AARCH64_ABS64)."""
    if how == "adr":
        return source
    table = "\t.p2align\t4\n.Lsha256_K:"
    assert table in source and "\tadr\tx3, .Lsha256_K\n" in source
    if how == "adrp":
        source = source.replace("\tadr\tx3, .Lsha256_K\n",
                                "\tadrp\tx3, .Lsha256_K\n\tadd\tx3, x3, :lo12:.Lsha256_K\n")
        return source.replace(table, "\t.section\t.rodata\n" + table)
    source = source.replace("\tadr\tx3, .Lsha256_K\n", "\tldr\tx3, =.Lsha256_K\n")
    source = source.replace(table, "\t.ltorg\n\t.section\t.rodata\n" + table)
    return source


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(args)
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {}


@pytest.mark.parametrize("how", ["adr", "adrp", "literal"])
def test_sha256_object_from_clang_runs(how: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "sha256.s"
    src.write_text(variant((EXAMPLES / "sha256_block.s").read_text(), how))
    obj = clang_object(src, tmp_path / "sha256.o")
    from assay.models.armv8.loader import read_object
    kinds = {r.name for r in read_object(obj).relocations}
    if how == "adrp":
        assert {"R_AARCH64_ADR_PREL_PG_HI21", "R_AARCH64_ADD_ABS_LO12_NC"} <= kinds
    if how == "literal":
        assert "R_AARCH64_ABS64" in kinds
    message = b"abc" * 30  # two blocks after padding
    padded = sha256_padded(message)
    state = {"x0": hex(STATE_AT), "x1": hex(MESSAGE_AT), "x2": hex(len(padded) // 64),
             "memory": [{"address": hex(STATE_AT), "bytes": struct.pack("<8I", *H256).hex()},
                        {"address": hex(MESSAGE_AT), "bytes": padded.hex()}]}
    (tmp_path / "state.json").write_text(json.dumps(state))
    code, out = run_cli(["arm", "run", "--elf", str(obj), "--function", "sha256_block",
                         "--state", str(tmp_path / "state.json"), "--json"], capsys)
    assert code == 0 and out["status"] == "returned", out.get("error")
    words = struct.unpack("<8I", bytes.fromhex(out["memory"][0]["bytes"]))
    assert struct.pack(">8I", *words) == hashlib.sha256(message).digest()


def test_asm_then_run_bin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "sha256.bin"
    code = main(["arm", "asm", str(EXAMPLES / "sha256_block.s"), "-o", str(binary),
                 "--base", "0x400000"])
    capsys.readouterr()
    assert code == 0 and binary.stat().st_size > 0
    padded = sha256_padded(b"")
    state = {"x0": hex(STATE_AT), "x1": hex(MESSAGE_AT), "x2": "0x1",
             "memory": [{"address": hex(STATE_AT), "bytes": struct.pack("<8I", *H256).hex()},
                        {"address": hex(MESSAGE_AT), "bytes": padded.hex()}]}
    (tmp_path / "state.json").write_text(json.dumps(state))
    code, out = run_cli(["arm", "run", "--bin", str(binary), "--base", "0x400000",
                         "--state", str(tmp_path / "state.json"), "--json"], capsys)
    assert code == 0
    words = struct.unpack("<8I", bytes.fromhex(out["memory"][0]["bytes"]))
    assert struct.pack(">8I", *words) == hashlib.sha256(b"").digest()


def test_run_elf_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "f.s"
    src.write_text("\t.text\n\t.globl f\nf:\tret\n")
    obj = clang_object(src, tmp_path / "f.o")
    assert main(["arm", "run", "--elf", str(obj), "--function", "g"]) == 2
    assert "no symbol named 'g'" in capsys.readouterr().err
    bad = tmp_path / "bad.s"
    bad.write_text("\t.text\n\tnop\n\t.bogus\n")
    assert main(["arm", "asm", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.s:3:" in err and "unsupported directive .bogus" in err


def test_disasm_elf_function(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import capstone
    obj = clang_object(EXAMPLES / "ghash_gmult.s", tmp_path / "g.o")
    assert main(["arm", "disasm", "--elf", str(obj), "--function", "ghash_gmult",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and rows[0]["address"] == "0x10000"
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    code = b"".join(int(r["word"], 16).to_bytes(4, "little") for r in rows)
    theirs = [f"{i.mnemonic} {i.op_str}".strip() for i in md.disasm(code, 0x10000)]
    assert [r["text"] for r in rows] == theirs


def test_sha512_linked_executable_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An executable linked by ld.lld (ET_EXEC, loaded by program headers) runs too."""
    from assay.models.armv8.loader import load_elf

    from .ziglang_util import lld_link
    obj = clang_object(EXAMPLES / "sha512_block.s", tmp_path / "sha512.o")
    layout = {s.name: s.address for s in load_elf(obj, base=0x480000).segments}
    exe = lld_link(obj, tmp_path / "sha512", layout, "sha512_block")
    h512 = hashlib.sha512()  # initial state from FIPS 180-4, 5.3.5
    init = [0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
            0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179]
    message = b"x" * 200
    bits = 8 * len(message)
    padded = message + b"\x80" + bytes(-(len(message) + 17) % 128) + struct.pack(">QQ", 0, bits)
    h512.update(message)
    state = {"x0": hex(STATE_AT), "x1": hex(MESSAGE_AT), "x2": hex(len(padded) // 128),
             "memory": [{"address": hex(STATE_AT), "bytes": struct.pack("<8Q", *init).hex()},
                        {"address": hex(MESSAGE_AT), "bytes": padded.hex()}]}
    (tmp_path / "state.json").write_text(json.dumps(state))
    code, out = run_cli(["arm", "run", "--elf", str(exe), "--function", "sha512_block",
                         "--state", str(tmp_path / "state.json"), "--json"], capsys)
    assert code == 0, out.get("error")
    words = struct.unpack("<8Q", bytes.fromhex(out["memory"][0]["bytes"]))
    assert struct.pack(">8Q", *words) == h512.digest()


# name -> (registers as (argument register, region index), regions as sizes)
ROUTINE_ARGS = {
    "sha256_block": ([0, 1], [32, 128], {"x2": "0x2"}),
    "sha512_block": ([0, 1], [64, 256], {"x2": "0x2"}),
    "aes128_encrypt": ([0, 1, 2], [16, 16, 176], {}),
    "aes128_decrypt": ([0, 1, 2], [16, 16, 176], {}),
    "aes128_expand_key": ([0, 1], [16, 176], {}),
    "ghash_gmult": ([0, 1], [16, 16], {}),
}


@pytest.mark.parametrize("name", sorted(ROUTINE_ARGS))
def test_clang_objects_run_in_lockstep_with_unicorn(name: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Each bundled routine, built by clang, loaded by `run --elf`, agrees with Unicorn after
    every instruction and on memory (random inputs)."""
    import random

    import unicorn  # noqa: F401  (an oracle from the test extra)
    obj = clang_object(EXAMPLES / f"{name}.s", tmp_path / f"{name}.o")
    regs, sizes, extra = ROUTINE_ARGS[name]
    rng = random.Random(name)
    state: dict = {"memory": [], **extra}
    for reg, size in zip(regs, sizes):
        address = 0x900000 + 0x1000 * reg
        state[f"x{reg}"] = hex(address)
        state["memory"].append({"address": hex(address), "bytes": rng.randbytes(size).hex()})
    (tmp_path / "state.json").write_text(json.dumps(state))
    code, out = run_cli(["arm", "run", "--elf", str(obj), "--function", name, "--state",
                         str(tmp_path / "state.json"), "--lockstep", "--json"], capsys)
    assert out["status"] == "returned", out.get("error")
    assert out["lockstep"]["agrees"], out["lockstep"]
    assert code == 0
