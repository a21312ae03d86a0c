// The integrator cabinet in the browser, in Russian and English: a signed-in user accepts
// the integrator terms, creates one application of each type, adds two api-keys and
// revokes one (the revoked key fails at the token endpoint, the quick-start curl snippet
// run with the other gets tokens), requests a product scope that the operator approves
// with `propusk admin scope-request approve`, and runs the test sign-in that shows the
// decoded tokens. Every page is checked with axe-core and photographed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, browserLocale, checkPage, launch, navigate, onInteraction, onProvider, onRp, openPage, trail,
} from '../lib/browser.mjs';
import { startStack } from '../lib/provider.mjs';

const TYPES = ['web', 'spa', 'native', 'device', 'service'];
const PRODUCT = { audience: 'orders-api', scope: 'orders.read' };

const TEXT = {
  ru: { saved: 'Сохранено.', pending: 'ожидает', approved: 'одобрено', once: 'показывается один раз' },
  en: { saved: 'Saved.', pending: 'pending', approved: 'approved', once: 'shown only once' },
};

/** Clicks and waits for the next provider page. */
function go(s, stack, selector, what) {
  return navigate(s, () => s.page.click(selector), onProvider(stack), what);
}

/** Allows the consent page when it shows, and waits to leave the interaction. */
async function passConsent(s, stack, until, lang, name) {
  if (onInteraction(stack)(new URL(s.page.url()))) {
    if (name) await checkPage(s, { name, lang, status: 200 });
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), until, 'consent allow');
  }
}

