/**
 * Test-only helpers for the real Prometheus tools of Debian's `prometheus` package (2.42): `promtool` checks and
 * `prometheus` servers on 127.0.0.1 for end-to-end tests. `scripts/ensure-test-tools.sh` installs them (CI runs it).
 * Tests that need a tool skip when it is missing, except under CI (`CI` set), where a missing tool is a failure.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Whether a binary answers `--version`. */
export function hasTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * `test` when the tool is present; otherwise `test.skip` locally and a failing test under CI.
 */
export function testWithTool(tool: string): jest.It {
  if (hasTool(tool)) return test;
  if (process.env.CI) {
    return ((name: string) => test(name, () => {
      throw new Error(`${tool} is not installed; run scripts/ensure-test-tools.sh`);
    })) as unknown as jest.It;
  }
  return test.skip;
}

export interface ToolResult {
  readonly ok: boolean;
  /** stdout + stderr */
  readonly output: string;
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `promtool check config [--syntax-only] <file>` on a prometheus.yml text. */
export function promtoolCheckConfig(configYaml: string, opts: { syntaxOnly?: boolean } = {}): ToolResult {
  const dir = tmp('promtool-config-');
  try {
    const file = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(file, configYaml);
    const args = ['check', 'config', ...(opts.syntaxOnly ? ['--syntax-only'] : []), file];
    const r = spawnSync('promtool', args, { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks PromQL expressions (e.g. `match[]` selectors) with Prometheus's own parser: each becomes the `expr` of a
 * recording rule and `promtool check rules` parses it. Returns one result per expression.
 */
export function promtoolCheckExpressions(exprs: string[]): ToolResult[] {
  const dir = tmp('promtool-rules-');
  try {
    return exprs.map((expr, i) => {
      const file = path.join(dir, `rules-${i}.yml`);
      // JSON is YAML: no quoting surprises for selectors full of braces and quotes.
      fs.writeFileSync(file, JSON.stringify({ groups: [{ name: 'check', rules: [{ record: `check:expr${i}`, expr }] }] }));
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls `fn` until it returns a value other than undefined, at most `timeoutMs`; throws naming `what` otherwise. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/** A free TCP port on 127.0.0.1 in [from, to], probed by binding it. */
export async function freePort(from = 19090, to = 19199, taken: number[] = []): Promise<number> {
  const span = to - from + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    if (taken.includes(port)) continue;
    const ok = await new Promise<boolean>(resolve => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export interface RunningPrometheus {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** Where its config and TSDB live. */
  readonly dir: string;
  /** Its log so far (stdout + stderr), for failure messages. */
  log(): string;
  /** Whether the process has ended (e.g. its port was taken). */
  exited(): boolean;
}

export interface PromSample {
  readonly metric: { [label: string]: string };
  readonly value: [number, string];
}

/**
 * Starts and stops real Prometheus servers and tiny HTTP apps on 127.0.0.1. `stopAll()` ends every process it
 * started (SIGTERM, then SIGKILL after 5 s) and removes the temp dirs; call it in `afterAll`.
 */
export class PrometheusServers {
  private readonly procs: ChildProcess[] = [];
  private readonly servers: http.Server[] = [];
  private readonly dirs: string[] = [];
  private readonly ports: number[] = [];

  /** A free port in 19090-19199 not handed out before by this instance. */
  public async port(): Promise<number> {
    const p = await freePort(19090, 19199, this.ports);
    this.ports.push(p);
    return p;
  }

  /** Starts `prometheus` with the given prometheus.yml on 127.0.0.1:port and its own TSDB dir. */
  public startPrometheus(name: string, port: number, configYaml: string): RunningPrometheus {
    const dir = tmp(`prom-${name}-`);
    this.dirs.push(dir);
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, configYaml);
    const proc = spawn('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(proc);
    let log = '';
    proc.stdout!.on('data', d => { log += d; });
    proc.stderr!.on('data', d => { log += d; });
    proc.on('error', e => { log += `spawn error: ${e.message}\n`; });
    return { name, port, url: `http://127.0.0.1:${port}`, dir, log: () => log, exited: () => proc.exitCode !== null || proc.signalCode !== null };
  }

  /** Serves each route's body (Prometheus text format) on GET <path> at 127.0.0.1:port, in this process. */
  public async startMetricsApp(port: number, routes: { [path: string]: () => string }): Promise<void> {
    const server = http.createServer((req, res) => {
      const body = routes[req.url ?? ''];
      if (!body) {
        res.writeHead(404).end('not found\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body());
    });
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  }

  /** Waits until the server answers /-/ready (bounded); fails at once when the process ends (e.g. port taken). */
  public async waitReady(p: RunningPrometheus, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (p.exited()) throw new Error(`${p.name} exited before it was ready; its log:\n${p.log()}`);
      let ready = false;
      try {
        ready = (await fetch(`${p.url}/-/ready`)).ok;
      } catch {
        // not listening yet
      }
      if (ready) {
        // make sure it is this process answering, not another server that had the port first
        const flags = ((await (await fetch(`${p.url}/api/v1/status/flags`)).json()) as any).data;
        if (flags['storage.tsdb.path'] !== path.join(p.dir, 'data')) {
          throw new Error(`${p.name}: port ${p.port} is served by another Prometheus (storage ${flags['storage.tsdb.path']}); its log:\n${p.log()}`);
        }
        return;
      }
      if (Date.now() >= deadline) throw new Error(`${p.name} not ready on ${p.url} after ${timeoutMs} ms; its log:\n${p.log()}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  /** An instant query; returns the result vector. */
  public async query(p: RunningPrometheus, promql: string): Promise<PromSample[]> {
    const r = await fetch(`${p.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await r.json() as any;
    if (body.status !== 'success') throw new Error(`query failed on ${p.name}: ${JSON.stringify(body)}`);
    return body.data.result as PromSample[];
  }

  /** The active targets of a server (job, health, lastError, labels). */
  public async targets(p: RunningPrometheus): Promise<any[]> {
    const r = await fetch(`${p.url}/api/v1/targets`);
    return ((await r.json()) as any).data.activeTargets;
  }

  /** Stops every process and HTTP server started here and removes the temp dirs. Never throws. */
  public async stopAll(): Promise<void> {
    await Promise.all(this.procs.map(proc => new Promise<void>(resolve => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    })));
    await Promise.all(this.servers.map(s => new Promise<void>(resolve => {
      s.closeAllConnections?.();
      s.close(() => resolve());
    })));
    for (const d of this.dirs) {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }
}
