// The personal cabinet in a real Chromium, in Russian and English, with a screenshot and
// the axe-core check of every page: the overview a sign-in lands on; the profile, whose
// new names reach a fresh ID token and whose new e-mail is used only after its code;
// the security page and re-authentication; the sessions page signing another browser out
// (that browser's prompt=none request then gets login_required); the accesses page
// revoking the application (its refresh token gets invalid_grant, its access token is
// inactive at introspection, its back-channel endpoint receives a logout token, and its
// next authorization asks for consent); the history listing the test's events; a bound
// certificate listed with its INN and SNILS, then removed; the export; and deleting the account (sign-in then fails and every token is dead).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import {
  LANGS, browserLocale, checkPage, launch, navigate, onProvider, openPage, trail,
} from '../lib/browser.mjs';
import { DEV_MODE, jwtClaims, outboxCode, pathOf, submit } from '../lib/accounts.mjs';
import { Provider } from '../lib/provider.mjs';

const CLIENT = 'cabinet-app';

/**
 * A root CA and, for `name`, a P-256 certificate it issued carrying an INN and a SNILS
 * (made with the openssl command line); returns the two PEM file paths.
 */
function certificates(name) {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-cert-'));
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Тестовый УЦ', '-utf8',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr',
    '-subj', `/CN=${name}/SN=Petrova/GN=${name}/INN=500100732259/SNILS=11223344595`);
  execFileSync('sh', ['-c', 'printf "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n" > leaf.ext'], { cwd: dir });
  run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem',
    '-days', '10', '-extfile', 'leaf.ext');
  return { ca: join(dir, 'ca.pem'), leaf: join(dir, 'leaf.pem') };
}
const CLIENT_TITLE = 'Календарь';

/** A relying party on loopback: /cb (codes), /backchannel (logout tokens), /fc. */
class Rp {
  codes = [];
  logoutTokens = [];

  async start() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url, 'http://rp');
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        if (url.pathname === '/backchannel' && req.method === 'POST') {
          this.logoutTokens.push(new URLSearchParams(body).get('logout_token'));
          res.writeHead(200, { 'cache-control': 'no-store' }).end();
          return;
        }
        if (url.pathname === '/cb') this.codes.push(Object.fromEntries(url.searchParams));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RP</title><link rel="icon" href="data:,"></head><body>rp</body></html>');
      });
    });
    await new Promise((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  async until(check, what, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`RP: no ${what} within ${ms} ms`);
      await new Promise((ok) => setTimeout(ok, 200));
    }
  }

  async stop() {
    this.server?.closeAllConnections?.();
    await new Promise((ok) => this.server.close(() => ok()));
  }
}

let browser;
let provider;
let rp;
let secret;

before(async () => {
  browser = await launch();
  rp = await new Rp().start();
  provider = new Provider();
  secret = provider.admin('client', 'create', '--client-id', CLIENT, '--name', CLIENT_TITLE,
    '--redirect-uri', `${rp.origin}/cb`, '--scope', 'openid profile email offline_access',
    '--grant-type', 'authorization_code', '--grant-type', 'refresh_token',
    '--backchannel-logout-uri', `${rp.origin}/backchannel`,
    '--frontchannel-logout-uri', `${rp.origin}/fc`).client_secret;
  await provider.serve(DEV_MODE);
});
after(async () => {
  await browser?.close();
  await provider?.stop();
  await rp?.stop();
});

const stack = () => ({ provider, rp });

