"""A Voila session without a browser: the page's side of the Jupyter widget protocol, over a real websocket.

`VoilaSession.open(url)` does what a learner's tab does: GET the Voila page (the server starts a kernel and
runs the notebook in it), read the kernel id and the widget's model id from the HTML, connect to
/api/kernels/<id>/channels, and ask for the widget's state (`request_state`), as the page's widget manager
does. `set_x(x)` sends the slider's message, `{"method": "update", "state": {"x": x}}`; every `graph` the
kernel sends back (new `numbers`: float64 buffers in the message's binary parts) is recorded with its arrival
time, its x and its y (the output node's value).

It speaks the pages' websocket protocol (v1.kernel.websocket.jupyter.org: the server passes the kernel's
frames through rather than re-encoding each message as JSON). Much lighter than a headless page, so 30 of
them fit beside a server and 30 kernels on 2 cores.
"""

import asyncio
import contextlib
import json
import math
import random
import re
import threading
import time
import urllib.error
import urllib.request
import uuid

import httpx
import numpy as np
import websockets
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from launch import pss_bytes

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]+)"')
# The kernel websocket protocol JupyterLab's and Voila's pages speak
PROTOCOL = "v1.kernel.websocket.jupyter.org"
MODEL_ID = re.compile(r'"application/vnd\.jupyter\.widget-view\+json":\s*\{"model_id":\s*"([0-9a-f]+)"')


def run(coroutine):
    """asyncio.run in a thread of its own: under pytest, Playwright's sync API may already be running an event
    loop in this thread (its session-scoped browser), and asyncio.run refuses to nest."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="widget-client")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def fetch(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
        return response.status, response.read().decode("utf-8", errors="replace")


def kernel_exists(base_url, kernel_id):
    """GET /api/kernels/<id>: True while the server still has the kernel, False once it is gone (404)."""
    try:
        status, _ = fetch(f"{base_url}/api/kernels/{kernel_id}", timeout=10)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise
    return status == 200


class Answer:
    """One graph the kernel sent: when it arrived, for which x, and its y."""

    __slots__ = ("t", "x", "y", "error")

    def __init__(self, t, x, y, error):
        self.t, self.x, self.y, self.error = t, x, y, error


class VoilaSession:
    def __init__(self, base_url, name="session"):
        self.base_url = base_url
        self.name = name
        self.session_id = uuid.uuid4().hex
        self.kernel_id = None
        self.model_id = None
        self.ws = None
        self.state = {}
        self.answers = []  # every graph the kernel sent, in arrival order
        self.sent = []  # (perf_counter, x) for every set_x, in send order
        self.problems = []  # kernel errors, stray messages: anything that is not a clean answer
        self._reader = None
        self._state_ready = None
        self._changed = None
        self._closing = False

    # --- opening and closing ------------------------------------------------------------------------------

    async def open(self, timeout=120):
        # httpx, not urllib in a thread: a page that never finishes can then be given up on (wait_for)
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(f"{self.base_url}/")
        html = response.text
        if response.status_code != 200:
            raise RuntimeError(f"{self.name}: GET / answered {response.status_code}")
        kernel = KERNEL_ID.search(html)
        model = MODEL_ID.search(html)
        if not (kernel and model):
            raise RuntimeError(f"{self.name}: no kernel id or widget in the Voila page:\n{html[-2000:]}")
        self.kernel_id, self.model_id = kernel[1], model[1]
        await self.connect()
        return self

    async def connect(self):
        host = self.base_url.split("://", 1)[1]
        url = f"ws://{host}/api/kernels/{self.kernel_id}/channels?session_id={self.session_id}"
        self.ws = await websockets.connect(url, subprotocols=[PROTOCOL], max_size=None, compression=None)
        self._state_ready = asyncio.get_running_loop().create_future()
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())
        await self._send("comm_msg", {"comm_id": self.model_id, "data": {"method": "request_state"}})
        self.state = await asyncio.wait_for(self._state_ready, 60)
        return self

    async def close(self):
        """Close the websocket, as a closed tab does (Voila 0.5 cannot shut the kernel down from the page)."""
        self._closing = True
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await self._reader
        self.ws = None

    # --- the widget protocol -----------------------------------------------------------------------------

    async def _send(self, msg_type, content):
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": "",
            "session": self.session_id,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "",
        }
        parts = [json.dumps(part).encode() for part in (header, {}, {}, content)]
        await self.ws.send(serialize_msg_to_ws_v1(parts, "shell"))

    async def set_x(self, x):
        self.sent.append((time.perf_counter(), x))
        data = {"method": "update", "state": {"x": x}, "buffer_paths": []}
        await self._send("comm_msg", {"comm_id": self.model_id, "data": data})

    async def _read(self):
        try:
            await self._read_all()
        except websockets.ConnectionClosed as error:
            if not self._closing:
                self.problems.append(f"the websocket closed: {error}")

    async def _read_all(self):
        async for raw in self.ws:
            now = time.perf_counter()
            _, parts = deserialize_msg_from_ws_v1(raw)
            kind = json.loads(parts[0]).get("msg_type")
            if kind == "status":
                continue
            content = json.loads(parts[3])
            if kind == "error":
                self.problems.append(f"kernel error: {content.get('ename')}: {content.get('evalue')}")
            elif kind == "stream" and content.get("name") == "stderr":
                self.problems.append(f"kernel stderr: {content.get('text', '')[:300]}")
            if kind != "comm_msg":
                continue
            if content.get("comm_id") != self.model_id:
                continue
            data = content.get("data", {})
            state = data.get("state", {})
            with_buffers(state, data.get("buffer_paths", []), parts[4:])
            if (
                data.get("method") == "update"
                and self._state_ready is not None
                and not self._state_ready.done()
            ):
                self._state_ready.set_result(dict(state))
                continue
            if data.get("method") not in ("update", "echo_update"):
                continue
            self.state.update(state)
            if "error" in state and state["error"]:
                self.problems.append(f"widget error: {state['error']}")
            answer = answer_of(state, self.state.get("graph", {}))
            if answer is not None:
                self.answers.append(Answer(now, *answer, state.get("error", "")))
                self._changed.set()

    async def wait_for_x(self, x, timeout=10):
        """Wait until the kernel's latest graph is for x; return that answer."""
        deadline = time.monotonic() + timeout
        while not (self.answers and self.answers[-1].x == x):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                last = self.answers[-1].x if self.answers else None
                raise TimeoutError(f"{self.name}: no graph for x = {x} within {timeout} s (last: {last})")
            self._changed.clear()
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.answers[-1]


