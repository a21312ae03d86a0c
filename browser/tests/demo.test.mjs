// The demo (`propusk-demo`) against a real provider, walked in Chromium through the three
// scenarios: sign in to App A (ID token claims and UserInfo, no profile without the
// profile scope); App A calls the product API with the person's token; "open in the
// product" signs the person in to the product's own page without a password and creates
// a product account; App B (another host, so another subject of the person) leads into
// the same account, in the same browser and in a fresh one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkPage, launch, navigate, openPage, submitSignIn, trail } from '../lib/browser.mjs';
import { BIN, Provider, ROOT, USER } from '../lib/provider.mjs';

const demoEnv = process.env.PROPUSK_DEMO_BIN;
const DEMO_BIN = demoEnv ? (isAbsolute(demoEnv) ? demoEnv : resolve(ROOT, demoEnv)) : join(dirname(BIN), 'propusk-demo');
const LANG = 'en';

/** Starts the demo against the provider; resolves with its sites' URLs once it serves. */
function startDemo(provider) {
  if (!existsSync(DEMO_BIN)) {
    throw new Error(`${DEMO_BIN} not found: build it with cargo build -p propusk-demo, or set PROPUSK_DEMO_BIN`);
  }
  const child = spawn(DEMO_BIN, [
    '--issuer', provider.issuer, '--listen', '127.0.0.1:0', '--propusk', BIN,
    '--database-url', provider.dbUrl, '--data-dir', provider.dir,
    '--store', join(provider.dir, 'demo-product.json'),
  ], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk; });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the demo did not start within 60 s:\n${out}\n${err}`)), 60_000);
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`the demo exited (${code}):\n${out}\n${err}`)); });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const site = (name) => out.match(new RegExp(`^  ${name} +(\\S+)$`, 'm'))?.[1];
      const [a, b, product] = [site('App A'), site('App B'), site('product')];
      if (a && b && product) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        ok({ child, a: new URL(a), b: new URL(b), product: new URL(product), log: () => err });
      }
    });
  });
}

async function stopDemo(demo) {
  const child = demo?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGINT');
  await done;
}

const at = (url) => (u) => u.origin === url.origin && u.pathname === url.pathname;
const onProviderPage = (provider) => (u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction/');
const json = async (page, id) => JSON.parse(await page.locator(`#${id}`).textContent());
const text = async (page, id) => (await page.locator(`#${id}`).textContent()).trim();

/** Clicks `selector` and expects no provider page on the way to `until`: single sign-on. */
async function withoutProviderPages(s, provider, selector, until, what) {
  const mark = s.documents.length;
  await navigate(s, () => s.page.click(selector), until, what);
  const shown = s.documents.slice(mark).filter((d) => onProviderPage(provider)(new URL(d.url)));
  assert.deepEqual(shown.map((d) => d.url), [], `${what}: no sign-in or consent page${trail(s)}`);
}

