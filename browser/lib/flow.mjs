// How a test picks the page language, and the steps of an authorization in the browser.
import assert from 'node:assert/strict';
import {
  assertSignInPage, browserLocale, checkPage, navigate, onInteraction, onRp, openPage, other, submitSignIn, trail,
} from './browser.mjs';
import { CLIENT_NAME, USER } from './provider.mjs';

/**
 * The three ways a page language is chosen:
 * - `ui_locales`: the request carries `ui_locales=<lang>` while the browser asks for the
 *   other language (so `ui_locales` must win over Accept-Language);
 * - `accept-language`: the browser context `locale` (Accept-Language) is `<lang>`;
 * - `switcher`: the browser asks for the other language, then the user clicks the
 *   language link in the header.
 */
export const METHODS = ['ui_locales', 'accept-language', 'switcher'];

export function contextLocale(method, lang) {
  return browserLocale(method === 'accept-language' ? lang : other(lang));
}

export function requestExtra(method, lang) {
  return method === 'ui_locales' ? { ui_locales: lang } : {};
}

/**
 * Opens a browser context and starts an authorization whose sign-in page is in `lang`,
 * chosen by `method`. Returns the browser session and the request (`url`, `state`, `nonce`).
 */
export async function startAuthorization(browser, stack, { lang, method = 'ui_locales', extra = {}, session } = {}) {
  session ??= await openPage(browser, { locale: contextLocale(method, lang) });
  const request = stack.authorizeUrl({ ...requestExtra(method, lang), ...extra });
  await goToSignIn(session, stack, request.url, method === 'switcher' ? other(lang) : lang);
  if (method === 'switcher') await switchLanguage(session, stack, lang);
  return { ...session, request };
}

/** GET the authorization URL and expect the sign-in page (303 → /interaction/{id}). */
export async function goToSignIn(session, stack, url, lang) {
  const { page } = session;
  const response = await page.goto(url).catch((e) => assert.fail(`GET ${url}: ${e.message}${trail(session)}`));
  const first = session.documents.find((d) => d.url === url);
  assert.equal(first?.status, 303, `GET ${url}: expected 303 to /interaction/{id}, got ${first?.status}${trail(session)}`);
  assert.ok(onInteraction(stack)(new URL(page.url())), `GET ${url}: expected to land on /interaction/{id}${trail(session)}`);
  assert.equal(response.status(), 200, `sign-in page ${page.url()} status${trail(session)}`);
  await assertSignInPage(session, lang);
}

/** Clicks the header language link and expects the same page in `lang` with `?lang=<lang>`. */
export async function switchLanguage(session, stack, lang) {
  const { page } = session;
  const path = new URL(page.url()).pathname;
  const link = page.locator('nav.lang a').first();
  assert.equal(await link.count(), 1, `a language link in the header (nav.lang a) on ${page.url()}`);
  await navigate(session, () => link.click(), (u) => u.origin === stack.provider.issuer && u.searchParams.get('lang') === lang,
    `language switcher to ${lang}`);
  assert.equal(new URL(page.url()).pathname, path, 'the switcher reloads the same page');
  assert.equal(await page.getAttribute('html', 'lang'), lang, `<html lang> after switching to ${lang}`);
}

/** Signs in and expects the consent page; returns its scope lines. */
export async function signInToConsent(s, stack, lang, name) {
  await submitSignIn(s, USER.login, USER.password, (u) => onInteraction(stack)(u) || onRp(stack)(u), 'sign in');
  assert.ok(onInteraction(stack)(new URL(s.page.url())),
    `expected the consent page after the first sign-in, went to ${s.page.url()}${trail(s)}`);
  const { page } = s;
  assert.ok((await page.locator('h1').first().textContent())?.trim(), 'the consent page has a heading');
  assert.ok((await page.locator('body').textContent()).includes(CLIENT_NAME), `the consent page names the client "${CLIENT_NAME}"`);
  const scopes = (await page.locator('ul.scopes li').allTextContents()).map((t) => t.trim());
  assert.ok(scopes.length >= 2, `ul.scopes lists openid and profile, got ${JSON.stringify(scopes)}`);
  assert.ok(scopes.every((t) => t && !/^(openid|profile)$/.test(t)), `scopes are described in words: ${JSON.stringify(scopes)}`);
  if (lang === 'ru') assert.ok(scopes.every((t) => /[а-яё]/i.test(t)), `Russian scope texts: ${JSON.stringify(scopes)}`);
  else assert.ok(scopes.every((t) => !/[а-яё]/i.test(t)), `English scope texts: ${JSON.stringify(scopes)}`);
  assert.equal(await page.locator('button[name=decision][value=allow]').count(), 1, 'an allow button');
  assert.equal(await page.locator('button[name=decision][value=deny]').count(), 1, 'a deny button');
  await checkPage(s, { name, lang, status: 200 });
  return scopes;
}
