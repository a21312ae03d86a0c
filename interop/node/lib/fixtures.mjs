// The data set every Node interop test file starts from, and small helpers on top of
// openid-client so each test reads as the protocol steps it checks.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { authorize } from './browserless.mjs';
import { Provider } from './provider.mjs';

export const USER = {
  login: 'alice',
  password: 'Correct-Horse-Battery-7',
  email: 'alice@example.test',
  phone: '+79990001122',
  name: 'Alice Example',
};
export const REDIRECT_URI = 'https://rp.example/cb';
export const PRODUCT = 'extern.api';
export const POST_LOGOUT_REDIRECT_URI = 'https://rp.example/bye';
const RP_SCOPE = 'openid profile email offline_access';

/** Starts a provider with one user, one product and a client per authentication method. */
export async function startProvider() {
  const { publicKey, privateKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  const jwks = { keys: [{ kty, crv, x, y, kid: 'rp-pkjwt-1', alg: 'ES256', use: 'sig' }] };

  const p = new Provider();
  try {
    const product = p.admin('product', 'create', '--audience', PRODUCT, '--scope', PRODUCT, '--token-format', 'jwt');
    const user = p.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--phone', USER.phone, '--name', USER.name);
    const rp = (id, ...extra) => p.admin('client', 'create', '--client-id', id, '--name', `Node ${id}`,
      '--redirect-uri', REDIRECT_URI, '--scope', RP_SCOPE,
      '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
      '--post-logout-redirect-uri', POST_LOGOUT_REDIRECT_URI, ...extra);
    const clients = {
      basic: rp('rp-basic', '--auth-method', 'client_secret_basic', '--secret', 'basic-secret-4f9a2c', '--no-consent'),
      post: rp('rp-post', '--auth-method', 'client_secret_post', '--secret', 'post-secret-7b1e0d', '--no-consent'),
      public: rp('rp-public', '--public', '--auth-method', 'none', '--no-consent'),
      pkjwt: rp('rp-pkjwt', '--auth-method', 'private_key_jwt', '--jwks', JSON.stringify(jwks), '--no-consent'),
      device: rp('rp-device', '--auth-method', 'client_secret_post', '--secret', 'device-secret-3a7d1c',
        '--grant-type', 'urn:ietf:params:oauth:grant-type:device_code', '--no-consent'),
      consent: rp('rp-consent', '--auth-method', 'client_secret_basic', '--secret', 'consent-secret-5d2f8a'),
      service: p.admin('client', 'create', '--client-id', 'svc', '--name', 'Node service',
        '--redirect-uri', REDIRECT_URI, '--scope', PRODUCT, '--grant-type', 'client_credentials',
        '--auth-method', 'client_secret_basic', '--secret', 'svc-secret-9c3e1b'),
    };
    await p.serve();
    return { provider: p, issuer: p.issuer, user, product, clients, pkjwtKey: { key: privateKey, kid: 'rp-pkjwt-1' } };
  } catch (e) {
    await p.stop();
    throw e;
  }
}

/** openid-client discovery for a client of the test provider (plain http allowed). */
export function discover(env, clientId, auth) {
  return client.discovery(new URL(env.issuer), clientId, undefined, auth, {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
}

/**
 * Runs an authorization code flow as `USER` and exchanges the code; the library checks
 * state, iss, the ID token (signature, iss, aud, nonce, exp) and PKCE.
 */
export async function codeFlow(config, { scope = 'openid profile email', pkce = false, params = {} } = {}) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const verifier = client.randomPKCECodeVerifier();
  const request = { redirect_uri: REDIRECT_URI, scope, nonce, state, ...params };
  if (pkce) {
    request.code_challenge = await client.calculatePKCECodeChallenge(verifier);
    request.code_challenge_method = 'S256';
  }
  const { callback, pages } = await authorize(client.buildAuthorizationUrl(config, request), USER);
  assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
  assert.equal(callback.searchParams.get('iss'), config.serverMetadata().issuer, 'RFC 9207 iss');
  const tokens = await client.authorizationCodeGrant(config, callback, {
    expectedNonce: nonce,
    expectedState: state,
    pkceCodeVerifier: pkce ? verifier : undefined,
    idTokenExpected: true,
  });
  return { tokens, pages, callback };
}

/** Asserts that `promise` rejects with the OAuth error code `code`. */
export async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.error, code, `expected ${code}, got ${e.error ?? e}`);
    return true;
  });
}
