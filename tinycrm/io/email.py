"""RFC 822 e-mail messages as interaction data (the stdlib `email` package does the parsing)."""

from __future__ import annotations

from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from ..errors import InvalidData


def parse_message(data: bytes) -> dict:
    """Addresses (From first, then To, Cc), subject, sent time (UTC) and plain-text body."""
    if not data.strip():
        raise InvalidData("empty e-mail message")
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not any(msg.get(h) for h in ("From", "To", "Subject", "Date")):
        raise InvalidData("not an e-mail message: no From, To, Subject or Date header")
    addresses = []
    for header in ("From", "To", "Cc"):
        for _, addr in getaddresses([str(v) for v in msg.get_all(header, [])]):
            if addr and "@" in addr and addr.lower() not in [a.lower() for a in addresses]:
                addresses.append(addr)
    sent: datetime | None = None
    if msg.get("Date"):
        try:
            sent = parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            sent = None
        if sent is not None and sent.tzinfo is None:
            sent = sent.replace(tzinfo=timezone.utc)
    body_part = msg.get_body(preferencelist=("plain",))
    body = body_part.get_content().strip() if body_part is not None else ""
    return {
        "addresses": addresses,
        "from": addresses[0] if addresses else None,
        "subject": str(msg.get("Subject") or "").strip() or "(no subject)",
        "at": sent,
        "body": body,
        "message_id": str(msg.get("Message-ID") or "").strip() or None,
    }
