// In the browser: a password from the common list is refused at registration
// with a message that says why (the form keeps what was typed, minus the password); and a
// bcrypt hash imported with `propusk admin user import --password-hash` signs in, after
// which the stored hash is argon2id. In Russian and English.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LANGS, browserLocale, checkPage, launch, onInteraction, openPage, trail } from '../lib/browser.mjs';
import { ATEXT, DEV_MODE, finishAtRp, submit } from '../lib/accounts.mjs';
import { startAuthorization } from '../lib/flow.mjs';
import { startStack } from '../lib/provider.mjs';

const LEGACY_PASSWORD = 'imported legacy pass';
// bcrypt (cost 4) of LEGACY_PASSWORD, used when python3 has no `bcrypt` module.
const FIXED_BCRYPT = '$2b$04$5Zhy6VJx7I3Plfv7aqxGSO.NcbRb2xnhOhyQxhb/Jg602GOqcwC72';

function bcryptHash(password) {
  try {
    return execFileSync('python3', ['-c',
      'import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(rounds=4)).decode())', password],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return FIXED_BCRYPT;
  }
}

/** The stored password hash of a login, read from the SQLite file with python3's sqlite3. */
function storedHash(stack, login) {
  const path = stack.provider.dbUrl.replace(/^sqlite:\/\//, '').replace(/\?.*$/, '');
  return execFileSync('python3', ['-c',
    'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("select password_hash from accounts where login=?", (sys.argv[2],)).fetchone()[0])',
    path, login], { encoding: 'utf8' }).trim();
}

describe('common passwords and imported hashes', () => {
  let stack;
  let browser;
  before(async () => { stack = await startStack({ env: DEV_MODE }); browser = await launch(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  for (const [n, lang] of LANGS.entries()) {
    it(`${lang}: registration refuses a common password with a clear message`, async () => {
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        const { page } = s;
        await page.goto(stack.authorizeUrl({ prompt: 'create' }).url);
        assert.ok(onInteraction(stack)(new URL(page.url())), `the registration form${trail(s)}`);
        await page.fill('#contact', `+7900555003${n}`);
        await page.fill('#name', 'Pat');
        await page.fill('#password', 'qwerty123');
        await page.check('#terms');
        await submit(s, stack, 'register with a common password');
        const message = (await page.locator('p.error').textContent()).trim();
        assert.ok(message.includes(ATEXT[lang].common), `the message says the password is common: "${message}"`);
        assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true', 'the password field is marked');
        assert.equal(await page.inputValue('#contact'), `+7900555003${n}`, 'the phone is kept');
        assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');
        await checkPage(s, { name: 'register-common-password', lang, status: 400 });

        await page.fill('#password', 'short');
        await submit(s, stack, 'register with a short password');
        assert.match(await page.locator('p.error').textContent(), /8/, 'the minimum length is named');
        await page.fill('#password', 'long enough words here');
        await page.uncheck('#terms');
        await submit(s, stack, 'register without the terms');
        assert.equal(await page.locator('#terms').getAttribute('aria-invalid'), 'true', 'the terms box is marked');
        await checkPage(s, { name: 'register-terms-missing', lang, status: 400 });
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: a bcrypt hash imported by the admin CLI signs in and becomes argon2id`, async () => {
      const login = `legacy-${lang}`;
      const hash = bcryptHash(LEGACY_PASSWORD);
      assert.match(hash, /^\$2[aby]\$/, 'a bcrypt hash');
      stack.provider.admin('user', 'import', '--login', login, '--password-hash', hash, '--name', 'Legacy');
      assert.equal(storedHash(stack, login), hash, 'stored as imported');
      const s = await startAuthorization(browser, stack, { lang, method: 'ui_locales' });
      try {
        const since = stack.rp.hits.length;
        await s.page.fill('#login', login);
        await s.page.fill('#password', LEGACY_PASSWORD);
        await submit(s, stack, 'sign in with the imported password');
        const { claims } = await finishAtRp(s, stack, since, s.request, lang);
        assert.deepEqual(claims.amr, ['pwd']);
        assert.match(storedHash(stack, login), /^\$argon2id\$/, 'rehashed to argon2id on sign-in');
      } finally {
        await s.context.close();
      }
    });
  }
});
