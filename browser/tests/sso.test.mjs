// After a sign-in, a second authorization in the same browser goes straight back to the
// RP: no sign-in form, and no consent for scopes already granted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, hasSessionCookie, launch, navigate, onRp, screenshot, trail } from '../lib/browser.mjs';
import { signInToConsent, startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// One provider per language: a granted consent is remembered for alice and web-app.
for (const lang of LANGS) {
  describe(`single sign-on in ${lang}`, () => {
    let stack;
    before(async () => { stack = await startStack(); });
    after(async () => { await stack?.stop(); });

    it(`${lang} (accept-language): the second authorization skips sign-in and consent`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'accept-language' });
      try {
        await signInToConsent(s, stack, lang, 'consent-sso-first');
        let since = stack.rp.hits.length;
        await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'first consent allow');
        const firstHit = await stack.rp.waitForHit(since);
        assert.ok(firstHit.params.code, `first authorization: RP got ${JSON.stringify(firstHit.params)}`);
        assert.ok(await hasSessionCookie(s.context), 'a session cookie after signing in');

        const second = stack.authorizeUrl();
        since = stack.rp.hits.length;
        const mark = s.documents.length;
        await s.page.goto(second.url).catch((e) => assert.fail(`GET ${second.url}: ${e.message}${trail(s)}`));
        const visited = s.documents.slice(mark);
        const interactions = visited.filter((d) => new URL(d.url).pathname.startsWith('/interaction/'));
        assert.deepEqual(interactions.map((d) => `${d.url} -> ${d.status}`), [], `no sign-in or consent page the second time${trail(s)}`);
        assert.ok(onRp(stack)(new URL(s.page.url())), `the browser is back at the RP${trail(s)}`);
        assert.equal(await s.page.locator('#login').count(), 0, 'no sign-in form');
        const hit = await stack.rp.waitForHit(since);
        assert.ok(hit.params.code, `second authorization: RP got ${JSON.stringify(hit.params)}`);
        assert.notEqual(hit.params.code, firstHit.params.code, 'a new code');
        assert.equal(hit.params.state, second.state, 'state of the second request');
        assert.equal(hit.params.iss, stack.provider.issuer, 'iss');
        await screenshot(s.page, 'rp-after-sso', lang);
        assert.deepEqual(s.errors, [], `browser errors${trail(s)}`);
      } finally {
        await s.context.close();
      }
    });
  });
}
