"""S2's frozen subscriber: a raw WebSocket client that subscribes and then never reads."""

import json
import socket
from typing import Any

PROTOCOL = "graphql-transport-ws"


class FrozenClient:
    """A subscriber to the shop-wide `events` stream that never reads (tiny receive buffer)."""

    def __init__(self, port: int, path: str, auth: str) -> None:
        import base64
        import os

        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {PROTOCOL}"
                "\r\n\r\n"
            ).encode()
        )
        self._send({"type": "connection_init", "payload": {"Authorization": auth}})
        self._send(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": (
                        "subscription { events { eventId eventName ref data occurredAt recordedAt "
                        "order { orderNumber shipments { trackingNumber events { eventName "
                        "occurredAt location } } } } }"
                    )
                },
            }
        )

    def _send(self, message: dict[str, Any]) -> None:
        import os
        import struct

        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        header = (
            struct.pack("!BB", 0x81, 0x80 | 126) + struct.pack("!H", len(payload))
            if len(payload) >= 126
            else struct.pack("!BB", 0x81, 0x80 | len(payload))
        )
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def was_dropped(self) -> bool:
        """True when the server closed the connection (EOF after draining what is queued)."""
        self.sock.settimeout(0.5)
        try:
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    return True
        except (TimeoutError, OSError):
            return False

    def close(self) -> None:
        self.sock.close()
