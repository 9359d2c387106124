// The GraphQL documents of the page: one query for everything shown, one subscription.

const SHIPMENT = `
  id position isDraft trackingNumber trackingUrl trackingCompany trackingPlacedAt
  phase delayed damaged failedAttempts lastEventAt deliveredAt
  carrier { reference }
  estimatedArrival { earliest latest }
  products { sku title quantity product { images { src alt } } }
  events { id position occurredAt eventName eventGroup phase location message }`;

export const PAGE = `query TrackingPage($orderNumber: String!) {
  shop { name }
  order(orderNumber: $orderNumber) {
    id orderNumber orderName orderPlacedAt state expectedNumberOfShipments cancelledAt
    address { name company addressLine1 addressLine2 zipCode city province countryCode }
    products { sku title quantity images { src alt } }
    shipments { ${SHIPMENT} claims { id reason status createdAt } claimOptions { reason eligible } }
    events(first: 1) { edges { node { position } } }
  }
}`;

// The anonymous lookup: the same picture without personal data or customer actions.
export const LOOKUP = `query TrackingLookup($orderNumber: String!, $zipCode: String!) {
  trackOrder(orderNumber: $orderNumber, zipCode: $zipCode) {
    shopName orderNumber orderPlacedAt state expectedNumberOfShipments
    products { sku title quantity images { src alt } }
    shipments { ${SHIPMENT} }
  }
}`;

export const LIVE = `subscription TrackingLive($orderNumber: String!, $after: Int) {
  orderEvents(orderNumber: $orderNumber, after: $after) {
    position eventName eventGroup phase occurredAt
  }
}`;

export const CREATE_CLAIM = `mutation ReportProblem($input: CreateClaimInput!) {
  createClaim(input: $input) { claim { id reason status } errors { field message code } }
}`;

export const CHANGE_ADDRESS = `mutation ChangeAddress($input: UpdateMyOrderAddressInput!) {
  updateMyOrderAddress(input: $input) { order { id } errors { field message code } }
}`;
