"""Check-digit algorithms of tracking-number formats, each returning the expected check.

Every function takes the body (the characters the check is computed over) and returns the
check character the format prescribes, so callers can both validate a number and build a
valid one. Sources are the public format descriptions: UPU S10, GS1 General Specifications
7.9, the carriers' label specifications as published (UPS, FedEx, DHL, GLS Uni-Box, DPD
parcel label specification: ISO/IEC 7064 MOD 37,36).
"""

from __future__ import annotations

from itertools import cycle

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def _digits(body: str) -> list[int]:
    if not body.isdigit() or not body.isascii():
        raise ValueError(f"expected digits only: {body!r}")
    return [int(char) for char in body]


def _complement_to_ten(total: int) -> int:
    return (10 - total % 10) % 10


def s10(serial: str) -> int:
    """UPU S10 (e.g. RR123456785DE): weights 8,6,4,2,3,5,9,7 over the 8-digit serial, mod 11.

    11 - remainder, where 10 becomes 0 and 11 becomes 5.
    """
    digits = _digits(serial)
    if len(digits) != 8:
        raise ValueError("an S10 serial has 8 digits")
    check = 11 - sum(d * w for d, w in zip(digits, _S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def gs1_mod10(body: str) -> int:
    """GS1 mod 10 (SSCC/NVE, USPS IMpb, FedEx Ground, Hermes): weights 3,1,3... from the right."""
    digits = reversed(_digits(body))
    return _complement_to_ten(sum(d * w for d, w in zip(digits, cycle((3, 1)))))


def ups_1z(body: str) -> int:
    """UPS 1Z: the 15 characters after `1Z`; letters count as (position in alphabet + 2) mod 10,
    odd positions once and even positions twice, complemented to ten.
    """
    if len(body) != 15:
        raise ValueError("a 1Z body has 15 characters")
    values = [_ups_value(char) for char in body]
    total = sum(values[0::2]) + 2 * sum(values[1::2])
    return _complement_to_ten(total)


def _ups_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return (ord(char) - ord("A") + 2) % 10
    raise ValueError(f"not a 1Z character: {char!r}")


def fedex_mod11(body: str) -> int:
    """FedEx Express (12 digits): weights 1,3,7 repeating from the right, sum mod 11 mod 10."""
    digits = reversed(_digits(body))
    return sum(d * w for d, w in zip(digits, cycle((1, 3, 7)))) % 11 % 10


def mod7(body: str) -> int:
    """DHL Express waybill (10 digits): the first nine digits as a number, mod 7."""
    return int("".join(str(d) for d in _digits(body))) % 7


def dhl_identcode(body: str) -> int:
    """Deutsche Post / DHL Identcode (12 digits): weights 4,9 from the left, complement to ten."""
    digits = _digits(body)
    return _complement_to_ten(sum(d * w for d, w in zip(digits, cycle((4, 9)))))


def gls(body: str) -> int:
    """GLS parcel number (12 digits): weights 3,1 from the left, plus one, complement to ten."""
    digits = _digits(body)
    return _complement_to_ten(sum(d * w for d, w in zip(digits, cycle((3, 1)))) + 1)


def iso7064_mod37_36(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (DPD): one check character over digits and letters."""
    modulus = 36
    product = modulus
    for char in body.upper():
        value = _ALPHANUMERIC.find(char)
        if value < 0:
            raise ValueError(f"not alphanumeric: {char!r}")
        total = (product + value) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return _ALPHANUMERIC[(modulus + 1 - product) % modulus]