function authorizeUrl(extra = {}) {
  const url = new URL('/connect/authorize', provider.issuer);
  const params = {
    response_type: 'code', client_id: CLIENT, redirect_uri: `${rp.origin}/cb`,
    scope: 'openid profile offline_access', state: `st-${Math.random().toString(36).slice(2)}`,
    nonce: 'n-1', ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

async function endpoint(path, params) {
  const basic = Buffer.from(`${CLIENT}:${encodeURIComponent(secret)}`).toString('base64');
  const res = await fetch(new URL(path, provider.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: await res.json() };
}

const redeem = (code) => endpoint('/connect/token', { grant_type: 'authorization_code', code, redirect_uri: `${rp.origin}/cb` });
const refresh = (token) => endpoint('/connect/token', { grant_type: 'refresh_token', refresh_token: token });
const introspect = (token) => endpoint('/connect/introspect', { token });

const onRpPath = (path) => (u) => u.origin === rp.origin && u.pathname === path;
const anywhere = (u) => u.origin === provider.issuer || u.origin === rp.origin;

/** Runs an authorization in `s`; allows consent when asked; returns the tokens. */
async function authorize(s, { expectConsent, extra } = {}) {
  const since = rp.codes.length;
  await navigate(s, () => s.page.goto(authorizeUrl(extra)), anywhere, 'authorize');
  const consent = s.page.locator('button[name=decision][value=allow]');
  if (expectConsent !== undefined) {
    assert.equal(await consent.count(), expectConsent ? 1 : 0, `consent page ${expectConsent ? '' : 'not '}expected${trail(s)}`);
  }
  if (await consent.count()) await navigate(s, () => consent.click(), onRpPath('/cb'), 'allow');
  assert.ok(rp.codes.length > since, `the RP got a code${trail(s)}`);
  const tokens = await redeem(rp.codes.at(-1).code);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
  return tokens.json;
}

async function signInAt(s, user) {
  await navigate(s, () => s.page.goto(new URL('/account/login', provider.issuer).href), onProvider(stack()), 'sign-in page');
  await s.page.fill('#login', user.login);
  await s.page.fill('#password', user.password);
  await submit(s, stack(), 'sign in');
}

async function go(s, path) {
  await navigate(s, () => s.page.goto(new URL(path, provider.issuer).href), onProvider(stack()), `open ${path}`);
}

describe('the personal cabinet', () => {
  for (const lang of LANGS) {
    const user = { login: `carol-${lang}`, password: `amber window ${lang} kettle`, email: `carol-${lang}@example.test` };
    const newEmail = `carol-${lang}-new@example.test`;
    let s;
    let tokens;

    before(async () => {
      provider.admin('user', 'create', '--login', user.login, '--password', user.password,
        '--email', user.email, '--name', 'Carol');
      s = await openPage(browser, { locale: browserLocale(lang) });
    });
    after(async () => { await s?.context.close(); });

    it(`${lang}: a sign-in lands on the overview; the application gets tokens`, async () => {
      await signInAt(s, user);
      assert.equal(pathOf(s), '/account', `the landing page${trail(s)}`);
      await checkPage(s, { name: 'cabinet-overview', lang, status: 200 });
      assert.ok(await s.page.locator('#warnings li').count() >= 1, 'a warning: no second factor');
      tokens = await authorize(s, { expectConsent: true });
      assert.ok(tokens.refresh_token, 'a refresh token');
    });

    it(`${lang}: the profile's new names reach a fresh ID token`, async () => {
      await go(s, `/account/profile?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-profile', lang, status: 200 });
      await s.page.fill('#given_name', 'Кэрол');
      // The field's maxlength stops a browser; the server must refuse on its own.
      await s.page.locator('#family_name').evaluate((el) => el.removeAttribute('maxlength'));
      await s.page.fill('#family_name', 'x'.repeat(101));
      await navigate(s, () => s.page.click('#profile-save'), onProvider(stack()), 'save a too long name');
      await checkPage(s, { name: 'cabinet-profile-error', lang, status: 400 });
      assert.equal(await s.page.locator('#family_name-error').count(), 1, 'the error next to the field');
      assert.equal(await s.page.inputValue('#given_name'), 'Кэрол', 'what was typed stays');
      await s.page.fill('#family_name', 'Иванова');
      await s.page.fill('#middle_name', 'Петровна');
      await s.page.selectOption('#locale', lang);
      await navigate(s, () => s.page.click('#profile-save'), onProvider(stack()), 'save the profile');
      assert.equal(await s.page.locator('p.notice').count(), 1, `saved${trail(s)}`);
      // Profile claims go to userinfo; the ID token carries them when the request's
      // `claims` parameter asks for them there (OIDC Core §5.4, §5.5).
      const wanted = Object.fromEntries(['given_name', 'family_name', 'middle_name', 'locale', 'updated_at'].map((c) => [c, null]));
      const fresh = await authorize(s, { expectConsent: false, extra: { claims: JSON.stringify({ id_token: wanted }) } });
      const res = await fetch(new URL('/connect/userinfo', provider.issuer), { headers: { authorization: `Bearer ${fresh.access_token}` } });
      assert.equal(res.status, 200);
      const userinfo = await res.json();
      for (const claims of [jwtClaims(fresh.id_token), userinfo]) {
        assert.equal(claims.given_name, 'Кэрол', JSON.stringify(claims));
        assert.equal(claims.family_name, 'Иванова');
        assert.equal(claims.middle_name, 'Петровна');
        assert.equal(claims.locale, lang);
        assert.equal(typeof claims.updated_at, 'number');
      }
      tokens = fresh;
    });

    it(`${lang}: a new e-mail is used only after its code`, async () => {
      await go(s, `/account/profile?lang=${lang}`);
      await s.page.fill('#new-email', newEmail);
      await navigate(s, () => s.page.click('#email-change'), onProvider(stack()), 'send the code');
      assert.match(pathOf(s), /^\/account\/profile\/contact\//, `the code page${trail(s)}`);
      await checkPage(s, { name: 'cabinet-contact-code', lang, status: 200 });
      const code = await outboxCode(stack(), newEmail);
      await s.page.fill('#code', code);
      await submit(s, stack(), 'enter the code');
      assert.equal(pathOf(s), '/account/profile', trail(s));
      assert.ok((await s.page.locator('#email-now').textContent()).includes(newEmail), 'the new e-mail');
      await checkPage(s, { name: 'cabinet-profile-saved', lang, status: 200 });
    });

    it(`${lang}: the security page and re-authentication`, async () => {
      await go(s, `/account/security?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-security', lang, status: 200 });
      await go(s, `/account/reauth?next=%2Faccount%2Fsecurity&lang=${lang}`);
      await checkPage(s, { name: 'cabinet-reauth', lang, status: 200 });
      await s.page.fill('#password', 'not my password');
      await navigate(s, () => s.page.click('#reauth-password-submit'), onProvider(stack()), 'a wrong password');
      await checkPage(s, { name: 'cabinet-reauth-wrong', lang, status: 400 });
      await s.page.fill('#password', user.password);
      await navigate(s, () => s.page.click('#reauth-password-submit'), onProvider(stack()), 'the password');
      assert.equal(pathOf(s), '/account/security', `back to the page that asked${trail(s)}`);
    });

    it(`${lang}: another browser is signed out from the sessions page`, async () => {
      const other = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await signInAt(other, user);
        assert.equal(pathOf(other), '/account', trail(other));
        await go(s, `/account/sessions?lang=${lang}`);
        await checkPage(s, { name: 'cabinet-sessions', lang, status: 200 });
        const ends = s.page.locator('button.end-session');
        assert.equal(await ends.count(), 1, 'one other browser');
        await navigate(s, () => ends.click(), onProvider(stack()), 'sign the other browser out');
        await checkPage(s, { name: 'cabinet-sessions-ended', lang, status: 200 });
        assert.equal(await s.page.locator('button.end-session').count(), 0);
        const since = rp.codes.length;
        await navigate(other, () => other.page.goto(authorizeUrl({ prompt: 'none' })), onRpPath('/cb'), 'prompt=none');
        assert.equal(rp.codes.length, since + 1);
        assert.equal(rp.codes.at(-1).error, 'login_required', JSON.stringify(rp.codes.at(-1)));
      } finally {
        await other.context.close();
      }
    });

    it(`${lang}: revoking the application's access`, async () => {
      await go(s, `/account/accesses?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-accesses', lang, status: 200 });
      const item = s.page.locator(`li.access[data-client="${CLIENT}"]`);
      assert.equal(await item.count(), 1, 'the application is listed');
      assert.ok((await item.textContent()).includes(CLIENT_TITLE));
      assert.equal((await introspect(tokens.access_token)).json.active, true);
      const seen = rp.logoutTokens.length;
      await navigate(s, () => item.locator('button.revoke').click(), onProvider(stack()), 'revoke');
      await checkPage(s, { name: 'cabinet-accesses-revoked', lang, status: 200 });
      const refreshed = await refresh(tokens.refresh_token);
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.json.error, 'invalid_grant');
      assert.equal((await introspect(tokens.access_token)).json.active, false);
      await rp.until(() => rp.logoutTokens.length > seen, 'back-channel logout token');
      const logout = decodeJwt(rp.logoutTokens.at(-1));
      assert.equal(logout.aud, CLIENT);
      assert.ok(logout.sid, 'the session is named');
      tokens = await authorize(s, { expectConsent: true });
    });

    it(`${lang}: the history lists the events of the test`, async () => {
      await go(s, `/account/history?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-history', lang, status: 200 });
      const kinds = await s.page.locator('li.event').evaluateAll((els) => els.map((e) => e.dataset.kind));
      for (const kind of ['access_revoked', 'sessions_ended', 'contact_changed', 'profile_changed', 'reauthenticated', 'sign_in_failed', 'sign_in']) {
        assert.ok(kinds.includes(kind), `${kind} in ${JSON.stringify(kinds)}`);
      }
      // The authorization after the revocation adds consent and token events; they are
      // written in batches, so they may or may not be listed yet.
      const own = kinds.filter((k) => !['consent_given', 'token_issued', 'token_refused'].includes(k));
      assert.equal(own[0], 'access_revoked', `newest first: ${JSON.stringify(kinds)}`);
    });

    it(`${lang}: a bound certificate is listed with its INN and SNILS, and removed`, async () => {
      await go(s, `/account/certificates?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-certificates-none', lang, status: 200 });
      assert.equal(await s.page.locator('#no-certificates').count(), 1, 'the empty state');
      const files = certificates('Carol');
      provider.admin('ca', 'add', files.ca);
      provider.admin('user', 'certificate', 'add', '--login', user.login, files.leaf);
      await go(s, `/account/certificates?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-certificates', lang, status: 200 });
      const item = s.page.locator('li.certificate');
      assert.equal(await item.count(), 1, 'the certificate is listed');
      assert.equal((await item.locator('dd.inn').textContent()).trim(), '500100732259');
      assert.equal((await item.locator('dd.snils').textContent()).trim(), '11223344595');
      assert.ok((await item.locator('h2').textContent()).includes('Petrova'), 'the owner');
      await navigate(s, () => item.locator('button.remove').click(), onProvider(stack()), 'remove');
      await checkPage(s, { name: 'cabinet-certificates-removed', lang, status: 200 });
      assert.equal(await s.page.locator('#no-certificates').count(), 1, 'removed');
      assert.equal(await s.page.locator('[role=status]').count(), 1, 'a notice says so');
      const bound = provider.admin('user', 'certificate', 'list', '--login', user.login);
      assert.deepEqual(bound, [], 'the binding is gone');
    });

    it(`${lang}: the export`, async () => {
      const res = await s.context.request.get(new URL('/account/export', provider.issuer).href);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-disposition'] ?? '', /^attachment/);
      const data = await res.json();
      assert.equal(data.account.login, user.login);
      assert.equal(data.account.email, newEmail);
      assert.equal(data.account.profile.middle_name, 'Петровна');
      assert.ok(data.history.length > 5, 'the history is in it');
    });

    it(`${lang}: deleting the account`, async () => {
      await go(s, `/account/delete?lang=${lang}`);
      await checkPage(s, { name: 'cabinet-delete', lang, status: 200 });
      await s.page.check('#confirm');
      await navigate(s, () => s.page.click('#delete-account'), onProvider(stack()), 'delete');
      assert.equal(await s.page.locator('#deleted').count(), 1, `deleted${trail(s)}`);
      await checkPage(s, { name: 'cabinet-deleted', lang, status: 200 });
      assert.equal((await refresh(tokens.refresh_token)).json.error, 'invalid_grant');
      assert.equal((await introspect(tokens.access_token)).json.active, false);
      await signInAt(s, user);
      assert.equal(pathOf(s), '/account/login', `sign-in fails${trail(s)}`);
      assert.equal(await s.page.locator('p.error').count(), 1, 'with an error');
    });
  }
});
