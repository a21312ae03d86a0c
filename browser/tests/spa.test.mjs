// A single-page application on its own origin, written with oidc-client-ts (a browser
// OIDC library we did not write), signs in with code + PKCE as a public client: the
// token, userinfo and revocation calls are cross-origin fetches from the page, so they
// work only with CORS. It refreshes, revokes, and signs out with and without
// `id_token_hint`, each time ending at its post_logout_redirect_uri, and the next sign-in
// asks for the password again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  assertSignInPage, checkPage, launch, navigate, openPage, submitSignIn, trail,
} from '../lib/browser.mjs';
import { Provider, ROOT, USER } from '../lib/provider.mjs';

const CLIENT_ID = 'spa';
const STATIC = {
  '/': ['spa/index.html', 'text/html; charset=utf-8'],
  '/index.html': ['spa/index.html', 'text/html; charset=utf-8'],
  '/callback.html': ['spa/index.html', 'text/html; charset=utf-8'],
  '/bye.html': ['spa/index.html', 'text/html; charset=utf-8'],
  '/app.js': ['spa/app.js', 'text/javascript'],
  '/oidc-client-ts.js': ['node_modules/oidc-client-ts/dist/browser/oidc-client-ts.js', 'text/javascript'],
};

/** The SPA's static files on 127.0.0.2: another origin, and another site, than the provider. */
async function startSpa(config) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://spa').pathname;
    if (path === '/config.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(`window.SPA_CONFIG = ${JSON.stringify(config)};`);
      return;
    }
    const file = STATIC[path];
    if (!file) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(join(ROOT, 'browser', file[0])));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.2', ok));
  return { server, origin: `http://127.0.0.2:${server.address().port}` };
}

let browser;
let provider;
let spa;

before(async () => {
  browser = await launch();
  provider = new Provider();
  provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
    '--email', USER.email, '--name', USER.name);
  await provider.serve();
  const metadata = await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json();
  spa = await startSpa({
    authority: provider.issuer, clientId: CLIENT_ID, token: metadata.token_endpoint, userinfo: metadata.userinfo_endpoint,
  });
  const client = provider.admin('client', 'create', '--client-id', CLIENT_ID, '--name', 'Single-page app', '--public',
    '--redirect-uri', `${spa.origin}/callback.html`, '--post-logout-redirect-uri', `${spa.origin}/bye.html`,
    '--scope', 'openid profile email offline_access');
  assert.equal(client.client_secret ?? null, null, 'a public client has no secret');
});

after(async () => {
  await browser?.close();
  await provider?.stop();
  spa?.server.closeAllConnections?.();
  await new Promise((ok) => (spa ? spa.server.close(() => ok()) : ok()));
});

/** Calls `window.spa[name]()`, which navigates away: the page's context goes with it. */
const trigger = (s, name) => () => s.page.evaluate((n) => { void window.spa[n](); }, name).catch(() => {});

const onSpa = (path) => (url) => url.origin === spa.origin && url.pathname === path;
const onProvider = (url) => url.origin === provider.issuer;

async function spaStatus(s, expected) {
  await s.page.waitForFunction(() => {
    const text = document.getElementById('status')?.textContent ?? '';
    return text !== 'loading' && text !== '';
  }, null, { timeout: 10_000 }).catch(() => {});
  const text = await s.page.textContent('#status');
  assert.ok(text.startsWith(expected), `SPA status "${text}", expected "${expected}"${trail(s)}`);
  return text;
}

async function openSpa(s) {
  await navigate(s, () => s.page.goto(`${spa.origin}/`), onSpa('/'), 'open the SPA');
  await spaStatus(s, 'ready');
}

/** `spa.login()`; returns where the browser settled: the sign-in page or the callback. */
async function startLogin(s) {
  await navigate(s, trigger(s, 'login'),
    (u) => onSpa('/callback.html')(u) || (onProvider(u) && u.pathname.startsWith('/interaction/')), 'spa.login()');
  return new URL(s.page.url());
}

async function signInWithPassword(s, lang) {
  const at = await startLogin(s);
  assert.ok(onProvider(at), `the provider asks for the password, went to ${at}${trail(s)}`);
  await assertSignInPage(s, lang);
  await submitSignIn(s, USER.login, USER.password,
    (u) => onSpa('/callback.html')(u) || (onProvider(u) && u.pathname.startsWith('/interaction/')), 'sign in');
  if (onProvider(new URL(s.page.url()))) {
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onSpa('/callback.html'), 'consent');
  }
  return spaStatus(s, 'signed-in');
}

