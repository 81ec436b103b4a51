/** Reading a request and writing a plain JSON answer, the same in every shop simulator. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The request line's target split at the first '?', and the method in upper case. */
export function splitTarget(req: IncomingMessage): { target: string; path: string; query: string; method: string } {
  const target = req.url ?? '/';
  const qi = target.indexOf('?');
  return {
    target,
    path: qi < 0 ? target : target.slice(0, qi),
    query: qi < 0 ? '' : target.slice(qi + 1),
    method: (req.method ?? 'GET').toUpperCase(),
  };
}

/** JSON with a length; a string body is sent as it is. Platform API answers use their own senders. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
