/**
 * The e2e harness itself: bounded HTTP calls, port retry, and the watchdog around every Prometheus.
 */
import * as fs from 'fs';
import * as net from 'net';
import { FETCH_TIMEOUT_MS, PrometheusServers, RunningPrometheus, testWithTool, WATCHDOG_SECONDS } from '../harness/prometheus-servers';

const withPrometheus = testWithTool('prometheus');

/** A TCP server that accepts connections and never answers. */
async function hungServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const srv = net.createServer(s => { sockets.push(s); });
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => { sockets.forEach(s => s.destroy()); srv.close(() => r()); }),
  };
}

describe('PrometheusServers harness', () => {
  const servers = new PrometheusServers();
  afterAll(() => servers.stopAll());

  test('every HTTP call gives up after FETCH_TIMEOUT_MS instead of hanging until jest\'s timeout', async () => {
    const hung = await hungServer();
    const fake: RunningPrometheus = {
      name: 'hung', port: hung.port, url: `http://127.0.0.1:${hung.port}`, dir: '/nonexistent', pid: -1, log: () => '', exited: () => false,
    };
    try {
      for (const call of [() => servers.query(fake, 'up'), () => servers.targets(fake)]) {
        const t = Date.now();
        await expect(call()).rejects.toThrow(/aborted|timeout/i);
        expect(Date.now() - t).toBeLessThan(FETCH_TIMEOUT_MS + 1500);
      }
      // waitReady keeps to its own bound even when each probe hangs
      const t = Date.now();
      await expect(servers.waitReady(fake, 500)).rejects.toThrow('hung not ready on');
      expect(Date.now() - t).toBeLessThan(FETCH_TIMEOUT_MS + 1500);
    } finally {
      await hung.close();
    }
  }, 15_000);

  withPrometheus('a port taken between the probe and Prometheus\'s bind is retried on another port; Prometheus runs under the watchdog', async () => {
    // a port that is taken: the first one handed out
    const blocker = await hungServer();
    const taken = blocker.port;
    const ports = [taken];
    const orig = servers.port.bind(servers);
    servers.port = async () => ports.shift() ?? orig();
    try {
      const p = await servers.startPrometheusOnFreePort('retry', 'global: {scrape_interval: 1s}\n', Date.now() + 10_000);
      expect(p.port).not.toBe(taken);
      expect(p.name).toBe('retry');
      expect((await fetch(`${p.url}/-/ready`)).ok).toBe(true);
      // the watchdog: `timeout --kill-after=5 120 prometheus ...` ends it if this process dies without stopAll()
      const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(0, 4)).toEqual(['timeout', '--kill-after=5', String(WATCHDOG_SECONDS), 'prometheus']);
      await servers.stop(p);
      expect(p.exited()).toBe(true);
    } finally {
      servers.port = orig;
      await blocker.close();
    }
  }, 20_000);
});
