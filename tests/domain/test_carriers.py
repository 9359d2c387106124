"""Carrier registry and explainable detection."""

import pytest

from parcelgraph.domain import carriers
from parcelgraph.domain import check_digits as cd
from parcelgraph.domain.carriers import ReasonCode, UnknownCarrier, detect_carrier

DOCUMENTED_CODES = (
    "amz brt depost dhl dhlexp dpd dpdn dpduk gls gls_es goexp hrs postat royalmail swisspost "
    "ups bpost anpost bring posti postnl_inter usps fedex postnord parcelone dachser asendia_de"
).split()


def _with_check(body: str, algorithm) -> str:
    return f"{body}{algorithm(body)}"


def _s10(service: str, serial: str, country: str) -> str:
    return f"{service}{serial}{cd.s10(serial)}{country}"


# Numbers built from their format with a computed check digit, plus published examples.
UPS = "1Z999AA10123456784"  # UPS's published sample
UPS_BUILT = "1Z" + _with_check("4E1234567891234", cd.ups_1z)
DHL_NVE = "00340433836442636597"  # paketda.de example
DHL_IDENTCODE = _with_check("34043418819", cd.dhl_identcode)
DHL_EXPRESS = _with_check("123456789", cd.mod7)
DPD_WITH_CHECK = "01015026003653C"  # paketda.de example
DPD_BARCODE = "008182709980000020033350276C"  # DPD label specification example
HERMES = _with_check("0913313153072", cd.gs1_mod10)
GLS_12 = _with_check("12345678901", cd.gls)
USPS_IMPB = _with_check("940011120108080548301", cd.gs1_mod10)
FEDEX_12 = _with_check("79053531231", cd.fedex_mod11)
FEDEX_96 = "9611020" + _with_check("98765431234567", cd.gs1_mod10)
ROYAL_MAIL = _s10("RR", "12345678", "GB")
DEUTSCHE_POST = _s10("LX", "40100712", "DE")
POSTNL = _s10("LA", "70011223", "NL")
CHINA_POST = _s10("LZ", "87654321", "CN")


def _corrupt(number: str) -> str:
    last = number[-1]
    replacement = str((int(last) + 1) % 10) if last.isdigit() else ("A" if last != "A" else "B")
    return number[:-1] + replacement


def _codes(found: list[carriers.CarrierCandidate]) -> list[str]:
    return [candidate.code for candidate in found]


def _reasons(candidate: carriers.CarrierCandidate) -> list[ReasonCode]:
    return [reason.code for reason in candidate.reasons]


# --- registry -----------------------------------------------------------------------------


def test_every_documented_code_is_in_the_registry():
    assert sorted(carrier.code for carrier in carriers.carriers()) == sorted(
        [*DOCUMENTED_CODES, "sandbox"]
    )


@pytest.mark.parametrize("code", DOCUMENTED_CODES)
def test_each_carrier_has_a_name_and_a_fillable_tracking_url(code):
    carrier = carriers.get_carrier(code)
    assert carrier.name
    assert carrier.tracking_url_template.startswith("https://")
    assert carrier.tracking_url_template.count("{number}") == 1
    url = carriers.tracking_url(code, "AB 123-45")
    assert url.startswith("https://")
    assert "AB12345" in url
    assert "{number}" not in url


def test_explicit_codes_resolve_ignoring_case_and_spaces():
    assert carriers.get_carrier(" DHLEXP ").code == "dhlexp"


@pytest.mark.parametrize("code", ["dhl_express", "", "hermes", "royal mail"])
def test_unknown_codes_raise(code):
    with pytest.raises(UnknownCarrier) as raised:
        carriers.get_carrier(code)
    assert raised.value.code == code


