// The integrator docs in the browser, in Russian and English: every page reached through
// the docs' own navigation (so every nav link resolves), each checked with axe-core and
// photographed; the scheme pages show their sequence diagram (an SVG Propusk serves) and
// their samples; the reference pages list the error codes and the paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { LANGS, SCREENSHOTS, browserLocale, checkPage, launch, navigate, onProvider, openPage, other } from '../lib/browser.mjs';
import { startStack } from '../lib/provider.mjs';

describe('integrator docs', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack(); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    it(`every page in ${lang}, through the navigation`, async () => {
      // The page language comes from the switcher's `lang`, whatever the browser prefers.
      const s = await openPage(browser, { locale: browserLocale(other(lang)) });
      const { page } = s;
      try {
        await page.goto(`${stack.provider.issuer}/docs?lang=${lang}`);
        await checkPage(s, { name: 'docs-index', lang, status: 200 });
        const links = await page.locator('nav.docs-nav li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(links.length >= 14, `the nav lists the pages: ${links}`);
        for (const href of links) {
          const name = `docs-${new URL(href, stack.provider.issuer).pathname.split('/').slice(2).join('-')}`;
          await navigate(s, () => page.click(`nav.docs-nav a[href="${href}"]`), onProvider(stack), `open ${href}`);
          await checkPage(s, { name, lang, status: 200 });
          assert.equal(await page.locator('nav.docs-nav a[aria-current=page]').getAttribute('href'), href,
            `${href}: the nav marks the current page`);
          assert.equal(await page.locator('h1').count(), 1, `${href}: one heading`);
          const text = await page.locator('article').innerText();
          if (lang === 'ru') assert.match(text, /[а-яё]/i, `${href} is in Russian`);
          const figure = page.locator('figure img');
          if (href.includes('/schemes/')) {
            assert.equal(await figure.count(), 1, `${href}: a diagram`);
            const width = await figure.evaluate((img) => img.complete && img.naturalWidth);
            assert.ok(width > 0, `${href}: the diagram loaded`);
          }
          if (href.includes('/schemes/')) {
            assert.ok(await page.locator('pre code[data-language=curl]').count() === 1, `${href}: a curl sample`);
            assert.ok(await page.locator('pre code[data-language=python]').count() === 1, `${href}: a Python sample`);
          }
        }
        await page.goto(`${stack.provider.issuer}/docs/reference/errors?lang=${lang}`);
        for (const code of ['invalid_request', 'invalid_grant', 'invalid_client', 'authorization_pending']) {
          assert.equal(await page.locator(`section#${code}`).count(), 1, `the errors list ${code}`);
        }
        await page.goto(`${stack.provider.issuer}/docs/diagrams/code.svg?lang=${lang}`);
        await page.setViewportSize({ width: 900, height: 520 });
        await page.screenshot({ path: join(SCREENSHOTS, `docs-diagram-code-${lang}.png`) });
      } finally { await s.context.close(); }
    });
  }
});
