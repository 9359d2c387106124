"""Carrier look-up and explainable detection: which carrier a tracking number belongs to, and why.

Detection weighs independent pieces of evidence (the company name the shop sent, the shape
of the number and its check digit, the destination country) and keeps each as a reason, so
a wrong guess can be explained and overridden. Confidence combines the
positive weights as independent evidence (1 - product of (1 - w)) and scales it down by
each negative one: a failed check digit keeps a named carrier in the list, but low.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from parcelgraph.domain.carrier_evidence import (
    NAME_REASONS,
    CarrierCandidate,
    DetectionReason,
    ReasonCode,
)
from parcelgraph.domain.carrier_names import company_reasons
from parcelgraph.domain.carrier_registry import (
    BY_CODE,
    CARRIERS,
    NATIONAL_POST,
    S10_PATTERN,
    Carrier,
    NumberFormat,
    check_s10,
)

__all__ = [
    "CHOOSE_THRESHOLD",
    "Carrier",
    "CarrierCandidate",
    "DetectionReason",
    "ReasonCode",
    "UnknownCarrier",
    "carriers",
    "choose_carrier",
    "detect_carrier",
    "get_carrier",
    "normalize_tracking_number",
    "tracking_url",
]

# Below this, upsert stores no carrier rather than a guess nobody could stand behind.
CHOOSE_THRESHOLD = 0.5
# Two candidates closer than this are a tie: the evidence does not tell them apart.
AMBIGUITY_MARGIN = 0.01
# How much of a failed check digit's penalty applies when the shop named the carrier.
_NAMED_PENALTY_SHARE = 0.25

_INVALID_CHECK_WEIGHT = -0.6
_COUNTRY_WEIGHT = 0.2
_DESTINATION_POST_WEIGHT = 0.35


class UnknownCarrier(LookupError):
    """The code is not in the carrier registry (CARRIER_REFERENCE_INVALID)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown carrier code: {code!r}")
        self.code = code


def get_carrier(code: str) -> Carrier:
    """The registry entry for `code` (case and surrounding spaces ignored)."""
    carrier = BY_CODE.get(code.strip().lower())
    if carrier is None:
        raise UnknownCarrier(code)
    return carrier


def carriers() -> list[Carrier]:
    """Every carrier of the registry, in registry order."""
    return list(CARRIERS)


def normalize_tracking_number(number: str) -> str:
    """Upper case without spaces or dashes, the way carriers print numbers in groups."""
    return re.sub(r"[\s\-]", "", number).upper()


def tracking_url(code: str, number: str) -> str:
    """The carrier's public tracking page for `number`."""
    template = get_carrier(code).tracking_url_template
    return template.replace("{number}", quote(normalize_tracking_number(number), safe=""))


def detect_carrier(
    tracking_number: str,
    tracking_company: str | None = None,
    country_code: str | None = None,
) -> list[CarrierCandidate]:
    """Candidates for the carrier of `tracking_number`, most likely first.

    Several candidates mean the evidence is ambiguous; an empty list means none at all.
    A number whose check digit fails is no evidence, so it alone yields no candidate.
    """
    number = normalize_tracking_number(tracking_number)
    evidence: dict[str, list[DetectionReason]] = {}
    _add(evidence, company_reasons(tracking_company))
    for carrier in CARRIERS:
        reasons = _number_reasons(carrier, number)
        if reasons:
            evidence.setdefault(carrier.code, []).extend(reasons)
    country = (country_code or "").strip().upper()
    _add_country_hints(evidence, country)
    _add(evidence, _destination_post(number, country, evidence))
    return _rank(evidence)


def choose_carrier(
    tracking_number: str,
    *,
    tracking_company: str | None = None,
    country_code: str | None = None,
    carrier_reference: str | None = None,
) -> CarrierCandidate | None:
    """The carrier to store on a shipment: an explicit reference always wins (raising
    `UnknownCarrier` when it is not a registry code), else the best candidate when its
    confidence reaches CHOOSE_THRESHOLD and no other candidate ties with it, else None
    (the ranked candidates stay available through `detect_carrier`).
    """
    if carrier_reference is not None:
        carrier = get_carrier(carrier_reference)
        reason = DetectionReason(
            ReasonCode.EXACT_CODE, f"carrierReference {carrier.code!r} was given", 1.0
        )
        return CarrierCandidate(carrier.code, 1.0, (reason,))
    ranked = detect_carrier(tracking_number, tracking_company, country_code)
    if not ranked or ranked[0].confidence < CHOOSE_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[0].confidence - ranked[1].confidence < AMBIGUITY_MARGIN:
        return None
    return ranked[0]


