// Discovery (OpenID Connect Discovery 1.0, RFC 8414) as openid-client reads it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { discover, startProvider } from './lib/fixtures.mjs';

let env;
before(async () => { env = await startProvider(); });
after(() => env?.provider.stop());

test('openid-client discovers the provider at the paths integrations hard-code', async () => {
  const config = await discover(env, 'rp-basic', client.ClientSecretBasic('basic-secret-4f9a2c'));
  const m = config.serverMetadata();
  assert.equal(m.issuer, env.issuer);
  const paths = {
    authorization_endpoint: '/connect/authorize',
    token_endpoint: '/connect/token',
    userinfo_endpoint: '/connect/userinfo',
    jwks_uri: '/.well-known/openid-configuration/jwks',
    introspection_endpoint: '/connect/introspect',
    revocation_endpoint: '/connect/revocation',
    end_session_endpoint: '/connect/endsession',
  };
  for (const [field, path] of Object.entries(paths)) assert.equal(m[field], env.issuer + path, field);
  assert.ok(m.response_types_supported.includes('code'));
  assert.ok(m.code_challenge_methods_supported.includes('S256'));
  for (const method of ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']) {
    assert.ok(m.token_endpoint_auth_methods_supported.includes(method), method);
  }
  assert.ok(m.id_token_signing_alg_values_supported.length > 0);
});

test('RFC 8414 metadata names the same issuer', async () => {
  const res = await fetch(`${env.issuer}/.well-known/oauth-authorization-server`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).issuer, env.issuer);
});

test('the JWKS holds public signing keys only', async () => {
  const { keys } = await (await fetch(`${env.issuer}/.well-known/openid-configuration/jwks`)).json();
  assert.ok(keys.length > 0);
  for (const k of keys) {
    assert.ok(k.kid, 'kid');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(k[secret], undefined, secret);
  }
});
