"""Authorization code flow (OIDC Core 3.1) through authlib, for each client
authentication method, with the ID token checked by joserfc and userinfo read back."""

import pytest

from rp import USER


@pytest.mark.parametrize(
    ("which", "pkce"),
    [("basic", False), ("post", False), ("public", True), ("pkjwt", True)],
    ids=["client_secret_basic", "client_secret_post", "public_pkce_s256", "private_key_jwt"],
)
def test_code_flow(op, which, pkce):
    sess = op.session(which)
    token, nonce, pages, _, _ = op.code_flow(sess, pkce=pkce)
    assert pages == ["login"]
    assert token["token_type"].lower() == "bearer"
    assert "refresh_token" not in token, "no offline_access requested"

    claims = op.verify_id_token(token, op.clients[which]["client_id"], nonce)

    info = sess.get(op.meta["userinfo_endpoint"], timeout=10)
    assert info.status_code == 200, info.text
    info = info.json()
    assert info["sub"] == claims["sub"]
    assert info["email"] == USER["email"]
    assert info["name"] == USER["name"]


def test_same_user_same_subject_for_one_client(op):
    subs = set()
    for _ in range(2):
        sess = op.session("basic", scope="openid")
        token, nonce, *_ = op.code_flow(sess)
        subs.add(op.verify_id_token(token, op.clients["basic"]["client_id"], nonce)["sub"])
    assert len(subs) == 1


def test_consent_page_is_shown_and_allowed(op):
    sess = op.session("consent", scope="openid profile")
    token, nonce, pages, _, _ = op.code_flow(sess)
    assert pages == ["login", "consent"]
    op.verify_id_token(token, op.clients["consent"]["client_id"], nonce)
