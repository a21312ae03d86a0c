// Client credentials for a product API (RFC 6749 4.4), the JWT access token it gets
// (RFC 9068), introspection by the product (RFC 7662) and revocation (RFC 7009).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { discover, PRODUCT, startProvider } from './lib/fixtures.mjs';

let env, svc, product;
before(async () => {
  env = await startProvider();
  svc = await discover(env, 'svc', client.ClientSecretBasic('svc-secret-9c3e1b'));
  product = await discover(env, env.product.client_id, client.ClientSecretBasic(env.product.client_secret));
});
after(() => env?.provider.stop());

test('the service gets a signed JWT for the product audience', async () => {
  const tokens = await client.clientCredentialsGrant(svc, { scope: PRODUCT });
  assert.equal(tokens.refresh_token, undefined);
  const jwks = createRemoteJWKSet(new URL(svc.serverMetadata().jwks_uri));
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
    issuer: env.issuer,
    audience: PRODUCT,
    requiredClaims: ['exp', 'iat', 'jti', 'sub'],
  });
  assert.match(protectedHeader.typ ?? '', /^(application\/)?at\+jwt$/i, 'RFC 9068 typ');
  assert.equal(payload.client_id, 'svc');
  assert.ok(payload.scope.split(' ').includes(PRODUCT));
});

test('the product introspects the token, revocation makes it inactive', async () => {
  const { access_token } = await client.clientCredentialsGrant(svc, { scope: PRODUCT });
  const before = await client.tokenIntrospection(product, access_token);
  assert.equal(before.active, true);
  assert.equal(before.client_id, 'svc');
  assert.ok([before.aud].flat().includes(PRODUCT));
  assert.ok(before.scope.split(' ').includes(PRODUCT));

  await client.tokenRevocation(svc, access_token, { token_type_hint: 'access_token' });
  const after = await client.tokenIntrospection(product, access_token);
  assert.equal(after.active, false);
});

test('introspecting garbage says inactive; revoking garbage succeeds (RFC 7009 2.2)', async () => {
  assert.equal((await client.tokenIntrospection(product, 'not-a-token')).active, false);
  await client.tokenRevocation(svc, 'not-a-token');
});
