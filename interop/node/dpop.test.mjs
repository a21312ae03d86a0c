// DPoP (RFC 9449) driven by openid-client: a DPoP handle on the token requests binds the
// access and refresh tokens to its key, userinfo and protected resources take them with
// proofs, and the provider (run with [dpop] require_nonce) makes the library retry with
// the server nonce it hands out. A client registered with --require-dpop is refused
// without a proof.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { authorize } from './lib/browserless.mjs';
import { discover, REDIRECT_URI, rejectsWith, USER } from './lib/fixtures.mjs';
import { Provider } from './lib/provider.mjs';

const ORDERS = 'https://orders.example/';
const SCOPE = 'openid profile offline_access';

let env;
before(async () => {
  // `propusk serve` reads [dpop] require_nonce from the environment.
  process.env.PROPUSK_DPOP__REQUIRE_NONCE = 'true';
  const p = new Provider();
  try {
    p.admin('product', 'create', '--audience', ORDERS, '--scope', 'orders.read', '--token-format', 'jwt');
    p.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--phone', USER.phone, '--name', USER.name);
    p.admin('client', 'create', '--client-id', 'rp-dpop-spa', '--name', 'Node DPoP SPA',
      '--redirect-uri', REDIRECT_URI, '--scope', SCOPE, '--grant-type', 'authorization_code',
      '--grant-type', 'refresh_token', '--public', '--auth-method', 'none', '--no-consent');
    p.admin('client', 'create', '--client-id', 'svc-dpop', '--name', 'Node DPoP service',
      '--redirect-uri', REDIRECT_URI, '--scope', 'orders.read', '--grant-type', 'client_credentials',
      '--auth-method', 'client_secret_basic', '--secret', 'dpop-secret-5c1e7a', '--require-dpop');
    await p.serve();
  } catch (e) {
    await p.stop();
    throw e;
  }
  env = { provider: p, issuer: p.issuer };
});
after(() => env?.provider.stop());

const spa = () => discover(env, 'rp-dpop-spa', client.None());
const service = () => discover(env, 'svc-dpop', client.ClientSecretBasic('dpop-secret-5c1e7a'));

async function codeFlow(config, dpop) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    nonce,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const { callback } = await authorize(url, USER);
  return client.authorizationCodeGrant(config, callback, {
    expectedNonce: nonce,
    expectedState: state,
    pkceCodeVerifier: verifier,
    idTokenExpected: true,
  }, undefined, { DPoP: dpop });
}

test('discovery lists the DPoP algorithms', async () => {
  const config = await spa();
  const algs = config.serverMetadata().dpop_signing_alg_values_supported;
  for (const alg of ['ES256', 'PS256', 'RS256', 'EdDSA']) assert.ok(algs.includes(alg), alg);
});

test('a code flow with DPoP binds the tokens; userinfo and refresh take proofs (nonce retry)', async () => {
  const config = await spa();
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const tokens = await codeFlow(config, dpop);
  assert.equal(tokens.token_type, 'dpop');
  const sub = tokens.claims().sub;
  const info = await client.fetchUserInfo(config, tokens.access_token, sub, { DPoP: dpop });
  assert.equal(info.sub, sub);

  // The bound token is useless without the key: as a bearer token, and with another key.
  await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub));
  const thief = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub, { DPoP: thief }));
  await rejectsWith(client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: thief }),
    'invalid_grant');

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: dpop });
  assert.equal(refreshed.token_type, 'dpop');
  const res = await client.fetchProtectedResource(config, refreshed.access_token,
    new URL(`${env.issuer}/connect/userinfo`), 'GET', undefined, undefined, { DPoP: dpop });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, sub);
});

test('a fresh handle learns the nonce from use_dpop_nonce and retries once', async () => {
  const config = await service();
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('PS256'));
  const tokens = await client.clientCredentialsGrant(config, { scope: 'orders.read' }, { DPoP: dpop })
    .catch((e) => { throw new Error(`${e.error}: ${e.error_description}`); });
  assert.equal(tokens.token_type, 'dpop');
  const [, payload] = tokens.access_token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  assert.equal(typeof claims.cnf.jkt, 'string');
});

test('a client that requires DPoP is refused without a proof', async () => {
  const config = await service();
  await rejectsWith(client.clientCredentialsGrant(config, { scope: 'orders.read' }), 'invalid_request');
});
