// The logout confirmation and logged-out pages in Russian and English: a sign-out request
// that does not prove who asks (no id_token_hint) asks the signed-in user first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, checkPage, launch, navigate, onInteraction, onProvider, onRp, submitSignIn, trail,
} from '../lib/browser.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { USER, startStack } from '../lib/provider.mjs';

describe('logout pages', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack(); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    it(`${lang}: the confirmation page, then the logged-out page`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'ui_locales' });
      try {
        const there = (u) => onInteraction(stack)(u) || onRp(stack)(u);
        await submitSignIn(s, USER.login, USER.password, there, 'sign in');
        if (onInteraction(stack)(new URL(s.page.url()))) {
          await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'allow');
        }
        const url = new URL('/connect/endsession', stack.provider.issuer);
        url.searchParams.set('ui_locales', lang);
        await s.page.goto(url.href);
        assert.equal(await s.page.locator('button[name=decision][value=logout]').count(), 1, `the confirmation page${trail(s)}`);
        await checkPage(s, { name: 'logout-confirm', lang, status: 200 });
        await navigate(s, () => s.page.click('button[name=decision][value=logout]'), onProvider(stack), 'confirm the sign-out');
        assert.equal(await s.page.locator('.logout-result').getAttribute('data-result'), 'signed-out', trail(s));
        await checkPage(s, { name: 'logged-out', lang, status: 200 });
      } finally {
        await s.context.close();
      }
    });
  }
});
