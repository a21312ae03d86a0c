// A theme folder (`[ui] theme_dir`, here PROPUSK_UI__THEME_DIR) overrides the CSS, the
// logo, one template and one Russian text; everything else stays the default. A theme
// exported with `propusk ui export-theme` renders exactly the default pages, and a theme
// with a template syntax error stops the start with a message naming the file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browserLocale, checkPage, launch, openPage } from '../lib/browser.mjs';
import { goToSignIn } from '../lib/flow.mjs';
import { BIN, Provider, ROOT, startStack } from '../lib/provider.mjs';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10" id="theme-logo"><rect width="10" height="10" fill="#aa0055"/></svg>';
const CSS_MARK = 'rgb(170, 0, 85)';
const TITLE_RU = 'Вход в Тест-Банк';

function customTheme(dir) {
  mkdirSync(join(dir, 'static'), { recursive: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  mkdirSync(join(dir, 'locales/ru'), { recursive: true });
  writeFileSync(join(dir, 'static/style.css'), `body { margin: 0; font: 16px sans-serif; }\n.card { max-width: 420px; margin: 40px auto; padding: 28px; border: 3px solid #aa0055; }\nlabel { display: block; }\n`);
  writeFileSync(join(dir, 'static/logo.svg'), LOGO);
  writeFileSync(join(dir, 'templates/error.html'),
    '{% extends "base.html" %}\n{% block title %}{{ t("error-title") }}{% endblock %}\n{% block content %}\n'
    + '<h1>{{ t("error-title") }}</h1>\n<p class="error" role="alert">{{ message }}</p>\n<p id="theme-help">Support: +7 800 000-00-00</p>\n{% endblock %}\n');
  writeFileSync(join(dir, 'locales/ru/brand.ftl'), `sign-in-title = ${TITLE_RU}\n`);
}

/** The HTML of a page, with what differs between two servers (ports, CSRF tokens) blanked. */
async function html(issuer, path, headers = {}) {
  const res = await fetch(new URL(path, issuer), { headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, text: text.replaceAll(issuer, 'ISSUER').replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="TOKEN"') };
}

describe('themes', () => {
  let browser;
  const dirs = [];
  before(async () => { browser = await launch(); });
  after(async () => {
    await browser?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (name) => {
    const d = mkdtempSync(join(tmpdir(), `propusk-theme-${name}-`));
    dirs.push(d);
    return d;
  };

  it('a theme folder overrides the CSS, the logo, one template and one Russian text', async () => {
    const theme = tempDir('custom');
    customTheme(theme);
    const stack = await startStack({ env: { PROPUSK_UI__THEME_DIR: theme } });
    try {
      const s = await openPage(browser, { locale: browserLocale('ru') });
      try {
        await goToSignIn(s, stack, stack.authorizeUrl({ ui_locales: 'ru' }).url, 'ru');
        await checkPage(s, { name: 'theme-signin', lang: 'ru', status: 200 });
        assert.equal((await s.page.locator('h1').textContent()).trim(), TITLE_RU, 'the overridden Russian text');
        assert.equal(await s.page.locator('label[for=password]').textContent(), 'Пароль', 'other texts stay');
        const border = await s.page.locator('.card').evaluate((el) => getComputedStyle(el).borderTopColor);
        assert.equal(border, CSS_MARK, 'the theme stylesheet is applied');
        const logo = await s.page.request.get(new URL('/static/logo.svg', stack.provider.issuer).href);
        assert.equal(await logo.text(), LOGO, 'the theme logo is served');
        assert.equal(await s.page.locator('header img.logo').getAttribute('src'), '/static/logo.svg');
        const loaded = await s.page.locator('header img.logo').evaluate((img) => img.complete && img.naturalWidth > 0);
        assert.ok(loaded, 'the logo loads under the page CSP');

        await s.page.goto(stack.authorizeUrl({ ui_locales: 'en' }).url);
        assert.equal((await s.page.locator('h1').textContent()).trim(), 'Sign in', 'English keeps its default text');

        await s.page.goto(stack.authorizeUrl({ client_id: 'nope', ui_locales: 'ru' }).url);
        await checkPage(s, { name: 'theme-error', lang: 'ru', status: 400 });
        assert.equal(await s.page.locator('#theme-help').count(), 1, 'the overridden template is used');
      } finally {
        await s.context.close();
      }
    } finally {
      await stack.stop();
    }
  });

  it('an exported theme renders pages identical to the defaults', async () => {
    const exported = tempDir('export');
    execFileSync(BIN, ['ui', 'export-theme', exported], { cwd: ROOT, encoding: 'utf8' });
    const plain = await startStack();
    const themed = await startStack({ env: { PROPUSK_UI__THEME_DIR: exported } });
    try {
      const pages = [
        ['/account/login?lang=ru', {}],
        ['/account/login?lang=en', {}],
        ['/account/register', { 'accept-language': 'en' }],
        ['/account/reset?lang=ru', {}],
        ['/device?lang=en', {}],
        ['/connect/authorize?client_id=nope&ui_locales=ru', {}],
        ['/static/style.css', {}],
        ['/static/logo.svg', {}],
        ['/static/favicon.svg', {}],
      ];
      for (const [path, headers] of pages) {
        const a = await html(plain.provider.issuer, path, headers);
        const b = await html(themed.provider.issuer, path, headers);
        assert.equal(b.status, a.status, `status of ${path}`);
        assert.ok(a.text.length > 100, `${path} has a body`);
        assert.equal(b.text, a.text, `${path} with the exported theme`);
      }
    } finally {
      await plain.stop();
      await themed.stop();
    }
  });

  it('a template with a syntax error stops the start, naming the file', async () => {
    const broken = tempDir('broken');
    mkdirSync(join(broken, 'templates'), { recursive: true });
    writeFileSync(join(broken, 'templates/consent.html'), '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n');
    const provider = new Provider();
    try {
      await assert.rejects(provider.serve({ PROPUSK_UI__THEME_DIR: broken }), (e) => {
        assert.match(e.message, /templates\/consent\.html:3/, e.message);
        return true;
      });
    } finally {
      await provider.stop();
    }
  });
});
