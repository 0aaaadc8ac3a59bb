"""Blocklist exports: the store's blocklist, checked again, in the formats blockers import,
signed with Ed25519.

Public API (see docs/web.md):

- `build_export(reputations, fmt, *, since=None, signing_key=None) -> Export`: the exact bytes,
  their detached signature (when a key is given) and what was left out, by reason;
- `ExportFormat`: e164, patterns, csv, json, callblocker, ncid;
- `generate_keypair(dir)`, `load_private_key(path)`, `load_public_key(bytes)`, `sign`, `verify`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ringfence.export.formats import ExportError, ExportFormat, render
from ringfence.export.selection import ExportSelector, Selection
from ringfence.export.signing import (
    SigningError,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_key,
    sign,
    verify,
)
from ringfence.reputation.service import Reputations

__all__ = [
    "Export",
    "ExportError",
    "ExportFormat",
    "ExportSelector",
    "Selection",
    "SigningError",
    "build_export",
    "generate_keypair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "sign",
    "verify",
]


@dataclass(frozen=True, slots=True)
class Export:
    """One export: the bytes to write or send, and their signature."""

    format: ExportFormat
    body: bytes
    selection: Selection
    signature: str | None
    """Base64 Ed25519 signature of `body` (with a trailing newline), when signed."""
    key_id: str | None


def build_export(
    reputations: Reputations,
    fmt: ExportFormat,
    *,
    since: int | None = None,
    signing_key: Ed25519PrivateKey | None = None,
    limit: int = 100_000,
) -> Export:
    """Select, render and sign; raises `ExportError` for a delta in a full-list format."""
    if since is not None and not fmt.supports_delta:
        render(Selection(0, since, reputations.clock.now(), "", (), (), ()), fmt)
    selection = ExportSelector(reputations).select(since=since, limit=limit)
    body, selection = render(selection, fmt)
    signature = sign(body, signing_key) if signing_key is not None else None
    kid = key_id(signing_key.public_key()) if signing_key is not None else None
    return Export(fmt, body, selection, signature, kid)
