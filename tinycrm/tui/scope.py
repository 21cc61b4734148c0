"""Whose records a screen shows: mine, everyone's, or the shared pool (公海).

The switch is a term of the filter language put in front of the user's own filter
(`owner:me`, `owner:none`), so there is one filter language, and the pool is exactly
what `owner:none` and `pool list` mean. Pure: no Textual, no SQL.
"""

from __future__ import annotations

SCOPES: tuple[str, ...] = ("mine", "everyone", "pool")
"""The order the switch cycles through."""

DEFAULT_SCOPE = "everyone"
"""A new session shows every record, as before the switch existed."""

_TERMS = {"mine": "owner:me", "everyone": "", "pool": "owner:none"}


def next_scope(scope: str) -> str:
    """The scope the switch moves to after `scope`."""
    return SCOPES[(SCOPES.index(scope) + 1) % len(SCOPES)]


def scope_term(scope: str) -> str:
    """The filter term a scope stands for ('' for everyone)."""
    return _TERMS[scope]


def scoped_filter(scope: str, text: str) -> str:
    """The user's filter within a scope: `owner:me (ada OR bob)`; the parentheses keep an OR inside."""
    term, text = _TERMS[scope], text.strip()
    if not term:
        return text
    return f"{term} ({text})" if text else term


def scope_label(scope: str, user: str) -> str:
    """How the header names a scope: `Mine (alice)`, `Everyone`, `Pool (公海)`."""
    return {"mine": f"Mine ({user})", "everyone": "Everyone", "pool": "Pool (公海)"}[scope]
