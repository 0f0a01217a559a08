"""Scenario codes: a short code a facilitator reads out or writes on the board, naming the level,
the game's version, the seed, the roles the teams play and the facilitator's settings, so that
entering it on another machine sets up exactly the same game (the Fish Banks way: teams each
playing alone against the bots, then compared).

A code is a few bytes, packed and written in Crockford's base 32 (digits and letters without I,
L, O and U, read without regard to case), in groups of four: ``4C1A-0Z8K-...``. It carries a
checksum, so a mistyped code is refused rather than read as another game, and the first bytes
of the level's digest, so a code never sets up a level whose content has changed (a comment or
a blank line edited in its file changes nothing: ``level_digest``).

Only shipped levels have codes: a level file of one's own exists on one machine only.
"""

from __future__ import annotations

import math
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Any

from game.research.runner import level_bytes_digest, level_digest, model_version, scenario_for
from game.scenario import ScenarioError, shipped_level_paths
from game.scenario.assumptions import NAMES as ASSUMPTION_NAMES
from game.scenario.assumptions import AssumptionError, check_value
from game.vocab.seeds import MAX_SEED

#: The roles a team can take, in the order a code's role bits follow.
ROLES = ("JPN", "CHN", "USA", "AUS", "EU", "KOR", "LYN")
#: The facilitator's settings a code carries, in the order of their bits.
FLAGS = ("pause_after_each_turn", "teams_see_each_other", "reveal_events_by_hand")
#: Bumped when the packing changes; a code of another packing is refused by name.
#: 2: the level's digest is of its files' content, not their bytes (packing 1's, still read).
PACKING = 2
#: Packings this game reads.
READABLE_PACKINGS = (1, 2)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"O": "0", "I": "1", "L": "1"}  # Crockford: the letters people write for digits
#: What people type between a code's groups besides a hyphen (a dash is any Pd character): the
#: long vowel mark and the middle dot a Japanese input method gives, the minus sign.
_SEPARATORS = frozenset("\u30fc\uff70\u30fb\uff65\u2212\u00b7")


class CodeError(ValueError):
    """A code that cannot be read or does not fit this game; the message says why in one line."""


@dataclass(frozen=True)
class ScenarioCode:
    """What a code names. ``settings``: assumption overrides (name -> number)."""

    level: str
    seed: int
    roles: tuple[str, ...] = ("JPN",)
    flags: tuple[str, ...] = ()
    settings: tuple[tuple[str, float], ...] = ()
    version: str = field(default_factory=model_version)

    def scenario(self):
        """The level with the code's settings: the game the code sets up."""
        return scenario_for(self.level, dict(self.settings))


def encode(code: ScenarioCode) -> str:
    """The code's text. Raises CodeError for what a code cannot carry (a level of one's own,
    an unknown role or setting, a seed out of range)."""
    levels = [path.stem for path in shipped_level_paths()]
    if code.level not in levels:
        raise CodeError(f"{code.level}: only shipped levels have codes (a level file of your own is on this "
                        "machine only; share the file instead)")
    unknown = [r for r in code.roles if r not in ROLES] + [f for f in code.flags if f not in FLAGS]
    if unknown:
        raise CodeError(f"{unknown[0]}: not a role or a setting a code can carry "
                        f"(roles: {', '.join(ROLES)}; settings: {', '.join(FLAGS)})")
    if not 0 <= code.seed <= MAX_SEED:
        raise CodeError(f"seed {code.seed}: a code carries seeds from 0 to 2^63-1")
    packed = bytearray([PACKING])
    packed += _pack_version(code.version)
    packed.append(levels.index(code.level))
    try:
        scenario = code.scenario()
    except AssumptionError as error:
        raise CodeError(str(error)) from None
    packed += bytes.fromhex(level_digest(scenario)[:4] or "0000")
    packed += _varint(code.seed)
    packed.append(sum(1 << ROLES.index(r) for r in set(code.roles)))
    packed.append(sum(1 << FLAGS.index(f) for f in set(code.flags)))
    packed.append(len(code.settings))
    for name, value in code.settings:
        try:
            checked = check_value(name, value)
        except AssumptionError as error:
            raise CodeError(str(error)) from None
        if not isinstance(checked, float):
            raise CodeError(f"assumptions.{name}: a code carries only assumptions that are single decimal numbers, "
                            "not whole numbers or lists")
        packed.append(ASSUMPTION_NAMES.index(name))
        packed += _pack_number(checked)
    packed += struct.pack(">H", zlib.crc32(bytes(packed)) & 0xFFFF)
    text = _base32(bytes(packed))
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def decode(text: str, check_version: bool = True) -> ScenarioCode:
    """What ``text`` names. Raises CodeError naming the problem: not a code, mistyped (the
    checksum), another game version, a level changed since the code was made."""
    if not isinstance(text, str) or len(text) > 10_000:
        raise CodeError("not a scenario code")
    # As people pass codes on: full-width letters and digits from a Japanese keyboard, dashes a
    # word processor made long or an input method made a long vowel mark, a line's end copied with
    # it, characters that show nothing. Each is read as what it stands for.
    folded = unicodedata.normalize("NFKC", text).upper()
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in folded if not ch.isspace() and ch not in _SEPARATORS
                      and unicodedata.category(ch) not in ("Pd", "Cf"))
    if len(cleaned) > 200:
        raise CodeError("not a scenario code (far longer than any code)")
    if not cleaned or any(ch not in ALPHABET for ch in cleaned):
        bad = next((ch for ch in cleaned if ch not in ALPHABET), "")
        raise CodeError(f"not a scenario code (it holds {bad!r}; codes use digits and letters other than "
                        "I, L, O and U)" if bad else "not a scenario code (empty)")
    data = _unbase32(cleaned)
    if len(data) < 12:
        raise CodeError("the code is too short: a letter or a group may be missing")
    body, checksum = data[:-2], struct.unpack(">H", data[-2:])[0]
    if zlib.crc32(body) & 0xFFFF != checksum or _base32(data) != cleaned:
        # The second: a letter more than the bytes need carries only bits that decoding drops, so
        # a code with a stray letter at its end read as the good one.
        raise CodeError("the code does not check out: a letter is mistyped, missing or one too many")
    if body[0] not in READABLE_PACKINGS:
        raise CodeError(f"the code was made by a game whose codes are packed differently (packing {body[0]})")
    try:
        return _read(body, check_version)
    except (IndexError, struct.error):
        raise CodeError("the code does not check out: it ends too early") from None


