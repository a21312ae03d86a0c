// Binding a certificate in the personal cabinet by proof of possession (issue 15), in a
// real Chromium, in Russian and English, with a screenshot and the axe-core check of
// every state: the empty list; the challenge page after pasting an RSA certificate; a
// wrong decrypted value (an alert, a new challenge); the value decrypted with `openssl
// cms -decrypt` binds it, and the list shows its INN and SNILS; then a P-256 certificate
// bound by a detached signature (`openssl cms -sign`) over the value to sign; each is
// removed again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, browserLocale, checkPage, launch, navigate, onProvider, openPage, trail,
} from '../lib/browser.mjs';
import { USER, startStack } from '../lib/provider.mjs';

const INN = '500100732259';
const SNILS = '11223344595';
const WRONG = { en: 'not the decrypted value', ru: 'не расшифрованное значение' };

/** A root and two leaves with INN and SNILS, an RSA one and a P-256 one (openssl). */
class Pki {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'propusk-bind-'));
    writeFileSync(this.path('leaf.ext'), 'basicConstraints=critical,CA:FALSE\n'
      + 'keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\nextendedKeyUsage=clientAuth,emailProtection\n');
    this.openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Binding Test Root',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    this.leaf('rsa', ['-newkey', 'rsa:2048']);
    this.leaf('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  }

  path(name) { return join(this.dir, name); }

  openssl(...args) {
    try {
      return execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr}`);
    }
  }

  leaf(name, key) {
    this.openssl('req', '-new', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`,
      '-subj', `/CN=Alice ${name}/SN=Petrova/GN=Alice/INN=${INN}/SNILS=${SNILS}`);
    this.openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-extfile', 'leaf.ext', '-out', `${name}.pem`);
  }

  pem(name) { return this.openssl('x509', '-in', `${name}.pem`).toString(); }

  /** Opens the base64 EnvelopedData with the key of `name`, as its holder would. */
  decrypt(name, envelope) {
    writeFileSync(this.path('challenge.p7m'), Buffer.from(envelope, 'base64'));
    return this.openssl('cms', '-decrypt', '-inform', 'DER', '-in', 'challenge.p7m',
      '-recip', `${name}.pem`, '-inkey', `${name}.key`);
  }

  /** A detached PEM signature of `value` by `name`. */
  sign(name, value) {
    writeFileSync(this.path('value.bin'), value);
    return this.openssl('cms', '-sign', '-binary', '-in', 'value.bin', '-signer', `${name}.pem`,
      '-inkey', `${name}.key`, '-outform', 'PEM').toString();
  }

  remove() { rmSync(this.dir, { recursive: true, force: true }); }
}

describe('binding a certificate in the cabinet by proof of possession', () => {
  let stack;
  let browser;
  let pki;
  before(async () => {
    pki = new Pki();
    stack = await startStack({ setup: (provider) => provider.admin('ca', 'add', pki.path('ca.pem')) });
    browser = await launch();
  });
  after(async () => { await browser?.close(); await stack?.stop(); pki?.remove(); });

  const go = (s, path) => navigate(s, () => s.page.goto(new URL(path, stack.provider.issuer).href),
    onProvider(stack), `open ${path}`);
  const click = (s, selector, what) => navigate(s, () => s.page.click(selector), onProvider(stack), what);

  async function signIn(s) {
    await go(s, '/account/login');
    await s.page.fill('#login', USER.login);
    await s.page.fill('#password', USER.password);
    await click(s, 'main form button[type=submit]', 'sign in');
  }

  /** Pastes the certificate of `name` and continues to its challenge page. */
  async function challenge(s, lang, name) {
    await go(s, `/account/certificates?lang=${lang}`);
    await s.page.fill('#certificate', pki.pem(name));
    await click(s, '#add-certificate-submit', 'hand the certificate in');
    assert.equal(await s.page.locator('#certificate-summary dd.inn').textContent(), INN, `the INN${trail(s)}`);
  }

  /** The list shows the bound certificate with its identifiers; remove it. */
  async function boundThenRemove(s, lang, shot) {
    assert.equal(new URL(s.page.url()).pathname, '/account/certificates', `back on the list${trail(s)}`);
    if (shot) await checkPage(s, { name: 'certbind-bound', lang, status: 200 });
    assert.equal(await s.page.locator('[role=status]').count(), 1, 'a notice says it is bound');
    const item = s.page.locator('li.certificate');
    assert.equal(await item.count(), 1, 'the certificate is listed');
    assert.equal((await item.locator('dd.inn').textContent()).trim(), INN);
    assert.equal((await item.locator('dd.snils').textContent()).trim(), SNILS);
    const listed = stack.provider.admin('user', 'certificate', 'list', '--login', USER.login);
    assert.equal(listed.length, 1, 'bound in the store');
    await click(s, 'button.remove', 'remove the certificate');
    assert.equal(await s.page.locator('#no-certificates').count(), 1, 'removed');
  }

  for (const lang of LANGS) {
    it(`${lang}: the decrypted value binds an RSA certificate, a wrong one does not`, async () => {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await signIn(s);
        await go(s, `/account/certificates?lang=${lang}`);
        await checkPage(s, { name: 'certbind-empty', lang, status: 200 });
        assert.equal(await s.page.locator('#no-certificates').count(), 1, 'the empty state');

        await challenge(s, lang, 'rsa');
        await checkPage(s, { name: 'certbind-challenge', lang, status: 200 });
        const offered = await s.page.getAttribute('#download-envelope', 'href');
        assert.ok(offered.startsWith('data:application/pkcs7-mime;base64,'), 'the envelope as a file');

        await s.page.fill('#decrypted', Buffer.alloc(32, 7).toString('base64'));
        await click(s, '#prove-decrypted', 'a wrong value');
        await checkPage(s, { name: 'certbind-error', lang, status: 400 });
        const alert = (await s.page.locator('[role=alert]').textContent()).trim();
        assert.ok(alert.includes(WRONG[lang]), `alert "${alert}"${trail(s)}`);

        const envelope = (await s.page.inputValue('#envelope')).trim();
        const value = pki.decrypt('rsa', envelope);
        await s.page.fill('#decrypted', value.toString('base64'));
        await click(s, '#prove-decrypted', 'the decrypted value');
        await boundThenRemove(s, lang, true);
      } finally {
        await s.context.close();
      }
    });
  }

  it('a detached signature over the value binds a P-256 certificate', async () => {
    const s = await openPage(browser, { locale: browserLocale('en') });
    try {
      await signIn(s);
      await challenge(s, 'en', 'ec');
      const value = Buffer.from((await s.page.inputValue('#to-sign')).trim(), 'base64');
      await s.page.fill('#signature', pki.sign('ec', value));
      await click(s, '#prove-signature', 'the signature');
      await boundThenRemove(s, 'en', false);
    } finally {
      await s.context.close();
    }
  });
});
