// A wrong password shows the sign-in page again with an alert, and creates no session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, TEXT, assertSignInPage, checkPage, hasSessionCookie, lastDocument, launch, onInteraction, submitSignIn, trail,
} from '../lib/browser.mjs';
import { goToSignIn, startAuthorization } from '../lib/flow.mjs';
import { USER, startStack } from '../lib/provider.mjs';

describe('wrong password', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack(); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    for (const method of ['ui_locales', 'switcher']) {
      it(`shows the alert in ${lang} (language by ${method}) and signs nobody in`, async () => {
        const s = await startAuthorization(browser, stack, { lang, method });
        try {
          await submitSignIn(s, USER.login, 'not the password', onInteraction(stack), 'submit a wrong password');
          const alert = s.page.locator('[role=alert]');
          assert.equal(await alert.count(), 1, `one [role=alert] on the page${trail(s)}`);
          const text = (await alert.textContent()).trim();
          assert.ok(text.includes(TEXT[lang].wrong), `alert text "${text}" should contain "${TEXT[lang].wrong}"`);
          assert.ok(await alert.isVisible(), 'the alert is visible');
          await assertSignInPage(s, lang);
          await checkPage(s, { name: method === 'ui_locales' ? 'wrong-password' : 'wrong-password-by-switcher', lang });
          assert.equal(await s.page.inputValue('#password'), '', 'the password is not echoed back');

          assert.equal(await hasSessionCookie(s.context), false, 'no session cookie after a wrong password');
          // A new authorization in the same browser still asks to sign in.
          await goToSignIn(s, stack, stack.authorizeUrl({ ui_locales: lang }).url, lang);
          assert.equal(stack.rp.hits.length, 0, 'the RP got nothing');
        } finally {
          await s.context.close();
        }
      });
    }
  }

  it('the re-shown sign-in page has a valid status (a 401 must carry WWW-Authenticate)', async () => {
    const s = await startAuthorization(browser, stack, { lang: 'en', method: 'ui_locales' });
    try {
      await submitSignIn(s, USER.login, 'not the password', onInteraction(stack), 'submit a wrong password');
      const doc = lastDocument(s);
      assert.ok([200, 400, 401, 422].includes(doc.status), `${doc.method} ${doc.url} answered ${doc.status}`);
      if (doc.status === 401) {
        assert.ok(doc.headers['www-authenticate'],
          `${doc.method} ${doc.url} answered 401 without WWW-Authenticate (RFC 9110 §15.5.2 requires it; `
          + 'a form sign-in failure is usually 200 or 400)');
      }
    } finally {
      await s.context.close();
    }
  });
});
