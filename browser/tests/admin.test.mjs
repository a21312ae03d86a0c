// The operator console in a real Chromium, in Russian and English: an operator signs in
// with a password, turns TOTP on, is asked to sign in again with the second factor, comes
// back to the console after the sign-in, opens every console page (each screenshot and
// axe-core checked), blocks a user (who then cannot sign in) and rotates the signing keys
// through the forms; an operator without a second factor is told to enrol one, and a
// signed-in non-operator gets 403.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LANGS, browserLocale, checkPage, launch, navigate, onProvider, openPage, trail,
} from '../lib/browser.mjs';
import { DEV_MODE, accountSignIn, enrolTotp, pathOf, submit } from '../lib/accounts.mjs';
import { CLIENT_ID, startStack } from '../lib/provider.mjs';

const TEXT = {
  ru: { forbidden: 'только операторам', blocked: 'заблокирован', rotated: 'Новые ключи опубликованы' },
  en: { forbidden: 'for operators only', blocked: 'blocked', rotated: 'New keys are published' },
};

describe('operator console', () => {
  let stack;
  let browser;
  before(async () => {
    stack = await startStack({ env: DEV_MODE });
    browser = await launch();
    stack.provider.admin('product', 'create', '--audience', 'ledger', '--name', 'Ledger',
      '--scope', 'ledger.read');
  });
  after(async () => { await browser?.close(); await stack?.stop(); });

  const url = (path) => new URL(path, stack.provider.issuer).href;
  const go = (s, path, what) => navigate(s, () => s.page.goto(url(path)), onProvider(stack), what);

  for (const lang of LANGS) {
    const operator = { login: `ops-${lang}`, password: `steady lantern ${lang} 42` };
    const victim = { login: `victim-${lang}`, password: `plain meadow ${lang} 17` };
    const plain = { login: `plain-${lang}`, password: `quiet river ${lang} 99` };

    it(`${lang}: a non-operator gets 403, an operator without a second factor is told to enrol one`, async () => {
      stack.provider.admin('user', 'create', '--login', plain.login, '--password', plain.password);
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await go(s, '/account/login', 'the sign-in page');
        await accountSignIn(s, stack, plain);
        await go(s, '/admin', 'the console as a non-operator');
        await checkPage(s, { name: 'admin-forbidden', lang, status: 403 });
        assert.ok((await s.page.locator('main').textContent()).includes(TEXT[lang].forbidden), `403 text${trail(s)}`);

        stack.provider.admin('user', 'grant-operator', '--login', plain.login);
        await go(s, '/admin/users', 'the console as an operator without a second factor');
        await checkPage(s, { name: 'admin-factor-missing', lang, status: 403 });
        assert.equal(await s.page.locator('#enrol').count(), 1, 'a link to enrol a second factor');
      } finally {
        await s.context.close();
      }
    });

    it(`${lang}: an operator with TOTP opens every page, blocks a user and rotates keys`, async () => {
      stack.provider.admin('user', 'create', '--login', operator.login, '--password', operator.password, '--name', `Operator ${lang}`);
      stack.provider.admin('user', 'grant-operator', '--login', operator.login);
      const target = stack.provider.admin('user', 'create', '--login', victim.login, '--password', victim.password,
        '--email', `${victim.login}@example.test`, '--name', `Victim ${lang}`);
      const s = await openPage(browser, { locale: browserLocale(lang) });
      try {
        const { page } = s;
        await go(s, '/account/login', 'the sign-in page');
        await accountSignIn(s, stack, operator);
        const key = await enrolTotp(s, stack);

        await go(s, '/admin', 'the console after a password-only sign-in');
        await checkPage(s, { name: 'admin-factor-again', lang, status: 403 });
        await submit(s, stack, 'sign out to sign in again', '#sign-in-again');
        await go(s, '/admin/keys', 'the console while signed out');
        assert.equal(pathOf(s), '/account/login', `the console sends to the sign-in page${trail(s)}`);
        await accountSignIn(s, stack, operator, { key });
        assert.equal(pathOf(s), '/admin/keys', `the sign-in comes back to the console${trail(s)}`);

        const pages = [
          ['admin-dashboard', '/admin'],
          ['admin-users', '/admin/users'],
          ['admin-users-search', `/admin/users?q=${victim.login}`],
          ['admin-user', `/admin/users/${target.id}`],
          ['admin-clients', '/admin/clients'],
          ['admin-client', `/admin/clients/${CLIENT_ID}`],
          ['admin-products', '/admin/products'],
          ['admin-product', '/admin/products/ledger'],
          ['admin-keys', '/admin/keys'],
          ['admin-issuers', '/admin/trusted-issuers'],
          ['admin-requests', '/admin/scope-requests'],
          ['admin-audit', '/admin/audit'],
          ['admin-audit-filtered', '/admin/audit?kind=sign_in'],
        ];
        for (const [name, path] of pages) {
          await go(s, path, name);
          await checkPage(s, { name, lang, status: 200 });
        }
        assert.ok(await page.locator('#events tr.event').count() >= 1, `sign-ins in the audit log${trail(s)}`);

        await go(s, `/admin/users/${target.id}`, 'the user page');
        await submit(s, stack, 'block the user', '#block');
        assert.equal(pathOf(s), `/admin/users/${target.id}`, `back on the user page${trail(s)}`);
        assert.equal((await page.locator('#user-state').textContent()).trim(), TEXT[lang].blocked);
        assert.equal(await page.locator('#notice').count(), 1, 'a notice says what happened');
        await checkPage(s, { name: 'admin-user-blocked', lang, status: 200 });

        await go(s, '/admin/keys', 'the keys page');
        const next = await page.locator('tr.key[data-state=next]').count();
        await submit(s, stack, 'rotate the keys', '#rotate');
        assert.equal(pathOf(s), '/admin/keys', `back on the keys page${trail(s)}`);
        assert.ok((await page.locator('#notice').textContent()).includes(TEXT[lang].rotated));
        assert.ok(await page.locator('tr.key[data-state=next]').count() > next, 'successor keys are listed as next');
        await checkPage(s, { name: 'admin-keys-rotated', lang, status: 200 });

        await go(s, '/admin/audit?kind=account_blocked', 'the audit log of blocks');
        const actors = await page.locator('#events tr.event td:nth-child(5)').allTextContents();
        assert.ok(actors.some((a) => a.startsWith('operator:')), `the operator is the actor: ${actors}`);
      } finally {
        await s.context.close();
      }

      const blocked = await openPage(browser, { locale: browserLocale(lang) });
      try {
        await go(blocked, '/account/login', 'the sign-in page');
        await accountSignIn(blocked, stack, victim);
        assert.equal(pathOf(blocked), '/account/login', `a blocked user stays on the sign-in page${trail(blocked)}`);
        assert.equal(await blocked.page.locator('p.error').count(), 1, 'with an error');
      } finally {
        await blocked.context.close();
      }
    });
  }
});