# --- number formats ---------------------------------------------------------------------


def _number_reasons(carrier: Carrier, number: str) -> list[DetectionReason]:
    """The evidence of the best-matching format of one carrier, so formats never add up."""
    outcomes = [_format_reasons(fmt, number) for fmt in carrier.formats]
    matched = [reasons for reasons in outcomes if reasons]
    if not matched:
        return []
    return max(matched, key=lambda reasons: _confidence(reasons))


def _format_reasons(fmt: NumberFormat, number: str) -> list[DetectionReason]:
    if not number or fmt.pattern.fullmatch(number) is None:
        return []
    if fmt.check is None:
        return [_pattern_reason(fmt)]
    if fmt.check(number):
        message = f"check digit of {fmt.name} is valid"
        return [
            _pattern_reason(fmt),
            DetectionReason(ReasonCode.CHECK_DIGIT_VALID, message, fmt.check_weight),
        ]
    message = f"looks like {fmt.name} but its check digit is wrong"
    return [DetectionReason(ReasonCode.CHECK_DIGIT_INVALID, message, _INVALID_CHECK_WEIGHT)]


def _pattern_reason(fmt: NumberFormat) -> DetectionReason:
    return DetectionReason(
        ReasonCode.NUMBER_PATTERN, f"number matches {fmt.name}", fmt.pattern_weight
    )


# --- country ----------------------------------------------------------------------------


def _add_country_hints(evidence: dict[str, list[DetectionReason]], country: str) -> None:
    # A hint sharpens evidence we already have; it never makes a candidate on its own.
    for code, reasons in evidence.items():
        if country and country in BY_CODE[code].countries and _has_support(reasons):
            message = f"{BY_CODE[code].name} delivers in {country}"
            reasons.append(DetectionReason(ReasonCode.COUNTRY_HINT, message, _COUNTRY_WEIGHT))


def _destination_post(
    number: str, country: str, evidence: dict[str, list[DetectionReason]]
) -> list[tuple[str, DetectionReason]]:
    # International S10 items are handed over to the destination country's post, whose own
    # tracking shows the last mile under the same number.
    post = NATIONAL_POST.get(country)
    if post is None or not S10_PATTERN.fullmatch(number) or not check_s10(number):
        return []
    if NATIONAL_POST.get(number[-2:]) == post or post in evidence:
        return []
    message = f"international postal item ({number[-2:]}) delivered by the post of {country}"
    return [(post, DetectionReason(ReasonCode.DESTINATION_POST, message, _DESTINATION_POST_WEIGHT))]


# --- ranking ----------------------------------------------------------------------------


def _add(
    evidence: dict[str, list[DetectionReason]], found: Iterable[tuple[str, DetectionReason]]
) -> None:
    for code, reason in found:
        evidence.setdefault(code, []).append(reason)


def _has_support(reasons: Iterable[DetectionReason]) -> bool:
    return any(reason.weight > 0 for reason in reasons)


def _confidence(reasons: Iterable[DetectionReason]) -> float:
    reasons = list(reasons)
    # A named carrier with a mistyped number stays the named carrier, only less certain.
    named = any(reason.code in NAME_REASONS for reason in reasons)
    doubt = 1.0
    penalty = 1.0
    for reason in reasons:
        if reason.weight >= 0:
            doubt *= 1.0 - reason.weight
        else:
            penalty *= 1.0 + reason.weight * (_NAMED_PENALTY_SHARE if named else 1.0)
    return round((1.0 - doubt) * penalty, 3)


def _rank(evidence: dict[str, list[DetectionReason]]) -> list[CarrierCandidate]:
    candidates = [
        CarrierCandidate(code, _confidence(reasons), tuple(reasons))
        for code, reasons in evidence.items()
        if _has_support(reasons)
    ]
    return sorted(candidates, key=lambda candidate: (-candidate.confidence, candidate.code))
