"""The evidence carrier detection keeps: kinds of reasons, reasons, ranked candidates."""

from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    """Machine-readable kinds of evidence behind a candidate."""

    EXACT_CODE = "EXACT_CODE"
    NAME_MATCH = "NAME_MATCH"
    ALIAS_MATCH = "ALIAS_MATCH"
    PARTIAL_NAME_MATCH = "PARTIAL_NAME_MATCH"
    FUZZY_NAME_MATCH = "FUZZY_NAME_MATCH"
    NUMBER_PATTERN = "NUMBER_PATTERN"
    CHECK_DIGIT_VALID = "CHECK_DIGIT_VALID"
    CHECK_DIGIT_INVALID = "CHECK_DIGIT_INVALID"
    COUNTRY_HINT = "COUNTRY_HINT"
    DESTINATION_POST = "DESTINATION_POST"


@dataclass(frozen=True, slots=True)
class DetectionReason:
    """One piece of evidence: its kind, a sentence for humans, and its signed weight."""

    code: ReasonCode
    message: str
    weight: float


# Evidence from the name the shop gave: a wrong check digit then says the number was
# mistyped more than that the carrier is wrong.
NAME_REASONS = frozenset(
    {ReasonCode.EXACT_CODE, ReasonCode.NAME_MATCH, ReasonCode.ALIAS_MATCH,
     ReasonCode.PARTIAL_NAME_MATCH, ReasonCode.FUZZY_NAME_MATCH}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CarrierCandidate:
    """A carrier that may own the number, with how sure we are (0..1) and why."""

    code: str
    confidence: float
    reasons: tuple[DetectionReason, ...]
