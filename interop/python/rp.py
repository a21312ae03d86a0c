"""The relying-party side of the Python interop suite: the standard data set, authlib
sessions for each registered client, the code flow, and JWT checks with joserfc."""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry

from harness import Provider, authorize

USER = {"login": "alice", "password": "Correct-Horse-Battery-7", "email": "alice@example.test",
        "phone": "+79990001122", "name": "Alice Example"}
REDIRECT_URI = "https://rp.example/cb"
PRODUCT = "extern.api"
RP_SCOPE = "openid profile email offline_access"
SECRETS = {"basic": "basic-secret-4f9a2c", "post": "post-secret-7b1e0d",
           "consent": "consent-secret-5d2f8a", "service": "svc-secret-9c3e1b"}
PKJWT_KID = "rp-pkjwt-py-1"


@dataclass
class Env:
    provider: Provider
    issuer: str
    meta: dict
    clients: dict
    product: dict
    pkjwt_key: RSAKey
    _keys: KeySet = field(default=None, repr=False)

    def session(self, which, scope="openid profile email"):
        """An authlib OAuth2Session for the client registered as `which`."""
        c = self.clients[which]
        common = {"scope": scope, "redirect_uri": REDIRECT_URI}
        if which == "public":
            return OAuth2Session(c["client_id"], token_endpoint_auth_method="none",
                                 code_challenge_method="S256", **common)
        if which == "pkjwt":
            s = OAuth2Session(c["client_id"], self.pkjwt_key, token_endpoint_auth_method="private_key_jwt",
                              code_challenge_method="S256", **common)
            s.register_client_auth_method(PrivateKeyJWT(self.meta["token_endpoint"], headers={"kid": PKJWT_KID}))
            return s
        method = "client_secret_post" if which == "post" else "client_secret_basic"
        return OAuth2Session(c["client_id"], c["client_secret"], token_endpoint_auth_method=method, **common)

    def code_flow(self, sess, pkce=False, **params):
        """Signs USER in through `sess`; returns (token, nonce, pages, callback_url, verifier)."""
        nonce = secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(48) if pkce else None
        url, _state = sess.create_authorization_url(self.meta["authorization_endpoint"], nonce=nonce,
                                                    code_verifier=verifier, **params)
        callback, pages = authorize(url, USER["login"], USER["password"])
        query = parse_qs(urlsplit(callback).query)
        assert callback.split("?")[0] == REDIRECT_URI
        assert query.get("iss") == [self.issuer], "RFC 9207 iss parameter"
        assert "error" not in query, query
        token = sess.fetch_token(self.meta["token_endpoint"], authorization_response=callback,
                                 code_verifier=verifier)
        return token, nonce, pages, callback, verifier

    def keys(self):
        if self._keys is None:
            self._keys = KeySet.import_key_set(requests.get(self.meta["jwks_uri"], timeout=10).json())
        return self._keys

    def verify_jwt(self, value, **claims):
        """Verifies the signature against the provider's JWKS and the claims given as
        joserfc claim options; returns the token (header, claims)."""
        algs = [a for a in self.meta.get("id_token_signing_alg_values_supported", ["RS256"]) if a != "none"]
        token = jwt.decode(value, self.keys(), algorithms=algs)
        JWTClaimsRegistry(leeway=5, exp={"essential": True}, iat={"essential": True},
                          iss={"essential": True, "value": self.issuer}, **claims).validate(token.claims)
        return token

    def verify_id_token(self, token, client_id, nonce):
        """OIDC Core 3.1.3.7: signature, iss, aud, exp, iat, nonce; at_hash when present."""
        id_token = self.verify_jwt(token["id_token"], sub={"essential": True},
                                   aud={"essential": True, "value": client_id},
                                   nonce={"essential": True, "value": nonce})
        claims = id_token.claims
        if isinstance(claims["aud"], list) and len(claims["aud"]) > 1:
            assert claims.get("azp") == client_id
        if "at_hash" in claims:
            assert claims["at_hash"] == _half_hash(id_token.header["alg"], token["access_token"])
        return claims


def _half_hash(alg, value):
    bits = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}
    h = hashlib.sha512 if alg == "EdDSA" else bits[alg[-3:]]
    digest = h(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def start_env():
    """Starts a provider with one user, one product and a client per authentication method."""
    key = RSAKey.generate_key(2048, parameters={"kid": PKJWT_KID, "alg": "RS256", "use": "sig"})
    jwks = {"keys": [key.as_dict(private=False)]}
    p = Provider()
    try:
        product = p.admin("product", "create", "--audience", PRODUCT, "--scope", PRODUCT, "--token-format", "jwt")
        p.admin("user", "create", "--login", USER["login"], "--password", USER["password"],
                "--email", USER["email"], "--phone", USER["phone"], "--name", USER["name"])

        def rp(cid, *extra):
            return p.admin("client", "create", "--client-id", cid, "--name", f"Python {cid}",
                           "--redirect-uri", REDIRECT_URI, "--scope", RP_SCOPE,
                           "--grant-type", "authorization_code", "--grant-type", "refresh_token", *extra)

        clients = {
            "basic": rp("rp-basic", "--auth-method", "client_secret_basic", "--secret", SECRETS["basic"], "--no-consent"),
            "post": rp("rp-post", "--auth-method", "client_secret_post", "--secret", SECRETS["post"], "--no-consent"),
            "public": rp("rp-public", "--public", "--auth-method", "none", "--no-consent"),
            "pkjwt": rp("rp-pkjwt", "--auth-method", "private_key_jwt", "--jwks", json.dumps(jwks), "--no-consent"),
            "consent": rp("rp-consent", "--auth-method", "client_secret_basic", "--secret", SECRETS["consent"]),
            "service": p.admin("client", "create", "--client-id", "svc", "--name", "Python service",
                               "--redirect-uri", REDIRECT_URI, "--scope", PRODUCT,
                               "--grant-type", "client_credentials", "--auth-method", "client_secret_basic",
                               "--secret", SECRETS["service"]),
        }
        for name, secret in SECRETS.items():
            # An imported api-key is not echoed back by the CLI: the caller knows it.
            clients[name]["client_secret"] = secret
        p.serve(env={"PROPUSK_METRICS__ENABLED": "true"})
        meta = requests.get(f"{p.issuer}/.well-known/openid-configuration", timeout=10).json()
        return Env(p, p.issuer, meta, clients, product, key)
    except BaseException:
        p.stop()
        raise