/** A real 16×16 PNG (one colour), built here chunk by chunk (PNG §5). */
function png() {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(16 * 3, 0x40)]);
  const pixels = deflateSync(Buffer.concat(Array(16).fill(row)));
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', header),
    chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function tokenWithKey(stack, clientId, key, code, redirectUri) {
  const basic = Buffer.from(`${clientId}:${key}`).toString('base64');
  const res = await fetch(new URL('/connect/token', stack.provider.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

describe('integrator cabinet', () => {
  let stack;
  let browser;
  before(async () => {
    stack = await startStack();
    stack.provider.admin('product', 'create', '--audience', PRODUCT.audience, '--scope', PRODUCT.scope,
      '--approval-required');
    browser = await launch();
  });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    it(`${lang}: from nothing to a working sign-in`, async () => {
      const login = `integrator-${lang}`;
      const password = `long integrator pass ${lang}`;
      stack.provider.admin('user', 'create', '--login', login, '--password', password,
        '--email', `${login}@example.test`, '--name', `Dev ${lang}`);
      const s = await openPage(browser, { locale: browserLocale(lang) });
      const { page } = s;
      const at = (path) => new URL(path, stack.provider.issuer).href;
      try {
        // Sign in, then the terms.
        await page.goto(at(`/account/login?lang=${lang}`));
        await page.fill('#login', login);
        await page.fill('#password', password);
        await navigate(s, () => page.click('main form button[type=submit]'), onProvider(stack), 'sign in');
        await page.goto(at('/developer'));
        await checkPage(s, { name: 'developer-terms', lang, status: 200 });
        await go(s, stack, '#become', 'become an integrator without accepting');
        await checkPage(s, { name: 'developer-terms-refused', lang, status: 400 });
        await page.check('#accept');
        await go(s, stack, '#become', 'accept the terms');
        assert.equal(new URL(page.url()).pathname, '/developer/apps', `the applications${trail(s)}`);
        await checkPage(s, { name: 'developer-apps-empty', lang, status: 200 });

        // One application of each type.
        const apps = {};
        for (const type of TYPES) {
          await page.goto(at(`/developer/apps/new`));
          if (type === 'web') {
            await go(s, stack, '#create', 'create without a name');
            await checkPage(s, { name: 'developer-new-refused', lang, status: 400 });
          }
          await page.fill('#name', `App ${type} ${lang}`);
          await page.check(`#type-${type}`);
          if (type === 'web') await page.fill('#client_uri', 'https://app.example/');
          await go(s, stack, '#create', `create the ${type} application`);
          const path = new URL(page.url()).pathname;
          assert.match(path, /^\/developer\/apps\/app-/, `the ${type} application page${trail(s)}`);
          await checkPage(s, { name: `developer-app-${type}`, lang, status: 200 });
          apps[type] = decodeURIComponent(path.split('/').pop());
          assert.equal((await page.locator('#client-id').textContent()).trim(), apps[type]);
          assert.equal(await page.locator('#keys').count() + await page.locator('#new-key').count() > 0,
            ['web', 'service'].includes(type), `${type}: api-keys only for server-side types`);
        }
        await page.goto(at('/developer/apps'));
        await checkPage(s, { name: 'developer-apps', lang, status: 200 });
        assert.equal(await page.locator('#apps tbody tr').count(), TYPES.length);

        // Settings of the web app: a bad redirect URI is refused, the RP's is saved.
        const web = apps.web;
        const appUrl = at(`/developer/apps/${web}`);
        await page.goto(appUrl);
        await page.fill('#redirect_uris', 'javascript:alert(1)');
        await go(s, stack, '#save', 'save a javascript: redirect URI');
        await checkPage(s, { name: 'developer-settings-refused', lang, status: 400 });
        assert.equal(await page.locator('#settings-error').count(), 1);
        await page.fill('#redirect_uris', stack.rp.redirectUri);
        await page.fill('#access_token_lifetime', '99999999');
        await go(s, stack, '#save', 'save a lifetime over the limit');
        assert.equal(await page.locator('#settings-error').count(), 1, 'the lifetime is refused');
        await page.fill('#access_token_lifetime', '1800');
        await go(s, stack, '#save', 'save the settings');
        assert.equal((await page.locator('#notice').textContent()).trim(), TEXT[lang].saved);
        assert.equal(await page.inputValue('#redirect_uris'), stack.rp.redirectUri);

        // Two api-keys, shown once each.
        const keys = {};
        for (const name of ['first', 'second']) {
          await page.fill('#key-name', `${name} key`);
          await go(s, stack, '#add-key', `add the ${name} key`);
          if (name === 'first') await checkPage(s, { name: 'developer-key-created', lang, status: 200 });
          assert.ok((await page.locator('main').textContent()).includes(TEXT[lang].once));
          keys[name] = (await page.locator('#key-value').textContent()).trim();
          assert.match(keys[name], /^[A-Za-z0-9_-]{40,}$/);
          await go(s, stack, '#back', 'back to the application');
        }
        assert.equal(await page.locator('#keys tbody tr').count(), 2);
        const firstRow = page.locator('#keys tbody tr', { hasText: 'first key' });
        await go(s, stack, `#keys tbody tr:has-text("first key") button`, 'revoke the first key');
        assert.equal(await firstRow.locator('button').count(), 0, 'the revoked key has no revoke button');
        await checkPage(s, { name: 'developer-app-keys', lang, status: 200 });

        // The quick start: its curl sample runs as shown with the live key; it prints the
        // authorization address, the browser signs in there, the code is refused with the
        // revoked key, and the sample, given the address the browser came back to, gets
        // tokens.
        await go(s, stack, '#quickstart', 'the quick start');
        await checkPage(s, { name: 'developer-quickstart', lang, status: 200 });
        const snippet = (await page.locator('#snippet-curl').textContent());
        assert.ok(snippet.includes(web) && snippet.includes(encodeURIComponent(stack.rp.redirectUri)),
          `the snippet names the client and its redirect URI:\n${snippet}`);
        const child = spawn('bash', ['-c', snippet], { env: { ...process.env, CLIENT_SECRET: keys.second } });
        let out = '';
        let err = '';
        child.stderr.on('data', (d) => { err += d; });
        const authorize = await new Promise((resolvePrompt, rejectPrompt) => {
          child.stdout.on('data', (d) => {
            out += d;
            const found = out.match(/Open in a browser and sign in: (\S+)/);
            if (found) resolvePrompt(found[1]);
          });
          child.on('exit', () => rejectPrompt(new Error(`the snippet ended first: ${out} ${err}`)));
        });
        const since = stack.rp.hits.length;
        await page.goto(authorize);
        await passConsent(s, stack, onRp(stack), lang, 'developer-consent');
        const hit = await stack.rp.waitForHit(since);
        assert.ok(hit.params.code, `the RP got ${JSON.stringify(hit.params)}`);
        const refused = await tokenWithKey(stack, web, keys.first, hit.params.code, stack.rp.redirectUri);
        assert.equal(refused.status, 401, `the revoked key: ${JSON.stringify(refused.json)}`);
        assert.equal(refused.json?.error, 'invalid_client');
        const exited = new Promise((done) => child.on('exit', done));
        child.stdin.end(`${stack.rp.redirectUri}?${new URLSearchParams(hit.params)}\n`);
        assert.equal(await exited, 0, `the snippet failed: ${out} ${err}`);
        const answer = JSON.parse(out.trim().split('\n').pop());
        assert.ok(answer.access_token && answer.id_token, `the snippet got tokens: ${out}`);
        await page.goto(appUrl);
        assert.notEqual((await page.locator('#keys tbody tr', { hasText: 'second key' }).locator('td').nth(3).textContent()).trim(), '—',
          'the live key shows its last use');

        // A product scope: requested, approved by the operator, allowed.
        await page.selectOption('#scope-choice', PRODUCT.scope);
        await go(s, stack, '#request', 'request the product scope');
        const row = page.locator(`#scope-requests tr[data-scope="${PRODUCT.scope}"]`);
        assert.equal(await row.getAttribute('data-status'), 'pending');
        assert.equal((await row.locator('td').nth(2).textContent()).trim(), TEXT[lang].pending);
        await checkPage(s, { name: 'developer-scope-pending', lang, status: 200 });
        const pending = stack.provider.admin('scope-request', 'list')
          .filter((r) => r.client_id === web && r.scope === PRODUCT.scope);
        assert.equal(pending.length, 1, 'the operator sees the request');
        const approved = stack.provider.admin('scope-request', 'approve', pending[0].id);
        assert.equal(approved.status, 'approved');
        // Another process changed the client: the server sees it within one cache poll.
        const deadline = Date.now() + 15_000;
        do {
          await page.reload();
        } while (!(await page.locator('#allowed-scopes').textContent()).includes(PRODUCT.scope)
          && Date.now() < deadline && await page.waitForTimeout(300) === undefined);
        assert.equal(await row.getAttribute('data-status'), 'approved');
        assert.equal((await row.locator('td').nth(2).textContent()).trim(), TEXT[lang].approved);
        assert.ok((await page.locator('#allowed-scopes').textContent()).includes(PRODUCT.scope), 'the scope is allowed');
        await checkPage(s, { name: 'developer-scope-approved', lang, status: 200 });

        // The test sign-in shows the decoded tokens.
        await page.click('#test-sign-in');
        await page.waitForURL((u) => onInteraction(stack)(u) || u.pathname === '/developer/callback', { waitUntil: 'load' });
        await passConsent(s, stack, (u) => u.pathname === '/developer/callback', lang);
        await checkPage(s, { name: 'developer-test-sign-in', lang, status: 200 });
        const idToken = JSON.parse(await page.locator('#id-token').textContent());
        assert.equal(idToken.aud, web, 'the ID token is the application\'s');
        assert.equal(idToken.iss, stack.provider.issuer);
        const userinfo = JSON.parse(await page.locator('#userinfo').textContent());
        assert.equal(userinfo.sub, idToken.sub, 'UserInfo is about the same user');
        assert.ok((await page.locator('#access-token').textContent()).trim().length > 10);

        // The device's test sign-in: a user code confirmed on the device page, then tokens.
        await page.goto(at(`/developer/apps/${apps.device}`));
        await go(s, stack, '#test-sign-in', 'start the device test');
        await checkPage(s, { name: 'developer-test-device', lang, status: 200 });
        const userCode = (await page.locator('#user-code').textContent()).trim();
        await go(s, stack, '#device-poll', 'ask for tokens before confirming');
        assert.equal(await page.locator('#device-pending').count(), 1, `still pending${trail(s)}`);
        const pollHref = await page.locator('#device-poll').getAttribute('href');
        await go(s, stack, '#device-confirm', 'open the device page');
        if (await page.locator('#login').count() > 0) {
          await page.fill('#login', login);
          await page.fill('#password', password);
          await navigate(s, () => page.click('form button[type=submit]'), (u) => u.pathname === '/device', 'sign in on /device');
        }
        assert.ok((await page.locator('main').textContent()).includes(userCode.replace('-', '').slice(0, 4)),
          `the device page shows the code${trail(s)}`);
        await navigate(s, () => page.click('button[name=decision][value=allow]'),
          (u) => u.pathname === '/device/decision', 'allow the device');
        await page.goto(at(pollHref));
        assert.equal(await page.locator('#test-ok').count(), 1, `the device got tokens${trail(s)}`);
        const deviceId = JSON.parse(await page.locator('#id-token').textContent());
        assert.equal(deviceId.aud, apps.device);
        await checkPage(s, { name: 'developer-test-device-done', lang, status: 200 });

        // A logo: an SVG is refused, a PNG is stored and served by the provider.
        await page.goto(appUrl);
        await page.setInputFiles('#logo', { name: 'logo.svg', mimeType: 'image/svg+xml',
          buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
        await go(s, stack, '#upload-logo', 'upload an SVG');
        assert.equal(await page.locator('#logo-error').count(), 1, 'an SVG is not accepted');
        await checkPage(s, { name: 'developer-logo-refused', lang, status: 400 });
        await page.setInputFiles('#logo', { name: 'logo.png', mimeType: 'image/png', buffer: png() });
        await go(s, stack, '#upload-logo', 'upload a PNG');
        const served = await fetch(at(`/developer/logos/${web}`));
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), 'image/png');
        assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
        assert.deepEqual(Buffer.from(await served.arrayBuffer()), png());
        assert.equal(await page.locator('h1 img.app-logo').evaluate((img) => img.naturalWidth), 16, 'the logo shows');

        // The team: an unknown account is refused; another integrator becomes a co-owner.
        await page.fill('#owner', 'nobody-here');
        await go(s, stack, '#add-owner', 'add an unknown co-owner');
        assert.equal(await page.locator('#team-error').count(), 1);
        await checkPage(s, { name: 'developer-team-refused', lang, status: 400 });
        if (lang === 'en') {
          await page.fill('#owner', 'integrator-ru@example.test');
          await go(s, stack, '#add-owner', 'add the other integrator');
          assert.ok((await page.locator('#owners').textContent()).includes('integrator-ru@example.test'));
        }
      } finally {
        await s.context.close();
      }
    });
  }
});
