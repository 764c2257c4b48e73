"""End to end over Socket Mode: `rolebot serve --socket` connects to a local websocket server
standing in for Slack's, receives an app_mention envelope, acks it and answers over the Web
API stand-in."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.serve_process import APP_TOKEN, BotProcess, bot_env, start_bot
from support.slack_api import BOT_USER_ID, SlackStandIn
from support.slack_events import event_envelope, unique
from websockets.asyncio.server import ServerConnection, serve

pytestmark = pytest.mark.slow


class SocketModeStandIn:
    """A websocket server in its own thread and event loop: says hello, then delivers what
    the test queues and collects what the client sends back."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.connected = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._outbox: asyncio.Queue[str] | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> SocketModeStandIn:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket=test"

    def send(self, message: dict) -> None:
        assert self._outbox is not None
        self._loop.call_soon_threadsafe(self._outbox.put_nowait, json.dumps(message))

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(timeout=10)

    def wait_for(self, predicate, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.received):
                if predicate(message):
                    return message
            time.sleep(0.05)
        raise AssertionError(f"nothing matching from the client; received {self.received}")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._outbox = asyncio.Queue()
        self._stop = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    async def _handle(self, connection: ServerConnection) -> None:
        assert self._outbox is not None
        await connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()

        async def pump() -> None:
            while True:
                await connection.send(await self._outbox.get())

        sender = asyncio.create_task(pump())
        try:
            async for raw in connection:
                self.received.append(json.loads(raw))
        except Exception:
            pass
        finally:
            sender.cancel()


@pytest.fixture(scope="module")
def socket_bot(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SocketModeStandIn, SlackStandIn]]:
    ws = SocketModeStandIn().start()
    standin = SlackStandIn(ws_url=ws.url).start()
    data_dir: Path = tmp_path_factory.mktemp("rolebot-socket")
    env = bot_env(standin, data_dir, SLACK_APP_TOKEN=APP_TOKEN)
    bot: BotProcess = start_bot([], env, data_dir / "serve.log")
    try:
        deadline = time.monotonic() + 120
        while not ws.connected.wait(0.25):
            if bot.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rolebot serve --socket did not connect:\n{bot.log()}")
        yield ws, standin
    finally:
        bot.stop()
        standin.stop()
        ws.stop()


def test_socket_mode_mention_is_acked_and_answered(socket_bot) -> None:
    ws, standin = socket_bot
    opened = standin.find("apps.connections.open")
    assert opened and opened[0].headers["authorization"] == f"Bearer {APP_TOKEN}"
    channel, ts = unique("C"), f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": "UASKER1",
        "text": f"<@{BOT_USER_ID}> who owns the technical roadmap?",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    envelope_id = unique("env-")
    ws.send(
        {
            "envelope_id": envelope_id,
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
            "payload": event_envelope(event, unique("Ev")),
        }
    )
    ack = ws.wait_for(lambda m: m.get("envelope_id") == envelope_id)
    assert ack == {"envelope_id": envelope_id}
    (answer,) = standin.wait_for("chat.postMessage", lambda c: c.body.get("channel") == channel)
    assert answer.body["thread_ts"] == ts
    assert "technical roadmap" in answer.blocks_text()
