// Authorization code flow (OIDC Core 3.1) for each client authentication method.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { codeFlow, discover, startProvider, USER } from './lib/fixtures.mjs';

let env;
before(async () => { env = await startProvider(); });
after(() => env?.provider.stop());

async function signInAndReadUserinfo(config, opts) {
  const { tokens, pages } = await codeFlow(config, opts);
  const claims = tokens.claims();
  assert.equal(claims.iss, env.issuer);
  assert.ok([claims.aud].flat().includes(config.clientMetadata().client_id));
  assert.ok(claims.sub);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  return { tokens, info, pages };
}

test('confidential client, client_secret_basic', async () => {
  const config = await discover(env, 'rp-basic', client.ClientSecretBasic('basic-secret-4f9a2c'));
  const { info, pages } = await signInAndReadUserinfo(config);
  assert.deepEqual(pages, ['login']);
  assert.equal(info.email, USER.email);
  assert.equal(info.name, USER.name);
});

test('confidential client, client_secret_post', async () => {
  const config = await discover(env, 'rp-post', client.ClientSecretPost('post-secret-7b1e0d'));
  const { info } = await signInAndReadUserinfo(config);
  assert.equal(info.email, USER.email);
});

test('public client with PKCE S256', async () => {
  const config = await discover(env, 'rp-public', client.None());
  const { tokens } = await signInAndReadUserinfo(config, { pkce: true });
  assert.equal(tokens.refresh_token, undefined, 'no offline_access requested');
});

test('confidential client, private_key_jwt (ES256)', async () => {
  const config = await discover(env, 'rp-pkjwt', client.PrivateKeyJwt(env.pkjwtKey));
  await signInAndReadUserinfo(config, { pkce: true });
});

test('a client without --no-consent shows the consent page once allowed', async () => {
  const config = await discover(env, 'rp-consent', client.ClientSecretBasic('consent-secret-5d2f8a'));
  const { pages } = await signInAndReadUserinfo(config, { scope: 'openid profile' });
  assert.deepEqual(pages, ['login', 'consent']);
});

test('userinfo rejects a missing or bogus access token', async () => {
  const config = await discover(env, 'rp-basic', client.ClientSecretBasic('basic-secret-4f9a2c'));
  const res = await fetch(config.serverMetadata().userinfo_endpoint, { headers: { authorization: 'Bearer bogus' } });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/i);
});