def with_buffers(state, paths, buffers):
    """Put each binary part of a message back where ipywidgets took it out of the state."""
    for path, buffer in zip(paths, buffers):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = buffer


def answer_of(state, graph):
    """(x, y) if this update carries the kernel's answer: a GradWidget's numbers, or the echo widget's y."""
    if "numbers" in state:
        return numbers_xy(state["numbers"], graph)
    if "answer" in state:
        return state["answer"]["x"], state["answer"]["y"]
    return None


def expected_y(state):
    """y = f(x) for the widget whose opening state this is: its block stack, or the echo's x**2."""
    if "blocks" in state:
        blocks = list(state["blocks"])
        return lambda x: stack_output(blocks, x)
    return lambda x: x**2


def numbers_xy(numbers, graph):
    """(x, y) as the kernel sends them: the input node's value and the output node's, read from the row of
    numbers where the graph's layout puts the values (one per variable node of the graph, in order)."""
    row = numbers.get("row", [])
    binary = isinstance(row, (bytes, memoryview))
    row = np.frombuffer(row, dtype="<f8") if binary else np.array(row, dtype=float)
    values = (graph.get("layout") or {}).get("columns", {}).get("values", {"offset": 0, "count": 0})
    column = row[values["offset"] : values["offset"] + values["count"]].tolist()
    ids = [node["id"] for node in graph.get("nodes", []) if node.get("kind") == "variable"]
    by_id = dict(zip(ids, column))
    return by_id.get("v0"), by_id.get(graph.get("output"))


# --- a class of sessions ------------------------------------------------------------------------------------

NUMPY_BLOCKS = {
    "square": np.square,
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "log": np.log,
    "neg": np.negative,
}


def stack_output(blocks, x):
    """y for x through the named blocks, by numpy alone (not the engine): what every answer must show."""
    y = np.float64(x)
    for name in blocks:
        y = NUMPY_BLOCKS[name](y)
    return float(y)


def percentile(values, q):
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


class ClassResult:
    """What a class of sessions saw: latencies (s), every problem, memory samples."""

    def __init__(self):
        self.sessions = 0
        self.sent = 0
        self.answered = 0
        self.latencies = []
        self.problems = []
        self.memory = []  # (seconds since start, server RSS, [kernel RSS]) samples
        self.pss = None  # (server PSS, [kernel PSS]) at the end of the run
        self.open_seconds = 0.0
        self.run_seconds = 0.0
        self.kernel_ids = []  # the sessions' kernels, closed when the class ends
        self.cpu = None  # (server CPU s, kernels' CPU s) while the class moved, with a server to ask

    def p(self, q):
        return percentile(self.latencies, q)


