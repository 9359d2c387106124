"""Royal Mail's tracking event codes, grouped by the catalogue event each one means.

Royal Mail documents every event code with the kind of site that scans it, a description
and a customer-facing status category ("We're expecting it", "We've got it", "In Transit",
"Delivered", "Delivery Attempted", "Collected", "Returned to Sender", "Pending", ...).
The groups below follow that list, split more finely where the description says more than
the category (a safe place, a neighbour, a refusal, a customs hold). Codes whose category
is "Not Applicable" (notifications sent, internal system records) and those that name no
catalogue situation (lost, prohibited contents) are listed in `UNMAPPED`: they are kept as
UNMAPPED events with Royal Mail's text.
"""

from __future__ import annotations

from parcelgraph.tracking.carriers.table import Code

# (catalogue event, what the codes say, the codes)
GROUPS: tuple[tuple[str, str, str], ...] = (
    (
        "LABEL_CREATED",
        "Pre-advice: the sender told Royal Mail the item is coming.",
        "EVAIE EVAIP EVAPA EVPPB",
    ),
    ("DROPPED_OFF_AT_CARRIER", "Posted at a Post Office or Customer Service Point.", "EVNPB EVPPA"),
    ("PICKED_UP_BY_CARRIER", "Collected from the sender.", "EVHAC"),
    (
        "ARRIVAL_AT_TRANSPORT_HUB",
        "Accepted or handled at a mail centre or distribution centre (incl. machine rejects).",
        "EVBAH EVBAV EVBAW EVBOF EVBPM EVBPR EVBRS EVBSM EVBSR EVBSS EVBSW "
        "EVCAH EVCAV EVCOF EVCPS EVCPW EVCRS EVCRW "
        "EVDAA EVDAC EVDAV EVDAW EVDOF EVDPL EVDPM EVDPR EVDRO EVDRS EVDSL EVDSM EVDSR EVDSS "
        "EVIAV EVIMC EVIMS EVIOF EVIPR EVIPS EVIPW EVIRM EVIRO "
        "EVOAC EVOBC EVOLB EVORC EVORI EVORW EVOVB",
    ),
    (
        "DAMAGED_IN_TRANSIT",
        "Scanned as damaged at a sorting site.",
        "EVBDM EVBSD EVCDM EVCPD EVDDM EVDSD EVGDM EVIDM EVIPD",
    ),
    (
        "MISSORTED",
        "Mis-sorted and re-routed.",
        "EVBMI EVCMI EVCPI EVDMI EVGMI EVIMI EVIPI EVNMI EVOMI EVOOC",
    ),
    (
        "DEPARTURE_FROM_TRANSPORT_HUB",
        "Despatched onwards, or left an office of exchange.",
        "EVODO EVHOE EVILC EVJDU EVJJV EVJLV EVJMV",
    ),
    (
        "IN_TRANSIT",
        "On its way (forwarded to a mail centre, back in the network).",
        "EVNMC EVORT EVOUF",
    ),
    ("ARRIVED_IN_DESTINATION_COUNTRY", "Arrived at the inward office of exchange.", "EVJOE"),
    ("IN_CUSTOMS_CLEARANCE", "Presented to import customs.", "EVJIC"),
    (
        "CUSTOMS_DELAY",
        "Held by customs (documents, restrictions, contact needed).",
        "EVJAP EVJBA EVJCA EVJCC EVJCD EVJCO EVJEM EVJES EVJIN EVJML EVJPA EVJSR EVHNC",
    ),
    ("IMPORT_CUSTOMS_CLEARED", "Released from customs.", "EVJEA EVJFC EVJIA EVJNT"),
    ("CUSTOMS_DUTIES_DUE", "A fee, duty or tax must be paid first.", "EVJDP EVNCF EVHAP"),
    ("CARRIER_DELAY", "Export held up by an exceptional event.", "EVHFM"),
    ("ARRIVED_AT_DELIVERY_DEPOT", "Arrived at or forwarded to the delivery office.", "EVGDO EVNDO"),
    ("ADDRESS_CORRECTED", "Wrongly addressed; corrected and forwarded.", "EVNWA"),
    (
        "REDIRECT_REQUESTED_BY_CUSTOMER",
        "Redirected or sent to a Post Office on request.",
        "EVNRD EVNRC",
    ),
    ("DELIVERY_RESCHEDULED_BY_CUSTOMER", "Redelivery requested.", "EVNSR"),
    ("DELIVERY_RESCHEDULED_BY_CARRIER", "Delivery not attempted; next working day.", "EVNDN"),
    ("HOLD_REQUESTED_BY_CUSTOMER", "Held on request (Keepsafe, retention).", "EVNKS EVNRT"),
    ("OUT_FOR_DELIVERY", "Ready for delivery today.", "EVGPD"),
    ("RECIPIENT_NOT_HOME", "Delivery attempted, no answer.", "EVKNA EVNBA EVNSA EVPON EVPXN"),
    (
        "NO_ACCESS_TO_ADDRESS",
        "Delivery attempted, address inaccessible.",
        "EVKAA EVNIL EVNIO EVPOA EVPXA EVNAA",
    ),
    (
        "RECIPIENT_UNKNOWN_AT_ADDRESS",
        "Delivery attempted, addressee unknown.",
        "EVNUL EVNUO EVPOU EVPXU",
    ),
    ("DELIVERY_FAILED", "Could not be delivered to the nominated safe place.", "EVKSU"),
    (
        "NOT_HOME_FORWARDED_TO_PARCEL_SHOP",
        "No answer; waiting for collection or redelivery.",
        "EVNDA",
    ),
    (
        "FORWARDED_TO_PARCEL_SHOP",
        "At a Customer Service Point for collection or redelivery.",
        "EVNAE",
    ),
    ("SUCCESSFULLY_DELIVERED", "Delivered (with or without signature).", "EVKOP EVKSP EVNFS EVNLP"),
    ("DELIVERED_TO_SAFE_PLACE", "Delivered to the requested safe place.", "EVKSF"),
    ("DELIVERED_TO_NEIGHBOUR", "Delivered to a neighbour.", "EVKDN EVKNS"),
    ("DELIVERED_TO_PO_BOX", "Delivered to a PO box.", "EVNPO"),
    (
        "DELIVERED_TO_PARCEL_SHOP",
        "At the nominated Local Collect point, ready to collect.",
        "EVKLC EVKLS EVNLC EVPLA",
    ),
    ("PICKED_UP_FROM_PARCEL_SHOP", "Collected from the Post Office.", "EVPLC EVPLF"),
    (
        "PICKED_UP_AT_CARRIER_DEPOT",
        "Collected from a Royal Mail Customer Service Point.",
        "EVNCE EVNCO EVNOC EVNSC",
    ),
    (
        "RETURNED_ADDRESS_UNRESOLVED",
        "Incorrect or incomplete address: returned to sender.",
        "EVBRA EVBSA EVCPA EVCRA EVDRA EVDSA EVIPA EVKAI EVNAI EVNLA EVNLI EVNSI EVPOI EVPXI EVHCA",
    ),
    (
        "RETURNED_REFUSED",
        "Refused: returned to sender.",
        "EVKRF EVNAB EVNHR EVNLR EVNRF EVNRO EVNRR EVPLR EVPOR EVPXR",
    ),
    (
        "NOT_PICKED_UP_RETURNED",
        "Holding period exceeded or not collected: returned.",
        "EVNAD EVNHE EVNRE EVNRL EVPLN",
    ),
    (
        "RETURNED_TO_SENDER",
        "Returned to sender (label, weight, gone away, unknown, export).",
        "EVBRB EVBRT EVBRW EVCRB EVDRB EVDRW EVDSW EVHCR EVHDI EVHID EVKGA EVNAC EVNGA "
        "EVNGL EVNLG EVNRN EVNRS EVNUK EVORR EVPLI EVPLU EVPLX EVPOG EVPUX EVPXG",
    ),
)

UNMAPPED: tuple[str, ...] = tuple(
    (
        # lost, prohibited or dangerous contents, export cancelled on request
        "EVDLS EVSGD EVSGS EVSUS EVHAR EVHSR "
        # "Not Applicable": system records
        "EVNCL EVNDL EVNDS EVNOI EVNOU EVZAM EVZBF EVZDM EVZDR EVZLM EVZRD EVZRM EVZSO "
        # "Not Applicable": notifications sent to the recipient or operator
        "NDEDF NDERF NDERS NDESF NDESS NEPDF NEPRF NEPRS NEPSF NEPSS NFNDF NFNRF NFNRS "
        "NFNSF NFNSS NLCDF NLCRF NLCRS NLCSF NLCSS NRDDF NRDRF NRDRS NRDSF NRDSS NREDF "
        "NRERF NRERS NRESF NRESS NSFDF NSFRF NSFRS NSFSF NSFSS NUNDF NUNRF NUNRS NUNSF NUNSS"
    ).split()
)


def rows() -> list[Code]:
    """One row per documented code, in the order of the groups."""
    return [
        Code(code, event, meaning) for event, meaning, codes in GROUPS for code in codes.split()
    ]
