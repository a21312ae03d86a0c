"""Refresh (RFC 6749 section 6), client credentials with a JWT access token for a product
(RFC 9068), introspection by the product (RFC 7662) and revocation (RFC 7009)."""

import pytest
from authlib.integrations.requests_client import OAuth2Session, OAuthError

from rp import PRODUCT


def offline_tokens(op):
    sess = op.session("basic", scope="openid offline_access")
    token, *_ = op.code_flow(sess, prompt="consent")
    assert token.get("refresh_token"), "offline_access yields a refresh token"
    return sess, token


def test_refresh_rotates_and_the_used_token_is_invalid_grant(op):
    sess, token = offline_tokens(op)
    new = sess.refresh_token(op.meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert new["access_token"] != token["access_token"]
    assert new.get("refresh_token") and new["refresh_token"] != token["refresh_token"]
    assert sess.get(op.meta["userinfo_endpoint"], timeout=10).status_code == 200

    with pytest.raises(OAuthError) as err:
        sess.refresh_token(op.meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert err.value.error == "invalid_grant"


def test_revoked_refresh_token_is_invalid_grant(op):
    sess, token = offline_tokens(op)
    r = sess.revoke_token(op.meta["revocation_endpoint"], token=token["refresh_token"],
                          token_type_hint="refresh_token")
    assert r.status_code == 200, r.text
    with pytest.raises(OAuthError) as err:
        sess.refresh_token(op.meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert err.value.error == "invalid_grant"


def service(op):
    c = op.clients["service"]
    return OAuth2Session(c["client_id"], c["client_secret"], scope=PRODUCT)


def product(op):
    return OAuth2Session(op.product["client_id"], op.product["client_secret"])


def test_client_credentials_gives_a_jwt_for_the_product(op):
    token = service(op).fetch_token(op.meta["token_endpoint"], grant_type="client_credentials")
    assert "refresh_token" not in token
    at = op.verify_jwt(token["access_token"], aud={"essential": True, "value": PRODUCT},
                       client_id={"essential": True, "value": "svc"}, jti={"essential": True},
                       sub={"essential": True})
    assert at.header.get("typ", "").lower() in ("at+jwt", "application/at+jwt")
    assert PRODUCT in at.claims["scope"].split()


def test_introspection_then_revocation(op):
    svc = service(op)
    token = svc.fetch_token(op.meta["token_endpoint"], grant_type="client_credentials")
    url = op.meta["introspection_endpoint"]

    r = product(op).introspect_token(url, token=token["access_token"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["active"] is True
    assert body["client_id"] == "svc"
    assert PRODUCT in ([body["aud"]] if isinstance(body["aud"], str) else body["aud"])
    assert PRODUCT in body["scope"].split()

    r = svc.revoke_token(op.meta["revocation_endpoint"], token=token["access_token"],
                         token_type_hint="access_token")
    assert r.status_code == 200, r.text
    assert product(op).introspect_token(url, token=token["access_token"]).json()["active"] is False


def test_introspection_needs_authentication(op):
    r = OAuth2Session(op.product["client_id"], "wrong").introspect_token(
        op.meta["introspection_endpoint"], token="anything")
    assert r.status_code == 401