def test_tracking_url_is_filled_and_escaped():
    assert carriers.tracking_url("ups", "1z999aa1 0123456784") == (
        "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    )
    assert carriers.tracking_url("usps", "94/00") == (
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=94%2F00"
    )


# --- detection by number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "country", "expected_top"),
    [
        (UPS, None, "ups"),
        (UPS_BUILT, None, "ups"),
        ("1z 999 aa1 01234 56784", None, "ups"),
        (DHL_NVE, None, "dhl"),
        (DHL_EXPRESS, None, "dhlexp"),
        (DPD_WITH_CHECK, "DE", "dpd"),
        (DPD_WITH_CHECK, "GB", "dpduk"),
        (DPD_WITH_CHECK, "NL", "dpdn"),
        (DPD_BARCODE, "DE", "dpd"),
        (HERMES, None, "hrs"),
        (USPS_IMPB, None, "usps"),
        (FEDEX_96, None, "fedex"),
        (ROYAL_MAIL, None, "royalmail"),
        (DEUTSCHE_POST, None, "depost"),
        (POSTNL, None, "postnl_inter"),
        ("3SABCD1234567", None, "postnl_inter"),
        ("TBA123456789012", None, "amz"),
        ("JJFI64123450000123456", None, "posti"),
    ],
)
def test_real_format_numbers_are_detected(number, country, expected_top):
    found = detect_carrier(number, country_code=country)
    assert found[0].code == expected_top
    assert ReasonCode.NUMBER_PATTERN in _reasons(found[0])


@pytest.mark.parametrize(
    "number",
    [UPS, UPS_BUILT, DHL_NVE, DPD_WITH_CHECK, DPD_BARCODE, HERMES, GLS_12,
     USPS_IMPB, FEDEX_12, FEDEX_96, ROYAL_MAIL, DEUTSCHE_POST, DHL_IDENTCODE],
)  # fmt: skip
def test_a_valid_check_digit_is_reported(number):
    top = detect_carrier(number)[0]
    assert ReasonCode.CHECK_DIGIT_VALID in _reasons(top)
    assert top.confidence >= 0.5


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        (UPS, "ups"),
        (DHL_NVE, "dhl"),
        (DHL_EXPRESS, "dhlexp"),
        (DPD_WITH_CHECK, "dpd"),
        (DPD_BARCODE, "dpd"),
        (HERMES, "hrs"),
        (GLS_12, "gls"),
        (USPS_IMPB, "usps"),
        (FEDEX_12, "fedex"),
        (FEDEX_96, "fedex"),
        (ROYAL_MAIL, "royalmail"),
        (DEUTSCHE_POST, "depost"),
    ],
)
def test_a_corrupted_check_digit_rejects_the_carrier(number, carrier):
    assert carrier in _codes(detect_carrier(number))
    assert carrier not in _codes(detect_carrier(_corrupt(number)))


def test_a_named_carrier_wins_over_a_wrong_check_digit():
    # "UPS Standard" with a mistyped 1Z number: the name says UPS, the number only fails
    found = detect_carrier(_corrupt(UPS), tracking_company="UPS Standard")
    assert _codes(found) == ["ups"]
    assert _reasons(found[0]) == [ReasonCode.ALIAS_MATCH, ReasonCode.CHECK_DIGIT_INVALID]
    assert found[0].confidence == 0.722
    chosen = carriers.choose_carrier(_corrupt(UPS), tracking_company="UPS Standard")
    assert chosen is not None and chosen.code == "ups"
    # without a name, the corrupted number is no evidence at all
    assert detect_carrier(_corrupt(UPS)) == []


def test_ambiguous_numbers_yield_several_ranked_candidates():
    # A 14-digit number with a valid GS1 check is Hermes' format, and also DPD's bare one.
    found = detect_carrier(HERMES)
    assert _codes(found)[0] == "hrs"
    assert set(_codes(found)) == {"hrs", "dpd", "dpdn", "dpduk"}
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)
    # A DPD number without any hint belongs equally to the three DPD companies.
    dpd = detect_carrier(DPD_WITH_CHECK)
    assert _codes(dpd) == ["dpd", "dpdn", "dpduk"]
    assert len({c.confidence for c in dpd}) == 1


