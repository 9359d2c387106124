"""The read-only GraphQL documents behind the read tools (and the results of writes).

A read tool is one of these documents with the tool's arguments as variables, so what an
agent gets is exactly what the schema describes, selected for the task at hand.
"""

SHIPMENT_VIEW = """
fragment ShipmentView on Shipment {
  id position isDraft trackingNumber trackingUrl trackingCompany direction
  carrier { reference confidence reason }
  phase delayed damaged failedAttempts lastEventAt deliveredAt
  estimatedArrival { earliest latest source }
  products { sku title quantity }
  latestEvent { eventName phase occurredAt location message }
  claimOptions { reason eligible whyNot }
}
"""

ORDER_VIEW = (
    """
fragment OrderView on Order {
  id orderNumber orderName externalId state orderPlacedAt email currency totalOrderPrice
  expectedNumberOfShipments fulfilledShipmentCount cancelledAt trackingUrl
  address { name street city zipCode province countryCode }
  products { sku title quantity price }
  shipments { ...ShipmentView }
  claims { id reason status resolutionPreference createdAt shipment { id trackingNumber } }
}
"""
    + SHIPMENT_VIEW
)

GET_ORDER = (
    """
query GetOrder($id: ID, $orderNumber: String, $externalId: String) {
  order(id: $id, orderNumber: $orderNumber, externalId: $externalId) { ...OrderView }
}
"""
    + ORDER_VIEW
)

FIND_ORDERS = """
query FindOrders($filter: OrderFilter, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id orderNumber orderName state email orderPlacedAt
      shipments { id trackingNumber phase delayed }
    } }
  }
}
"""

SHIPMENT_EVENTS = """
query ShipmentEvents($id: ID, $trackingNumber: String) {
  shipment(id: $id, trackingNumber: $trackingNumber) {
    id trackingNumber phase delayed damaged order { id orderNumber }
    events { id eventName phase occurredAt recordedAt location message source carrierCode }
  }
}
"""

CLAIM_OPTIONS = """
query ClaimOptions($id: ID, $trackingNumber: String) {
  shipment(id: $id, trackingNumber: $trackingNumber) {
    id trackingNumber phase delayed damaged deliveredAt order { id orderNumber }
    products { sku title quantity }
    claimOptions { reason eligible whyNot }
    claims { id reason status }
  }
}
"""

EXPLAIN_CARRIER = """
query ExplainCarrier($trackingNumber: String!, $trackingCompany: String, $countryCode: String) {
  detectCarrier(
    trackingNumber: $trackingNumber, trackingCompany: $trackingCompany, countryCode: $countryCode
  ) { code name confidence trackingUrl reasons { code message weight } }
}
"""

WEBHOOK_DELIVERIES = """
query WebhookDeliveries($id: ID!, $first: Int!, $after: String) {
  webhook(id: $id) {
    id url status
    deliveries(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id eventId isTest status attemptCount nextAttemptAt deliveredAt lastStatusCode
        lastError createdAt
      }
    }
  }
}
"""

ANALYTICS = """
query ShopAnalytics($from: DateTime, $to: DateTime) {
  analytics(from: $from, to: $to) {
    placedFrom placedTo currency
    ordersByState { state orderCount revenue }
    shipmentsByPhase { phase shipmentCount }
    shipmentsByCarrier { carrier shipmentCount }
    carriers { carrier shipmentCount failedDeliveryCount failedDeliveryShare claimCount claimRate }
    claimsByReason { reason claimCount claimRate }
  }
}
"""

CLAIM_VIEW = """
query ClaimView($id: ID!) {
  node(id: $id) {
    ... on Claim {
      id reason status resolutionPreference description createdBy createdAt updatedAt
      selectedItems { sku title quantity }
      order { id orderNumber }
      shipment { id trackingNumber phase claimOptions { reason eligible whyNot } }
    }
  }
}
"""

DELIVERY_VIEW = """
query DeliveryView($id: ID!) {
  node(id: $id) {
    ... on WebhookDelivery {
      id eventId isTest status attemptCount nextAttemptAt createdAt webhook { id url }
    }
  }
}
"""

EVENT_CATALOGUE = """
query EventCatalogue {
  eventCatalogue { name ref phase source group returnGroup description delayed damaged
    failedAttempt preTransit keepsPhase }
}
"""
