// The signed-challenge page (issue 15, browser flow b): from the sign-in page, "Sign in
// with an e-signature" shows a value; the holder signs it with `openssl cms -sign` (a
// detached signature) and pastes it (PEM) or uploads it (DER); a signature by the bound
// certificate finishes the code flow, a wrong one shows an alert. The keys are GOST
// R 34.10-2012 (made with the engine's command line) when PROPUSK_GOST=1 (the binary is
// built with `--features gost`), RSA otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LANGS, checkPage, launch, navigate, onInteraction, onRp, trail } from '../lib/browser.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { ROOT, USER, exchangeCode, startStack } from '../lib/provider.mjs';

const GOST = process.env.PROPUSK_GOST === '1';
const TITLE = { en: 'Sign in with an e-signature', ru: 'Вход по электронной подписи' };
const REFUSED = { en: 'The signature does not verify', ru: 'Подпись не проверяется' };

/** A CA and two leaves (Alice's, bound; Mallory's, not) made with the openssl command. */
class Pki {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'propusk-esig-'));
    // The GOST engine comes from the configuration OPENSSL_CONF names.
    this.env = GOST ? { ...process.env, OPENSSL_CONF: join(ROOT, 'deploy/openssl-gost.cnf') } : process.env;
    writeFileSync(this.path('leaf.ext'), 'basicConstraints=critical,CA:FALSE\n'
      + 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,emailProtection\n');
    this.openssl('req', '-x509', ...this.newKey(), '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
      '-subj', '/CN=Signature Test Root/O=Propusk tests', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    this.leaf('alice', '/CN=Alice/INN=500100732259/SNILS=11223344595');
    this.leaf('mallory', '/CN=Mallory');
  }

  path(name) { return join(this.dir, name); }

  newKey() {
    return GOST ? ['-newkey', 'gost2012_256', '-pkeyopt', 'paramset:A'] : ['-newkey', 'rsa:2048'];
  }

  openssl(...args) {
    try {
      return execFileSync('openssl', args, { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr}`);
    }
  }

  leaf(name, subject) {
    this.openssl('req', '-new', ...this.newKey(), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    this.openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-extfile', 'leaf.ext', '-out', `${name}.pem`);
  }

  /** A detached signature of `value` by `name`: PEM text, or DER bytes. */
  sign(name, value, form = 'PEM') {
    writeFileSync(this.path('value.bin'), value);
    return this.openssl('cms', '-sign', '-binary', '-in', 'value.bin', '-signer', `${name}.pem`,
      '-inkey', `${name}.key`, '-outform', form);
  }

  remove() { rmSync(this.dir, { recursive: true, force: true }); }
}

describe(`sign-in with an e-signature (${GOST ? 'GOST R 34.10-2012' : 'RSA'})`, () => {
  let stack;
  let browser;
  let pki;
  before(async () => {
    pki = new Pki();
    const setup = (provider) => {
      provider.admin('ca', 'add', pki.path('ca.pem'));
      provider.admin('user', 'certificate', 'add', '--login', USER.login, pki.path('alice.pem'));
    };
    stack = await startStack({ setup });
    browser = await launch();
  });
  after(async () => { await browser?.close(); await stack?.stop(); pki?.remove(); });

  /** From the sign-in page to the signed-challenge page; the value shown, as bytes. */
  async function openSignaturePage(s, lang) {
    await navigate(s, () => s.page.click('#signature'), onInteraction(stack), 'open the e-signature page');
    assert.equal((await s.page.locator('h1').textContent()).trim(), TITLE[lang], `the page title${trail(s)}`);
    const value = (await s.page.inputValue('#value')).trim();
    const href = await s.page.getAttribute('#download', 'href');
    assert.equal(href, `data:application/octet-stream;base64,${value}`, 'the value is offered as a file');
    return Buffer.from(value, 'base64');
  }

  /** Submits the form and, past the consent page when it is shown, waits for the code. */
  async function submitAndFinish(s, what) {
    const since = stack.rp.hits.length;
    const consent = (u) => onInteraction(stack)(u) && !u.pathname.endsWith('/signature');
    await navigate(s, () => s.page.click('form button[type=submit]'), (u) => onRp(stack)(u) || consent(u), what);
    if (consent(new URL(s.page.url()))) {
      await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'allow on the consent page');
    }
    return stack.rp.waitForHit(since);
  }

  for (const lang of LANGS) {
    it(`a pasted PEM signature by the bound certificate finishes the code flow (${lang})`, async () => {
      const s = await startAuthorization(browser, stack, { lang });
      const hitsBefore = stack.rp.hits.length;
      try {
        let value = await openSignaturePage(s, lang);
        await checkPage(s, { name: 'esig-page', lang, status: 200 });

        // Mallory's certificate is bound to nobody; a signature over another value is wrong.
        await s.page.fill('#signature', pki.sign('alice', Buffer.from('another value')).toString());
        await navigate(s, () => s.page.click('form button[type=submit]'), onInteraction(stack), 'submit a wrong signature');
        const alert = (await s.page.locator('[role=alert]').textContent()).trim();
        assert.ok(alert.includes(REFUSED[lang]), `alert "${alert}"${trail(s)}`);
        assert.equal(stack.rp.hits.length, hitsBefore, 'the RP got nothing');

        value = Buffer.from((await s.page.inputValue('#value')).trim(), 'base64');
        await s.page.fill('#signature', pki.sign('alice', value).toString());
        const hit = await submitAndFinish(s, 'submit the signature');
        assert.ok(hit.params.code, `the RP got a code: ${JSON.stringify(hit.params)}`);
        const tokens = await exchangeCode(stack, hit.params.code);
        assert.equal(tokens.status, 200, tokens.text);
        const claims = JSON.parse(Buffer.from(tokens.json.id_token.split('.')[1], 'base64url').toString());
        assert.ok(claims.amr?.includes('swk'), `amr ${JSON.stringify(claims.amr)}`);
      } finally {
        await s.context.close();
      }
    });
  }

  it('an uploaded DER signature file works, and one by an unbound certificate is refused', async () => {
    const s = await startAuthorization(browser, stack, { lang: 'en' });
    try {
      let value = await openSignaturePage(s, 'en');
      writeFileSync(pki.path('mallory.p7s'), pki.sign('mallory', value, 'DER'));
      await s.page.setInputFiles('#signature_file', pki.path('mallory.p7s'));
      await navigate(s, () => s.page.click('form button[type=submit]'), onInteraction(stack), 'upload Mallory\'s signature');
      const alert = (await s.page.locator('[role=alert]').textContent()).trim();
      assert.ok(alert.includes('not bound to any account'), `alert "${alert}"${trail(s)}`);

      value = Buffer.from((await s.page.inputValue('#value')).trim(), 'base64');
      writeFileSync(pki.path('alice.p7s'), pki.sign('alice', value, 'DER'));
      await s.page.setInputFiles('#signature_file', pki.path('alice.p7s'));
      const hit = await submitAndFinish(s, 'upload Alice\'s signature');
      assert.ok(hit.params.code, `the RP got a code: ${JSON.stringify(hit.params)}`);
      assert.ok(readFileSync(pki.path('alice.pem'), 'utf8').includes('BEGIN CERTIFICATE'));
    } finally {
      await s.context.close();
    }
  });
});
