// The device authorization flow (RFC 8628) exactly as existing integrations call it, with a
// real Chromium on the /device page: the code arrives filled from
// verification_uri_complete (ru) or is typed in lower case with a dash (en); the user signs
// in, sees which application asks for what, and allows or denies. The poller sees
// authorization_pending, slow_down when too fast, then tokens once; denial gives
// access_denied.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { browserLocale, checkPage, launch, navigate, openPage, trail } from '../lib/browser.mjs';
import { Provider, USER } from '../lib/provider.mjs';

const TV = 'tv-player';
const TV_NAME = 'Кинотеатр ТВ';
const SCOPE = 'openid profile offline_access';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let browser;
let provider;
let secret;
before(async () => {
  browser = await launch();
  provider = new Provider();
  provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
    '--email', USER.email, '--name', USER.name);
  const client = provider.admin('client', 'create', '--client-id', TV, '--name', TV_NAME,
    '--scope', SCOPE, '--grant-type', DEVICE_GRANT, '--grant-type', 'refresh_token',
    '--auth-method', 'client_secret_post');
  secret = client.client_secret;
  await provider.serve();
});
after(async () => {
  await browser?.close();
  await provider?.stop();
});

async function post(path, params) {
  const res = await fetch(new URL(path, provider.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: await res.json() };
}

const startDevice = () => post('/connect/deviceauthorization', { client_id: TV, client_secret: secret, scope: SCOPE });
const poll = (deviceCode) => post('/connect/token', {
  grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: TV, client_secret: secret, scope: SCOPE,
});

async function expectError(deviceCode, error) {
  const answer = await poll(deviceCode);
  assert.equal(answer.json.error, error, `poll: ${JSON.stringify(answer.json)}`);
  assert.equal(answer.status, 400);
}

/** Signs in on the /device page and ends on the confirmation page; returns the session. */
async function approveInBrowser(lang, device, { typed, allow }) {
  const s = await openPage(browser, { locale: browserLocale(lang) });
  const start = typed ? `${provider.issuer}/device?lang=${lang}` : device.verification_uri_complete;
  await s.page.goto(start);
  assert.equal(await s.page.locator('#login').count(), 1, `sign-in form on ${start}${trail(s)}`);
  await checkPage(s, { name: 'device-sign-in', lang, status: 200 });
  await s.page.fill('#login', USER.login);
  await s.page.fill('#password', USER.password);
  await navigate(s, () => s.page.click('form button[type=submit]'),
    (u) => u.origin === provider.issuer && u.pathname === '/device', 'sign in on /device');
  if (typed) {
    await checkPage(s, { name: 'device-code-entry', lang, status: 200 });
    const code = device.user_code;
    await s.page.fill('#user-code', `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase());
    await navigate(s, () => s.page.click('form button[type=submit]'),
      (u) => u.pathname === '/device' && u.searchParams.has('user-code'), 'enter the code');
  } else {
    // The code entry page of this language too, then back to the complete URI.
    await s.page.goto(`${provider.issuer}/device?lang=${lang}`);
    await checkPage(s, { name: 'device-code-entry', lang, status: 200 });
    await s.page.goto(device.verification_uri_complete);
  }
  const body = await s.page.locator('main').textContent();
  assert.ok(body.includes(TV_NAME), `the confirmation page names the application${trail(s)}`);
  const shown = await s.page.locator('.user-code').textContent();
  assert.equal(shown.replace('-', ''), device.user_code, 'the code the device shows');
  const scopes = await s.page.locator('ul.scopes li').allTextContents();
  assert.equal(scopes.length, 3, `what is asked for: ${JSON.stringify(scopes)}`);
  await checkPage(s, { name: 'device-confirm', lang, status: 200 });
  const button = allow ? 'allow' : 'deny';
  await navigate(s, () => s.page.click(`button[name=decision][value=${button}]`),
    (u) => u.pathname === '/device/decision', `${button} the device`);
  const result = await s.page.locator('.device-result').getAttribute('data-result');
  assert.equal(result, allow ? 'approved' : 'denied');
  await checkPage(s, { name: `device-${allow ? 'approved' : 'denied'}`, lang, status: 200 });
  await s.context.close();
}

describe('device authorization flow', () => {
  for (const [lang, typed] of [['ru', false], ['en', true]]) {
    it(`${lang}: pending, slow_down, approval in the browser, tokens once`, async () => {
      const started = await startDevice();
      assert.equal(started.status, 200, JSON.stringify(started.json));
      const device = started.json;
      assert.match(device.user_code, /^[BCDFGHJKMNPQRSTVWXZY]{8}$/);
      assert.equal(device.verification_uri, `${provider.issuer}/device`);
      assert.equal(device.verification_uri_complete, `${provider.issuer}/device?user-code=${device.user_code}`);
      assert.equal(device.interval, 3);
      assert.equal(device.expires_in, 300);

      await expectError(device.device_code, 'authorization_pending');
      await expectError(device.device_code, 'slow_down');
      await approveInBrowser(lang, device, { typed, allow: true });
      await sleep(8_500); // the interval grew from 3 to 8 seconds
      const tokens = await poll(device.device_code);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
      assert.ok(tokens.json.access_token && tokens.json.id_token && tokens.json.refresh_token);
      await sleep(8_500);
      await expectError(device.device_code, 'invalid_grant');
    });
  }

  it('en: denial gives access_denied', async () => {
    const device = (await startDevice()).json;
    await approveInBrowser('en', device, { typed: true, allow: false });
    await expectError(device.device_code, 'access_denied');
  });

  it('ru: denial gives access_denied; the QR code is an SVG', async () => {
    const device = (await startDevice()).json;
    await approveInBrowser('ru', device, { typed: false, allow: false });
    await expectError(device.device_code, 'access_denied');
    const qr = await fetch(`${provider.issuer}/device/qr.svg?user-code=${device.user_code}`);
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.ok((await qr.text()).startsWith('<svg'));
  });
});
