// The sign-in page in Russian and English, the language chosen by ui_locales, by the
// browser's Accept-Language and by the header language switcher.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, checkPage, launch } from '../lib/browser.mjs';
import { METHODS, startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

describe('sign-in page', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack(); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    for (const method of METHODS) {
      it(`renders in ${lang} (language by ${method}) with labelled fields`, async () => {
        const s = await startAuthorization(browser, stack, { lang, method });
        try {
          const name = method === 'ui_locales' ? 'signin' : `signin-by-${method}`;
          await checkPage(s, { name, lang, status: 200 });
          const title = await s.page.title();
          assert.ok(title.trim(), 'the page has a <title>');
          assert.equal(await s.page.locator('#login').getAttribute('autocomplete'), 'username webauthn', '#login autocomplete (passkeys in the autofill)');
          assert.equal(await s.page.locator('#password').getAttribute('type'), 'password', '#password is a password field');
          assert.equal(stack.rp.hits.length, 0, 'the RP got nothing');
        } finally {
          await s.context.close();
        }
      });
    }
  }
});
