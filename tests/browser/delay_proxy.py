"""A kernel far away, on this machine: a TCP proxy on 127.0.0.1 holding every chunk RTT/2 in each direction.

Put it between Chromium and a Jupyter server (open the server's pages through `proxy.url`) and every HTTP
request and websocket message pays `rtt_ms` of round trip, as a hub, Binder or Colab 50-200 ms away does. Its
own sockets set TCP_NODELAY, so it adds the delay and nothing else. `hold()` stops forwarding (a dropped
network: connections stay open, bytes wait) and `release()` lets them through again.

Loopback only and bounded: it refuses a target that is not 127.0.0.0/8 or ::1, accepts at most
MAX_CONNECTIONS at a time and stops by itself after `lifetime` seconds. Used by test_kernel_loss.py and
bench/latency.py.
"""

import asyncio
import contextlib
import ipaddress
import socket
import threading
import time

MAX_CONNECTIONS = 64
CHUNK = 65536


def _nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class DelayProxy:
    """`with DelayProxy(target_port, rtt_ms=150) as proxy:` ... `proxy.url` ..."""

    def __init__(self, target_port, rtt_ms, target_host="127.0.0.1", lifetime=900.0):
        if not ipaddress.ip_address(target_host).is_loopback:
            raise ValueError(f"the delay proxy forwards to 127.0.0.0/8 or ::1 only, not {target_host}")
        self.target = (target_host, target_port)
        self.delay = rtt_ms / 2000.0  # seconds, each way
        self.lifetime = lifetime
        self.port = None
        self.url = None
        self.connections = 0
        self._open = 0
        self._released = None  # an asyncio.Event in the proxy's loop: set while bytes flow
        self._loop = None
        self._thread = None
        self._ready = threading.Event()
        self._stop = None

    # --- in the proxy's own thread and event loop ---------------------------------------------------------

    async def _pipe(self, reader, writer):
        """Copy reader to writer, each chunk written `delay` after it arrived, in order."""
        queue = asyncio.Queue()

        async def send():
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                await self._released.wait()
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(send())
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                queue.put_nowait((time.monotonic() + self.delay, data))
            queue.put_nowait((time.monotonic() + self.delay, None))
            await sender
        except (ConnectionError, asyncio.CancelledError):
            sender.cancel()
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, client_reader, client_writer):
        if self._open >= MAX_CONNECTIONS:
            client_writer.close()
            return
        self._open += 1
        self.connections += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            self._open -= 1
            client_writer.close()
            return
        _nodelay(client_writer)
        _nodelay(server_writer)
        try:
            await asyncio.gather(
                self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer)
            )
        except asyncio.CancelledError:
            pass  # the proxy stops: end quietly (asyncio's stream callback reads each handler's outcome)
        finally:
            self._open -= 1

    async def _serve(self):
        self._released = asyncio.Event()
        self._released.set()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._ready.set()
        async with server:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.lifetime)
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # --- from any thread ----------------------------------------------------------------------------------

    def start(self):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=lambda: self._loop.run_until_complete(self._serve()), name="delay-proxy", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delay proxy did not start")
        return self

    def _call(self, fn):
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(fn)

    def hold(self):
        """Stop forwarding: connections stay open and their bytes wait, as on a dropped network."""
        self._call(self._released.clear)

    def release(self):
        self._call(self._released.set)

    def stop(self):
        if self._stop is not None:
            self._call(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
