"""detectCarrier: ranked, explained candidates for real-format tracking numbers."""

QUERY = """
query($n: String!, $c: String, $cc: String) {
  detectCarrier(trackingNumber: $n, trackingCompany: $c, countryCode: $cc) {
    code name confidence trackingUrl reasons { code weight }
  }
}
"""


async def detect(caller, number, company=None, country=None):
    data = await caller.data(QUERY, {"n": number, "c": company, "cc": country})
    return data["detectCarrier"]


async def test_a_ups_number_with_a_valid_check_digit(viewer):
    [ups] = await detect(viewer, "1Z 999 AA1 0123 4567 84")
    assert ups == {
        "code": "ups",
        "name": "UPS",
        "confidence": 0.94,
        "trackingUrl": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        "reasons": [
            {"code": "NUMBER_PATTERN", "weight": 0.7},
            {"code": "CHECK_DIGIT_VALID", "weight": 0.8},
        ],
    }


async def test_a_corrupted_check_digit_is_no_evidence(viewer):
    assert await detect(viewer, "1Z999AA10123456785") == []


async def test_a_company_alias_names_the_carrier(viewer):
    [dhl] = await detect(viewer, "ABC123", "Deutsche Post DHL", "DE")
    assert (dhl["code"], [r["code"] for r in dhl["reasons"]]) == (
        "dhl",
        ["ALIAS_MATCH", "COUNTRY_HINT"],
    )


async def test_ambiguous_evidence_gives_several_ranked_candidates(viewer):
    found = await detect(viewer, "00340433836442636597")
    assert [(c["code"], c["confidence"]) for c in found] == [("dhl", 0.88), ("usps", 0.55)]


async def test_customers_may_not_detect(shop, viewer):
    body = await viewer.as_(None).execute(QUERY, {"n": "1Z999AA10123456784"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
