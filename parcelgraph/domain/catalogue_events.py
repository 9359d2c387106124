"""The table of event definitions: every shipment and claim event parcelgraph knows.

The documented domain fixes a few names and their phases; the rest is ours, written from the
situations carriers really report. Descriptions are one line, for the humans and AI agents
who read the `eventCatalogue` query. Add a name here and every consumer sees it.
"""

from __future__ import annotations

from parcelgraph.domain.enums import EventSource, Phase
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.domain.event_groups import RETURN_GROUP_FOR, EventGroup

P = Phase
G = EventGroup

UNMAPPED = "UNMAPPED"


def _ship(name: str, phase: Phase, group: EventGroup, description: str, **flags: bool):
    # The return group follows from the forward group (event_groups.RETURN_GROUP_FOR), so
    # a new event cannot forget to say where it lands for a return.
    return EventDefinition(
        name=name,
        source=EventSource.SHIPMENTS,
        phase=phase,
        group=group,
        return_group=RETURN_GROUP_FOR[group],
        description=description,
        **flags,
    )


def _pre(name: str, phase: Phase, group: EventGroup, description: str) -> EventDefinition:
    # The only events a draft shipment (no tracking number yet) may produce.
    return _ship(name, phase, group, description, pre_transit=True)


def _delay(name: str, group: EventGroup, description: str, phase: Phase = P.IN_TRANSIT):
    return _ship(name, phase, group, description, delayed=True, keeps_phase=True)


def _failed(name: str, phase: Phase, group: EventGroup, description: str) -> EventDefinition:
    return _ship(name, phase, group, description, failed_attempt=True)


def _note(name: str, group: EventGroup, description: str, **flags: bool) -> EventDefinition:
    # Conditions rather than steps: they are recorded under in_transit, where carriers
    # usually report them, and never move the phase.
    return _ship(name, P.IN_TRANSIT, group, description, keeps_phase=True, **flags)


def _claim(name: str, group: EventGroup, description: str) -> EventDefinition:
    return EventDefinition(
        name=name,
        source=EventSource.CLAIMS,
        phase=None,
        group=group,
        return_group=group,
        description=description,
    )


