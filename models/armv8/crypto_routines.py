"""The bundled crypto routines (`examples/armv8/*.s`) run in the model: assemble with Assay's
assembler, lay out, call with the AAPCS64 arguments, and read the results back.

A call sets x0.. from the arguments, SP to a private stack and LR to a sentinel address that is
never mapped; the run stops when the routine returns there. `sha256`, `sha512`,
`aes128_expand_key`, `aes128_encrypt`, `aes128_decrypt` and `ghash` wrap the routines with
the byte-level interface a user expects (padding, round keys, GHASH over several blocks).

Trusted: nothing; the tests compare every wrapper with hashlib, FIPS-197 and the GCM vectors,
and the routines with Unicorn instruction by instruction.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .gas import assemble
from .loader import Image
from .machine import Machine
from .state import ArmError, State

ROUTINES = ("sha256_block", "sha512_block", "aes128_encrypt", "aes128_decrypt",
            "aes128_expand_key", "ghash_gmult")
CODE_BASE = 0x10000
DATA_BASE = 0x100000
DATA_SIZE = 0x100000
STACK_TOP = 0x800000
STACK_SIZE = 0x10000
SENTINEL = 0xDEAD0000  # the return address: never mapped


def examples_dir() -> Path:
    """examples/armv8 of the source tree (the routines ship with the repository)."""
    return Path(__file__).resolve().parents[2] / "examples" / "armv8"


def routine_path(name: str) -> Path:
    if name not in ROUTINES:
        raise ArmError(f"no bundled routine {name!r}; known: {', '.join(ROUTINES)}")
    path = examples_dir() / f"{name}.s"
    if not path.is_file():
        raise ArmError(f"bundled routine {name!r} not found at {path} (needs the source tree)")
    return path


@cache
def routine_image(name: str) -> Image:
    """The routine assembled by Assay's assembler and linked at CODE_BASE."""
    path = routine_path(name)
    return assemble(path.read_text(), str(path)).link(CODE_BASE)


@dataclass
class Call:
    """The state after a routine returned, with the step count."""

    state: State
    steps: int


def new_state(image: Image) -> State:
    s = State()
    for seg in image.segments:
        if seg.data:
            s.mem.map(seg.address, len(seg.data))
            s.mem.write_bytes(seg.address, bytes(seg.data))
    s.mem.map(DATA_BASE, DATA_SIZE)
    s.mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE)
    return s


def call(name: str, args: list[int], memory: dict[int, bytes],
         max_steps: int = 10_000_000) -> Call:
    """Run routine `name` with x0.. = args and the given data (addresses in the data area)."""
    return call_image(routine_image(name), name, args, memory, max_steps)


def call_state(image: Image, name: str, args: list[int], memory: dict[int, bytes], *,
               pauth_as_nop: bool = False) -> State:
    """A fresh state about to call `name` of `image`: code and data laid out, `memory` written,
    x0.. = `args`, SP at the private stack, LR the sentinel, PC at the function."""
    if len(args) > 8:
        raise ArmError(f"{name}: {len(args)} arguments; only x0-x7 are passed in registers")
    s = new_state(image)
    s.pauth_as_nop = pauth_as_nop
    for address, data in memory.items():
        s.mem.write_bytes(address, data)
    for i, a in enumerate(args):
        s.x[i] = a
    s.sp, s.x[30], s.pc = STACK_TOP, SENTINEL, image.address_of(name)
    return s


def call_image(image: Image, name: str, args: list[int], memory: dict[int, bytes],
               max_steps: int = 10_000_000, *, pauth_as_nop: bool = False) -> Call:
    """Call function `name` of any loaded image (an ELF object laid out by `loader.load_elf`,
    say) with the AAPCS64 integer arguments `args` (at most 8) and `memory` written into the
    data area first."""
    s = call_state(image, name, args, memory, pauth_as_nop=pauth_as_nop)
    error = Machine(s).run(max_steps=max_steps, stop_pc=SENTINEL)
    if error is not None:
        raise ArmError(f"{name}: the run stopped: {error.kind}: {error.message}")
    if s.pc != SENTINEL:
        raise ArmError(f"{name}: no return within {max_steps} steps (pc 0x{s.pc:x})")
    return Call(s, s.steps)


# -- byte-level wrappers ----------------------------------------------------------------------

