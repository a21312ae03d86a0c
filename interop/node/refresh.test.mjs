// Refresh tokens (RFC 6749 section 6, OIDC Core 11): issued with offline_access, rotated,
// and a used or revoked one is invalid_grant.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { codeFlow, discover, rejectsWith, startProvider } from './lib/fixtures.mjs';

let env, config;
before(async () => {
  env = await startProvider();
  config = await discover(env, 'rp-basic', client.ClientSecretBasic('basic-secret-4f9a2c'));
});
after(() => env?.provider.stop());

const offline = { scope: 'openid profile offline_access', params: { prompt: 'consent' } };

test('refresh grant returns new tokens; the used refresh token is then invalid_grant', async () => {
  const { tokens } = await codeFlow(config, offline);
  assert.ok(tokens.refresh_token, 'offline_access yields a refresh token');
  const sub = tokens.claims().sub;

  const next = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(next.access_token);
  assert.notEqual(next.access_token, tokens.access_token);
  assert.ok(next.refresh_token, 'rotated refresh token');
  assert.notEqual(next.refresh_token, tokens.refresh_token);
  if (next.id_token) assert.equal(next.claims().sub, sub);
  assert.equal((await client.fetchUserInfo(config, next.access_token, sub)).sub, sub);

  await rejectsWith(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
});

test('a revoked refresh token is invalid_grant', async () => {
  const { tokens } = await codeFlow(config, offline);
  await client.tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' });
  await rejectsWith(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
});

test('another client cannot use the refresh token', async () => {
  const { tokens } = await codeFlow(config, offline);
  const other = await discover(env, 'rp-post', client.ClientSecretPost('post-secret-7b1e0d'));
  await rejectsWith(client.refreshTokenGrant(other, tokens.refresh_token), 'invalid_grant');
});
