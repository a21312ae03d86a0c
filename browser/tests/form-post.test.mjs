// response_mode=form_post: after consent the browser posts the answer to the RP itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, launch, navigate, onRp, screenshot, trail } from '../lib/browser.mjs';
import { signInToConsent, startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// One provider per language: a granted consent is remembered for alice and web-app.
for (const lang of LANGS) {
  describe(`form_post response mode in ${lang}`, () => {
    let stack;
    let formPage = null;
    before(async () => { stack = await startStack(); });
    after(async () => { await stack?.stop(); });

    it('the browser auto-posts code, state and iss to the RP', async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'ui_locales', extra: { response_mode: 'form_post' } });
      try {
        await signInToConsent(s, stack, lang, 'consent-form-post');
        // Keep a copy of the auto-submitting page that answers the consent POST.
        await s.page.route((u) => u.origin === stack.provider.issuer && u.pathname.endsWith('/consent'), async (route) => {
          const response = await route.fetch({ maxRedirects: 0 });
          const body = await response.text();
          formPage = { status: response.status(), headers: response.headers(), body };
          await route.fulfill({ response, body });
        });
        const since = stack.rp.hits.length;
        await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'consent allow (form_post)');
        const hit = await stack.rp.waitForHit(since);
        assert.equal(hit.method, 'POST', `the RP is reached by POST, got ${hit.method} ${JSON.stringify(hit.params)}`);
        assert.match(hit.contentType ?? '', /^application\/x-www-form-urlencoded/, 'form encoding');
        assert.ok(hit.params.code, `RP got a code: ${JSON.stringify(hit.params)}`);
        assert.equal(hit.params.state, s.request.state, 'state');
        assert.equal(hit.params.iss, stack.provider.issuer, 'iss');
        await screenshot(s.page, 'rp-after-form-post', lang);
        assert.deepEqual(s.errors, [], `browser errors${trail(s)}`);
      } finally {
        await s.context.close();
      }
    });

    it(`the auto-posting page is in ${lang} and cannot be framed`, async (t) => {
      if (!formPage) return t.skip('the form_post page was not reached');
      assert.equal(formPage.status, 200, 'form_post page status');
      assert.match(formPage.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, 'form_post page CSP');
      const html = formPage.body.match(/<html[^>]*>/)?.[0];
      assert.match(formPage.body, new RegExp(`<html[^>]*\\blang="${lang}"`),
        `POST /interaction/{id}/consent (request had ui_locales=${lang}, Accept-Language ${lang === 'ru' ? 'en-US' : 'ru-RU'}) `
        + `answered with ${html}, expected lang="${lang}"`);
    });
  });
}
