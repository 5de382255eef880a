"""Uvicorn that ends open event streams when a graceful stop begins.

Uvicorn waits for every open response before it runs the app's shutdown, and
an event stream never ends by itself, so a plain server would hang on stop
until killed. This one tells the streams to finish first; clients reconnect
(to another replica) with their Last-Event-ID and lose nothing.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI

GRACEFUL_STOP_SECONDS = 20


class StreamAwareServer(uvicorn.Server):
    """A uvicorn server that ends the app's event streams on shutdown."""

    def __init__(self, config: uvicorn.Config, app: FastAPI):
        super().__init__(config)
        self.notifier = app.state.notifier

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """End the streams, then stop as uvicorn does."""
        self.notifier.end_streams()
        await super().shutdown(sockets)


def build_server(app: FastAPI, *, port: int,
                 host: str = "127.0.0.1") -> StreamAwareServer:
    """The server of one app; logging stays as the service configures it."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None,
                            lifespan="on", access_log=False,
                            timeout_graceful_shutdown=GRACEFUL_STOP_SECONDS)
    return StreamAwareServer(config, app)