def _read(body: bytes, check_version: bool) -> ScenarioCode:
    version = ".".join(str(b) for b in body[1:4])
    if check_version and version != _short_version(model_version()):
        raise CodeError(f"the code was made with version {version} of the game; this is "
                        f"{_short_version(model_version())}: use that version so the game is the same")
    levels = [path.stem for path in shipped_level_paths()]
    if body[4] >= len(levels):
        raise CodeError(f"the code names level number {body[4]}, which this game does not have")
    level = levels[body[4]]
    digest = body[5:7].hex()
    at = 7
    seed, at = _read_varint(body, at)
    if seed > MAX_SEED:
        raise CodeError("the code does not check out: its seed is out of range")
    role_bits, flag_bits, count = body[at], body[at + 1], body[at + 2]
    at += 3
    # Bits no role or setting has: made by no game of this packing (a mistyped code that chanced
    # on a checksum, or a forged one).
    if role_bits >> len(ROLES) or flag_bits >> len(FLAGS):
        raise CodeError("the code does not check out: it names roles or settings this game does not have")
    settings = []
    for _ in range(count):
        index = body[at]
        if index >= len(ASSUMPTION_NAMES):
            raise CodeError("the code names a setting this game does not have")
        value, at = _read_number(body, at + 1)
        if not math.isfinite(value):
            raise CodeError("the code holds a setting that is not a number")
        settings.append((ASSUMPTION_NAMES[index], value))
    if at != len(body):
        raise CodeError("the code does not check out: it is longer than what it names")
    roles = tuple(r for i, r in enumerate(ROLES) if role_bits >> i & 1)
    flags = tuple(f for i, f in enumerate(FLAGS) if flag_bits >> i & 1)
    code = ScenarioCode(level, seed, roles, flags, tuple(settings), version)
    try:
        scenario = code.scenario()
    except (ScenarioError, AssumptionError) as error:
        raise CodeError(f"the code's level or settings do not load here: {str(error).splitlines()[0]}") from None
    if _digest(body[0], scenario)[:4] != digest:
        raise CodeError(f"the level {level} on this machine differs from the one the code was made with")
    return code


def _digest(packing: int, scenario) -> str:
    """The level's digest as a code of ``packing`` carries it: of its files' bytes before packing 2."""
    return level_bytes_digest(scenario) if packing == 1 else level_digest(scenario)


def describe(code: ScenarioCode) -> dict[str, Any]:
    return {"level": code.level, "seed": code.seed, "roles": list(code.roles), "flags": list(code.flags),
            "settings": dict(code.settings), "version": code.version}


def _short_version(version: str) -> str:
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")[:3]]
    return ".".join(str(min(p, 255)) for p in parts + [0] * (3 - len(parts)))


def _pack_version(version: str) -> bytes:
    return bytes(int(p) for p in _short_version(version).split("."))


#: Marks a number kept whole as a float64 (one no decimal of up to nine places gives exactly).
_FLOAT64 = 0xFF


def _pack_number(value: float) -> bytes:
    """A setting as people type it: a whole mantissa and a count of decimal places (0.05 is 5
    and 2: two bytes), exact; anything else as the float64 itself."""
    for places in range(10):
        mantissa = round(value * 10**places)
        if abs(mantissa) < 2**62 and mantissa / 10**places == value:
            return bytes([places]) + _varint(mantissa * 2 if mantissa >= 0 else -mantissa * 2 - 1)
    return bytes([_FLOAT64]) + struct.pack(">d", value)


def _read_number(data: bytes, at: int) -> tuple[float, int]:
    places = data[at]
    if places == _FLOAT64:
        return struct.unpack(">d", data[at + 1:at + 9])[0], at + 9
    if places > 9:
        raise CodeError("the code holds a setting it cannot read")
    zigzag, at = _read_varint(data, at + 1)
    mantissa = zigzag // 2 if zigzag % 2 == 0 else -(zigzag + 1) // 2
    return mantissa / 10**places, at


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise CodeError("the code's seed is too long")


def _base32(data: bytes) -> str:
    number, bits = int.from_bytes(data, "big"), len(data) * 8
    chars = -(-bits // 5)
    number <<= chars * 5 - bits
    return "".join(ALPHABET[(number >> (5 * (chars - 1 - i))) & 31] for i in range(chars))


def _unbase32(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number << 5 | ALPHABET.index(ch)
    length = len(text) * 5 // 8
    return (number >> (len(text) * 5 - length * 8)).to_bytes(length, "big")
