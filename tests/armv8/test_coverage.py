"""`assay arm coverage`: every class, row mnemonic and alias is listed (text and --json), and
every mnemonic the AArch64 issue requires is among them."""

from __future__ import annotations

import json

import pytest

from assay.cli import main
from assay.models.armv8.asm import mnemonics
from assay.models.armv8.registry import classes

REQUIRED = """
ADD ADDS SUB SUBS AND ORR EOR ANDS MOVZ MOVN MOVK SBFM BFM UBFM ASR LSL LSR SBFX UBFX BFI
BFXIL SXTW UXTB EXTR ROR ADR ADRP ADC ADCS SBC SBCS BIC ORN EON BICS TST MOV MVN NEG CMP CMN
CSEL CSINC CSINV CSNEG CSET CSETM CINC CINV CNEG CCMP CCMN LSLV LSRV ASRV RORV MADD MSUB MUL
SMULL UMULL SMULH UMULH UDIV SDIV CLZ CLS RBIT REV REV16 REV32
B BL B.<COND> BR BLR RET CBZ CBNZ TBZ TBNZ NOP YIELD BTI PACIASP AUTIASP HINT
LDR STR LDRB STRB LDRH STRH LDRSB LDRSH LDRSW LDUR STUR LDP STP LD1 ST1 LD1R PRFM
CMEQ CMGT CMGE CMHI CMHS CMTST BSL BIT BIF REV64 NOT CNT SHL SSHR USHR SRI SLI SSRA USRA
USHLL SSHLL XTN EXT ZIP1 ZIP2 UZP1 UZP2 TRN1 TRN2 TBL TBX DUP INS UMOV SMOV MOVI MVNI FMOV
ADDV ADDP AESE AESD AESMC AESIMC SHA1C SHA1P SHA1M SHA1H SHA1SU0 SHA1SU1 SHA256H SHA256H2
SHA256SU0 SHA256SU1 SHA512H SHA512H2 SHA512SU0 SHA512SU1 EOR3 BCAX XAR RAX1 PMULL PMULL2
""".split()


def test_coverage_json_lists_every_class_mnemonic_and_alias(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["arm", "coverage", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    listed = {r["class"]: r for r in out["classes"]}
    assert set(listed) == {c.name for c in classes()}
    for c in classes():
        row = listed[c.name]
        assert row["encodings"] == len(c.encodings) and row["title"] == c.title
        assert set(row["mnemonics"]) == {e.mnemonic.upper() for e in c.encodings}
        assert set(row["aliases"]) | set(row["mnemonics"]) \
            == {a.mnemonic.upper() for e in c.encodings for a in e.aliases} \
            | {e.mnemonic.upper() for e in c.encodings}
    everything = {m for r in out["classes"] for m in r["mnemonics"] + r["aliases"]}
    missing = [m for m in REQUIRED if m not in everything]
    assert not missing, missing
    assert out["assembler_mnemonics"] == mnemonics()
    assert {m.lower() for m in everything if "<" not in m} - set(mnemonics()) \
        <= {e.mnemonic for c in classes() for e in c.encodings if e.disasm_only}


def test_coverage_text_names_every_class(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["arm", "coverage"]) == 0
    text = capsys.readouterr().out
    for c in classes():
        assert c.name in text
    assert f"{len(classes())} classes, " in text and "the assembler accepts" in text


def test_row_names_are_unique() -> None:
    """Row names identify rows in reports and test ids: no two classes share one."""
    seen: dict[str, str] = {}
    for c in classes():
        for e in c.encodings:
            assert e.name not in seen, f"{e.name} in {seen.get(e.name)} and {c.name}"
            seen[e.name] = c.name
