// Password recovery: the user registered by phone has SMS codes as a second factor; from
// another browser they reset the password by a code from the outbox, the reset still asks
// for a second factor (a recovery code: the SMS one was used already), a common password is
// refused, the new one signs in (password + SMS code), and the first browser's session is
// over: it is asked to sign in again. In Russian and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, assertSignInPage, browserLocale, checkPage, launch, navigate, onInteraction, onProvider, openPage, trail,
} from '../lib/browser.mjs';
import { ATEXT, DEV_MODE, enterCode, finishAtRp, outboxCode, pathOf, registerByPhone, submit } from '../lib/accounts.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

describe('password reset', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack({ env: DEV_MODE }); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const [n, lang] of LANGS.entries()) {
    const user = { phone: `+7900555002${n}`, name: 'Ivan', password: `old meadow ${lang} tune` };
    const seen = new Set();
    const newPassword = `new river ${lang} stone`;

    it(`${lang}: a reset asks for the second factor, refuses a common password and ends every old session`, async () => {
      // The old browser: registered, signed in, SMS codes on as a second factor.
      const old = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
      let fresh;
      try {
        let since = stack.rp.hits.length;
        await registerByPhone(old, stack, lang, user, { check: false });
        await finishAtRp(old, stack, since, old.request, lang);
        await old.page.goto(new URL('/account/security', stack.provider.issuer).href);
        await submit(old, stack, 'turn SMS codes on', '#sms-on');
        assert.match(pathOf(old), /^\/account\/security\/codes\//, `first factor: recovery codes${trail(old)}`);
        const recovery = (await old.page.locator('#recovery-codes li').allTextContents()).map((t) => t.trim());
        assert.equal(recovery.length, 10);
        await navigate(old, () => old.page.click('#codes-done'), onProvider(stack), 'back to security');
        assert.equal((await old.page.locator('#sms-state').textContent()).trim(), ATEXT[lang].on);
        await checkPage(old, { name: 'security-sms-on', lang, status: 200 });

        // Another browser: forgot the password.
        fresh = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
        const { page } = fresh;
        await navigate(fresh, () => page.click('#forgot'), onProvider(stack), 'open password recovery');
        await checkPage(fresh, { name: 'reset', lang, status: 200 });
        await page.fill('#contact', user.phone);
        await submit(fresh, stack, 'ask for a reset code');
        assert.match(pathOf(fresh), /^\/account\/reset\/[^/]+$/, `the reset code page${trail(fresh)}`);
        await checkPage(fresh, { name: 'reset-code', lang, status: 200 });
        await enterCode(fresh, stack, await outboxCode(stack, user.phone, seen), 'the reset code');
        assert.match(pathOf(fresh), /^\/account\/factor\//, `the reset asks for a second factor${trail(fresh)}`);
        await checkPage(fresh, { name: 'reset-factor', lang, status: 200 });
        await enterCode(fresh, stack, recovery[0], 'a recovery code');
        assert.equal(await page.locator('#password').count(), 1, `the new password form${trail(fresh)}`);
        await checkPage(fresh, { name: 'reset-new-password', lang, status: 200 });

        await page.fill('#password', 'password123');
        await submit(fresh, stack, 'a common password');
        const refusal = (await page.locator('p.error').textContent()).trim();
        assert.ok(refusal.includes(ATEXT[lang].common), `the refusal says why: "${refusal}"`);
        await checkPage(fresh, { name: 'reset-common-password', lang, status: 400 });

        await page.fill('#password', newPassword);
        await submit(fresh, stack, 'the new password');
        assert.ok(onInteraction(stack)(new URL(page.url())), `back to the original request${trail(fresh)}`);
        await assertSignInPage(fresh, lang);
        assert.ok((await page.locator('p.notice').textContent()).includes(ATEXT[lang].changed), 'a notice');
        await checkPage(fresh, { name: 'signin-after-reset', lang, status: 200 });

        // The new password, then the SMS code as the second factor.
        since = stack.rp.hits.length;
        await page.fill('#login', user.phone);
        await page.fill('#password', newPassword);
        await submit(fresh, stack, 'sign in with the new password');
        assert.match(pathOf(fresh), /^\/account\/factor\//, `the SMS second factor${trail(fresh)}`);
        await submit(fresh, stack, 'send the SMS code', 'form.inline button[type=submit]');
        await checkPage(fresh, { name: 'factor-sms', lang, status: 200 });
        await enterCode(fresh, stack, await outboxCode(stack, user.phone, seen), 'the SMS code');
        const { claims } = await finishAtRp(fresh, stack, since, fresh.request, lang);
        assert.ok(claims.amr.includes('pwd') && claims.amr.includes('sms'), `amr: ${JSON.stringify(claims.amr)}`);

        // The old browser's session ended with the reset.
        await old.page.goto(new URL("/account/security", stack.provider.issuer).href);
        assert.equal(pathOf(old), '/account/login', `the old browser is asked to sign in${trail(old)}`);
        await checkPage(old, { name: 'old-session-ended', lang, status: 200 });
        const again = stack.authorizeUrl();
        await old.page.goto(again.url);
        assert.ok(onInteraction(stack)(new URL(old.page.url())), `a new request needs sign-in${trail(old)}`);
        await assertSignInPage(old, lang);
      } finally {
        await old.context.close();
        await fresh?.context.close();
      }
    });

    it(`${lang}: an unknown phone gets the same code page`, async () => {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await s.page.goto(new URL('/account/reset', stack.provider.issuer).href);
        await s.page.fill('#contact', `+7900555009${n}`);
        await submit(s, stack, 'reset for an unknown phone');
        assert.match(pathOf(s), /^\/account\/reset\/[^/]+$/, `the same code page${trail(s)}`);
        assert.equal(await s.page.locator('#code').count(), 1);
      } finally {
        await s.context.close();
      }
    });
  }
});
