/**
 * A stand-in for an OpenTelemetry collector (BENCH_TRACING=otlp): accepts OTLP/HTTP JSON on POST /v1/traces
 * in its own process, as a collector would be, and counts the spans. GET /count reports them.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface OtlpSink {
  url: string;
  count(): Promise<{ spans: number; requests: number; bytes: number }>;
  stop(): Promise<void>;
}

function serve(): void {
  const seen = { spans: 0, requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/count') return void res.end(JSON.stringify(seen));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.requests += 1;
      seen.bytes += body.length;
      try {
        const doc = JSON.parse(body.toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> };
        for (const r of doc.resourceSpans ?? []) for (const s of r.scopeSpans ?? []) seen.spans += s.spans?.length ?? 0;
      } catch {
        // not JSON (protobuf): counted as a request only
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const child = spawn(process.execPath, [__filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the OTLP sink exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    count: async () => (await (await fetch(`${base}/count`)).json()) as { spans: number; requests: number; bytes: number },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[2] === '--serve') serve();
