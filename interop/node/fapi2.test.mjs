// A FAPI 2.0 Security Profile client (`--profile fapi2`) driven by openid-client v6: the
// authorization request pushed (PAR) with PKCE S256, the client authenticated with
// private_key_jwt, the tokens DPoP-bound, the ID token ES256. The same client without a
// DPoP proof is refused, and a request that skips PAR never gets a code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { authorize } from './lib/browserless.mjs';
import { discover, REDIRECT_URI, rejectsWith, USER } from './lib/fixtures.mjs';
import { Provider } from './lib/provider.mjs';

const SCOPE = 'openid profile';
const KID = 'rp-fapi2-1';

let env;
before(async () => {
  const { publicKey, privateKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  const jwks = { keys: [{ kty, crv, x, y, kid: KID, alg: 'ES256', use: 'sig' }] };
  const p = new Provider();
  try {
    p.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--phone', USER.phone, '--name', USER.name);
    p.admin('client', 'create', '--client-id', 'rp-fapi2', '--name', 'Node FAPI 2.0',
      '--redirect-uri', REDIRECT_URI, '--scope', SCOPE, '--grant-type', 'authorization_code',
      '--auth-method', 'private_key_jwt', '--jwks', JSON.stringify(jwks),
      '--id-token-alg', 'ES256', '--profile', 'fapi2', '--no-consent');
    await p.serve();
  } catch (e) {
    await p.stop();
    throw e;
  }
  env = { provider: p, issuer: p.issuer, key: { key: privateKey, kid: KID } };
});
after(() => env?.provider.stop());

const fapi = () => discover(env, 'rp-fapi2', client.PrivateKeyJwt(env.key));

/** PAR with PKCE, the browser's sign-in, and the callback URL it lands on. */
async function pushedAuthorization(config, dpop) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const verifier = client.randomPKCECodeVerifier();
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    nonce,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }, dpop ? { DPoP: dpop } : undefined);
  const { callback } = await authorize(url, USER);
  return { callback, nonce, state, verifier };
}

test('a FAPI 2.0 client completes a flow with PAR, PKCE, private_key_jwt and DPoP', async () => {
  const config = await fapi();
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const { callback, nonce, state, verifier } = await pushedAuthorization(config, dpop);
  assert.equal(callback.searchParams.get('iss'), env.issuer);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    expectedNonce: nonce, expectedState: state, pkceCodeVerifier: verifier, idTokenExpected: true,
  }, undefined, { DPoP: dpop });
  assert.equal(tokens.token_type, 'dpop');
  const [header] = tokens.id_token.split('.');
  assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).alg, 'ES256');
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub, { DPoP: dpop });
  assert.equal(info.sub, tokens.claims().sub);
});

test('the same client without DPoP is refused at the token endpoint', async () => {
  const config = await fapi();
  const { callback, nonce, state, verifier } = await pushedAuthorization(config);
  await rejectsWith(client.authorizationCodeGrant(config, callback, {
    expectedNonce: nonce, expectedState: state, pkceCodeVerifier: verifier, idTokenExpected: true,
  }), 'invalid_request');
});

test('an authorization request that is not pushed gets no code', async () => {
  const config = await fapi();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI, scope: SCOPE, state: client.randomState(),
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const response = await fetch(url, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? '', env.issuer);
  assert.equal(location.searchParams.get('code'), null);
  assert.equal(location.searchParams.get('error'), 'invalid_request');
});

test('a pushed request without PKCE is refused', async () => {
  const config = await fapi();
  await rejectsWith(client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI, scope: SCOPE, state: client.randomState(),
  }), 'invalid_request');
});
