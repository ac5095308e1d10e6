"""Disassembly agreement with capstone on random valid encodings of every supported class.

Draws `--count` words (default 100,000): a class uniformly, then a row of its encoding table
uniformly, then random field values (`conform.random_word`); compares Assay's disassembly with
capstone's. Prints the share identical, the share that differs only by a listed syntax variant
(tests/armv8/capstone_variants.py) and every other difference per class, with an example.
Every word where the two differ is then checked by a third tool: Assay's text is assembled by
clang (the ziglang package) and must give the word back (`clang_agrees`), so a difference that is
capstone's (an empty operand, a word it cannot decode) is told from one that is Assay's.
Usage: python bench/armv8_capstone.py [--count N] [--seed S] [--json] [--no-clang]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

import capstone

from assay.models.armv8.conform import random_word
from assay.models.armv8.disasm import disassemble
from assay.models.armv8.registry import classes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "armv8"))
from capstone_variants import variant_of  # noqa: E402
from ziglang_util import PC_RELATIVE, clang_words, relative_operand  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=100_000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-clang", action="store_true", help="skip the clang re-assembly check")
    args = ap.parse_args(argv)
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    rng = random.Random(args.seed)
    all_classes = classes()
    total = same = 0
    variants: collections.Counter[str] = collections.Counter()
    other: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str | None]] = {}
    differing: list[tuple[int, int, str, str]] = []
    while total < args.count:
        cls = rng.choice(all_classes)
        word = random_word(rng.choice(cls.encodings), rng)
        if word is None:
            continue
        pc = 0x400000 + 4 * rng.randrange(1 << 16)
        ours = disassemble(word, pc)
        theirs = next((f"{i.mnemonic} {i.op_str}".strip()
                       for i in md.disasm(word.to_bytes(4, "little"), pc)), None)
        total += 1
        reason = variant_of(ours, theirs) if theirs is not None and ours != theirs else None
        if ours == theirs:
            same += 1
            continue
        differing.append((word, pc, cls.name, ours))
        if reason:
            variants[reason] += 1
        else:
            other[cls.name] += 1
            examples.setdefault(cls.name, [hex(word), ours, theirs])
    out = {"classes": len(all_classes), "words": total, "identical": same,
           "identical_percent": round(100 * same / total, 3),
           "listed_variants": dict(variants), "other_by_class": dict(other),
           "examples": examples}
    if not args.no_clang and differing:
        lines = [relative_operand(t, pc) if c in PC_RELATIVE else t for _, pc, c, t in differing]
        words = clang_words(lines)
        bad = [(hex(w), t, None if g is None else hex(g))
               for (w, _, _, t), g in zip(differing, words, strict=True) if g != w]
        out["clang_checked"] = len(differing)
        out["clang_agrees"] = len(differing) - len(bad)
        out["clang_disagrees"] = bad
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{total} words over {len(all_classes)} classes: {same} identical "
              f"({out['identical_percent']}%), {sum(variants.values())} listed syntax variants, "
              f"{sum(other.values())} other differences")
        for reason, n in variants.items():
            print(f"  variant: {reason}: {n}")
        for name, (word, ours, theirs) in examples.items():
            print(f"  other in {name} ({other[name]}): {word}: {ours!r} vs capstone {theirs!r}")
        if "clang_checked" in out:
            print(f"clang re-assembles Assay's text of {out['clang_agrees']} of the "
                  f"{out['clang_checked']} differing words to the same word")
            for word, text, got in out["clang_disagrees"]:
                print(f"  clang disagrees: {word}: {text!r} -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
