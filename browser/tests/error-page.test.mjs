// Requests that cannot be answered at a redirect URI get an error page (HTTP 400) and the
// browser never goes to the RP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, browserLocale, checkPage, launch, navigate, openPage, other, trail } from '../lib/browser.mjs';
import { startStack } from '../lib/provider.mjs';

describe('error page', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack(); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  async function expectErrorPage(s, url, lang, name) {
    const { page } = s;
    const response = await page.goto(url).catch((e) => assert.fail(`GET ${url}: ${e.message}${trail(s)}`));
    assert.equal(new URL(page.url()).origin, stack.provider.issuer, `stays on the provider${trail(s)}`);
    assert.equal(response.status(), 400, `GET ${url}: status${trail(s)}`);
    const alert = page.locator('[role=alert]');
    assert.equal(await alert.count(), 1, 'one [role=alert]');
    const text = (await alert.textContent()).trim();
    assert.ok(text, 'the alert says something');
    assert.ok(lang === 'ru' ? /[а-яё]/i.test(text) : !/[а-яё]/i.test(text), `alert text "${text}" is in ${lang}`);
    assert.ok((await page.locator('h1').first().textContent())?.trim(), 'the error page has a heading');
    await checkPage(s, { name, lang, status: 400 });
    assert.equal(stack.rp.hits.length, 0, `the RP got nothing: ${JSON.stringify(stack.rp.hits)}`);
    return text;
  }

  for (const lang of LANGS) {
    it(`unknown client in ${lang} (ui_locales): 400 with an alert, no redirect`, async () => {
      const s = await openPage(browser, { locale: browserLocale(other(lang)) });
      try {
        await expectErrorPage(s, stack.authorizeUrl({ client_id: 'nope', ui_locales: lang }).url, lang, 'error-unknown-client');
      } finally { await s.context.close(); }
    });

    it(`unknown client in ${lang} (accept-language): 400 with an alert, no redirect`, async () => {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await expectErrorPage(s, stack.authorizeUrl({ client_id: 'nope' }).url, lang, 'error-unknown-client-by-accept-language');
      } finally { await s.context.close(); }
    });

    it(`unregistered redirect_uri in ${lang}: 400 with an alert, no redirect`, async () => {
      const s = await openPage(browser, { locale: browserLocale(other(lang)) });
      try {
        const evil = `${stack.rp.origin}/evil`;
        await expectErrorPage(s, stack.authorizeUrl({ redirect_uri: evil, ui_locales: lang }).url, lang, 'error-redirect-uri');
      } finally { await s.context.close(); }
    });

    it(`the error page switcher shows the same error in ${lang}`, async () => {
      const s = await openPage(browser, { locale: browserLocale(other(lang)) });
      try {
        const first = await expectErrorPage(s, stack.authorizeUrl({ client_id: 'nope' }).url, other(lang), 'error-before-switch');
        const link = s.page.locator('nav.lang a').first();
        assert.equal(await link.count(), 1, 'a language link in the header');
        const href = await link.getAttribute('href');
        await navigate(s, () => link.click(), (u) => u.origin === stack.provider.issuer && u.searchParams.get('lang') === lang,
          `error page switcher to ${lang} (href="${href}")`);
        assert.equal(await s.page.getAttribute('html', 'lang'), lang,
          `after clicking the switcher (href="${href}", now at ${s.page.url()}) <html lang>${trail(s)}`);
        const text = (await s.page.locator('[role=alert]').textContent())?.trim();
        assert.notEqual(text, first, 'the alert text changed language');
        await checkPage(s, { name: 'error-by-switcher', lang });
        assert.equal(stack.rp.hits.length, 0, 'the RP got nothing');
      } finally { await s.context.close(); }
    });
  }
});
