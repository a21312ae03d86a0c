// Sign-in with a TLS client certificate: the sign-in page links to the certificate
// listener (`[certificates] mtls_listen`), Chromium presents an ECDSA (P-256) client
// certificate in the handshake, and a certificate bound to the account finishes the code
// flow back on the provider's origin; a certificate bound to nobody gets its refusal page.
// The certificates are made with the openssl command.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LANGS, checkPage, launch, navigate, onInteraction, onRp, openPage, trail } from '../lib/browser.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { USER, exchangeCode, freePort, startStack } from '../lib/provider.mjs';

const LINK = { en: 'Sign in with a certificate (TLS)', ru: 'Войти по сертификату (TLS)' };
const NOT_BOUND = { en: 'not bound to any account', ru: 'не привязан ни к одной учётной записи' };

/** A CA, Alice's leaf (bound), Mallory's (not), and the listener's own certificate. */
class Pki {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'propusk-mtls-'));
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    writeFileSync(this.path('leaf.ext'), 'basicConstraints=critical,CA:FALSE\n'
      + 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
    this.openssl('req', '-x509', ...ec, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
      '-subj', '/CN=TLS Sign-in Root/O=Propusk tests', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    for (const name of ['alice', 'mallory']) {
      this.openssl('req', '-new', ...ec, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      this.openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '30', '-extfile', 'leaf.ext', '-out', `${name}.pem`);
    }
    this.openssl('req', '-x509', ...ec, '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-days', '30',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  }

  path(name) { return join(this.dir, name); }

  openssl(...args) {
    try {
      return execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr}`);
    }
  }

  remove() { rmSync(this.dir, { recursive: true, force: true }); }
}

describe('sign-in with a TLS client certificate (ECDSA)', () => {
  let stack;
  let browser;
  let pki;
  let origin;
  before(async () => {
    pki = new Pki();
    const port = await freePort();
    origin = `https://127.0.0.1:${port}`;
    const setup = (provider) => {
      provider.admin('ca', 'add', pki.path('ca.pem'));
      provider.admin('user', 'certificate', 'add', '--login', USER.login, pki.path('alice.pem'));
    };
    const env = {
      PROPUSK_CERTIFICATES__MTLS_LISTEN: `127.0.0.1:${port}`,
      PROPUSK_CERTIFICATES__MTLS_CERT: pki.path('server.pem'),
      PROPUSK_CERTIFICATES__MTLS_KEY: pki.path('server.key'),
    };
    stack = await startStack({ env, setup });
    browser = await launch();
  });
  after(async () => { await browser?.close(); await stack?.stop(); pki?.remove(); });

  /** A browser context that presents `name`'s certificate to the certificate listener. */
  function withCertificate(name, lang) {
    return openPage(browser, {
      locale: lang === 'ru' ? 'ru-RU' : 'en-US',
      contextOptions: {
        ignoreHTTPSErrors: true,
        clientCertificates: [{ origin, certPath: pki.path(`${name}.pem`), keyPath: pki.path(`${name}.key`) }],
      },
    });
  }

  for (const lang of LANGS) {
    it(`a bound ECDSA certificate finishes the code flow (${lang})`, async () => {
      const session = await withCertificate('alice', lang);
      // prompt=consent: the consent page, signed in, is shown in both languages.
      const s = await startAuthorization(browser, stack, { lang, session, extra: { prompt: 'consent' } });
      try {
        const link = s.page.locator('#tls');
        assert.equal((await link.textContent()).trim(), LINK[lang], `the link to the certificate listener${trail(s)}`);
        assert.ok((await link.getAttribute('href')).startsWith(`${origin}/interaction/`), 'the link goes to the listener');
        const since = stack.rp.hits.length;
        await navigate(s, () => link.click(), onInteraction(stack), 'sign in with the certificate');
        assert.equal(await s.page.locator('button[name=decision][value=allow]').count(), 1, `the consent page${trail(s)}`);
        await checkPage(s, { name: 'mtls-signed-in-consent', lang, status: 200 });
        await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'allow on the consent page');
        const hit = await stack.rp.waitForHit(since);
        assert.ok(hit.params.code, `the RP got a code: ${JSON.stringify(hit.params)}`);
        const tokens = await exchangeCode(stack, hit.params.code);
        assert.equal(tokens.status, 200, tokens.text);
        const claims = JSON.parse(Buffer.from(tokens.json.id_token.split('.')[1], 'base64url').toString());
        assert.ok(claims.amr?.includes('swk'), `amr ${JSON.stringify(claims.amr)}`);
      } finally {
        await s.context.close();
      }
    });

    it(`a certificate bound to nobody gets its refusal page (${lang})`, async () => {
      const session = await withCertificate('mallory', lang);
      const s = await startAuthorization(browser, stack, { lang, session });
      try {
        const since = stack.rp.hits.length;
        await navigate(s, () => s.page.click('#tls'), (u) => u.origin === origin, 'present an unbound certificate');
        await checkPage(s, { name: 'mtls-not-bound', lang, status: 400 });
        const alert = (await s.page.locator('[role=alert]').textContent()).trim();
        assert.ok(alert.includes(NOT_BOUND[lang]), `alert "${alert}"${trail(s)}`);
        assert.equal(stack.rp.hits.length, since, 'the RP got nothing');
        await navigate(s, () => s.page.click('#back'), onInteraction(stack), 'back to the sign-in page');
      } finally {
        await s.context.close();
      }
    });
  }
});