describe('an SPA with oidc-client-ts', () => {
  it('signs in, reads userinfo, refreshes, revokes, and signs out with and without id_token_hint', async () => {
    const s = await openPage(browser, { locale: 'en-US' });
    try {
      await openSpa(s);
      const signedIn = await signInWithPassword(s, 'en');
      assert.ok(signedIn.includes(USER.email), `the library loaded userinfo: "${signedIn}"`);
      await s.page.screenshot({ path: join(ROOT, 'test-artifacts/screenshots/spa-signed-in-en.png') });

      const info = await s.page.evaluate(() => window.spa.userinfo());
      assert.equal(info.status, 200, JSON.stringify(info));
      assert.equal(info.body.email, USER.email);

      const first = await s.page.evaluate(() => window.spa.user());
      const renewed = await s.page.evaluate(() => window.spa.refresh().then((u) => ({
        access_token: u.access_token, refresh_token: u.refresh_token, id_token: u.id_token,
      })));
      assert.notEqual(renewed.access_token, first.access_token, 'a new access token');
      assert.notEqual(renewed.refresh_token, first.refresh_token, 'the refresh token rotated');
      const old = await s.page.evaluate((token) => window.spa.refreshWith(token), first.refresh_token);
      assert.equal(old.status, 400, JSON.stringify(old));
      assert.equal(old.body.error, 'invalid_grant', 'reuse of a rotated refresh token, readable by the SPA');

      // The rotated token's reuse revoked the family: sign in again (SSO, no password).
      const at = await startLogin(s);
      assert.ok(onSpa('/callback.html')(at), `single sign-on, no password${trail(s)}`);
      await spaStatus(s, 'signed-in');
      const current = await s.page.evaluate(() => window.spa.user());
      await s.page.evaluate(() => window.spa.revoke());
      const revoked = await s.page.evaluate((token) => window.spa.refreshWith(token), current.refresh_token);
      assert.equal(revoked.body.error, 'invalid_grant', `revoked refresh token: ${JSON.stringify(revoked)}`);
      const dead = await s.page.evaluate(async ({ url, token }) => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, challenge: res.headers.get('www-authenticate') };
      }, { url: (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()).userinfo_endpoint, token: current.access_token });
      assert.equal(dead.status, 401, 'the revoked grant\'s access token is refused');
      assert.match(dead.challenge ?? '', /invalid_token/, 'WWW-Authenticate is exposed to the SPA');
      // Chromium logs each of the refusals asked for above; nothing else may be logged.
      const expected = /^console: Failed to load resource: the server responded with a status of 40[01] .*\/connect\/(token|userinfo)\)$/;
      assert.equal(s.errors.filter((e) => expected.test(e)).length, 3, s.errors.join('\n'));
      s.errors.splice(0, s.errors.length, ...s.errors.filter((e) => !expected.test(e)));

      // Sign-out with id_token_hint: straight back to the SPA.
      await startLogin(s);
      await spaStatus(s, 'signed-in');
      await navigate(s, trigger(s, 'signOut'), onSpa('/bye.html'), 'signoutRedirect with id_token_hint');
      assert.ok(new URL(s.page.url()).searchParams.get('state'), 'state comes back');
      await spaStatus(s, 'signed-out with a hint');
      await signInWithPassword(s, 'en');

      // Sign-out without id_token_hint: the provider asks, then returns to the SPA.
      await navigate(s, trigger(s, 'signOutWithoutHint'),
        (u) => onProvider(u) && u.pathname === '/connect/endsession', 'signoutRedirect without id_token_hint');
      const csp = s.documents.at(-1).headers['content-security-policy'] ?? '';
      assert.match(csp, new RegExp(`form-action 'self' ${spa.origin.replaceAll('.', '\\.')}`), `confirmation page CSP: ${csp}`);
      await checkPage(s, { name: 'spa-logout-confirm', lang: 'en', status: 200 });
      await navigate(s, () => s.page.click('button[name=decision][value=logout]'), onSpa('/bye.html'), 'confirm sign-out');
      assert.ok(new URL(s.page.url()).searchParams.get('state'), 'state comes back');
      await spaStatus(s, 'signed-out without a hint');
      await signInWithPassword(s, 'en');
      assert.deepEqual(s.errors.filter((e) => /CORS|Content Security Policy/i.test(e)), [], 'no CORS or CSP errors');
    } finally {
      await s.context.close();
    }
  });
});
