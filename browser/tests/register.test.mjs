// Registration by phone in the middle of an authorization request: the sign-in page links
// to it, the SMS code comes from the development outbox, and the new user continues the
// ORIGINAL request (same state and nonce) to tokens at a real client. Then the same user
// signs in by password and by phone + SMS code. In Russian and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, browserLocale, checkPage, hasSessionCookie, launch, navigate, onInteraction, openPage, screenshot, trail,
} from '../lib/browser.mjs';
import { DEV_MODE, enterCode, finishAtRp, outboxCode, pathOf, registerByPhone, submit } from '../lib/accounts.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

describe('registration by phone and the sign-in methods', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack({ env: DEV_MODE }); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const [n, lang] of LANGS.entries()) {
    const user = {
      phoneTyped: `8 (900) 555-00-1${n}`, phone: `+7900555001${n}`, name: lang === 'ru' ? 'Ольга' : 'Olga',
      password: `plum orchard ${lang} seven`,
    };

    it(`${lang}: registers by phone and continues the original request to tokens`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
      try {
        const { page } = s;
        assert.equal(await page.locator('#register').count(), 1, 'the sign-in page links to registration');
        assert.equal(await page.locator('#forgot').count(), 1, 'the sign-in page links to password recovery');
        assert.equal(await page.locator('nav.methods a').count(), 1, 'the sign-in page has a method switcher');
        await checkPage(s, { name: 'signin-with-links', lang, status: 200 });
        const since = stack.rp.hits.length;
        await registerByPhone(s, stack, lang, user);
        assert.ok(await hasSessionCookie(s.context), 'a session after registering');
        const { claims } = await finishAtRp(s, stack, since, s.request, lang);
        assert.deepEqual(claims.amr, ['pwd'], `amr of a new account: ${JSON.stringify(claims)}`);
        assert.ok(claims.sub, 'a subject');

        // The outbox page itself, as the operator sees it in development mode.
        await page.goto(new URL(`/dev/outbox?lang=${lang}`, stack.provider.issuer).href);
        await checkPage(s, { name: 'dev-outbox', lang, status: 200 });
        assert.match(await page.locator('ol.outbox').textContent(), new RegExp(user.phone.replace('+', '\\+')));
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: the new user signs in by password (phone as the login)`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
      try {
        const since = stack.rp.hits.length;
        await s.page.fill('#login', user.phoneTyped);
        await s.page.fill('#password', user.password);
        await submit(s, stack, 'sign in by password');
        const { claims } = await finishAtRp(s, stack, since, s.request, lang);
        assert.deepEqual(claims.amr, ['pwd'], `amr: ${JSON.stringify(claims.amr)}`);
        await screenshot(s.page, 'rp-after-password', lang);
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: the new user signs in by phone + SMS code, no password`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'ui_locales' });
      try {
        const { page } = s;
        await navigate(s, () => page.click('nav.methods a'), onInteraction(stack), 'switch to the SMS code method');
        assert.equal(await page.locator('#phone').count(), 1, `the phone form${trail(s)}`);
        await checkPage(s, { name: 'signin-by-sms', lang, status: 200 });
        await page.fill('#phone', user.phone);
        const since = stack.rp.hits.length;
        await submit(s, stack, 'ask for the code');
        assert.match(pathOf(s), /^\/account\/code\//, `the code page${trail(s)}`);
        await checkPage(s, { name: 'signin-sms-code', lang, status: 200 });
        await enterCode(s, stack, '000000', 'a wrong code');
        assert.match(await page.locator('p.error').textContent(), lang === 'ru' ? /Неверный код/ : /Wrong code/);
        await checkPage(s, { name: 'signin-sms-wrong-code', lang, status: 200 });
        await enterCode(s, stack, await outboxCode(stack, user.phone), 'enter the SMS code');
        const { claims } = await finishAtRp(s, stack, since, s.request, lang);
        assert.deepEqual(claims.amr, ['sms'], `amr: ${JSON.stringify(claims.amr)}`);
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: prompt=create opens the registration form first`, async () => {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        const request = stack.authorizeUrl({ prompt: 'create' });
        await s.page.goto(request.url);
        assert.ok(onInteraction(stack)(new URL(s.page.url())), `the interaction page${trail(s)}`);
        assert.equal(await s.page.locator('#contact').count(), 1, `the registration form${trail(s)}`);
        assert.equal(await s.page.locator('#terms').count(), 1, 'a terms checkbox');
        await checkPage(s, { name: 'register-by-prompt-create', lang, status: 200 });
        // Focus order: contact, name, password, terms, submit.
        const order = [];
        await s.page.focus('#contact');
        for (let i = 0; i < 4; i += 1) {
          await s.page.keyboard.press('Tab');
          order.push(await s.page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
        }
        assert.deepEqual(order, ['name', 'password', 'terms', 'BUTTON'], 'focus order of the registration form');
        await navigate(s, () => s.page.click('#sign-in'), onInteraction(stack), 'to the password form');
        assert.equal(await s.page.locator('#password').count(), 1, 'the password form is one link away');
      } finally {
        await s.context.close();
      }
    });
  }
});
