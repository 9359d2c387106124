// GraphiQL for one shop's endpoint. The page is served at the endpoint's own URL, so the
// endpoint is this page's path; subscriptions use graphql-transport-ws on the same URL.
//
// Credentials: either the browser's Basic credentials (open the page with ?login and sign in
// when the browser asks; it then sends them with every request to this endpoint) or the
// Headers tab ({"Authorization": "Basic …"} or "Bearer <order token>"). Headers from that tab
// also go into the WebSocket's connection_init, which is where the server reads them.
(function () {
  "use strict";
  var endpoint = window.location.pathname;
  var socketScheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = window.GraphiQL.createFetcher({
    url: endpoint,
    subscriptionUrl: socketScheme + "//" + window.location.host + endpoint,
  });
  var defaultQuery = [
    "# parcelgraph: the post-purchase GraphQL API of this shop.",
    "#",
    "# Authenticate with the Headers tab below, e.g.",
    '#   {"Authorization": "Basic <base64 of username:password>"}',
    "# (the demo prints one), or open this page with ?login to use the browser's sign-in.",
    "",
    "query Shop {",
    "  shop { slug name currency }",
    "  viewer { name role }",
    "}",
    "",
  ].join("\n");
  var root = window.ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: true,
    }),
  );
})();
