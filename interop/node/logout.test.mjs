// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) with openid-client's
// buildEndSessionUrl: the provider returns to the registered post_logout_redirect_uri
// with state, the session is over (the next authorization asks to sign in), and an
// unregistered redirect URI is refused without redirecting.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { CookieJar, authorize } from './lib/browserless.mjs';
import { POST_LOGOUT_REDIRECT_URI, REDIRECT_URI, USER, discover, startProvider } from './lib/fixtures.mjs';

let env, config;
before(async () => {
  env = await startProvider();
  config = await discover(env, 'rp-basic', client.ClientSecretBasic('basic-secret-4f9a2c'));
});
after(() => env?.provider.stop());

async function signIn(jar) {
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', nonce, state });
  const { callback, pages } = await authorize(url, { ...USER, jar });
  const tokens = await client.authorizationCodeGrant(config, callback, { expectedNonce: nonce, expectedState: state });
  return { tokens, pages };
}

async function get(url, jar) {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(res);
  return res;
}

test('discovery advertises the logout endpoints', () => {
  const meta = config.serverMetadata();
  assert.equal(meta.end_session_endpoint, `${env.issuer}/connect/endsession`);
  assert.equal(meta.backchannel_logout_supported, true);
  assert.equal(meta.frontchannel_logout_supported, true);
});

test('logout with id_token_hint returns to the registered URI with state and ends the session', async () => {
  const jar = new CookieJar();
  const first = await signIn(jar);
  assert.deepEqual(first.pages, ['login']);
  const again = await signIn(jar);
  assert.deepEqual(again.pages, [], 'single sign-on before logout');
  const sid = first.tokens.claims().sid;
  assert.equal(again.tokens.claims().sid, sid);

  const state = client.randomState();
  const url = client.buildEndSessionUrl(config, {
    id_token_hint: again.tokens.id_token,
    post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
    state,
  });
  const res = await get(url, jar);
  assert.equal(res.status, 303);
  const back = new URL(res.headers.get('location'));
  assert.equal(back.origin + back.pathname, POST_LOGOUT_REDIRECT_URI);
  assert.equal(back.searchParams.get('state'), state);

  const after = await signIn(jar);
  assert.deepEqual(after.pages, ['login'], 'signed out: credentials asked again');
  assert.notEqual(after.tokens.claims().sid, sid, 'a new session id');
});

test('an unregistered post_logout_redirect_uri is refused without a redirect', async () => {
  const jar = new CookieJar();
  const { tokens } = await signIn(jar);
  const url = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: 'https://evil.example/bye',
  });
  const res = await get(url, jar);
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  const still = await signIn(jar);
  assert.deepEqual(still.pages, [], 'still signed in');
});
