// Chromium through playwright-core, and the checks every provider page must pass.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './provider.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-artifacts/screenshots');

/** axe-core's source, injected through the DevTools protocol: the pages' CSP stays on. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The WCAG 2.1 A and AA rules. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2.1 AA violations on the page, as readable lines. */
export async function accessibilityViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      iframes: false,
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG_TAGS);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.join(', ')})`);
}

export const LANGS = ['ru', 'en'];
export const other = (lang) => (lang === 'ru' ? 'en' : 'ru');
/** A browser `locale` (which also sets Accept-Language) for a page language. */
export const browserLocale = (lang) => (lang === 'ru' ? 'ru-RU' : 'en-US');

/** What the pages say, per language (from the contract; only stable fragments). */
export const TEXT = {
  ru: { wrong: 'Неверный', login: 'Логин', password: 'Пароль' },
  en: { wrong: 'Wrong', login: 'Login', password: 'Password' },
};

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (own cookies) with one page, which records console errors,
 * uncaught page errors and the last main-frame document response. `contextOptions` go to
 * `browser.newContext` (e.g. `clientCertificates`).
 */
export async function openPage(browser, { locale, contextOptions = {} } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 900, height: 700 }, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  const session = { context, page, errors: [], documents: [] };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    if (msg.text().startsWith('Failed to load resource')) {
      // Chromium logs every non-2xx load. The status of each page is asserted on its own;
      // the favicon (no page links one; Chromium asks anyway) is left out.
      if (session.documents.some((d) => d.url === where)) return;
      if (new URL(where, page.url()).pathname === '/favicon.ico') return;
    }
    session.errors.push(`console: ${msg.text()} (${where || page.url()})`);
  });
  page.on('pageerror', (err) => session.errors.push(`pageerror: ${err.message} @ ${page.url()}`));
  page.on('requestfailed', (req) => {
    if (req.isNavigationRequest()) session.errors.push(`navigation failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      session.documents.push({ url: res.url(), method: req.method(), status: res.status(), headers: res.headers() });
    }
  });
  return session;
}

/** The last main-frame document response that was not a redirect. */
export function lastDocument(session) {
  const docs = session.documents.filter((d) => d.status < 300 || d.status >= 400);
  return docs.at(-1);
}

/** A readable summary of what the browser went through (for assertion messages). */
export function trail(session) {
  const docs = session.documents.map((d) => `  ${d.method} ${d.url} -> ${d.status}`).join('\n');
  const errs = session.errors.map((e) => `  ${e}`).join('\n');
  return `\nnavigations:\n${docs || '  (none)'}\nbrowser errors:\n${errs || '  (none)'}\nnow at: ${session.page.url()}`;
}

/**
 * Runs `action` (a click) and waits until the main frame settles on a URL matching
 * `until` (a predicate on URL). Fails with the navigation trail on timeout.
 */
export async function navigate(session, action, until, what) {
  const { page } = session;
  const before = session.documents.length;
  // A new (non-redirect) document must arrive: the current URL may already match.
  const arrived = (url) => until(url)
    && session.documents.slice(before).some((d) => (d.status < 300 || d.status >= 400) && d.url === url.href);
  try {
    await Promise.all([page.waitForURL(arrived, { waitUntil: 'load' }), action()]);
  } catch (e) {
    await page.waitForTimeout(500); // let late console messages (CSP reports) arrive
    assert.fail(`${what}: ${e.message.split('\n')[0]}${trail(session)}`);
  }
}

export const onProvider = (stack) => (url) => url.origin === stack.provider.issuer;
export const onInteraction = (stack) => (url) => url.origin === stack.provider.issuer && url.pathname.startsWith('/interaction/');
export const onRp = (stack) => (url) => url.origin === stack.rp.origin;