# The table is read row by row; the formatter would spread each row over six lines.
# fmt: off
SHIPMENT_EVENTS: tuple[EventDefinition, ...] = (
    # --- pre-transit -------------------------------------------------------------------
    _pre("ORDER_CREATED", P.ORDER_CREATED, G.SHIPMENT_PRE_TRANSIT,
         "The order was placed; the parcel is expected but not packed yet."),
    _pre("ORDER_IN_PROCESSING", P.ORDER_CREATED, G.SHIPMENT_PRE_TRANSIT,
         "The warehouse is picking and packing the order."),
    _pre("ORDER_CANCELLED", P.ORDER_CREATED, G.SHIPMENT_ORDER_CANCELLED,
         "The order was cancelled before anything shipped; no parcel will follow."),
    _ship("ORDER_FULFILLED", P.ORDER_PROCESSED, G.SHIPMENT_PRE_TRANSIT,
          "A tracking number was attached; the packed parcel waits for the carrier."),
    _ship("LABEL_CREATED", P.ORDER_PROCESSED, G.SHIPMENT_PRE_TRANSIT,
          "The carrier received the shipment data but not the parcel itself yet."),
    _ship("AWAITING_CARRIER_PICKUP", P.ORDER_PROCESSED, G.SHIPMENT_PRE_TRANSIT,
          "The parcel is packed and waits to be collected by the carrier."),
    # --- in transit --------------------------------------------------------------------
    _ship("PICKED_UP_BY_CARRIER", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The carrier collected the parcel from the merchant or warehouse."),
    _ship("DROPPED_OFF_AT_CARRIER", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The merchant handed the parcel in at a post office or parcel shop."),
    _ship("ARRIVAL_AT_TRANSPORT_HUB", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel arrived at a sorting hub."),
    _ship("DEPARTURE_FROM_TRANSPORT_HUB", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel left a sorting hub towards its next stop."),
    _ship("PROCESSED_AT_SORTING_CENTER", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel was scanned and sorted at a sorting centre."),
    _ship("IN_TRANSIT", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel is on its way; the carrier gave no further detail."),
    _ship("EXPORT_CUSTOMS_CLEARED", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "Export customs in the origin country released the parcel."),
    _ship("ARRIVED_IN_DESTINATION_COUNTRY", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel arrived in the destination country."),
    _ship("IN_CUSTOMS_CLEARANCE", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel is being cleared by customs in the destination country."),
    _ship("IMPORT_CUSTOMS_CLEARED", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "Import customs released the parcel for delivery."),
    _ship("ARRIVED_AT_DELIVERY_DEPOT", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The parcel reached the local depot that will deliver it."),
    _ship("DELIVERY_DATE_SCHEDULED", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The carrier planned the day of delivery."),
    _ship("ADDRESS_CORRECTED", P.IN_TRANSIT, G.SHIPMENT_IN_TRANSIT,
          "The carrier corrected or completed the delivery address; the parcel moves on."),
    # --- delays (keep the phase) -------------------------------------------------------
    _delay("CARRIER_DELAY", G.SHIPMENT_CARRIER_DELAY,
           "The carrier reports a delay without naming the cause."),
    _delay("CUSTOMS_DELAY", G.SHIPMENT_CARRIER_DELAY,
           "Customs holds the parcel longer than usual (inspection or missing documents)."),
    _delay("CUSTOMS_DUTIES_DUE", G.SHIPMENT_CARRIER_DELAY,
           "Import duties or taxes must be paid before the parcel can be delivered."),
    _delay("WEATHER_DELAY", G.SHIPMENT_CARRIER_DELAY,
           "Severe weather or a natural event slows the parcel down."),
    _delay("MISSORTED", G.SHIPMENT_CARRIER_DELAY,
           "The parcel was sorted onto the wrong route and is being redirected."),
    _delay("HIGH_VOLUME_DELAY", G.SHIPMENT_CARRIER_DELAY,
           "Peak-season volumes delay the parcel at the carrier."),
    _delay("DELIVERY_RESCHEDULED_BY_CARRIER", G.SHIPMENT_CARRIER_DELAY,
           "The carrier moved the delivery to a later day."),
    _delay("DELIVERY_RESCHEDULED_BY_CUSTOMER", G.SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST,
           "The recipient chose a later delivery day."),
    _delay("HOLD_REQUESTED_BY_CUSTOMER", G.SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST,
           "The recipient asked the carrier to hold the parcel, e.g. during a holiday."),
    _delay("REDIRECT_REQUESTED_BY_CUSTOMER", G.SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST,
           "The recipient asked for delivery to another address or a parcel shop."),
    # --- damage, carrier changes, triggers (keep the phase) ----------------------------
    _note("DAMAGED_IN_TRANSIT", G.SHIPMENT_DAMAGED,
          "The carrier reports the parcel as damaged.", damaged=True),
    _note("REPACKAGED_BY_CARRIER", G.SHIPMENT_DAMAGED,
          "The carrier repacked a damaged parcel before sending it on.", damaged=True),
    _note("CARRIER_CHANGED", G.SHIPMENT_CARRIER_CHANGED,
          "The shipment was switched to another carrier and tracking number."),
    _note("HANDED_TO_LAST_MILE_CARRIER", G.SHIPMENT_CARRIER_CHANGED,
          "The carrier handed the parcel to a partner carrier for the final delivery."),
    _note("INTERNAL_TRIGGER", G.SHIPMENT_INTERNAL_TRIGGER,
          "A trigger raised by the merchant's own systems; it carries no parcel news."),
    _note("NO_CARRIER_UPDATE", G.SHIPMENT_INTERNAL_TRIGGER,
          "No carrier scan for several days; raised so that someone takes a look."),
    _note(UNMAPPED, G.SHIPMENT_UNMAPPED,
          "A carrier status we could not map; kept with its raw code for review."),
    # --- out for delivery --------------------------------------------------------------
    _ship("OUT_FOR_DELIVERY", P.IN_DELIVERY, G.SHIPMENT_OUT_FOR_DELIVERY,
          "The parcel is on the delivery vehicle and should arrive today."),
    _ship("DELIVERY_TIME_WINDOW_ANNOUNCED", P.IN_DELIVERY, G.SHIPMENT_OUT_FOR_DELIVERY,
          "The carrier announced a delivery time window for today."),
    _ship("DRIVER_NEARBY", P.IN_DELIVERY, G.SHIPMENT_OUT_FOR_DELIVERY,
          "The courier is a few stops away."),
    # --- failed attempts ---------------------------------------------------------------
    _failed("DELIVERY_ATTEMPTED", P.IN_DELIVERY, G.SHIPMENT_DELIVERY_FAILED,
            "The courier tried to deliver but could not; the parcel is still with them."),
    _failed("RECIPIENT_NOT_HOME", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED,
            "Nobody was there to take the parcel."),
    _failed("NO_ACCESS_TO_ADDRESS", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED,
            "The courier could not reach the door (locked building, no access)."),
    _failed("DELIVERY_FAILED", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED,
            "The delivery failed; the carrier gave no reason."),
    _failed("ADDRESS_INCORRECT", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE,
            "The address is wrong; the carrier needs a correction to deliver."),
    _failed("ADDRESS_INCOMPLETE", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE,
            "The address lacks a house number, flat or name on the door."),
    _failed("RECIPIENT_UNKNOWN_AT_ADDRESS", P.DELIVERY_FAILED,
            G.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE,
            "Nobody of that name is known at the address."),
    _failed("RECIPIENT_MOVED", P.DELIVERY_FAILED, G.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE,
            "The recipient has moved away from the address."),
    _failed("NOT_HOME_FORWARDED_TO_PARCEL_SHOP", P.DELIVERY_FAILED,
            G.SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP,
            "Nobody was home; the parcel will be taken to a nearby parcel shop."),
    _ship("FORWARDED_TO_PARCEL_SHOP", P.COLLECT,
          G.SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP,
          "After a failed attempt the parcel waits at a parcel shop to be picked up."),
    _ship("FORWARDED_TO_PARCEL_LOCKER", P.COLLECT,
          G.SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP,
          "After a failed attempt the parcel waits in a parcel locker to be picked up."),
    _ship("NEXT_DELIVERY_ATTEMPT_SCHEDULED", P.DELIVERY_FAILED,
          G.SHIPMENT_DELIVERY_SECOND_ATTEMPT,
          "The carrier will try to deliver again on the next working day."),
    _ship("OUT_FOR_DELIVERY_SECOND_ATTEMPT", P.IN_DELIVERY, G.SHIPMENT_DELIVERY_SECOND_ATTEMPT,
          "The parcel is out for a further delivery attempt."),
    # --- delivered ---------------------------------------------------------------------
    _ship("SUCCESSFULLY_DELIVERED", P.DELIVERED, G.SHIPMENT_DELIVERED,
          "The parcel was delivered to the recipient."),
    _ship("DELIVERED_TO_SAFE_PLACE", P.DELIVERED, G.SHIPMENT_DELIVERED,
          "The parcel was left at the safe place the recipient allowed."),
    _ship("DELIVERED_TO_RECEPTION", P.DELIVERED, G.SHIPMENT_DELIVERED,
          "The parcel was handed to a reception desk or mailroom."),
    _ship("DELIVERED_TO_NEIGHBOUR", P.DELIVERED, G.SHIPMENT_DELIVERED_TO_NEIGHBOUR,
          "The parcel was handed to a neighbour; the notice says which one."),
    _ship("DELIVERED_TO_LETTERBOX", P.DELIVERED, G.SHIPMENT_DELIVERED_TO_LETTERBOX,
          "The parcel fitted through the letterbox and was delivered there."),
    _ship("DELIVERED_TO_PO_BOX", P.DELIVERED, G.SHIPMENT_DELIVERED_TO_LETTERBOX,
          "The parcel was put into the recipient's post office box."),
    # --- waiting to be collected -------------------------------------------------------
    _ship("DELIVERED_TO_PARCEL_SHOP", P.COLLECT, G.SHIPMENT_DELIVERED_TO_PARCEL_SHOP,
          "The parcel reached the chosen parcel shop and waits to be picked up."),
    _ship("PICKUP_REMINDER", P.COLLECT, G.SHIPMENT_DELIVERED_TO_PARCEL_SHOP,
          "Reminder: the parcel still waits at the parcel shop."),
    _ship("PICKUP_DEADLINE_APPROACHING", P.COLLECT, G.SHIPMENT_DELIVERED_TO_PARCEL_SHOP,
          "Last days to pick the parcel up before it goes back to the sender."),
    _ship("DELIVERED_TO_PARCEL_LOCKER", P.COLLECT, G.SHIPMENT_DELIVERED_TO_PARCEL_LOCKER,
          "The parcel is in the parcel locker and waits to be picked up with the code."),
    _ship("PARCEL_LOCKER_PICKUP_REMINDER", P.COLLECT, G.SHIPMENT_DELIVERED_TO_PARCEL_LOCKER,
          "Reminder: the parcel still waits in the parcel locker."),
    _ship("PICKED_UP_FROM_PARCEL_SHOP", P.DELIVERED, G.SHIPMENT_PICKED_UP,
          "The recipient collected the parcel at the parcel shop."),
    _ship("PICKED_UP_FROM_PARCEL_LOCKER", P.DELIVERED, G.SHIPMENT_PICKED_UP,
          "The recipient collected the parcel from the parcel locker."),
    _ship("PICKED_UP_AT_CARRIER_DEPOT", P.DELIVERED, G.SHIPMENT_PICKED_UP,
          "The recipient collected the parcel at the carrier's depot or post office."),
    # --- sent back to the merchant -----------------------------------------------------
    _ship("RETURNED_TO_SENDER", P.RETURNED, G.SHIPMENT_FAILED_RETURNED,
          "The parcel could not be delivered and goes back to the merchant."),
    _ship("RETURNED_AFTER_FAILED_ATTEMPTS", P.RETURNED, G.SHIPMENT_FAILED_RETURNED,
          "Every delivery attempt failed; the parcel goes back to the merchant."),
    _ship("RETURNED_ADDRESS_UNRESOLVED", P.RETURNED, G.SHIPMENT_FAILED_RETURNED,
          "The address problem was not solved in time; the parcel goes back."),
    _ship("RETURNED_BY_CUSTOMS", P.RETURNED, G.SHIPMENT_FAILED_RETURNED,
          "Customs refused the import; the parcel goes back to the merchant."),
    _ship("DELIVERY_REFUSED", P.DELIVERY_FAILED, G.SHIPMENT_REFUSED_THEN_RETURNED,
          "The recipient refused to accept the parcel at the door."),
    _ship("RETURNED_REFUSED", P.RETURNED, G.SHIPMENT_REFUSED_THEN_RETURNED,
          "The parcel was refused and goes back to the merchant."),
    _ship("DUTIES_REFUSED_RETURNED", P.RETURNED, G.SHIPMENT_REFUSED_THEN_RETURNED,
          "The recipient would not pay the import duties; the parcel goes back."),
    _ship("NOT_PICKED_UP_RETURNED", P.RETURNED, G.SHIPMENT_NOT_PICKED_UP_THEN_RETURNED,
          "Nobody picked the parcel up at the parcel shop in time; it goes back."),
    _ship("PARCEL_LOCKER_EXPIRED_RETURNED", P.RETURNED, G.SHIPMENT_NOT_PICKED_UP_THEN_RETURNED,
          "The parcel locker pick-up period expired; the parcel goes back."),
    # --- the customer sends it back (return phases) ------------------------------------
    _ship("RETURN_REGISTERED", P.RETURN_CREATED, G.RETURN_SHIPMENT_CREATED,
          "The customer announced a return of the delivered parcel."),
    _ship("RETURN_LABEL_CREATED", P.RETURN_CREATED, G.RETURN_SHIPMENT_CREATED,
          "A return label was created for the parcel."),
    _ship("RETURN_DROPPED_OFF", P.RETURN_TRANSIT, G.RETURN_SHIPMENT_IN_TRANSIT,
          "The customer handed the return in at a parcel shop or post office."),
    _ship("RETURN_PICKED_UP_BY_CARRIER", P.RETURN_TRANSIT, G.RETURN_SHIPMENT_IN_TRANSIT,
          "The carrier collected the return from the customer."),
    _ship("RETURN_IN_TRANSIT", P.RETURN_TRANSIT, G.RETURN_SHIPMENT_IN_TRANSIT,
          "The return is on its way to the merchant."),
    _delay("RETURN_DELAYED", G.RETURN_SHIPMENT_DELAYED,
           "The return is delayed on its way to the merchant.", phase=P.RETURN_TRANSIT),
    _ship("RETURN_DELIVERED_TO_MERCHANT", P.RETURN_RECEIVED, G.RETURN_SHIPMENT_RECEIVED,
          "The carrier delivered the return to the merchant's address."),
    _ship("RETURN_RECEIVED", P.RETURN_RECEIVED, G.RETURN_SHIPMENT_RECEIVED,
          "The merchant's warehouse booked the returned parcel in."),
    _ship("RETURN_FAILED", P.RETURN_FAILED, G.RETURN_SHIPMENT_FAILED,
          "The return did not reach the merchant (lost, or sent back to the customer)."),
    _ship("RETURN_LABEL_EXPIRED", P.RETURN_FAILED, G.RETURN_SHIPMENT_FAILED,
          "The return label expired unused."),
)

CLAIM_EVENTS: tuple[EventDefinition, ...] = (
    _claim("CLAIM_CREATED", G.CLAIM_CREATED,
           "A claim was opened for a shipment (damage, loss, return, support...)."),
    _claim("CLAIM_UPDATED", G.CLAIM_UPDATED,
           "A claim's status or resolution preference changed."),
)
# fmt: on

ALL_EVENTS: tuple[EventDefinition, ...] = SHIPMENT_EVENTS + CLAIM_EVENTS
