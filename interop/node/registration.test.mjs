// Dynamic client registration (RFC 7591) with openid-client: registration with an
// initial access token from `propusk admin registration-token create`, then a code flow
// with the registered client, then its registration read and deleted (RFC 7592).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { codeFlow, REDIRECT_URI, USER } from './lib/fixtures.mjs';
import { Provider } from './lib/provider.mjs';

let provider;
let token;
before(async () => {
  provider = new Provider();
  provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
    '--email', USER.email, '--name', USER.name);
  token = provider.admin('registration-token', 'create', '--expires-in', '600').token;
  await provider.serve();
});
after(() => provider?.stop());

const execute = [client.allowInsecureRequests, client.enableNonRepudiationChecks];

test('a client registered with an initial access token signs a user in', async () => {
  const config = await client.dynamicClientRegistration(
    new URL(provider.issuer),
    { redirect_uris: [REDIRECT_URI], client_name: 'Node registered', token_endpoint_auth_method: 'client_secret_basic' },
    undefined,
    { initialAccessToken: token, execute },
  );
  const registered = config.clientMetadata();
  assert.ok(registered.client_id);
  assert.ok(registered.client_secret);
  assert.ok(registered.registration_access_token);

  const { tokens } = await codeFlow(config, { scope: 'openid email' });
  const claims = tokens.claims();
  assert.equal(claims.iss, provider.issuer);
  assert.ok([claims.aud].flat().includes(registered.client_id));
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, USER.email);

  const auth = { authorization: `Bearer ${registered.registration_access_token}` };
  const read = await fetch(registered.registration_client_uri, { headers: auth });
  assert.equal(read.status, 200);
  assert.equal((await read.json()).client_name, 'Node registered');
  const removed = await fetch(registered.registration_client_uri, { method: 'DELETE', headers: auth });
  assert.equal(removed.status, 204);
});

test('without an initial access token the library gets 401', async () => {
  await assert.rejects(
    client.dynamicClientRegistration(new URL(provider.issuer), { redirect_uris: [REDIRECT_URI] }, undefined, { execute }),
    (e) => {
      assert.equal(e.cause?.status ?? e.status, 401, String(e));
      return true;
    },
  );
});

test('a javascript: redirect URI is invalid_redirect_uri', async () => {
  await assert.rejects(
    client.dynamicClientRegistration(
      new URL(provider.issuer),
      { redirect_uris: ['javascript:alert(1)'] },
      undefined,
      { initialAccessToken: token, execute },
    ),
    (e) => {
      assert.equal(e.error, 'invalid_redirect_uri', String(e));
      return true;
    },
  );
});
