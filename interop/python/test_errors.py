"""Error answers a client library must be able to rely on (RFC 6749 sections 4.1.2.1,
4.1.3, 5.2; RFC 7636 4.6)."""

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError

from harness import authorize
from rp import PRODUCT, REDIRECT_URI, USER


def test_wrong_secret_basic_is_401_invalid_client(op):
    r = requests.post(op.meta["token_endpoint"], data={"grant_type": "client_credentials", "scope": PRODUCT},
                      auth=("svc", "wrong-secret"), timeout=10)
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.headers.get("WWW-Authenticate", "").lower().startswith("basic")


def test_wrong_secret_post_is_invalid_client(op):
    sess = OAuth2Session("svc", "wrong-secret", scope=PRODUCT, token_endpoint_auth_method="client_secret_post")
    with pytest.raises(OAuthError) as err:
        sess.fetch_token(op.meta["token_endpoint"], grant_type="client_credentials")
    assert err.value.error == "invalid_client"


def test_reused_code_is_invalid_grant(op):
    sess = op.session("basic")
    token, _, _, callback, _ = op.code_flow(sess)
    with pytest.raises(OAuthError) as err:
        sess.fetch_token(op.meta["token_endpoint"], authorization_response=callback)
    assert err.value.error == "invalid_grant"


def test_reused_code_revokes_what_it_issued(op):
    """RFC 6749 4.1.2: the server SHOULD revoke tokens issued from a replayed code."""
    sess = op.session("basic")
    token, _, _, callback, _ = op.code_flow(sess)
    with pytest.raises(OAuthError):
        sess.fetch_token(op.meta["token_endpoint"], authorization_response=callback)
    r = requests.get(op.meta["userinfo_endpoint"], timeout=10,
                     headers={"Authorization": f"Bearer {token['access_token']}"})
    assert r.status_code == 401


def test_wrong_pkce_verifier_is_invalid_grant(op):
    sess = op.session("public")
    url, _ = sess.create_authorization_url(op.meta["authorization_endpoint"], nonce="n-1",
                                           code_verifier="a" * 64)
    callback, _ = authorize(url, USER["login"], USER["password"])
    with pytest.raises(OAuthError) as err:
        sess.fetch_token(op.meta["token_endpoint"], authorization_response=callback, code_verifier="b" * 64)
    assert err.value.error == "invalid_grant"


@pytest.mark.parametrize("client_id,redirect_uri", [
    ("no-such-client", REDIRECT_URI),
    ("rp-basic", "https://evil.example/cb"),
])
def test_unknown_client_or_redirect_uri_is_not_redirected(op, client_id, redirect_uri):
    r = requests.get(op.meta["authorization_endpoint"], allow_redirects=False, timeout=10, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": "openid", "state": "s", "nonce": "n"})
    assert r.status_code >= 400, "an error page, never a redirect"
    assert "Location" not in r.headers
