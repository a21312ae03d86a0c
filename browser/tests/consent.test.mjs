// Sign in, then allow or deny on the consent page; the RP receives the answer. The code
// of "allow" is then redeemed at the token endpoint (client_secret_basic). Each language
// gets its own provider, since a granted consent is remembered for alice and web-app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGS, launch, navigate, onRp, screenshot, trail } from '../lib/browser.mjs';
import { signInToConsent, startAuthorization } from '../lib/flow.mjs';
import { CLIENT_ID, exchangeCode, startStack } from '../lib/provider.mjs';

function decodeJwtPart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const lang of LANGS) {
  describe(`consent in ${lang}`, () => {
    let stack;
    let granted = null;
    before(async () => { stack = await startStack(); });
    after(async () => { await stack?.stop(); });

    it(`deny (language by accept-language): the RP receives access_denied`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'accept-language', extra: { scope: 'openid email' } });
      try {
        await signInToConsent(s, stack, lang, 'consent-by-accept-language');
        const since = stack.rp.hits.length;
        await navigate(s, () => s.page.click('button[name=decision][value=deny]'), onRp(stack), 'consent deny');
        const hit = await stack.rp.waitForHit(since);
        assert.equal(hit.params.error, 'access_denied', `RP got ${JSON.stringify(hit.params)}`);
        assert.equal(hit.params.state, s.request.state, 'state comes back unchanged');
        assert.equal(hit.params.iss, stack.provider.issuer, 'iss is the issuer (RFC 9207)');
        assert.equal(hit.params.code, undefined, 'no code after deny');
        await screenshot(s.page, 'rp-after-deny', lang);
        assert.deepEqual(s.errors, [], `browser errors${trail(s)}`);
      } finally {
        await s.context.close();
      }
    });

    it(`allow (language by ui_locales): the RP receives code, state and iss`, async () => {
      const s = await startAuthorization(browser, stack, { lang, method: 'ui_locales' });
      try {
        await signInToConsent(s, stack, lang, 'consent');
        const since = stack.rp.hits.length;
        await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'consent allow');
        const hit = await stack.rp.waitForHit(since);
        assert.equal(hit.method, 'GET', 'query response mode');
        assert.ok(hit.params.code, `RP got a code: ${JSON.stringify(hit.params)}`);
        assert.equal(hit.params.state, s.request.state, 'state comes back unchanged');
        assert.equal(hit.params.iss, stack.provider.issuer, 'iss is the issuer (RFC 9207)');
        assert.equal(hit.params.error, undefined, 'no error');
        assert.equal(await s.page.locator('h1').textContent(), 'RP got code');
        await screenshot(s.page, 'rp-after-allow', lang);
        assert.deepEqual(s.errors, [], `browser errors${trail(s)}`);
        granted = { code: hit.params.code, nonce: s.request.nonce };
      } finally {
        await s.context.close();
      }
    });

    it(`the code of "allow" redeems for an id_token at POST /connect/token`, async (t) => {
      if (!granted) return t.skip('no code: the allow test failed');
      const res = await exchangeCode(stack, granted.code);
      assert.equal(res.status, 200,
        `POST /connect/token (grant_type=authorization_code, client_secret_basic) answered ${res.status}: ${res.text.slice(0, 500)}`);
      assert.match(res.contentType ?? '', /^application\/json/, 'token response content type');
      assert.equal(typeof res.json?.id_token, 'string', `an id_token in ${res.text.slice(0, 500)}`);
      assert.equal(typeof res.json.access_token, 'string', 'an access_token');
      assert.match(res.json.token_type ?? '', /^bearer$/i, 'token_type Bearer');
      const parts = res.json.id_token.split('.');
      assert.equal(parts.length, 3, 'the id_token is a JWS in compact form');
      const claims = decodeJwtPart(parts[1]);
      assert.equal(claims.iss, stack.provider.issuer, 'id_token iss');
      assert.ok(claims.aud === CLIENT_ID || (Array.isArray(claims.aud) && claims.aud.includes(CLIENT_ID)),
        `id_token aud ${JSON.stringify(claims.aud)}`);
      assert.equal(claims.nonce, granted.nonce, 'id_token nonce');
      assert.ok(claims.sub, 'id_token sub');
    });
  });
}
