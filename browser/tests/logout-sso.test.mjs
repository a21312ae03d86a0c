// Single sign-on across two applications and logout everywhere, in a real Chromium.
// SSO: signed in for A, B's authorization asks no credentials, and consent only for what
// was not granted yet; both ID tokens carry the same `sid`.
// Logout from A (RP-Initiated Logout 1.0) reaches B by back-channel (B validates the
// logout token with `jose`, an independent JOSE library) and by front-channel (an iframe
// with iss and sid); B's refresh token stops working; an unregistered
// post_logout_redirect_uri never redirects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { browserLocale, checkPage, launch, navigate, openPage, trail } from '../lib/browser.mjs';
import { Provider, USER } from '../lib/provider.mjs';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A relying party on loopback: /cb, /bye, /backchannel (validated), /frontchannel. */
class Rp {
  codes = [];
  logoutTokens = [];
  frontchannel = [];
  byes = [];
  #waiters = [];

  async start() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url, 'http://rp');
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const page = (text) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RP</title><link rel="icon" href="data:,"></head><body>${text}</body></html>`);
        if (url.pathname === '/cb') { this.codes.push(Object.fromEntries(url.searchParams)); page('code'); }
        else if (url.pathname === '/bye') { this.byes.push(Object.fromEntries(url.searchParams)); page('bye'); }
        else if (url.pathname === '/frontchannel') { this.frontchannel.push(Object.fromEntries(url.searchParams)); page('fc'); }
        else if (url.pathname === '/backchannel' && req.method === 'POST') {
          this.logoutTokens.push(new URLSearchParams(body).get('logout_token'));
          res.writeHead(200, { 'cache-control': 'no-store' }).end();
        } else res.writeHead(404).end();
        for (const w of this.#waiters.splice(0)) w();
      });
    });
    await new Promise((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  async until(check, what, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`RP ${this.origin}: no ${what} within ${ms} ms`);
      await new Promise((ok) => { this.#waiters.push(ok); setTimeout(ok, 200); });
    }
  }

  async stop() {
    this.server?.closeAllConnections?.();
    await new Promise((ok) => this.server.close(() => ok()));
  }
}

let browser;
let provider;
let rpA;
let rpB;
const secrets = {};

before(async () => {
  browser = await launch();
  rpA = await new Rp().start();
  rpB = await new Rp().start();
  provider = new Provider();
  provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
    '--email', USER.email, '--name', USER.name);
  secrets.a = provider.admin('client', 'create', '--client-id', 'app-a', '--name', 'Приложение А',
    '--redirect-uri', `${rpA.origin}/cb`, '--post-logout-redirect-uri', `${rpA.origin}/bye`,
    '--scope', 'openid profile email offline_access').client_secret;
  secrets.b = provider.admin('client', 'create', '--client-id', 'app-b', '--name', 'Приложение Б',
    '--redirect-uri', `${rpB.origin}/cb`, '--scope', 'openid profile email offline_access',
    '--backchannel-logout-uri', `${rpB.origin}/backchannel`,
    '--frontchannel-logout-uri', `${rpB.origin}/frontchannel`).client_secret;
  // Sign-out also ends offline grants of the session here (the setting under test).
  process.env.PROPUSK_SESSION__LOGOUT_REVOKES_OFFLINE_ACCESS = 'true';
  try {
    await provider.serve();
  } finally {
    delete process.env.PROPUSK_SESSION__LOGOUT_REVOKES_OFFLINE_ACCESS;
  }
});
after(async () => {
  await browser?.close();
  await provider?.stop();
  await rpA?.stop();
  await rpB?.stop();
});

function authorizeUrl(client, rp, scope) {
  const url = new URL('/connect/authorize', provider.issuer);
  const params = { response_type: 'code', client_id: client, redirect_uri: `${rp.origin}/cb`, scope,
    state: `st-${Math.random().toString(36).slice(2)}`, nonce: 'n-1' };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

async function token(client, params) {
  const basic = Buffer.from(`${client}:${encodeURIComponent(secrets[client.slice(-1)])}`).toString('base64');
  const res = await fetch(new URL('/connect/token', provider.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: await res.json() };
}

const onPath = (origin, path) => (u) => u.origin === origin && u.pathname === path;

async function consentScopes(s) {
  return (await s.page.locator('ul.scopes li').allTextContents()).map((t) => t.trim());
}

describe('SSO across two applications, then logout everywhere', () => {
  let s;
  const tokens = {};
  before(async () => { s = await openPage(browser, { locale: browserLocale('en') }); });
  after(async () => { await s?.context.close(); });

  it('A signs in with consent; B gets no credential prompt and consent only for new scopes', async () => {
    await s.page.goto(authorizeUrl('app-a', rpA, 'openid profile offline_access'));
    assert.equal(await s.page.locator('#login').count(), 1, `sign-in for A${trail(s)}`);
    await s.page.fill('#login', USER.login);
    await s.page.fill('#password', USER.password);
    await navigate(s, () => s.page.click('form button[type=submit]'), (u) => u.pathname.startsWith('/interaction/'), 'sign in');
    const firstScopes = await consentScopes(s);
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onPath(rpA.origin, '/cb'), 'allow A');
    const a = await token('app-a', { grant_type: 'authorization_code', code: rpA.codes.at(-1).code, redirect_uri: `${rpA.origin}/cb` });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    tokens.a = a.json;

    // B: the same browser, no sign-in form; B's consent page.
    await s.page.goto(authorizeUrl('app-b', rpB, 'openid profile offline_access'));
    assert.equal(await s.page.locator('#login').count(), 0, `no credential prompt for B${trail(s)}`);
    assert.equal(await s.page.locator('#password').count(), 0);
    await s.page.goto(`${authorizeUrl('app-b', rpB, 'openid profile offline_access')}&ui_locales=ru`);
    await checkPage(s, { name: 'sso-consent-b', lang: 'ru', status: 200 });
    await s.page.goto(authorizeUrl('app-b', rpB, 'openid profile offline_access'));
    await checkPage(s, { name: 'sso-consent-b', lang: 'en', status: 200 });
    assert.deepEqual(await consentScopes(s), firstScopes, 'B asks for its own consent once');
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onPath(rpB.origin, '/cb'), 'allow B');
    const b = await token('app-b', { grant_type: 'authorization_code', code: rpB.codes.at(-1).code, redirect_uri: `${rpB.origin}/cb` });
    assert.equal(b.status, 200, JSON.stringify(b.json));
    tokens.b = b.json;

    // B again with one more scope: consent for the new scope only.
    await s.page.goto(authorizeUrl('app-b', rpB, 'openid profile email offline_access'));
    assert.equal(await s.page.locator('#login').count(), 0, `no credential prompt${trail(s)}`);
    const newOnly = await consentScopes(s);
    assert.equal(newOnly.length, 1, `consent only for email: ${JSON.stringify(newOnly)}`);
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onPath(rpB.origin, '/cb'), 'allow email');

    const sidA = decodeJwt(tokens.a.id_token).sid;
    const sidB = decodeJwt(tokens.b.id_token).sid;
    assert.ok(sidA, 'A has a sid');
    assert.equal(sidB, sidA, 'both ID tokens carry the same sid');
    assert.ok(tokens.b.refresh_token, 'B holds a refresh token');
  });

  it('an unregistered post_logout_redirect_uri never redirects', async () => {
    const url = new URL('/connect/endsession', provider.issuer);
    url.searchParams.set('id_token_hint', tokens.a.id_token);
    url.searchParams.set('post_logout_redirect_uri', `${rpB.origin}/bye`);
    const res = await s.page.goto(url.href);
    assert.equal(res.status(), 400);
    assert.equal(new URL(s.page.url()).origin, provider.issuer, 'stays on the provider');
    assert.equal(rpB.byes.length, 0);
  });

  it('logout from A reaches B by back-channel and front-channel; B\'s refresh token dies', async () => {
    const sid = decodeJwt(tokens.a.id_token).sid;
    const url = new URL('/connect/endsession', provider.issuer);
    url.searchParams.set('id_token_hint', tokens.a.id_token);
    url.searchParams.set('post_logout_redirect_uri', `${rpA.origin}/bye`);
    url.searchParams.set('state', 'bye-state');
    await s.page.goto(url.href);
    assert.equal(await s.page.locator('.logout-result').getAttribute('data-result'), 'signed-out', trail(s));
    await checkPage(s, { name: 'logged-out-frontchannel', lang: 'en', status: 200 });
    await rpA.until(() => rpA.byes.length > 0, 'post-logout redirect');
    assert.equal(rpA.byes[0].state, 'bye-state');
    // The logged-out page moves on by itself (Refresh header); let that navigation finish
    // so that it cannot interrupt the next one.
    await s.page.waitForURL((u) => u.pathname === '/bye', { waitUntil: 'load' });
    await rpB.until(() => rpB.frontchannel.length > 0, 'front-channel logout');
    assert.deepEqual(rpB.frontchannel[0], { iss: provider.issuer, sid });

    await rpB.until(() => rpB.logoutTokens.length > 0, 'back-channel logout token')
      .catch((e) => assert.fail(`${e.message}\n${readFileSync(provider.logFile, 'utf8').split('\n').filter((l) => /panick|WARN|ERROR|logout/i.test(l)).slice(0, 10).join('\n')}`));
    const jwks = createRemoteJWKSet(new URL('/.well-known/openid-configuration/jwks', provider.issuer));
    const { payload, protectedHeader } = await jwtVerify(rpB.logoutTokens[0], jwks, {
      issuer: provider.issuer, audience: 'app-b', typ: 'logout+jwt', maxTokenAge: '2 minutes',
    });
    assert.equal(protectedHeader.typ, 'logout+jwt');
    assert.deepEqual(payload.events, { [BACKCHANNEL_EVENT]: {} });
    assert.equal(payload.sid, sid);
    assert.equal(payload.sub, decodeJwt(tokens.b.id_token).sub);
    assert.ok(payload.jti && payload.iat);
    assert.equal(payload.nonce, undefined, 'no nonce in a logout token');

    const refreshed = await token('app-b', { grant_type: 'refresh_token', refresh_token: tokens.b.refresh_token });
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.json.error, 'invalid_grant');

    // Signed out: the next authorization asks for credentials again.
    await s.page.goto(authorizeUrl('app-a', rpA, 'openid'));
    assert.equal(await s.page.locator('#login').count(), 1, `sign-in after logout${trail(s)}`);
  });

  it('the logged-out page with front-channel frames speaks Russian too', async () => {
    await s.page.goto(authorizeUrl('app-a', rpA, 'openid profile offline_access'));
    await s.page.fill('#login', USER.login);
    await s.page.fill('#password', USER.password);
    await navigate(s, () => s.page.click('form button[type=submit]'), onPath(rpA.origin, '/cb'), 'sign in again (consent kept)');
    const a = await token('app-a', { grant_type: 'authorization_code', code: rpA.codes.at(-1).code, redirect_uri: `${rpA.origin}/cb` });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    await navigate(s, () => s.page.goto(authorizeUrl('app-b', rpB, 'openid profile offline_access')), onPath(rpB.origin, '/cb'), 'B by SSO');
    const frames = rpB.frontchannel.length;
    const url = new URL('/connect/endsession', provider.issuer);
    url.searchParams.set('id_token_hint', a.json.id_token);
    url.searchParams.set('ui_locales', 'ru');
    await s.page.goto(url.href);
    assert.equal(await s.page.locator('.logout-result').getAttribute('data-result'), 'signed-out', trail(s));
    await checkPage(s, { name: 'logged-out-frontchannel', lang: 'ru', status: 200 });
    await rpB.until(() => rpB.frontchannel.length > frames, 'front-channel logout in ru');
  });
});
