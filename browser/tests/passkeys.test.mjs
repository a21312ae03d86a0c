// Passkeys in Chromium with a virtual authenticator (CDP WebAuthn domain: CTAP2, internal
// transport, resident keys, user verification): enrolment in the cabinet, passwordless
// sign-in through the browser's autofill request (conditional mediation, which the
// virtual authenticator answers at once while it simulates presence) that finishes a code
// flow (amr hwk + pin + mfa), a passkey as the second factor after a password (amr pwd +
// hwk + mfa), and removal, after which the passkey is refused and the password alone
// signs in. While presence is not simulated the autofill request waits, as for a person
// who types a password. WebAuthn refuses IP addresses as relying-party ids,
// so the provider's issuer here is http://localhost:PORT. In Russian and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, browserLocale, checkPage, launch, navigate, onProvider, onRp, openPage, screenshot, trail,
} from '../lib/browser.mjs';
import { finishAtRp, pathOf, submit } from '../lib/accounts.mjs';
import { goToSignIn } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

describe('passkeys', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack({ host: 'localhost' }); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const lang of LANGS) {
    const user = { login: `carol-${lang}`, password: `amber window ${lang} kettle` };

    /** A browser context with a virtual platform authenticator on its page. */
    async function withAuthenticator() {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      const cdp = await s.context.newCDPSession(s.page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
          hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
        },
      });
      return { ...s, cdp, authenticatorId };
    }

    /** Whether the authenticator answers by itself (a person touching it). */
    async function presence(s, enabled) {
      await s.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: s.authenticatorId, enabled });
    }

    async function credentials(s) {
      return (await s.cdp.send('WebAuthn.getCredentials', { authenticatorId: s.authenticatorId })).credentials;
    }

    async function passwordStep(s) {
      await s.page.fill('#login', user.login);
      await s.page.fill('#password', user.password);
      await submit(s, stack, 'sign in by password');
    }

    /** Starts an authorization in `s`; returns the request. */
    async function authorize(s) {
      const request = stack.authorizeUrl({ ui_locales: lang });
      await goToSignIn(s, stack, request.url, lang);
      return request;
    }

    /** Signs in at /account/login with the password, then the passkey when it is asked for. */
    async function cabinetSignIn(s) {
      await s.page.goto(new URL(`/account/login?lang=${lang}`, stack.provider.issuer).href);
      await passwordStep(s);
      if (pathOf(s).startsWith('/account/factor/')) {
        await presence(s, true);
        await navigate(s, () => s.page.click('#passkey-button'), (u) => u.pathname === '/account', 'the passkey as second factor');
      }
      assert.equal(pathOf(s), '/account', `the cabinet${trail(s)}`);
    }

    it(`${lang}: enrols, signs in without a password, confirms a password, and is removed`, async () => {
      stack.provider.admin('user', 'create', '--login', user.login, '--password', user.password, '--name', 'Carol');
      const s = await withAuthenticator();
      try {
        const { page } = s;

        // Enrolment in the cabinet.
        await cabinetSignIn(s);
        await page.goto(new URL(`/account/passkeys?lang=${lang}`, stack.provider.issuer).href);
        await page.waitForSelector('#passkey-button', { state: 'visible' });
        assert.equal(await page.locator('#no-passkeys').count(), 1, 'no passkeys yet');
        await checkPage(s, { name: 'passkeys-empty', lang, status: 200 });
        await page.fill('#passkey-name', `Laptop ${lang}`);
        await navigate(s, () => page.click('#passkey-button'),
          (u) => u.pathname === '/account/passkeys' && u.searchParams.get('notice') === 'added', `enrol${trail(s)}`);
        const names = (await page.locator('#passkeys li h2').allTextContents()).map((t) => t.trim());
        assert.deepEqual(names, [`Laptop ${lang}`], 'the new passkey is listed');
        await checkPage(s, { name: 'passkeys-one', lang, status: 200 });
        const stored = await credentials(s);
        assert.equal(stored.length, 1, 'the authenticator holds one credential');
        assert.equal(stored[0].isResidentCredential, true, 'a discoverable credential');
        assert.equal(stored[0].rpId, 'localhost');

        // The sign-in page offers the passkey (a button, and the login field's autofill).
        await s.context.clearCookies();
        await presence(s, false);
        let request = await authorize(s);
        await page.waitForSelector('#passkey-button', { state: 'visible' });
        assert.equal(await page.getAttribute('#login', 'autocomplete'), 'username webauthn', 'autofill of passkeys');
        await checkPage(s, { name: 'sign-in-passkey', lang, status: 200 });

        // Passwordless sign-in through the autofill request, finishing a code flow.
        await s.context.clearCookies();
        await presence(s, true);
        request = stack.authorizeUrl({ ui_locales: lang });
        let since = stack.rp.hits.length;
        await page.goto(request.url);
        // The user's first authorization for the client: the consent page follows the sign-in.
        await page.waitForSelector('button[name=decision][value=allow]').catch(() => {
          assert.fail(`the autofill request did not sign in${trail(s)}`);
        });
        assert.ok(s.documents.some((d) => d.method === 'POST' && new URL(d.url).pathname === '/account/passkey'),
          `signed in with the passkey${trail(s)}`);
        let { claims } = await finishAtRp(s, stack, since, request, lang);
        for (const m of ['hwk', 'pin', 'mfa']) assert.ok(claims.amr.includes(m), `amr has ${m}: ${JSON.stringify(claims.amr)}`);
        assert.ok(!claims.amr.includes('pwd'), `no password: ${JSON.stringify(claims.amr)}`);

        // A password sign-in asks for the passkey as the second factor.
        await s.context.clearCookies();
        await presence(s, false);
        request = await authorize(s);
        since = stack.rp.hits.length;
        await passwordStep(s);
        assert.match(pathOf(s), /^\/account\/factor\//, `the second-factor page${trail(s)}`);
        await page.waitForSelector('#passkey-button', { state: 'visible' });
        assert.equal(await page.locator('main a[href*="method=recovery"]').count(), 1, 'the other method is offered');
        await checkPage(s, { name: 'factor-passkey', lang, status: 200 });
        await presence(s, true);
        await navigate(s, () => page.click('#passkey-button'), onRp(stack), 'the passkey as second factor');
        ({ claims } = await finishAtRp(s, stack, since, request, lang));
        for (const m of ['pwd', 'hwk', 'mfa']) assert.ok(claims.amr.includes(m), `amr has ${m}: ${JSON.stringify(claims.amr)}`);

        // Removal: the passkey is refused afterwards, and the password alone is enough.
        await page.goto(new URL(`/account/passkeys?lang=${lang}`, stack.provider.issuer).href);
        await navigate(s, () => page.click('#passkeys button.remove'),
          (u) => u.pathname === '/account/passkeys' && u.searchParams.get('notice') === 'removed', 'remove');
        assert.equal(await page.locator('#no-passkeys').count(), 1, 'the list is empty again');
        await s.context.clearCookies();
        request = stack.authorizeUrl({ ui_locales: lang });
        await navigate(s, () => page.goto(request.url),
          (u) => onProvider(stack)(u) && u.searchParams.get('passkey_error') === 'refused', 'a removed passkey');
        const alert = page.locator('[data-passkey-error]');
        await alert.waitFor({ state: 'visible' });
        assert.ok((await alert.textContent()).trim().length > 10, 'the refusal is explained');
        await screenshot(page, 'sign-in-passkey-refused', lang);
        assert.equal(await credentials(s).then((c) => c.length), 1, 'the authenticator still has it');
        since = stack.rp.hits.length;
        await passwordStep(s);
        ({ claims } = await finishAtRp(s, stack, since, request, lang));
        assert.deepEqual(claims.amr, ['pwd'], 'no second factor is left');
      } finally {
        await s.context.close();
      }
    });
  }
});
