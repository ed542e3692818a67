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
  /** The process started: `timeout` (the watchdog), which runs `prometheus`. */
  readonly pid: number;
  /** Its log so far (stdout + stderr), for failure messages. */
  log(): string;
  /** Whether the process has ended (e.g. its port was taken). */
  exited(): boolean;
}

export interface PromSample {
  readonly metric: { [label: string]: string };
  readonly value: [number, string];
}

/** Each HTTP request to a test server gives up after this long (a hung server fails the test, not jest's timeout). */
export const FETCH_TIMEOUT_MS = 2000;

/** Seconds after which the watchdog (`timeout`) ends a Prometheus whose test process died without stopping it. */
export const WATCHDOG_SECONDS = 120;

/** `fetch` bounded by FETCH_TIMEOUT_MS. */
export async function fetchBounded(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
}

/** Milliseconds left until `deadline` (a Date.now() value), at least 1. */
export function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

/**
 * Starts and stops real Prometheus servers and tiny HTTP apps on 127.0.0.1. `stopAll()` ends every process it
 * started (SIGTERM, then SIGKILL) and removes the temp dirs; call it in `afterAll`. Every Prometheus runs
 * under `timeout 120` so that it ends even when the jest worker is killed before `stopAll()`.
 */
export class PrometheusServers {
  private readonly procs: ChildProcess[] = [];
  private readonly servers: http.Server[] = [];
  private readonly dirs: string[] = [];
  private readonly ports: number[] = [];

  private portQueue: Promise<unknown> = Promise.resolve();

  /** A free port in 19090-19199 not handed out before by this instance (calls are serialized). */
  public async port(): Promise<number> {
    const next = this.portQueue.then(async () => {
      const p = await freePort(19090, 19199, this.ports);
      this.ports.push(p);
      return p;
    });
    this.portQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Starts `prometheus` with the given prometheus.yml on 127.0.0.1:port and its own TSDB dir (under the watchdog;
   * `/-/reload` enabled).
   */
  public startPrometheus(name: string, port: number, configYaml: string): RunningPrometheus {
    const dir = tmp(`prom-${name}-`);
    this.dirs.push(dir);
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, configYaml);
    const proc = spawn('timeout', [
      '--kill-after=5', String(WATCHDOG_SECONDS),
      'prometheus',
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(proc);
    let log = '';
    proc.stdout!.on('data', d => { log += d; });
    proc.stderr!.on('data', d => { log += d; });
    proc.on('error', e => { log += `spawn error: ${e.message}\n`; });
    return {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      dir,
      pid: proc.pid ?? -1,
      log: () => log,
      exited: () => proc.exitCode !== null || proc.signalCode !== null,
    };
  }

  /**
   * Starts `prometheus` on a free port and waits until it is ready; when the port was taken in the meantime (the
   * probe releases it before Prometheus binds it), tries again on another port, at most `attempts` times.
   */
  public async startPrometheusOnFreePort(name: string, configYaml: string, deadline: number, attempts = 3): Promise<RunningPrometheus> {
    let last = '';
    for (let i = 0; i < attempts; i++) {
      const p = this.startPrometheus(name, await this.port(), configYaml);
      try {
        await this.waitReady(p, remaining(deadline));
        return p;
      } catch (e) {
        last = (e as Error).message;
        if (!/address already in use|served by another Prometheus/.test(last)) throw e;
        await this.stop(p);
      }
    }
    throw new Error(`${name}: no free port after ${attempts} attempts; last: ${last}`);
  }

  /** Replaces the config of a running server (`/-/reload`); fails with Prometheus's answer when it rejects it. */
  public async reload(p: RunningPrometheus, configYaml: string): Promise<void> {
    fs.writeFileSync(path.join(p.dir, 'prometheus.yml'), configYaml);
    const r = await fetchBounded(`${p.url}/-/reload`, { method: 'POST' });
    if (!r.ok) throw new Error(`${p.name}: reload failed (${r.status}): ${await r.text()}\nits log:\n${p.log()}`);
  }

  /**
   * Serves each route's body (Prometheus text format) on GET <path> at 127.0.0.1, in this process, on `port` or (the
   * default, 0) a port the OS picks; returns the port.
   */
  public async startMetricsApp(routes: { [path: string]: () => string }, port = 0): Promise<number> {
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
    return (server.address() as net.AddressInfo).port;
  }

  /** Waits until the server answers /-/ready (bounded); fails at once when the process ends (e.g. port taken). */
  public async waitReady(p: RunningPrometheus, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (p.exited()) throw new Error(`${p.name} exited before it was ready; its log:\n${p.log()}`);
      let ready = false;
      try {
        ready = (await fetchBounded(`${p.url}/-/ready`)).ok;
      } catch {
        // not listening yet
      }
      if (ready) {
        // make sure it is this process answering, not another server that had the port first
        const flags = ((await (await fetchBounded(`${p.url}/api/v1/status/flags`)).json()) as any).data;
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
    const r = await fetchBounded(`${p.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await r.json() as any;
    if (body.status !== 'success') throw new Error(`query failed on ${p.name}: ${JSON.stringify(body)}`);
    return body.data.result as PromSample[];
  }

  /** The active targets of a server (job, health, lastError, labels). */
  public async targets(p: RunningPrometheus): Promise<any[]> {
    const r = await fetchBounded(`${p.url}/api/v1/targets`);
    return ((await r.json()) as any).data.activeTargets;
  }

  /** Stops one server started here (SIGTERM, then SIGKILL). */
  public stop(p: RunningPrometheus): Promise<void> {
    const proc = this.procs.find(x => x.pid === p.pid);
    return proc ? end(proc) : Promise.resolve();
  }

  /** Stops every process and HTTP server started here and removes the temp dirs. Never throws. */
  public async stopAll(): Promise<void> {
    await Promise.all(this.procs.map(end));
    await Promise.all(this.servers.map(s => new Promise<void>(resolve => {
      s.closeAllConnections?.();
      s.close(() => resolve());
    })));
    for (const d of this.dirs) {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }
}

function end(proc: ChildProcess): Promise<void> {
  return new Promise<void>(resolve => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    // the watchdog forwards SIGTERM and SIGKILLs prometheus itself after 5 s; this is the last resort for the watchdog
    const kill = setTimeout(() => proc.kill('SIGKILL'), 7000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}