def test_twenty_digit_dhl_number_also_fits_the_usps_legacy_format_but_ranks_below():
    found = detect_carrier(DHL_NVE)
    assert _codes(found) == ["dhl", "usps"]
    assert found[0].confidence > found[1].confidence


def test_an_international_postal_item_points_to_the_destination_post():
    found = detect_carrier(CHINA_POST, country_code="DE")
    assert _codes(found) == ["depost"]
    assert _reasons(found[0]) == [ReasonCode.DESTINATION_POST]
    assert detect_carrier(CHINA_POST) == []


def test_a_foreign_postal_item_keeps_its_issuer_first():
    found = detect_carrier(ROYAL_MAIL, country_code="DE")
    assert _codes(found) == ["royalmail", "depost"]


def test_nothing_recognisable_yields_no_candidate():
    assert detect_carrier("HELLO") == []
    assert detect_carrier("") == []


# --- detection by company name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("company", "expected", "reason"),
    [
        ("dhlexp", ["dhlexp"], ReasonCode.EXACT_CODE),
        ("postnl_inter", ["postnl_inter"], ReasonCode.EXACT_CODE),
        ("Deutsche Post DHL", ["dhl"], ReasonCode.ALIAS_MATCH),
        ("DHL Paket", ["dhl"], ReasonCode.NAME_MATCH),
        ("DHL Express", ["dhlexp"], ReasonCode.NAME_MATCH),
        ("UPS Ground", ["ups"], ReasonCode.ALIAS_MATCH),
        ("Royal Mail Tracked 24", ["royalmail"], ReasonCode.ALIAS_MATCH),
        ("United Parcel Service", ["ups"], ReasonCode.ALIAS_MATCH),
        ("Österreichische Post", ["postat"], ReasonCode.NAME_MATCH),
        ("GLS España", ["gls_es"], ReasonCode.ALIAS_MATCH),
        ("  fedex  ", ["fedex"], ReasonCode.NAME_MATCH),
        ("DHL Express Worldwide Service", ["dhlexp"], ReasonCode.PARTIAL_NAME_MATCH),
        ("Royal Mail Tracked 48 Signed", ["royalmail"], ReasonCode.PARTIAL_NAME_MATCH),
        ("Deutsche Post DHL Group", ["dhl"], ReasonCode.PARTIAL_NAME_MATCH),
        ("GLS", ["gls", "gls_es"], ReasonCode.NAME_MATCH),
        ("DPD", ["dpd", "dpdn", "dpduk"], ReasonCode.ALIAS_MATCH),
        ("Acme Couriers", [], None),
    ],
)
def test_company_names_and_aliases(company, expected, reason):
    found = detect_carrier("NOT-A-NUMBER", tracking_company=company)
    assert _codes(found) == expected
    if reason is not None:
        assert _reasons(found[0])[0] is reason


@pytest.mark.parametrize(
    ("company", "code", "confidence", "reasons"),
    [
        ("DHL Paket GmbH", "dhl", 0.85, [ReasonCode.NAME_MATCH]),
        ("Hermes Germany", "hrs", 0.85, [ReasonCode.ALIAS_MATCH]),
        ("Deutsche Post DHL", "dhl", 0.85, [ReasonCode.ALIAS_MATCH]),
        ("Hermse", "hrs", 0.583, [ReasonCode.FUZZY_NAME_MATCH]),
        ("Fedx", "fedex", 0.622, [ReasonCode.FUZZY_NAME_MATCH]),
        ("United Parcel Servce", "ups", 0.683, [ReasonCode.FUZZY_NAME_MATCH]),
        ("DPD Deutchland", "dpd", 0.87,
         [ReasonCode.PARTIAL_NAME_MATCH, ReasonCode.FUZZY_NAME_MATCH]),
    ],
)  # fmt: skip
def test_aliases_legal_forms_and_typos_resolve_with_their_reasons(
    company, code, confidence, reasons
):
    found = detect_carrier("NOT-A-NUMBER", tracking_company=company)
    assert (found[0].code, found[0].confidence, _reasons(found[0])) == (code, confidence, reasons)
    chosen = carriers.choose_carrier("NOT-A-NUMBER", tracking_company=company)
    assert chosen is not None and chosen.code == code


