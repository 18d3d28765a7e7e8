"""The classroom launcher under load, and its kernels released when a learner leaves.

One Voila server started exactly as `python -m gradwidget.demo --voila` starts it (the dashboard,
TCP_NODELAY, idle kernels culled). Sessions are websocket clients speaking the page's side of the widget
protocol (widget_client.py), far lighter than 30 headless pages on 2 cores. bench/classroom_load.py runs
the full minute and reports latency and memory; here the class is 30 sessions for 10 seconds, checked for
correctness only (not timed).
"""

import asyncio
import time

import pytest
import widget_client
from launch import ServerProcess, classroom_command

from gradwidget.demo import CULL_IDLE_SECONDS, CULL_INTERVAL_SECONDS

pytestmark = pytest.mark.browser

CULLED_WITHIN = 60  # seconds after the tab closes: issue 7's bound for a kernel nobody is using


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    server = ServerProcess("classroom", tmp_path_factory.mktemp("classroom"), classroom_command)
    server.start()
    try:
        server.wait_ready()
    except RuntimeError as error:
        server.stop()
        pytest.fail(str(error))
    server.class_kernels = []  # the kernels of test_thirty_sessions' class, once it has run
    yield server
    server.stop()


def test_thirty_sessions_each_see_only_their_own_values(classroom):
    """30 sessions move x 10 times a second for 10 s: every move answered, in order, with y = f(x) for that
    session's own x, no kernel error, and each session ends showing its own last x."""
    result = widget_client.run(widget_client.drive_class(classroom.url, sessions=30, seconds=10, rate=10))
    classroom.class_kernels = result.kernel_ids  # the next test waits until they are culled
    assert not result.problems, "\n".join(result.problems[:20])
    assert result.sent == 30 * 100
    assert result.answered == result.sent
    log = classroom.log_path.read_text(errors="replace")
    assert "Traceback" not in log, classroom.log_tail(60)


def test_a_closed_sessions_kernel_is_culled_and_an_open_ones_is_kept(classroom):
    """A learner who closes the tab leaves nothing running for long: the kernel is gone within a minute. A
    learner who keeps the tab open but stops moving keeps a working kernel (cull_connected is off)."""
    assert CULL_IDLE_SECONDS + CULL_INTERVAL_SECONDS < CULLED_WITHIN

    # The class before has just left: the server culls its 30 kernels one after another, each shutdown a
    # second or more on 2 busy cores, and a kernel closed now would wait behind them. This test is about
    # one learner leaving a server that is not busy with that.
    waited = time.monotonic()
    left = list(classroom.class_kernels)
    while left and time.monotonic() - waited < 300:
        left = [k for k in left if widget_client.kernel_exists(classroom.url, k)]
        time.sleep(2)

    async def scenario():
        leaving = await widget_client.VoilaSession(classroom.url, "leaving").open()
        staying = await widget_client.VoilaSession(classroom.url, "staying").open()
        for session, x in ((leaving, 0.25), (staying, -0.75)):
            await session.set_x(x)
            await session.wait_for_x(x, timeout=20)
        assert widget_client.kernel_exists(classroom.url, leaving.kernel_id)
        await leaving.close()  # the tab closes: Voila 0.5 cannot shut its kernel down from the page
        closed = time.monotonic()
        while widget_client.kernel_exists(classroom.url, leaving.kernel_id):
            elapsed = time.monotonic() - closed
            assert elapsed < CULLED_WITHIN, f"the closed session's kernel still runs after {elapsed:.0f} s"
            await asyncio.sleep(1)
        gone_after = time.monotonic() - closed
        # the open tab's kernel survived the same idle time and still answers
        assert widget_client.kernel_exists(classroom.url, staying.kernel_id)
        await staying.set_x(0.5)
        answer = await staying.wait_for_x(0.5, timeout=20)
        assert answer.y == pytest.approx(widget_client.expected_y(staying.state)(0.5), rel=1e-12)
        assert not leaving.problems and not staying.problems, leaving.problems + staying.problems
        await staying.close()
        return gone_after

    gone_after = widget_client.run(scenario())
    print(f"the closed session's kernel was culled {gone_after:.0f} s after its websocket closed")