STATE_AT, INPUT_AT, OUT_AT, KEYS_AT = DATA_BASE, DATA_BASE + 0x1000, DATA_BASE + 0x200, \
    DATA_BASE + 0x400


def sha_pad(message: bytes, block: int) -> bytes:
    """FIPS 180-4 padding (64-byte blocks for SHA-256, 128-byte blocks for SHA-512)."""
    tail = block // 8
    padded = message + b"\x80" + b"\0" * ((block - tail - 1 - len(message)) % block)
    return padded + (8 * len(message)).to_bytes(tail, "big")


def _check_size(data: bytes, what: str, multiple: int = 1) -> None:
    if len(data) > DATA_SIZE - 0x2000:
        raise ArmError(f"{what} of {len(data)} bytes does not fit the model's data area")
    if len(data) % multiple:
        raise ArmError(f"{what} must be a multiple of {multiple} bytes, got {len(data)}")


def _check_block(data: bytes, what: str) -> None:
    if len(data) != 16:
        raise ArmError(f"{what} must be 16 bytes, got {len(data)}")


def sha256_blocks(state: list[int], blocks: bytes) -> tuple[list[int], int]:
    """sha256_block on whole 64-byte blocks: (new state words, instructions executed)."""
    _check_size(blocks, "input", 64)
    c = call("sha256_block", [STATE_AT, INPUT_AT, len(blocks) // 64],
             {STATE_AT: struct.pack("<8I", *state), INPUT_AT: blocks})
    return list(struct.unpack("<8I", c.state.mem.read_bytes(STATE_AT, 32))), c.steps


def sha512_blocks(state: list[int], blocks: bytes) -> tuple[list[int], int]:
    _check_size(blocks, "input", 128)
    c = call("sha512_block", [STATE_AT, INPUT_AT, len(blocks) // 128],
             {STATE_AT: struct.pack("<8Q", *state), INPUT_AT: blocks})
    return list(struct.unpack("<8Q", c.state.mem.read_bytes(STATE_AT, 64))), c.steps


def sha256(message: bytes) -> bytes:
    from .crypto_specs import SHA256_IV
    state, _ = sha256_blocks(list(SHA256_IV), sha_pad(message, 64))
    return struct.pack(">8I", *state)


def sha512(message: bytes) -> bytes:
    from .crypto_specs import SHA512_IV
    state, _ = sha512_blocks(list(SHA512_IV), sha_pad(message, 128))
    return struct.pack(">8Q", *state)


def aes128_expand_key(key: bytes) -> bytes:
    """The 176 bytes of round keys that aes128_encrypt/aes128_decrypt take."""
    _check_block(key, "an AES-128 key")
    c = call("aes128_expand_key", [INPUT_AT, KEYS_AT], {INPUT_AT: key})
    return c.state.mem.read_bytes(KEYS_AT, 176)


def _block(name: str, block: bytes, round_keys: bytes) -> bytes:
    _check_block(block, "an AES block")
    if len(round_keys) != 176:
        raise ArmError(f"AES-128 round keys are 176 bytes, got {len(round_keys)}")
    c = call(name, [INPUT_AT, OUT_AT, KEYS_AT], {INPUT_AT: block, KEYS_AT: round_keys})
    return c.state.mem.read_bytes(OUT_AT, 16)


def aes128_encrypt(block: bytes, round_keys: bytes) -> bytes:
    return _block("aes128_encrypt", block, round_keys)


def aes128_decrypt(block: bytes, round_keys: bytes) -> bytes:
    return _block("aes128_decrypt", block, round_keys)


def ghash_gmult(xi: bytes, h: bytes) -> bytes:
    _check_block(xi, "Xi")
    _check_block(h, "H")
    c = call("ghash_gmult", [INPUT_AT, OUT_AT], {INPUT_AT: xi, OUT_AT: h})
    return c.state.mem.read_bytes(INPUT_AT, 16)


def ghash(h: bytes, blocks: bytes) -> bytes:
    """GHASH_H over whole 16-byte blocks: Y = (Y xor X_i) * H, each product by ghash_gmult."""
    _check_size(blocks, "GHASH input", 16)
    y = bytes(16)
    for i in range(0, len(blocks), 16):
        y = ghash_gmult(bytes(a ^ b for a, b in zip(y, blocks[i:i + 16])), h)
    return y