def check_session(session, f, initial_x):
    """Every answer is for an x this session sent (or its start), in send order, with y = f(x); the last
    answer is the last x. Returns (latencies, problems)."""
    problems = [f"{session.name}: {p}" for p in session.problems]
    order = {x: i for i, (_, x) in enumerate(session.sent)}
    sent_at = {x: t for t, x in session.sent}
    latencies, answered, last_index = [], set(), -1
    for answer in session.answers:
        if answer.x == initial_x and answer.x not in order:
            continue  # the state it opened with
        if answer.x not in order:
            problems.append(f"{session.name}: shows x = {answer.x!r}, which it never sent (another's value?)")
            continue
        index = order[answer.x]
        if index < last_index:
            problems.append(f"{session.name}: showed x #{index} after x #{last_index}")
        last_index = max(last_index, index)
        expected = f(answer.x)
        if not math.isclose(answer.y, expected, rel_tol=1e-9, abs_tol=1e-12):
            problems.append(f"{session.name}: x = {answer.x} shows y = {answer.y}, not {expected}")
        if answer.x not in answered:
            answered.add(answer.x)
            latencies.append(answer.t - sent_at[answer.x])
    missing = len(order) - len(answered)
    if missing:
        problems.append(f"{session.name}: {missing} of {len(order)} moves never answered")
    if session.sent and (not session.answers or session.answers[-1].x != session.sent[-1][1]):
        last = session.answers[-1].x if session.answers else None
        problems.append(f"{session.name}: ends showing x = {last}, not its last x = {session.sent[-1][1]}")
    return latencies, problems


async def drive_class(base_url, sessions=30, seconds=60.0, rate=10.0, server=None, open_at_once=4, seed=0):
    """Open `sessions` Voila sessions, move each one's x `rate` times a second for `seconds`, check them.

    Session s's move j is x = lo + (hi - lo) * (j * sessions + s + 0.5) / (sessions * moves): every x in the
    class is different, so a value that reaches the wrong session is caught. Sessions start at random phases
    within a period, as a class would. `server` (a launch.ServerProcess) adds memory samples.
    """
    result = ClassResult()
    result.sessions = sessions
    rng = random.Random(seed)
    gate = asyncio.Semaphore(open_at_once)
    started = time.perf_counter()

    def sample():
        if server is not None:
            rss, kernels = server.memory()
            result.memory.append((time.perf_counter() - started, rss, kernels))

    async def open_one(i):
        async with gate:
            return await asyncio.wait_for(VoilaSession(base_url, f"session {i}").open(), 180)

    opened = await asyncio.gather(*(open_one(i) for i in range(sessions)), return_exceptions=True)
    failures = [o for o in opened if isinstance(o, BaseException)]
    class_ = [o for o in opened if not isinstance(o, BaseException)]
    result.problems += [f"could not open a session: {type(e).__name__}: {e}" for e in failures]
    result.open_seconds = time.perf_counter() - started
    sample()
    if not class_:
        return result
    state = class_[0].state
    f = expected_y(state)
    initial_x = state["x"]
    span = state["x_max"] - state["x_min"]
    lo, hi = state["x_min"] + 0.05 * span, state["x_max"] - 0.05 * span
    moves = max(1, round(seconds * rate))
    period = 1.0 / rate

    async def move(s, session, t0):
        phase = rng.random() * period
        for j in range(moves):
            delay = t0 + phase + j * period - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await session.set_x(lo + (hi - lo) * (j * sessions + s + 0.5) / (sessions * moves))
        with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
            await session.wait_for_x(session.sent[-1][1], timeout=30)

    async def sampler():
        while True:
            await asyncio.sleep(5)
            sample()

    sampling = asyncio.create_task(sampler())
    cpu_before = server.cpu() if server is not None else None
    run_start = time.perf_counter()
    t0 = run_start + 0.5
    await asyncio.gather(*(move(s, session, t0) for s, session in enumerate(class_)))
    result.run_seconds = time.perf_counter() - run_start
    if server is not None:
        (s0, k0), (s1, k1) = cpu_before, server.cpu()
        result.cpu = (s1 - s0, sum(t - k0.get(pid, 0.0) for pid, t in k1.items()))
    sampling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampling
    sample()
    if server is not None:
        result.pss = server.memory(measure=pss_bytes)
    for session in class_:
        latencies, problems = check_session(session, f, initial_x)
        result.sent += len(session.sent)
        result.answered += len(latencies)
        result.latencies += latencies
        result.problems += problems
    result.kernel_ids = [session.kernel_id for session in class_]
    await asyncio.gather(*(session.close() for session in class_))
    return result
