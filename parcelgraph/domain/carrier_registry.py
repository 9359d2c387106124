"""The carrier registry as data: codes, names, aliases, tracking pages and number formats.

Codes are the ones of the v1 spec; names, aliases, URL templates and
formats are public facts about each carrier. A format has a pattern weight (how much a
match alone says: a bare run of 12 digits says little, `1Z` + 16 says a lot) and, where the
format has a check digit, a check weight (how unlikely a random number passes it: mod 7
lets one in seven through, S10's mod 11 far fewer). Tracking URL templates point at the
carriers' public tracking pages; `{number}` is replaced by the tracking number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parcelgraph.domain import check_digits as cd


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """One way a carrier writes its tracking numbers (matched on the normalized number)."""

    name: str
    pattern: re.Pattern[str]
    pattern_weight: float
    check: Callable[[str], bool] | None = None
    check_weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Carrier:
    """A carrier code of the registry with everything detection and links need."""

    code: str
    name: str
    aliases: tuple[str, ...]
    tracking_url_template: str
    countries: tuple[str, ...]
    formats: tuple[NumberFormat, ...] = ()


def _fmt(
    name: str,
    pattern: str,
    pattern_weight: float,
    check: Callable[[str], bool] | None = None,
    check_weight: float = 0.0,
) -> NumberFormat:
    return NumberFormat(name, re.compile(pattern), pattern_weight, check, check_weight)


# --- checks over a whole normalized number ------------------------------------------------


def _last_digit_is(expected: int, number: str) -> bool:
    return number[-1].isdigit() and int(number[-1]) == expected


def check_ups(number: str) -> bool:
    return _last_digit_is(cd.ups_1z(number[2:17]), number)


def check_gs1(number: str) -> bool:
    return _last_digit_is(cd.gs1_mod10(number[:-1]), number)


def check_fedex_express(number: str) -> bool:
    return _last_digit_is(cd.fedex_mod11(number[:-1]), number)


def check_fedex_ground_96(number: str) -> bool:
    # `96` + 2-digit SCNC + 3-digit service code, then the 15-digit tracking number.
    return check_gs1(number[7:])


def check_mod7(number: str) -> bool:
    return _last_digit_is(cd.mod7(number[:-1]), number)


def check_identcode(number: str) -> bool:
    return _last_digit_is(cd.dhl_identcode(number[:-1]), number)


def check_gls(number: str) -> bool:
    return _last_digit_is(cd.gls(number[:-1]), number)


def check_mod37_36(number: str) -> bool:
    return cd.iso7064_mod37_36(number[:-1]) == number[-1]


def check_s10(number: str) -> bool:
    return int(number[10]) == cd.s10(number[2:10])


def s10_format(*countries: str) -> NumberFormat:
    """UPU S10 numbers issued by the postal operator of `countries` (2 letters, 9 digits, CC)."""
    suffix = "|".join(countries)
    return _fmt(f"UPU S10 ({'/'.join(countries)})", rf"^[A-Z]{{2}}\d{{9}}(?:{suffix})$", 0.5,
                check_s10, 0.8)  # fmt: skip


S10_PATTERN = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")

# Formats several carriers share (DPD's national companies use one numbering system).
_DPD_FORMATS = (
    _fmt("DPD parcel number with check character", r"^\d{14}[0-9A-Z]$", 0.3,
         check_mod37_36, 0.75),
    _fmt("DPD parcel number", r"^\d{14}$", 0.15),
    _fmt("DPD label barcode", r"^\d{27}[0-9A-Z]$", 0.5, check_mod37_36, 0.75),
)  # fmt: skip
_GLS_FORMATS = (
    _fmt("GLS parcel number", r"^\d{12}$", 0.1, check_gls, 0.6),
    _fmt("GLS parcel number without check digit", r"^\d{11}$", 0.15),
)  # fmt: skip


def _carrier(code: str, name: str, aliases: tuple[str, ...], url: str, countries: str,
             *formats: NumberFormat) -> Carrier:  # fmt: skip
    return Carrier(code, name, aliases, url, tuple(countries.split()), formats)


# The table is read row by row; the formatter would spread each row over many lines.
# fmt: off
CARRIERS: tuple[Carrier, ...] = (
    _carrier("amz", "Amazon Logistics",
             ("Amazon", "Amazon Shipping", "AMZL", "Amazon Logistics DE"),
             "https://track.amazon.com/tracking/{number}", "DE GB US FR IT ES",
             _fmt("Amazon Logistics TBA", r"^TB[ACM]\d{12}$", 0.85)),
    _carrier("brt", "BRT", ("Bartolini", "BRT Bartolini", "BRT Corriere Espresso"),
             "https://vas.brt.it/vas/sped_det_show.hsm?Nspediz={number}", "IT"),
    _carrier("depost", "Deutsche Post",
             ("Deutsche Post AG", "Warenpost", "Warenpost International", "Deutsche Post Brief"),
             "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}", "DE",
             s10_format("DE")),
    _carrier("dhl", "DHL Paket",
             ("DHL", "Deutsche Post DHL", "DHL Parcel", "DHL Paket Germany", "DHL Germany",
              "DHL Parcel Germany", "DHL eCommerce"),
             "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
             "DE",
             _fmt("DHL Paket NVE/SSCC (20 digits)", r"^0034043\d{13}$", 0.7, check_gs1, 0.6),
             _fmt("DHL Paket Identcode (12 digits)", r"^\d{12}$", 0.1, check_identcode, 0.6),
             _fmt("DHL Paket international (JJD)", r"^JJD\d{9,18}$", 0.6)),
    _carrier("dhlexp", "DHL Express",
             ("DHL Express Worldwide", "DHL Worldwide Express", "DHL Express Germany"),
             "https://www.dhl.com/global-en/home/tracking/tracking-express.html"
             "?submit=1&tracking-id={number}", "DE",
             _fmt("DHL Express waybill (10 digits)", r"^\d{10}$", 0.15, check_mod7, 0.4),
             _fmt("DHL Express piece id (JVGL/JD)", r"^(?:JVGL\d{6,10}|JD\d{18})$", 0.6)),
    _carrier("dpd", "DPD Germany", ("DPD", "DPD Deutschland", "Dynamic Parcel Distribution"),
             "https://tracking.dpd.de/status/de_DE/parcel/{number}", "DE", *_DPD_FORMATS),
    _carrier("dpdn", "DPD Netherlands", ("DPD", "DPD NL", "DPD Nederland"),
             "https://tracking.dpd.de/status/nl_NL/parcel/{number}", "NL", *_DPD_FORMATS),
    _carrier("dpduk", "DPD UK", ("DPD", "DPD United Kingdom", "DPD Local"),
             "https://track.dpd.co.uk/parcels/{number}", "GB", *_DPD_FORMATS),
    _carrier("gls", "GLS", ("General Logistics Systems", "GLS Germany", "GLS Group", "GLS Paket"),
             "https://gls-group.eu/DE/en/parcel-tracking?match={number}", "DE AT",
             *_GLS_FORMATS),
    _carrier("gls_es", "GLS Spain", ("GLS", "GLS España", "GLS ES"),
             "https://gls-group.eu/ES/es/seguimiento-envios?match={number}", "ES",
             *_GLS_FORMATS),
    _carrier("goexp", "GO! Express & Logistics", ("GO! Express", "GO Express", "General Overnight"),
             "https://www.general-overnight.com/deu_de/sendungsverfolgung.html"
             "?reference={number}", "DE"),
    _carrier("hrs", "Hermes",
             ("Hermes Germany", "Hermes Logistik", "myHermes", "Hermes Einrichtungs Service"),
             "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#{number}",
             "DE", _fmt("Hermes parcel number (14 digits)", r"^\d{14}$", 0.15, check_gs1, 0.6)),
    _carrier("postat", "Österreichische Post",
             ("Austrian Post", "Post AT", "Post.at", "Oesterreichische Post"),
             "https://www.post.at/s/sendungsdetails?snr={number}", "AT", s10_format("AT")),
    _carrier("royalmail", "Royal Mail",
             ("Royal Mail Tracked 24", "Royal Mail Tracked 48", "Royal Mail Special Delivery",
              "Royal Mail 1st Class", "Royal Mail 2nd Class"),
             "https://www.royalmail.com/track-your-item#/tracking-results/{number}", "GB",
             s10_format("GB")),
    _carrier("swisspost", "Swiss Post", ("Die Post", "La Poste Suisse", "Post CH", "PostLogistics"),
             "https://service.post.ch/ekp-web/ui/entry/search/{number}", "CH",
             s10_format("CH"), _fmt("Swiss Post domestic (99...)", r"^99\d{16}$", 0.5)),
    _carrier("ups", "UPS",
             ("United Parcel Service", "UPS Ground", "UPS Standard", "UPS Express Saver",
              "UPS Next Day Air", "UPS 2nd Day Air", "UPS Worldwide Expedited"),
             "https://www.ups.com/track?tracknum={number}", "US DE GB",
             _fmt("UPS 1Z", r"^1Z[0-9A-Z]{16}$", 0.7, check_ups, 0.8)),
    _carrier("bpost", "bpost", ("Belgian Post", "bpost Belgium", "La Poste Belgique"),
             "https://track.bpost.cloud/btr/web/#/search?itemCode={number}", "BE",
             s10_format("BE"), _fmt("bpost domestic (24 digits)", r"^32\d{22}$", 0.4)),
    _carrier("anpost", "An Post", ("Irish Post", "An Post Ireland"),
             "https://www.anpost.com/Post-Parcels/Track/History?item={number}", "IE",
             s10_format("IE")),
    _carrier("bring", "Bring", ("Posten Norge", "Posten Bring", "Norway Post"),
             "https://tracking.bring.com/tracking/{number}", "NO", s10_format("NO")),
    _carrier("posti", "Posti", ("Itella", "Finnish Post", "Posti Finland"),
             "https://www.posti.fi/en/tracking#/lahetys/{number}", "FI",
             s10_format("FI"), _fmt("Posti domestic (JJFI)", r"^JJFI\d{10,30}$", 0.8)),
    _carrier("postnl_inter", "PostNL International", ("PostNL", "TNT Post", "PostNL Pakketten"),
             "https://jouw.postnl.nl/track-and-trace/{number}", "NL",
             s10_format("NL"), _fmt("PostNL 3S barcode", r"^3S[A-Z]{4}\d{7,11}$", 0.85)),
    _carrier("usps", "USPS",
             ("United States Postal Service", "US Postal Service", "USPS Priority Mail",
              "USPS First-Class Mail", "USPS Ground Advantage"),
             "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}", "US",
             s10_format("US"),
             _fmt("USPS IMpb (22 digits)", r"^9[1-5]\d{20}$", 0.45, check_gs1, 0.6),
             _fmt("USPS legacy (20 digits)", r"^\d{20}$", 0.1, check_gs1, 0.5)),
    _carrier("fedex", "FedEx",
             ("Federal Express", "FedEx Ground", "FedEx Express", "FedEx Home Delivery",
              "FedEx International Priority", "FedEx SmartPost"),
             "https://www.fedex.com/fedextrack/?trknbr={number}", "US",
             _fmt("FedEx Express (12 digits)", r"^\d{12}$", 0.1, check_fedex_express, 0.5),
             _fmt("FedEx Ground (15 digits)", r"^\d{15}$", 0.1, check_gs1, 0.5),
             _fmt("FedEx Ground 96 barcode", r"^96\d{20}$", 0.5, check_fedex_ground_96, 0.6),
             _fmt("FedEx SmartPost (92)", r"^92\d{20}$", 0.15, check_gs1, 0.5)),
    _carrier("postnord", "PostNord",
             ("PostNord Sverige", "PostNord Danmark", "Posten AB", "Post Danmark"),
             "https://www.postnord.se/en/our-tools/track-and-trace?shipmentId={number}",
             "SE DK", s10_format("SE", "DK")),
    _carrier("parcelone", "Parcel.One", ("Parcel One", "ParcelOne"),
             "https://tracking.parcel.one/?trackingNumber={number}", "DE"),
    _carrier("dachser", "Dachser", ("DACHSER SE", "Dachser Logistics", "Dachser Food Logistics"),
             "https://elogistics.dachser.com/shp2/?search={number}", "DE"),
    _carrier("asendia_de", "Asendia Germany", ("Asendia", "Asendia DE"),
             "https://tracking.asendia.com/tracking/{number}", "DE"),
    # Not a real carrier: parcels given this code are simulated (demos, integration tests).
    _carrier("sandbox", "Sandbox carrier", ("Sandbox", "parcelgraph sandbox"),
             "https://sandbox.parcelgraph.invalid/track/{number}", "",
             _fmt("sandbox tracking number (SANDBOX-...)", r"^SANDBOX[0-9A-Z_]*$", 0.95)),
)
# fmt: on

BY_CODE: dict[str, Carrier] = {carrier.code: carrier for carrier in CARRIERS}

# Which carrier delivers letters and small parcels in a country: an S10 number from abroad
# is handed over to it, so a country hint makes it a candidate.
NATIONAL_POST: dict[str, str] = {
    "DE": "depost",
    "AT": "postat",
    "GB": "royalmail",
    "CH": "swisspost",
    "BE": "bpost",
    "IE": "anpost",
    "NO": "bring",
    "FI": "posti",
    "NL": "postnl_inter",
    "US": "usps",
    "SE": "postnord",
    "DK": "postnord",
}
