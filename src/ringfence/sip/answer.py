"""Turn a screener `Verdict` into the redirect server's answer: status, reason, headers.

Why 302 for everything that rings: a redirect server never forwards the call itself; the proxy
asks it, reads the answer and routes. `allow`, `label` and `warn` come back as 302 to the
Request-URI (the proxy goes on as planned, reading the verdict header to add a label or play the
warning), `voicemail` as 302 to the voicemail URI. `block` is a 6xx so no other branch rings:
607 Unwanted (RFC 8197) by default, 608 Rejected (RFC 8688) when the rule says the decision is
an analytics engine's, with the Call-Info redress pointer RFC 8688 asks for.

What the screener can put in a verdict for us (read when present):
- `signals["label"]` or a label hit's `evidence["label"]`: the label text (default
  "Suspected scam");
- `signals["announcement"]` or a warn hit's `evidence["announcement"]`: the announcement id
  (default `callback-warning`);
- `signals["analytics"]` or a block hit's `evidence["analytics"]` set to true: the block is an
  analytics decision (608 under `--block-code auto`).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

from ringfence.domain.verdicts import Outcome, Verdict
from ringfence.sip.config import BlockCode, SipConfig
from ringfence.sip.message import SipRequest
from ringfence.sip.response import clean_text

VERDICT_HEADER = "X-Ringfence-Verdict"
DEFAULT_LABEL = "Suspected scam"
DEFAULT_ANNOUNCEMENT = "callback-warning"
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~\-]+$")


@dataclass(frozen=True, slots=True)
class Answer:
    """What to send back: status, reason phrase and the headers beyond the copied ones."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...] = ()


def quote_param(value: str) -> str:
    """A header parameter value: as is when a token, else a quoted string."""
    if _TOKEN.match(value):
        return value
    escaped = clean_text(value, 300).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _first_evidence(verdict: Verdict, outcome: Outcome, key: str) -> object:
    if key in verdict.signals:
        return verdict.signals[key]
    for hit in verdict.hits:
        if hit.outcome is outcome and key in hit.evidence:
            return hit.evidence[key]
    return None


def verdict_header(verdict: Verdict) -> str:
    """`<outcome>;rules="a,b";policy=<version>` plus `label=` or `announcement=` when apt."""
    parts = [
        verdict.outcome.value,
        f"rules={quote_param(','.join(verdict.rules)) if verdict.rules else chr(34) * 2}",
        f"policy={quote_param(verdict.policy_version or 'unknown')}",
    ]
    if verdict.outcome is Outcome.LABEL:
        label = _first_evidence(verdict, Outcome.LABEL, "label") or DEFAULT_LABEL
        parts.append(f"label={quote_param(str(label))}")
    if verdict.outcome is Outcome.WARN:
        announcement = _first_evidence(verdict, Outcome.WARN, "announcement")
        parts.append(f"announcement={quote_param(str(announcement or DEFAULT_ANNOUNCEMENT))}")
    return ";".join(parts)


def is_analytics_block(verdict: Verdict) -> bool:
    """Whether the block was decided by an analytics engine (signal or block-rule evidence)."""
    if verdict.signals.get("analytics") is True:
        return True
    return any(
        hit.outcome is Outcome.BLOCK and hit.evidence.get("analytics") is True
        for hit in verdict.hits
    )


def answer_for(verdict: Verdict, request: SipRequest, config: SipConfig) -> Answer:
    """The answer to `request` for `verdict`."""
    header = (VERDICT_HEADER, verdict_header(verdict))
    if verdict.outcome is not Outcome.BLOCK:
        target = request.uri
        if verdict.outcome is Outcome.VOICEMAIL and config.voicemail_uri:
            target = config.voicemail_uri
        return Answer(302, "Moved Temporarily", (("Contact", f"<{target}>"), header))
    blockers = [hit for hit in verdict.hits if hit.outcome is Outcome.BLOCK]
    rules = ", ".join(hit.rule for hit in blockers) or "policy"
    analytics = is_analytics_block(verdict)
    rejected = config.block_code is BlockCode.REJECTED or (
        config.block_code is BlockCode.AUTO and analytics
    )
    status, phrase = (608, "Rejected") if rejected else (607, "Unwanted")
    why = f"{blockers[0].rule}: {blockers[0].reason}" if blockers else "blocked by policy"
    headers = [header, ("Reason", f"SIP;cause={status};text={quote_param(why)}")]
    if rejected:
        headers.append(("Call-Info", f"<{redress_uri(config, rules)}>;purpose=jwscard"))
    return Answer(status, f"{phrase} ({rules})", tuple(headers))


def redress_uri(config: SipConfig, rules: str) -> str:
    """The configured redress URI, else a data: URI holding a small (unsigned) jCard."""
    if config.redress_uri:
        return config.redress_uri
    card = [
        "vcard",
        [
            ["version", {}, "text", "4.0"],
            ["kind", {}, "text", "org"],
            ["fn", {}, "text", f"{config.server_name} call screening"],
            [
                "note",
                {},
                "text",
                f"Call rejected by automated screening (rules: {rules}). "
                "If this is wrong, contact the called party's operator and quote the Call-ID.",
            ],
        ],
    ]
    encoded = base64.b64encode(json.dumps(card, separators=(",", ":")).encode()).decode()
    return f"data:application/json;base64,{encoded}"


def screening_failed_answer(request: SipRequest) -> Answer:
    """Fail open: the call goes on (302 to the Request-URI), the header says screening failed.

    Why open: a screener fault must not stop every call of the network; the proxy sees
    `screening=failed` and the error is logged and counted (`screen_errors`).
    """
    value = 'allow;rules="";policy=none;screening=failed'
    return Answer(
        302, "Moved Temporarily", (("Contact", f"<{request.uri}>"), (VERDICT_HEADER, value))
    )
