"""Messages shared across screens."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """The database changed (a write of ours, or another process: cron, the CLI)."""

    def __init__(self, external: bool = False) -> None:
        super().__init__()
        self.external = external