def test_a_typo_says_what_it_looked_like():
    [found] = detect_carrier("NOT-A-NUMBER", tracking_company="Hermse")
    assert found.reasons[0].message == "tracking company 'Hermse' looks like 'hermes' (83% similar)"


def test_an_ambiguous_name_gives_ranked_candidates_and_no_guess():
    found = detect_carrier("NOT-A-NUMBER", tracking_company="DPD")
    assert [(c.code, c.confidence) for c in found] == [
        ("dpd", 0.85), ("dpdn", 0.85), ("dpduk", 0.85),
    ]  # fmt: skip
    assert carriers.choose_carrier("NOT-A-NUMBER", tracking_company="DPD") is None
    # the destination settles it
    chosen = carriers.choose_carrier("NOT-A-NUMBER", tracking_company="DPD", country_code="GB")
    assert chosen is not None and chosen.code == "dpduk"


def test_a_country_hint_settles_a_shared_brand_name():
    found = detect_carrier("NOT-A-NUMBER", tracking_company="GLS", country_code="es")
    assert _codes(found) == ["gls_es", "gls"]
    assert _reasons(found[0]) == [ReasonCode.ALIAS_MATCH, ReasonCode.COUNTRY_HINT]


def test_a_weak_check_alone_is_not_enough_to_choose_but_the_name_settles_it():
    # Mod 7 lets one random 10-digit number in seven through.
    alone = detect_carrier(DHL_EXPRESS)
    assert _codes(alone) == ["dhlexp"]
    assert ReasonCode.CHECK_DIGIT_VALID in _reasons(alone[0])
    assert alone[0].confidence < carriers.CHOOSE_THRESHOLD
    assert carriers.choose_carrier(DHL_EXPRESS) is None
    chosen = carriers.choose_carrier(DHL_EXPRESS, tracking_company="DHL Express")
    assert chosen is not None and chosen.code == "dhlexp"


def test_name_and_number_together_are_more_certain_than_either():
    both = detect_carrier(DHL_EXPRESS, tracking_company="DHL Express")[0]
    number_only = detect_carrier(DHL_EXPRESS)[0]
    assert both.code == number_only.code == "dhlexp"
    assert both.confidence > number_only.confidence
    assert _reasons(both) == [
        ReasonCode.NAME_MATCH,
        ReasonCode.NUMBER_PATTERN,
        ReasonCode.CHECK_DIGIT_VALID,
    ]


def test_every_reason_has_a_human_message():
    found = detect_carrier(DPD_WITH_CHECK, tracking_company="DPD", country_code="DE")
    assert all(reason.message for candidate in found for reason in candidate.reasons)
    assert found[0].code == "dpd"
    assert 0 < found[0].confidence <= 1


# --- choosing the carrier to store --------------------------------------------------------


def test_an_explicit_reference_always_wins():
    chosen = carriers.choose_carrier(UPS, tracking_company="FedEx", carrier_reference="dhl")
    assert chosen is not None
    assert (chosen.code, chosen.confidence) == ("dhl", 1.0)
    assert _reasons(chosen) == [ReasonCode.EXACT_CODE]


def test_an_unknown_explicit_reference_is_an_error():
    with pytest.raises(UnknownCarrier):
        carriers.choose_carrier(UPS, carrier_reference="teleport")


def test_the_best_confident_candidate_is_chosen_else_none():
    chosen = carriers.choose_carrier(UPS)
    assert chosen is not None and chosen.code == "ups"
    assert carriers.choose_carrier("HELLO") is None
    # A bare 11-digit number only hints at GLS: not enough to store a carrier.
    assert carriers.choose_carrier("12345678901") is None