export async function screenshot(page, name, lang) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}-${lang}.png`);
  await page.screenshot({ path, fullPage: true, type: 'png' });
  return path;
}

/**
 * The checks every provider HTML page must pass: the expected status, `<html lang>`, a
 * CSP with `frame-ancestors 'none'`, a label for every form field, no axe-core WCAG 2.1
 * AA violation, and no console errors so far. Takes a screenshot named `<name>-<lang>.png`.
 */
export async function checkPage(session, { name, lang, status }) {
  const { page } = session;
  const doc = lastDocument(session);
  assert.ok(doc, `${name}: no document response recorded${trail(session)}`);
  assert.equal(doc.url, page.url(), `${name}: the last document response is not the page shown${trail(session)}`);
  if (status !== undefined) assert.equal(doc.status, status, `${name}: HTTP status of ${doc.method} ${doc.url}`);
  await screenshot(page, name, lang);

  const csp = doc.headers['content-security-policy'] ?? '';
  assert.match(csp, /(^|;)\s*frame-ancestors\s+'none'\s*(;|$)/, `${name}: Content-Security-Policy of ${doc.url} is "${csp}"`);

  assert.equal(await page.getAttribute('html', 'lang'), lang, `${name}: <html lang> of ${page.url()}`);

  const unlabelled = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
      const byFor = el.id ? [...document.querySelectorAll('label')].filter((l) => l.htmlFor === el.id) : [];
      const wrapped = el.closest('label');
      const texts = [...byFor, ...(wrapped ? [wrapped] : [])].map((l) => l.textContent.trim()).filter(Boolean);
      const aria = (el.getAttribute('aria-label') ?? '').trim();
      if (texts.length === 0 && !aria) bad.push(el.outerHTML);
    }
    return bad;
  });
  assert.deepEqual(unlabelled, [], `${name}: form fields without a label on ${page.url()}`);

  const violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], `${name}: axe-core WCAG 2.1 AA violations on ${page.url()}`);

  assert.deepEqual(session.errors, [], `${name}: browser console errors${trail(session)}`);
  return doc;
}

/** The visible text of the `<label for=id>` of a field. */
export function labelOf(page, id) {
  return page.evaluate((id) => {
    const l = [...document.querySelectorAll('label')].find((x) => x.htmlFor === id);
    return l ? l.textContent.trim() : null;
  }, id);
}

/** Asserts the page is the sign-in form. */
export async function assertSignInPage(session, lang) {
  const { page } = session;
  assert.ok(await page.locator('#login').count() === 1 && await page.locator('#password').count() === 1,
    `expected the sign-in form (#login, #password)${trail(session)}`);
  assert.equal(await page.getAttribute('html', 'lang'), lang, `<html lang> of the sign-in page ${page.url()}`);
  const h1 = (await page.locator('h1').first().textContent())?.trim();
  assert.ok(h1, 'the sign-in page has a heading');
  const loginLabel = await labelOf(page, 'login');
  const passwordLabel = await labelOf(page, 'password');
  assert.ok(loginLabel?.includes(TEXT[lang].login), `label of #login is "${loginLabel}", expected it to contain "${TEXT[lang].login}"`);
  assert.ok(passwordLabel?.includes(TEXT[lang].password), `label of #password is "${passwordLabel}", expected it to contain "${TEXT[lang].password}"`);
  assert.equal(await page.locator('form button[type=submit], form input[type=submit]').count() >= 1, true, 'a submit button');
  assert.equal(await page.locator('nav.lang a').count() >= 1, true, 'a language switcher (nav.lang a)');
  return h1;
}

/** Fills and submits the sign-in form. */
export async function submitSignIn(session, login, password, until, what) {
  const { page } = session;
  await page.fill('#login', login);
  await page.fill('#password', password);
  await navigate(session, () => page.click('form button[type=submit]'), until, what);
}

export async function hasSessionCookie(context) {
  const cookies = await context.cookies();
  return cookies.some((c) => /propusk_session$/.test(c.name) && c.value !== '');
}
