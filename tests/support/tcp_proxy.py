"""A TCP proxy on 127.0.0.1 in front of a database, whose misbehaviour the tests choose:

- `forward()`: an ordinary proxy (the default);
- `stop()` / `start()`: the port closes (connections refused, live ones reset) and reopens on
  the same port;
- `blackhole()`: connections are accepted and never answered; live ones are reset, so that a
  client's pool has to open new ones;
- `stall()`: every connection, live ones included, stops forwarding without closing: bytes are
  accepted (the kernel acknowledges them) and nothing comes back. No TCP timeout notices.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

FORWARD, BLACKHOLE, STALL = "forward", "blackhole", "stall"


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode = FORWARD
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    # -- modes ---------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        self._stopping.clear()
        listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR on POSIX
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the port and every live connection (a database that went away)."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._reset_live()

    def forward(self) -> None:
        self.mode = FORWARD

    def blackhole(self) -> None:
        self.mode = BLACKHOLE
        self._reset_live()

    def stall(self) -> None:
        self.mode = STALL

    def _reset_live(self) -> None:
        with self._lock:
            live, self._sockets = self._sockets, set()
        for sock in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    # -- plumbing ------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                self._sockets.add(client)
            if self.mode != FORWARD:
                continue  # accepted; nothing will ever come back
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.mode == STALL:  # hold the bytes, keep the connection open
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def via_proxy(url: str, proxy: TcpProxy) -> str:
    """`url` with its host and port replaced by the proxy's."""
    from sqlalchemy import make_url

    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(False)
