import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface FakeVenues {
  binance: string;
  pacifica: string;
  stop(): Promise<void>;
}

/** Starts bench/fake-venues-server.ts in a child process and waits for its READY line. */
export async function startFakeVenues(opts: { binance: number; pacifica: number; latencyMs: number }): Promise<FakeVenues> {
  const script = join(import.meta.dirname, 'fake-venues-server.ts');
  const args = ['--import', 'tsx', script, '--binance', String(opts.binance), '--pacifica', String(opts.pacifica), '--latency', String(opts.latencyMs)];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const urls = await new Promise<{ binance: string; pacifica: string }>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\{.*\})\n/.exec(out);
      if (m?.[1]) resolve(JSON.parse(m[1]) as { binance: string; pacifica: string });
    });
    child.on('exit', (code) => reject(new Error(`fake venues exited early (code ${code})`)));
  });
  return {
    ...urls,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
