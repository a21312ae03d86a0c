// The security page after sign-in: TOTP enrolment (server-rendered SVG QR code, manual key,
// confirmed by a first code computed here with RFC 6238), ten recovery codes shown once,
// sign-out; then sign-in with password + TOTP gives an ID token whose amr has pwd and otp;
// a recovery code works once. In Russian and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, checkPage, hasSessionCookie, launch, navigate, onProvider, openPage, browserLocale, screenshot, trail,
} from '../lib/browser.mjs';
import { ATEXT, DEV_MODE, enterCode, finishAtRp, pathOf, submit, totp } from '../lib/accounts.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

describe('second factor on the security page', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack({ env: DEV_MODE }); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    const user = { login: `bob-${lang}`, password: `quiet harbour ${lang} lamp` };
    const enrolled = { key: '', recovery: [] };

    /** An authorization in a browser context; signs in by password up to the factor page or the RP. */
    async function passwordStep(s) {
      await s.page.fill('#login', user.login);
      await s.page.fill('#password', user.password);
      await submit(s, stack, 'sign in by password');
    }

    it(`${lang}: enrols TOTP with a QR code, sees ten recovery codes once, signs out`, async () => {
      stack.provider.admin('user', 'create', '--login', user.login, '--password', user.password, '--name', 'Bob');
      const s = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
      try {
        const { page } = s;
        const since = stack.rp.hits.length;
        await passwordStep(s);
        await finishAtRp(s, stack, since, s.request, lang);

        await page.goto(new URL('/account/security', stack.provider.issuer).href);
        await checkPage(s, { name: 'security', lang, status: 200 });
        assert.equal((await page.locator('#totp-state').textContent()).trim(), ATEXT[lang].off);

        await submit(s, stack, 'start the TOTP enrolment', '#totp-setup');
        assert.match(pathOf(s), /^\/account\/security\/totp\//, `the enrolment page${trail(s)}`);
        await checkPage(s, { name: 'totp-enrol', lang, status: 200 });
        const svg = page.locator('figure.qr svg');
        assert.equal(await svg.count(), 1, 'an inline SVG QR code');
        const box = await svg.boundingBox();
        assert.ok(box && box.width > 100, `the QR code is visible: ${JSON.stringify(box)}`);
        enrolled.key = (await page.locator('#manual-key').textContent()).trim();
        assert.match(enrolled.key, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'a base32 manual key in groups of four');

        await enterCode(s, stack, totp(enrolled.key, { steps: -3 }), 'a stale TOTP code');
        assert.match(pathOf(s), /^\/account\/security\/totp\//, 'a wrong first code stays on the page');
        assert.equal(await page.locator('p.error').count(), 1, 'with an error');

        await enterCode(s, stack, totp(enrolled.key), 'the first TOTP code');
        assert.match(pathOf(s), /^\/account\/security\/codes\//, `the recovery codes page${trail(s)}`);
        await checkPage(s, { name: 'recovery-codes', lang, status: 200 });
        enrolled.recovery = (await page.locator('#recovery-codes li').allTextContents()).map((t) => t.trim());
        assert.equal(enrolled.recovery.length, 10, `ten recovery codes: ${JSON.stringify(enrolled.recovery)}`);
        assert.equal(new Set(enrolled.recovery).size, 10, 'all different');

        const codesUrl = page.url();
        await navigate(s, () => page.click('#codes-done'), onProvider(stack), 'back to the security page');
        assert.equal((await page.locator('#totp-state').textContent()).trim(), ATEXT[lang].on);
        assert.equal((await page.locator('#recovery-left').textContent()).trim(), '10');
        await page.goto(codesUrl);
        assert.equal(pathOf(s), '/account/security', 'the codes are shown only once');
        assert.equal(await page.locator('#recovery-codes').count(), 0, 'no codes the second time');

        await submit(s, stack, 'sign out', '#sign-out');
        assert.equal(pathOf(s), '/account/login', `the sign-in page after signing out${trail(s)}`);
        assert.ok((await page.locator('p.notice').textContent()).includes(ATEXT[lang].out), 'a signed-out notice');
        await checkPage(s, { name: 'signed-out', lang, status: 200 });
        assert.equal(await hasSessionCookie(s.context), false, 'the session cookie is cleared');
        await page.goto(new URL('/account/security', stack.provider.issuer).href);
        assert.equal(pathOf(s), '/account/login', 'the security page asks to sign in again');
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: signs in with password + TOTP; the ID token's amr has pwd and otp`, async () => {
      assert.ok(enrolled.key, 'enrolled in the previous test');
      const s = await startAuthorization(browser, stack, { lang, method: 'switcher' });
      try {
        const since = stack.rp.hits.length;
        await passwordStep(s);
        assert.match(pathOf(s), /^\/account\/factor\//, `the second-factor page${trail(s)}`);
        await checkPage(s, { name: 'factor-totp', lang, status: 200 });
        // The enrolment used the current step; the next one is also accepted (RFC 6238 §5.2).
        await enterCode(s, stack, totp(enrolled.key, { steps: 1 }), 'the TOTP code');
        const { claims } = await finishAtRp(s, stack, since, s.request, lang);
        assert.ok(claims.amr.includes('pwd') && claims.amr.includes('otp'), `amr: ${JSON.stringify(claims.amr)}`);
        assert.ok(claims.amr.includes('mfa'), `amr says mfa: ${JSON.stringify(claims.amr)}`);
        await screenshot(s.page, 'rp-after-totp', lang);
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: a recovery code signs in once`, async () => {
      const code = enrolled.recovery[0];
      assert.ok(code, 'recovery codes from the first test');
      for (const round of [1, 2]) {
        const s = await openPage(browser, { locale: browserLocale(lang) });
        try {
          const request = stack.authorizeUrl();
          await s.page.goto(request.url);
          const since = stack.rp.hits.length;
          await passwordStep(s);
          assert.match(pathOf(s), /^\/account\/factor\//, `the second-factor page${trail(s)}`);
          const link = s.page.locator('main a[href*="method=recovery"]');
          assert.equal(await link.count(), 1, 'a link to use a recovery code');
          await navigate(s, () => link.click(), onProvider(stack), 'switch to a recovery code');
          if (round === 1) await checkPage(s, { name: 'factor-recovery', lang, status: 200 });
          await enterCode(s, stack, code, `recovery code, round ${round}`);
          if (round === 1) {
            const { claims } = await finishAtRp(s, stack, since, request, lang);
            assert.ok(claims.amr.includes('pwd') && claims.amr.includes('otp'), `amr: ${JSON.stringify(claims.amr)}`);
          } else {
            assert.match(pathOf(s), /^\/account\/factor\//, 'a used recovery code is refused');
            assert.ok((await s.page.locator('p.error').textContent()).includes(ATEXT[lang].wrongCode));
            await checkPage(s, { name: 'factor-recovery-reused', lang, status: 200 });
          }
        } finally {
          await s.context.close();
        }
      }
    });
  }
});
