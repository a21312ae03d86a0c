// Steps of the account pages (registration, codes from the development outbox, second
// factor, reset) shared by the account browser tests, and the RFC 6238 TOTP the tests
// compute on their own with node:crypto.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkPage, navigate, onInteraction, onProvider, onRp, trail } from './browser.mjs';
import { exchangeCode } from './provider.mjs';

/** Environment of a provider whose development outbox page is on. */
export const DEV_MODE = { PROPUSK_DEV_MODE: 'true' };

/** Stable fragments of what the account pages say, per language. */
export const ATEXT = {
  ru: {
    common: 'слишком распространён', changed: 'Пароль изменён', out: 'Вы вышли',
    on: 'включено', off: 'выключено', wrongCode: 'Неверный код',
  },
  en: {
    common: 'too common', changed: 'The password was changed', out: 'You are signed out',
    on: 'on', off: 'off', wrongCode: 'Wrong code',
  },
};

/**
 * The newest 6-digit code the development outbox holds for `to` (E.164 phone or e-mail)
 * that is not in `seen`; polls the `/dev/outbox` page for up to 10 s.
 */
export async function outboxCode(stack, to, seen = new Set()) {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(new URL('/dev/outbox', stack.provider.issuer));
    assert.equal(res.status, 200, 'GET /dev/outbox in development mode');
    last = await res.text();
    for (const item of last.split('<li>').slice(1)) {
      const dest = /<span class="to">([^<]*)<\/span>/.exec(item)?.[1];
      const code = /<span class="body">[^<]*?\b(\d{6})\b/.exec(item)?.[1];
      if (dest === to && code && !seen.has(code)) {
        seen.add(code);
        return code;
      }
      if (dest === to) break; // the newest message for `to` is an old one: wait
    }
    await sleep(200);
  }
  assert.fail(`no new code for ${to} in the outbox:\n${last.slice(0, 2000)}`);
}

/** RFC 4648 base32 (the manual key, spaces allowed) to bytes. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    assert.ok(v >= 0, `base32 character ${ch}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) of a manual key at `ms` (+ `steps` steps). */
export function totp(manualKey, { ms = Date.now(), steps = 0 } = {}) {
  const counter = Math.floor(ms / 1000 / 30) + steps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32(manualKey)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

/** The claims of a JWT (not verified: the token came straight from the token endpoint). */
export function jwtClaims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** The page the browser is on, by its path (for assertion messages and branching). */
export const pathOf = (s) => new URL(s.page.url()).pathname;

/**
 * After a step that ends the sign-in: allows the consent page when it shows, waits for
 * the RP, redeems the code and returns the token response and the ID token's claims.
 */
export async function finishAtRp(s, stack, since, request, lang) {
  if (onInteraction(stack)(new URL(s.page.url()))) {
    assert.equal(await s.page.locator('button[name=decision][value=allow]').count(), 1,
      `expected the consent page${trail(s)}`);
    await checkPage(s, { name: 'consent-new-account', lang, status: 200 });
    await navigate(s, () => s.page.click('button[name=decision][value=allow]'), onRp(stack), 'consent allow');
  }
  assert.ok(onRp(stack)(new URL(s.page.url())), `expected to be back at the RP${trail(s)}`);
  const hit = await stack.rp.waitForHit(since);
  assert.ok(hit.params.code, `the RP got ${JSON.stringify(hit.params)}`);
  if (request) assert.equal(hit.params.state, request.state, 'state of the original request');
  const tokens = await exchangeCode(stack, hit.params.code);
  assert.equal(tokens.status, 200, `token endpoint: ${tokens.text}`);
  assert.ok(tokens.json.access_token && tokens.json.id_token, `tokens: ${tokens.text}`);
  const claims = jwtClaims(tokens.json.id_token);
  if (request) assert.equal(claims.nonce, request.nonce, 'nonce of the original request');
  return { tokens: tokens.json, claims };
}

/** Submits the form of the current page and waits for the next provider or RP page. */
export function submit(s, stack, what, selector = 'main form:not(.inline) button[type=submit]') {
  return navigate(s, () => s.page.click(selector), (u) => onProvider(stack)(u) || onRp(stack)(u), what);
}

/** Types a code into `#code` and submits it. */
export async function enterCode(s, stack, code, what) {
  await s.page.fill('#code', code);
  await submit(s, stack, what);
}

/**
 * On the sign-in page: opens the registration form, registers with `phone`, enters the
 * SMS code from the outbox. Screenshots and checks each page under `prefix`.
 */
export async function registerByPhone(s, stack, lang, user, { prefix = 'register', check = true } = {}) {
  const { page } = s;
  if (await page.locator('#register').count()) {
    await navigate(s, () => page.click('#register'), onInteraction(stack), 'open the registration form');
  }
  assert.equal(await page.locator('#contact').count(), 1, `expected the registration form${trail(s)}`);
  if (check) await checkPage(s, { name: prefix, lang, status: 200 });
  await page.fill('#contact', user.phoneTyped ?? user.phone);
  await page.fill('#name', user.name);
  await page.fill('#password', user.password);
  await page.check('#terms');
  await submit(s, stack, 'submit the registration form');
  assert.match(pathOf(s), /^\/account\/register\/[^/]+$/, `expected the code page${trail(s)}`);
  if (check) await checkPage(s, { name: `${prefix}-code`, lang, status: 200 });
  const code = await outboxCode(stack, user.phone);
  await enterCode(s, stack, code, 'enter the registration code');
}

/**
 * Signs in at `/account/login` (the page the browser is on) with a password, then with
 * the TOTP code of `key` when the second-factor page asks; waits for the next provider page.
 */
export async function accountSignIn(s, stack, user, { key, steps = 1 } = {}) {
  const { page } = s;
  assert.equal(pathOf(s), '/account/login', `expected the account sign-in page${trail(s)}`);
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await submit(s, stack, 'sign in by password');
  if (key === undefined) return;
  assert.match(pathOf(s), /^\/account\/factor\//, `the second-factor page${trail(s)}`);
  // The enrolment used the current step; the next one is also accepted (RFC 6238 §5.2).
  await enterCode(s, stack, totp(key, { steps }), 'the TOTP code');
}

/**
 * Turns TOTP on from the security page of the signed-in user with the current code;
 * returns the manual key (the recovery codes page is where the browser stays).
 */
export async function enrolTotp(s, stack) {
  const { page } = s;
  await page.goto(new URL('/account/security', stack.provider.issuer).href);
  await submit(s, stack, 'start the TOTP enrolment', '#totp-setup');
  assert.match(pathOf(s), /^\/account\/security\/totp\//, `the enrolment page${trail(s)}`);
  const key = (await page.locator('#manual-key').textContent()).trim();
  await enterCode(s, stack, totp(key), 'the first TOTP code');
  assert.match(pathOf(s), /^\/account\/security\/codes\//, `the recovery codes page${trail(s)}`);
  return key;
}
