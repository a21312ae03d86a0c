// The device authorization grant (RFC 8628) driven by openid-client: the library starts
// the flow and polls (honouring interval and slow_down) while the user approves on the
// /device page (signed in without a browser); a denial ends the poll with access_denied.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as client from 'openid-client';
import { CookieJar, parseForms } from './lib/browserless.mjs';
import { USER, discover, rejectsWith, startProvider } from './lib/fixtures.mjs';

let env, config;
before(async () => {
  env = await startProvider();
  config = await discover(env, 'rp-device', client.ClientSecretPost('device-secret-3a7d1c'));
});
after(() => env?.provider.stop());

/** Opens verification_uri_complete, signs in and presses allow or deny. */
async function decide(uri, decision) {
  const jar = new CookieJar();
  let url = new URL(uri);
  let init = { method: 'GET' };
  for (let step = 0; step < 8; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header() } });
    jar.store(res);
    if (res.status === 303) {
      url = new URL(res.headers.get('location'), url);
      init = { method: 'GET' };
      continue;
    }
    const body = await res.text();
    assert.equal(res.status, 200, `${url}: ${body.slice(0, 300)}`);
    const form = parseForms(body).find((f) => f.method === 'post');
    if (!form) return body;
    const action = new URL(form.action, url);
    const data = action.pathname.endsWith('/login')
      ? { ...form.fields, login: USER.login, password: USER.password }
      : { ...form.fields, decision };
    url = action;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(data).toString(),
    };
  }
  throw new Error('the device page did not finish');
}

test('device flow: the library polls until the user allows, then gets tokens', async () => {
  assert.equal(config.serverMetadata().device_authorization_endpoint, `${env.issuer}/connect/deviceauthorization`);
  const started = await client.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
  assert.match(started.user_code, /^[BCDFGHJKMNPQRSTVWXZY]{8}$/);
  assert.equal(started.verification_uri, `${env.issuer}/device`);
  assert.equal(started.interval, 3);
  const approval = sleep(1_000).then(() => decide(started.verification_uri_complete, 'allow'));
  const tokens = await client.pollDeviceAuthorizationGrant(config, started);
  const page = await approval;
  assert.match(page, /data-result="approved"/);
  assert.ok(tokens.access_token && tokens.refresh_token);
  assert.equal(tokens.claims().aud, 'rp-device');
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
  assert.equal(info.name, USER.name);
});

test('device flow: a denial ends the poll with access_denied', async () => {
  const started = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
  const denial = sleep(500).then(() => decide(started.verification_uri_complete, 'deny'));
  await rejectsWith(client.pollDeviceAuthorizationGrant(config, started), 'access_denied');
  assert.match(await denial, /data-result="denied"/);
});