/** From an app's page: sign in (password only when `password`), allow, back at the app. */
async function signInToApp(s, provider, app, { selector = '#sign-in', password = true, name }) {
  await navigate(s, () => s.page.click(selector), onProviderPage(provider), `${name}: to the provider`);
  if (password) {
    assert.equal(await s.page.locator('#login').count(), 1, `${name}: the sign-in form${trail(s)}`);
    await submitSignIn(s, USER.login, USER.password, onProviderPage(provider), `${name}: sign in`);
  }
  assert.equal(await s.page.locator('#login').count(), 0, `${name}: no password asked here${trail(s)}`);
  assert.equal(await s.page.locator('button[name=decision][value=allow]').count(), 1, `${name}: the consent page${trail(s)}`);
  await checkPage(s, { name: `${name}-consent`, lang: LANG, status: 200 });
  await navigate(s, () => s.page.click('button[name=decision][value=allow]'), at(app), `${name}: allow`);
  await checkPage(s, { name, lang: LANG, status: 200 });
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('the demo: three scenarios, one product account', () => {
  let provider;
  let demo;
  let session;
  const seen = {};

  before(async () => {
    provider = new Provider();
    provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--name', USER.name);
    await provider.serve();
    demo = await startDemo(provider);
    session = await openPage(browser, { locale: 'en-US' });
  });
  after(async () => {
    await session?.context.close();
    await stopDemo(demo);
    await provider?.stop();
  });

  it('scenario 1: App A signs alice in and shows its claims, without her profile', async () => {
    const s = session;
    await s.page.goto(demo.a.href);
    await checkPage(s, { name: 'demo-app-a-start', lang: LANG, status: 200 });
    await signInToApp(s, provider, demo.a, { name: 'demo-app-a-signed-in' });
    const idToken = await json(s.page, 'id-token');
    const userinfo = await json(s.page, 'userinfo');
    assert.equal(idToken.iss, provider.issuer, 'iss');
    assert.deepEqual([idToken.aud].flat(), ['demo-app-a'], 'aud');
    assert.equal(userinfo.sub, idToken.sub, 'UserInfo is about the same subject');
    for (const claims of [idToken, userinfo]) {
      assert.equal(claims.name, undefined, `no name without the profile scope: ${JSON.stringify(claims)}`);
      assert.equal(claims.email, undefined, `no e-mail without the email scope: ${JSON.stringify(claims)}`);
    }
    assert.equal(await s.page.locator('#profile.note').count(), 1, 'the page says no profile was shared');
    assert.ok(!(await s.page.locator('main').textContent()).includes(USER.name), 'alice\'s name is nowhere on the page');
    seen.appA = idToken.sub;
  });

  it('scenario 2: App A calls the product API with alice\'s token', async () => {
    const s = session;
    await navigate(s, () => s.page.click('#call-product'), at(new URL('/a/product', demo.a)), 'call the product API');
    await checkPage(s, { name: 'demo-product-api', lang: LANG, status: 200 });
    assert.equal(await text(s.page, 'product-status'), '200');
    const data = await json(s.page, 'product-data');
    assert.equal(data.client_id, 'demo-app-a', 'the product sees which app called');
    assert.deepEqual([...data.scopes].sort(), ['demo.read', 'openid'], 'the product scope, no profile scope');
    assert.equal(data.account, null, 'no product account before the first entry');
    assert.ok(data.subject && data.subject !== seen.appA, `the product's own subject, not App A's: ${data.subject}`);
    assert.ok(!JSON.stringify(data).includes(USER.name) && !JSON.stringify(data).includes(USER.email), 'no profile reaches the product');
    seen.product = data.subject;
  });

  it('scenario 3: "open in the product" from App A signs in without a password and creates the account', async () => {
    const s = session;
    await s.page.goto(demo.a.href);
    await withoutProviderPages(s, provider, '#open-product', at(demo.product), 'open in the product from App A');
    await checkPage(s, { name: 'demo-product-created', lang: LANG, status: 200 });
    assert.equal(await s.page.getAttribute('#entry', 'data-entry'), 'created', 'a new product account');
    assert.equal(await text(s.page, 'came-from'), 'App A');
    assert.equal(await text(s.page, 'product-subject'), seen.product, 'keyed by the subject the API saw');
    seen.account = await text(s.page, 'account-id');
    assert.match(seen.account, /^P-\d{4}$/);
  });

  it('App B (another subject of alice) leads into the same product account', async () => {
    const s = session;
    await s.page.goto(demo.b.href);
    await checkPage(s, { name: 'demo-app-b-start', lang: LANG, status: 200 });
    // Alice's Propusk session signs her in; App B asks for her consent once.
    await signInToApp(s, provider, demo.b, { password: false, name: 'demo-app-b-signed-in' });
    const appB = (await json(s.page, 'id-token')).sub;
    assert.notEqual(appB, seen.appA, 'App B sees another pairwise subject than App A');

    await navigate(s, () => s.page.click('#call-product'), at(new URL('/b/product', demo.b)), 'App B calls the product API');
    const data = await json(s.page, 'product-data');
    assert.equal(data.client_id, 'demo-app-b');
    assert.equal(data.subject, seen.product, 'the product sees the same subject through App B');
    assert.equal(data.account?.id, seen.account, 'and finds the account');

    await s.page.goto(demo.b.href);
    await withoutProviderPages(s, provider, '#open-product', at(demo.product), 'open in the product from App B');
    await checkPage(s, { name: 'demo-product-welcome-back', lang: LANG, status: 200 });
    assert.equal(await s.page.getAttribute('#entry', 'data-entry'), 'returning', 'the account is found, not created');
    assert.equal(await text(s.page, 'account-id'), seen.account, 'one product account');
    assert.equal(await text(s.page, 'came-from'), 'App B');
    assert.equal(await text(s.page, 'arrived-via'), 'App A, App B');
  });

  it('a fresh browser through App B, sharing the profile: the same account again', async () => {
    const s = await openPage(browser, { locale: 'en-US' });
    try {
      await s.page.goto(demo.b.href);
      await signInToApp(s, provider, demo.b, { selector: '#sign-in-profile', name: 'demo-app-b-profile' });
      assert.equal(await s.page.locator('#profile.ok').count(), 1, 'the page says the profile was shared');
      const userinfo = await json(s.page, 'userinfo');
      assert.equal(userinfo.name, USER.name, 'UserInfo has the name once profile is granted');
      assert.equal(userinfo.email, USER.email, 'and the e-mail');

      await withoutProviderPages(s, provider, '#open-product', at(demo.product), 'open in the product, fresh browser');
      assert.equal(await s.page.getAttribute('#entry', 'data-entry'), 'returning');
      assert.equal(await text(s.page, 'account-id'), seen.account, 'still one product account');
      assert.equal(await text(s.page, 'entries'), '3');
      await checkPage(s, { name: 'demo-product-fresh-browser', lang: LANG, status: 200 });
    } finally {
      await s.context.close();
    }
  });

  it('the product API refuses a call without a token as RFC 6750 says', async () => {
    const res = await fetch(new URL('/product/api/me', demo.product));
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
  });
});
