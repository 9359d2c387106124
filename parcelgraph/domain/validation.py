"""Postal rules no library knows: zip-code formats per country, provinces of a country.

Every other field rule (lengths, ranges, money, e-mail, URLs, country and currency codes)
is declared on the input models with library types (`resolvers/common/fields.py`). These
functions take plain values and return `Problem`s, an empty list when the value is
acceptable; the models raise the first one under the field's path. Nothing here raises
for bad input, touches a database or knows about an API. Codes are the exact strings of
the API's error-code enum; paths use its public (camelCase) names.
"""

import re
from dataclasses import dataclass

import pycountry

ZIP_CODE_INVALID = "ZIP_CODE_INVALID"
PROVINCE_CODE_INVALID = "PROVINCE_CODE_INVALID"

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (path relative to the validated value), what, why."""

    field: Path
    code: str
    message: str


# Known national formats; other countries get the permissive generic pattern, because a
# false rejection blocks a real order while a missed typo only delays one parcel.
_ZIP_FORMATS: dict[str, re.Pattern[str]] = {
    code: re.compile(pattern, re.IGNORECASE)
    for code, pattern in {
        "DE": r"\d{5}",
        "AT": r"\d{4}",
        "CH": r"\d{4}",
        "BE": r"\d{4}",
        "DK": r"\d{4}",
        "NO": r"\d{4}",
        "FR": r"\d{5}",
        "IT": r"\d{5}",
        "ES": r"\d{5}",
        "FI": r"\d{5}",
        "NL": r"\d{4} ?[A-Z]{2}",
        "PL": r"\d{2}-\d{3}",
        "PT": r"\d{4}-\d{3}",
        "SE": r"\d{3} ?\d{2}",
        "US": r"\d{5}(?:-\d{4})?",
        "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d",
        "GB": r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)",
    }.items()
}
_GENERIC_ZIP = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,9}", re.IGNORECASE)


def zip_problems(zip_code: str | None, country: str | None, require_zip: bool) -> list[Problem]:
    """ZIP_CODE_INVALID unless `zip_code` fits the format of `country` (an ISO 3166-1
    alpha-2 code already checked, or None); a missing one only when `require_zip`."""
    if zip_code is None or not zip_code.strip():
        if require_zip:
            return [Problem(("zipCode",), ZIP_CODE_INVALID, "A zip code is required.")]
        return []
    pattern = _ZIP_FORMATS.get(country or "", _GENERIC_ZIP)
    if pattern.fullmatch(zip_code.strip()):
        return []
    where = f" for country {country}" if country in _ZIP_FORMATS else ""
    return [
        Problem(("zipCode",), ZIP_CODE_INVALID, f"{zip_code!r} is not a valid zip code{where}.")
    ]


def normalize_province_code(country_code: str | None, province_code: str | None) -> str | None:
    """The subdivision part of an ISO 3166-2 code, upper-case, or None if not in that country.

    Accepts both the short ("BY") and the full ("DE-BY") form and returns the short one,
    which is what shop systems send alongside the country code.
    """
    if country_code is None or province_code is None:
        return None
    country = country_code.strip().upper()
    code = province_code.strip().upper()
    if code.startswith(f"{country}-"):
        code = code[len(country) + 1 :]
    if not code or not re.fullmatch(r"[A-Z0-9]{1,3}", code):
        return None
    found = pycountry.subdivisions.get(code=f"{country}-{code}")
    return code if found is not None else None


def province_problems(country: str | None, province_code: str | None) -> list[Problem]:
    """PROVINCE_CODE_INVALID unless `province_code` is a subdivision of `country` (an ISO
    3166-1 alpha-2 code already checked, or None when none was given)."""
    if province_code is None:
        return []
    if country is None:
        message = "A province code needs a countryCode to be checked against."
        return [Problem(("provinceCode",), PROVINCE_CODE_INVALID, message)]
    if normalize_province_code(country, province_code) is None:
        message = f"{province_code!r} is not an ISO 3166-2 subdivision of {country}."
        return [Problem(("provinceCode",), PROVINCE_CODE_INVALID, message)]
    return []
