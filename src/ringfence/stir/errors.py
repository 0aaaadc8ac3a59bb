"""The one exception type the STIR parsers raise internally: a failure kind and plain words.

Why one type carrying a `StirFailure`: the verifier turns every parsing problem into a
`StirResult` with the right SIP code, so the parsers only need to say *which* check failed and
*why*; the mapping to 428/436/437/438/403 lives in one table (`result.py`).
"""

from __future__ import annotations

from ringfence.stir.result import StirFailure


class StirError(ValueError):
    """A check failed: `failure` says which (and so the SIP code), the message says why."""

    def __init__(self, failure: StirFailure, message: str) -> None:
        self.failure = failure
        super().__init__(message)


class CertificateStoreError(ValueError):
    """The certificate store cannot be built from what was given (bad PEM, missing file...).

    Raised while *loading* a store, never while verifying a call: the message says which file
    or URL and how to fix it.
    """
