// The system under test: a real `propusk serve` on a free loopback port over a fresh
// SQLite database (set up first with `propusk admin ...`), and a tiny relying party that
// records what arrives at its redirect URI.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '../..');
const binEnv = process.env.PROPUSK_TEST_BIN;
export const BIN = binEnv ? (isAbsolute(binEnv) ? binEnv : resolve(ROOT, binEnv)) : join(ROOT, 'target/debug/propusk');

export const USER = { login: 'alice', password: 'correct horse battery', email: 'alice@example.test', name: 'Alice' };
export const CLIENT_ID = 'web-app';
export const CLIENT_NAME = 'Бухгалтерия Онлайн';

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createNetServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** The relying party: records every request to `/cb` (query, or the form of a POST). */
export class RelyingParty {
  hits = [];
  #waiters = [];

  async start() {
    this.server = createHttpServer((req, res) => {
      const url = new URL(req.url, 'http://rp');
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        if (url.pathname !== '/cb') {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
        const hit = { method: req.method, params: Object.fromEntries(params), contentType: req.headers['content-type'] };
        this.hits.push(hit);
        for (const w of this.#waiters.splice(0)) w(hit);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RP</title>'
            + '<link rel="icon" href="data:,"></head><body><h1>RP got code</h1></body></html>');
      });
    });
    await new Promise((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    this.redirectUri = `${this.origin}/cb`;
    return this;
  }

  /** The next hit (or the latest one if it already came after `since` hits). */
  waitForHit(since = 0, timeoutMs = 10_000) {
    if (this.hits.length > since) return Promise.resolve(this.hits[since]);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the RP got no request at /cb within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((hit) => { clearTimeout(timer); ok(hit); });
    });
  }

  async stop() {
    this.server?.closeAllConnections?.();
    await new Promise((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

/** A provider instance; call `admin(...)` before `serve()`, and `stop()` at the end. */
export class Provider {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'propusk-browser-'));
    this.dbUrl = `sqlite://${this.dir}/propusk.db?mode=rwc`;
    this.logFile = join(this.dir, 'serve.log');
  }

  /** Runs `propusk admin ... --json` (from the repo root) and returns the parsed JSON. */
  admin(...args) {
    const full = ['admin', '--database-url', this.dbUrl, '--data-dir', this.dir, ...args, '--json'];
    let out;
    try {
      out = execFileSync(BIN, full, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const why = e.status === null ? e.message : `exit ${e.status}:\n${e.stderr}${e.stdout}`;
      throw new Error(`${BIN} ${full.join(' ')} failed: ${why}`);
    }
    return JSON.parse(out);
  }

  /**
   * Starts `propusk serve`; `env` adds environment variables (e.g. PROPUSK_DEV_MODE).
   * `host` names the issuer's host: `localhost` for WebAuthn, which refuses IP addresses
   * as relying-party ids (it still listens on 127.0.0.1).
   */
  async serve(env = {}, { host = '127.0.0.1' } = {}) {
    const port = await freePort();
    this.issuer = `http://${host}:${port}`;
    const log = openSync(this.logFile, 'a');
    this.child = spawn(
      BIN,
      ['serve', '--listen', `127.0.0.1:${port}`, '--issuer', this.issuer,
        '--database-url', this.dbUrl, '--data-dir', this.dir],
      { cwd: ROOT, stdio: ['ignore', log, log], env: { ...process.env, ...env } },
    );
    let exited = null;
    this.child.once('exit', (code, signal) => { exited = signal ?? code; });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`propusk serve exited (${exited}):\n${this.log()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
        if (res.status === 200) return this;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    throw new Error(`propusk serve did not answer discovery within 30 s:\n${this.log()}`);
  }

  log() {
    try { return readFileSync(this.logFile, 'utf8').slice(-4000); } catch { return ''; }
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const done = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The whole stack of one test file: the RP, a provider with alice and the web-app client
 * (redirecting to the RP), serving; `setup(provider, rp)` runs more `admin` steps before
 * it serves. Returns `{ provider, rp, clientSecret, authorizeUrl, stop }`.
 */
export async function startStack({ env, setup, host } = {}) {
  const rp = await new RelyingParty().start();
  const provider = new Provider();
  try {
    provider.admin('user', 'create', '--login', USER.login, '--password', USER.password,
      '--email', USER.email, '--name', USER.name);
    const client = provider.admin('client', 'create', '--client-id', CLIENT_ID, '--name', CLIENT_NAME,
      '--redirect-uri', rp.redirectUri, '--scope', 'openid profile email offline_access',
      '--grant-type', 'authorization_code', '--grant-type', 'refresh_token');
    if (client.client_id !== CLIENT_ID || typeof client.client_secret !== 'string') {
      throw new Error(`client create printed ${JSON.stringify(client)}`);
    }
    // More `admin` steps before the provider starts (e.g. trusted CAs, bound certificates).
    if (setup) await setup(provider, rp);
    await provider.serve(env, { host });
    const stack = {
      provider,
      rp,
      clientSecret: client.client_secret,
      /** An authorization request URL; `extra` adds or overrides parameters (null removes). */
      authorizeUrl(extra = {}) {
        const params = {
          response_type: 'code',
          client_id: CLIENT_ID,
          redirect_uri: rp.redirectUri,
          scope: 'openid profile',
          state: `st-${Math.random().toString(36).slice(2)}`,
          nonce: `n-${Math.random().toString(36).slice(2)}`,
          ...extra,
        };
        const url = new URL('/connect/authorize', provider.issuer);
        for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
        return { url: url.href, state: params.state, nonce: params.nonce };
      },
      async stop() {
        await provider.stop();
        await rp.stop();
      },
    };
    return stack;
  } catch (e) {
    await provider.stop();
    await rp.stop();
    throw e;
  }
}

/** Redeems a code at the token endpoint with client_secret_basic (RFC 6749 §2.3.1). */
export async function exchangeCode(stack, code) {
  const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(stack.clientSecret)}`).toString('base64');
  const res = await fetch(new URL('/connect/token', stack.provider.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: stack.rp.redirectUri }),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}
