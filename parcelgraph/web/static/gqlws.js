// A small GraphQL-over-WebSocket client (the graphql-transport-ws protocol), written for
// this page: one socket, many subscriptions, client pings, and reconnects with backoff.
// On every (re)connect each active subscription is sent again with FRESH variables from
// its getter, so a stream resumes from the caller's cursor instead of starting over.

const PROTOCOL = "graphql-transport-ws";
// Close codes after which retrying cannot help (rejected credentials, protocol misuse).
const FATAL = new Set([4400, 4403, 4406, 4409, 4429, 1008]);

export function createClient({ url, connectionParams, onStatus = () => {}, minDelay = 500,
  maxDelay = 15000, pingEvery = 15000 }) {
  const subs = new Map(); // id -> {payload(), sink}
  let socket = null, acked = false, attempt = 0, nextId = 1, disposed = false;
  let retryTimer = null, pingTimer = null, pongTimer = null;

  const send = (msg) => socket && socket.readyState === WebSocket.OPEN &&
    socket.send(JSON.stringify(msg));
  const sendSubscribe = (id) => send({ id, type: "subscribe", payload: subs.get(id).payload() });

  function connect() {
    retryTimer = null;
    acked = false;
    onStatus(attempt ? "reconnecting" : "connecting");
    const ws = new WebSocket(url, PROTOCOL);
    socket = ws;
    ws.onopen = () => send({ type: "connection_init", payload: connectionParams() });
    ws.onmessage = (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch (err) {
        console.error("gqlws: unreadable message", err); return;
      }
      if (msg.type === "connection_ack") {
        acked = true; attempt = 0; onStatus("live");
        for (const id of subs.keys()) sendSubscribe(id);
        heartbeat();
      } else if (msg.type === "ping") {
        send({ type: "pong" });
      } else if (msg.type === "pong") {
        clearTimeout(pongTimer);
      } else if (msg.type === "next" || msg.type === "error" || msg.type === "complete") {
        const sub = subs.get(msg.id);
        if (!sub) return;
        if (msg.type === "next") sub.sink.next(msg.payload);
        else {
          subs.delete(msg.id);
          if (msg.type === "error") sub.sink.error(msg.payload);
          else sub.sink.complete();
        }
      }
    };
    ws.onclose = (event) => {
      clearInterval(pingTimer); clearTimeout(pongTimer);
      if (ws !== socket || disposed) return;
      socket = null;
      if (FATAL.has(event.code)) {
        console.error(`gqlws: closed for good (${event.code} ${event.reason})`);
        onStatus("refused", event.code);
        for (const sub of subs.values()) sub.sink.error([{ message: event.reason, code: event.code }]);
        subs.clear();
        return;
      }
      console.warn(`gqlws: connection lost (${event.code}), retrying`);
      scheduleRetry();
    };
    ws.onerror = () => console.warn("gqlws: socket error");
  }

  function scheduleRetry() {
    attempt += 1;
    // Exponential backoff with jitter, so a crowd of widgets does not return in one wave.
    const ceiling = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    onStatus("offline", delay);
    retryTimer = setTimeout(connect, delay);
  }

  function heartbeat() {
    // A proxy can silently drop an idle socket; a ping without its pong reveals that.
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      send({ type: "ping" });
      clearTimeout(pongTimer);
      pongTimer = setTimeout(() => socket && socket.close(4499, "pong timeout"), pingEvery);
    }, pingEvery);
  }

  return {
    subscribe(payload, sink) {
      const id = String(nextId++);
      subs.set(id, { payload, sink });
      if (!socket && !retryTimer) connect();
      else if (acked) sendSubscribe(id);
      return () => {
        if (subs.delete(id)) send({ id, type: "complete" });
      };
    },
    dispose() {
      disposed = true;
      clearTimeout(retryTimer); clearInterval(pingTimer); clearTimeout(pongTimer);
      if (socket) socket.close(1000, "bye");
    },
  };
}
