"""Check-digit algorithms against published example numbers and hand-worked sums."""

import pytest

from parcelgraph.domain import check_digits as cd


@pytest.mark.parametrize(
    ("algorithm", "body", "expected"),
    [
        # UPU S10: 1*8+2*6+3*4+4*2+5*3+6*5+7*9+8*7 = 204; 204 mod 11 = 6; 11-6 = 5.
        (cd.s10, "12345678", 5),
        # 5*9 + 5*7 = 80; 80 mod 11 = 3; 11-3 = 8.
        (cd.s10, "00000055", 8),
        # UPS sample number published by UPS: 1Z 999AA1012345678 4.
        (cd.ups_1z, "999AA1012345678", 4),
        # GS1 / DHL NVE example from paketda.de: 0034043383644263659 7.
        (cd.gs1_mod10, "0034043383644263659", 7),
        # USPS IMpb test number (22 digits): 940011120108080548301 6.
        (cd.gs1_mod10, "940011120108080548301", 6),
        # FedEx Ground 15 digits: 04144176022896 4.
        (cd.gs1_mod10, "04144176022896", 4),
        # Hermes 14 digits from paketda.de: 0913313153072 4.
        (cd.gs1_mod10, "0913313153072", 4),
        # FedEx Express 12 digits: 98657878885 5.
        (cd.fedex_mod11, "98657878885", 5),
        # DHL Express waybill: 331881002 mod 7 = 5.
        (cd.mod7, "331881002", 5),
        # DHL Identcode from paketda.de: 20129845227 7.
        (cd.dhl_identcode, "20129845227", 7),
        # GLS: 1*3+2+3*3+4+5*3+6+7*3+8+9*3+0+1*3 = 98, +1 = 99, complement = 1.
        (cd.gls, "12345678901", 1),
        # DPD parcel number from paketda.de: 01015026003653 C.
        (cd.iso7064_mod37_36, "01015026003653", "C"),
        # DPD label barcode from the DPD parcel label specification.
        (cd.iso7064_mod37_36, "008182709980000020033350276", "C"),
        (cd.iso7064_mod37_36, "008182709980000020045327276", "N"),
    ],
)
def test_published_and_hand_worked_check_digits(algorithm, body, expected):
    assert algorithm(body) == expected


def test_s10_writes_eleven_as_five_and_ten_as_zero():
    # 2*5 + 5*9 = 55, remainder 0: 11 - 0 = 11 is written 5.
    assert cd.s10("00000250") == 5
    # 8*7 = 56, remainder 1: 11 - 1 = 10 is written 0.
    assert cd.s10("00000008") == 0


@pytest.mark.parametrize(
    ("algorithm", "body"),
    [
        (cd.s10, "1234567"),
        (cd.s10, "1234567A"),
        (cd.ups_1z, "999AA10123456"),
        (cd.ups_1z, "999AA101234567!"),
        (cd.gs1_mod10, "12A4"),
        (cd.iso7064_mod37_36, "0101-5026"),
    ],
)
def test_malformed_bodies_are_refused(algorithm, body):
    with pytest.raises(ValueError):
        algorithm(body)
