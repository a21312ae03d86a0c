// Pushed authorization requests (RFC 9126) and resource indicators (RFC 8707), driven by
// openid-client: buildAuthorizationUrlWithPAR pushes the request and builds the URL with
// client_id and request_uri; `resource` picks the audience of the access token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { authorize } from './lib/browserless.mjs';
import { discover, REDIRECT_URI, rejectsWith, USER } from './lib/fixtures.mjs';
import { Provider } from './lib/provider.mjs';

const ORDERS = 'https://orders.example/';
const REPORTS = 'https://reports.example/';
const SCOPE = 'openid profile orders.read reports.read';

let env;
before(async () => {
  const p = new Provider();
  try {
    p.admin('product', 'create', '--audience', ORDERS, '--scope', 'orders.read', '--token-format', 'jwt');
    p.admin('product', 'create', '--audience', REPORTS, '--scope', 'reports.read', '--token-format', 'jwt');
    p.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--phone', USER.phone, '--name', USER.name);
    p.admin('client', 'create', '--client-id', 'rp-par', '--name', 'Node PAR',
      '--redirect-uri', REDIRECT_URI, '--scope', SCOPE, '--grant-type', 'authorization_code',
      '--grant-type', 'client_credentials', '--auth-method', 'client_secret_basic',
      '--secret', 'par-secret-6e2b9d', '--no-consent', '--require-par');
    await p.serve();
  } catch (e) {
    await p.stop();
    throw e;
  }
  env = { provider: p, issuer: p.issuer };
});
after(() => env?.provider.stop());

const rp = () => discover(env, 'rp-par', client.ClientSecretBasic('par-secret-6e2b9d'));

async function pushedFlow(config, params) {
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
    ...params,
  });
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
  const { callback } = await authorize(url, USER);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    expectedNonce: nonce,
    expectedState: state,
    pkceCodeVerifier: verifier,
    idTokenExpected: true,
  });
  return { tokens, url };
}

async function audienceOf(config, token) {
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
  const { payload } = await jwtVerify(token, jwks, { issuer: env.issuer });
  return payload;
}

test('discovery names the PAR endpoint', async () => {
  const config = await rp();
  assert.equal(config.serverMetadata().pushed_authorization_request_endpoint, `${env.issuer}/connect/par`);
});

test('a pushed request signs in, its request_uri works once', async () => {
  const config = await rp();
  // Products see people under pairwise subjects: one product per token.
  const { tokens, url } = await pushedFlow(config, { scope: 'openid profile orders.read' });
  assert.equal(tokens.claims().aud, 'rp-par');
  const again = await fetch(url, { redirect: 'manual' });
  assert.equal(again.status, 400);
  assert.equal(again.headers.get('location'), null);
  assert.match(await again.text(), /invalid_request_uri/);
});

test('the client that requires PAR cannot send the request directly', async () => {
  const config = await rp();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid' });
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.searchParams.get('error'), 'invalid_request');
});

test('resource in the pushed request picks the access token audience', async () => {
  const config = await rp();
  const { tokens } = await pushedFlow(config, { resource: REPORTS });
  const payload = await audienceOf(config, tokens.access_token);
  assert.equal(payload.aud, REPORTS);
  assert.deepEqual(payload.scope.split(' ').sort(), ['openid', 'profile', 'reports.read']);
});

test('an unknown resource is invalid_target, at PAR and at the token endpoint', async () => {
  const config = await rp();
  await rejectsWith(
    client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI, scope: SCOPE, resource: 'https://unknown.example/',
    }),
    'invalid_target',
  );
  await rejectsWith(
    client.clientCredentialsGrant(config, { resource: 'https://unknown.example/' }),
    'invalid_target',
  );
  const tokens = await client.clientCredentialsGrant(config, { resource: ORDERS });
  const payload = await audienceOf(config, tokens.access_token);
  assert.equal(payload.aud, ORDERS);
  assert.equal(payload.scope, 'orders.read');
});
