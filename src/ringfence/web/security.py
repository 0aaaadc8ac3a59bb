"""Who is using the pages: the citizen's anonymous client token, the form token against
cross-site posts, and the analyst's API key.

- `rf_client`: a random token set on the first visit of the report form (HttpOnly, SameSite=Lax,
  one year). The report desk only keeps its salted hash: it makes "one vote per person per
  number" work in a browser without any account.
- form token: an HMAC of the client token with a per-store secret (kept in the store's meta
  table, created on first use). A page on another site cannot read the cookie, so it cannot
  forge the form token: a cross-site POST is refused with a message that says to reload.
- `rf_key`: the analyst's API key, stored as the user typed it in an HttpOnly, SameSite=Strict
  cookie (or sent as `X-API-Key`); it is checked against the store on every page like any API
  call, with the scope the page needs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from ringfence.api.deps import Services
from ringfence.api.keys import grants
from ringfence.reputation.store import ApiKeyRecord

CLIENT_COOKIE = "rf_client"
KEY_COOKIE = "rf_key"
_SECRET_META = "web_form_secret"


def app_services(request: Request) -> Services:
    """The API app's services (the same store and reputation model as the API)."""
    found: Services = request.app.state.services
    return found


def client_token(request: Request) -> tuple[str, bool]:
    """The browser's client token, and whether it is new (then set the cookie)."""
    token = request.cookies.get(CLIENT_COOKIE, "")
    if 16 <= len(token) <= 256:
        return token, False
    return "web-" + secrets.token_urlsafe(24), True


def form_token(svc: Services, client: str) -> str:
    secret = svc.store.set_meta_if_absent(_SECRET_META, secrets.token_hex(32))
    return hmac.new(secret.encode(), client.encode(), hashlib.sha256).hexdigest()[:32]


def form_token_ok(svc: Services, client: str, presented: str) -> bool:
    return hmac.compare_digest(form_token(svc, client), presented or "")


def analyst(request: Request, svc: Services, scope: str = "operator") -> ApiKeyRecord | None:
    """The valid key of the analyst (cookie or X-API-Key) when it grants `scope`, else None."""
    presented = request.headers.get("x-api-key") or request.cookies.get(KEY_COOKIE, "")
    if not presented or len(presented) > 256:
        return None
    record = svc.keys.check(presented.strip())
    if record is None or not grants(record, scope):
        return None
    return record
