// Signed request objects (RFC 9101 JAR), driven by openid-client: buildAuthorizationUrlWithJAR
// signs the request with the client's own key, alone and then pushed through PAR (RFC 9126
// §3). The client is registered with private_key_jwt, its public key and
// --require-signed-request-object, so plain parameters are refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { authorize } from './lib/browserless.mjs';
import { discover, REDIRECT_URI, USER } from './lib/fixtures.mjs';
import { Provider } from './lib/provider.mjs';

const SCOPE = 'openid profile';

let env;
before(async () => {
  const { publicKey, privateKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  const jwks = { keys: [{ kty, crv, x, y, kid: 'rp-jar-1', alg: 'ES256', use: 'sig' }] };
  const p = new Provider();
  try {
    p.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--phone', USER.phone, '--name', USER.name);
    p.admin('client', 'create', '--client-id', 'rp-jar', '--name', 'Node JAR',
      '--redirect-uri', REDIRECT_URI, '--scope', SCOPE, '--grant-type', 'authorization_code',
      '--auth-method', 'private_key_jwt', '--jwks', JSON.stringify(jwks), '--no-consent',
      '--require-signed-request-object');
    await p.serve();
  } catch (e) {
    await p.stop();
    throw e;
  }
  env = { provider: p, issuer: p.issuer, key: { key: privateKey, kid: 'rp-jar-1' } };
});
after(() => env?.provider.stop());

const rp = () => discover(env, 'rp-jar', client.PrivateKeyJwt(env.key));

async function signedRequest(config) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const verifier = client.randomPKCECodeVerifier();
  const url = await client.buildAuthorizationUrlWithJAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    nonce,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }, env.key);
  return { url, checks: { expectedNonce: nonce, expectedState: state, pkceCodeVerifier: verifier, idTokenExpected: true } };
}

test('discovery says request objects are accepted', async () => {
  const metadata = (await rp()).serverMetadata();
  assert.equal(metadata.request_parameter_supported, true);
  assert.ok(metadata.request_object_signing_alg_values_supported.includes('ES256'));
  assert.ok(!metadata.request_object_signing_alg_values_supported.includes('none'));
});

test('a signed request object signs in', async () => {
  const config = await rp();
  const { url, checks } = await signedRequest(config);
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request']);
  const { callback } = await authorize(url, USER);
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  assert.equal(tokens.claims().aud, 'rp-jar');
  assert.equal(tokens.claims().nonce, checks.expectedNonce);

  // Its jti is taken: the same URL again is refused at the client's redirect URI.
  const again = await fetch(url, { redirect: 'manual' });
  assert.equal(again.status, 303);
  const location = new URL(again.headers.get('location'));
  assert.equal(location.searchParams.get('error'), 'invalid_request_object');
});

test('a signed request object pushed through PAR signs in', async () => {
  const config = await rp();
  const { url: jar, checks } = await signedRequest(config);
  const url = await client.buildAuthorizationUrlWithPAR(config, jar.searchParams);
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
  const { callback } = await authorize(url, USER);
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  assert.equal(tokens.claims().sub.length > 0, true);
});

test('plain parameters are refused for a client that must sign them', async () => {
  const config = await rp();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: SCOPE });
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.searchParams.get('error'), 'invalid_request');
});
