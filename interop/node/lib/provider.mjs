// Starts a real `propusk serve` on a free loopback port over a fresh SQLite database,
// after running `propusk admin ...` commands to put test data in it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '../../..');
export const BIN = process.env.PROPUSK_TEST_BIN ?? join(ROOT, 'target/debug/propusk');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** A provider instance; call `admin(...)` before `serve()`, and `stop()` at the end. */
export class Provider {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'propusk-interop-'));
    this.dbUrl = `sqlite://${this.dir}/propusk.db?mode=rwc`;
    this.logFile = join(this.dir, 'serve.log');
  }

  /** Runs `propusk admin ... --json` and returns the parsed JSON it prints. */
  admin(...args) {
    const full = ['admin', '--database-url', this.dbUrl, '--data-dir', this.dir, ...args, '--json'];
    let out;
    try {
      out = execFileSync(BIN, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const why = e.status === null ? e.message : `exit ${e.status}:\n${e.stderr}${e.stdout}`;
      throw new Error(`${BIN} ${full.join(' ')} failed: ${why}`);
    }
    return JSON.parse(out);
  }

  async serve() {
    const port = await freePort();
    this.issuer = `http://127.0.0.1:${port}`;
    const log = openSync(this.logFile, 'a');
    this.child = spawn(
      BIN,
      ['serve', '--listen', `127.0.0.1:${port}`, '--issuer', this.issuer,
        '--database-url', this.dbUrl, '--data-dir', this.dir],
      { stdio: ['ignore', log, log] },
    );
    let exited = null;
    this.child.once('exit', (code, signal) => { exited = signal ?? code; });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`propusk serve exited (${exited}):\n${this.log()}`);
      try {
        const res = await fetch(`${this.issuer}/.well-known/openid-configuration`);
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
