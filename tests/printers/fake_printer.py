"""A TCP stand-in for a network receipt printer on 127.0.0.1 (port 9100 on a real one)."""

from __future__ import annotations

import socket
import struct
import threading
from typing import Literal

Mode = Literal["ok", "drop", "hold", "deaf"]

# DLE EOT replies: 0x12 is "all fine"; bit 3 of the first is offline; 0x72 is paper out.
ONLINE, OFFLINE, PAPER_OUT, PAPER_LOW = 0x12, 0x1A, 0x72, 0x1E
READY = {1: ONLINE, 4: ONLINE}  # DLE EOT 1: online; DLE EOT 4: paper present


class FakePrinter:
    """Records each connection's bytes; answers DLE EOT; can drop a job half-way.

    ``ok``: reads to the client's end and closes, as a printer's raw port does.
    ``drop``: resets the connection after ``drop_after`` bytes (cable pulled, printer reset).
    ``hold``: never closes its side after the job (some printers keep the socket open).
    ``deaf``: accepts every connection and never reads from it, with a receive buffer of
    ``rcvbuf`` bytes (a printer whose firmware hung): its TCP window fills and stays shut.
    ``status``: reply byte per DLE EOT n, or None to stay silent like a printer that has no
    status.
    """

    def __init__(self, mode: Mode = "ok", *, drop_after: int = 64,
                 status: dict[int, int] | None = None, rcvbuf: int = 4096) -> None:
        self.mode = mode
        self.drop_after = drop_after
        self.status = status
        self.jobs: list[bytes] = []
        self.status_queries = 0
        self.held: list[socket.socket] = []  # "deaf": the connections it never reads
        self._stop = threading.Event()
        self._server = socket.socket()
        if mode == "deaf":
            # Before listen(): the accepted sockets inherit it, and the window is set at SYN.
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen()
        self._server.settimeout(0.1)
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def connection(self) -> str:
        return f"network:127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.mode == "deaf":
                self.held.append(conn)
                continue
            with conn:
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        data = b""
        while True:
            try:
                # In "drop" mode read no further than the drop point, to cut the job short.
                want = self.drop_after - len(data) if self.mode == "drop" else 65536
                chunk = conn.recv(want)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            if self.mode == "drop" and len(data) >= self.drop_after:
                # SO_LINGER 0: close with a reset, as a printer that lost power mid-job.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.jobs.append(data)
                return
            if len(data) >= 3 and data[-3:-1] == b"\x10\x04":
                self.status_queries += 1
                reply = (self.status or {}).get(data[-1])
                if reply is not None:
                    conn.sendall(bytes([reply]))
                data = data[:-3]
        if self.mode == "hold":
            self._stop.wait(5)
        if data:
            self.jobs.append(data)

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(5)
        for conn in self.held:
            conn.close()


def closed_port() -> int:
    """A local port with nothing listening (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
