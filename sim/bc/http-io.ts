import type { IncomingMessage, ServerResponse } from 'node:http';

/** The JSON content type BC's OData endpoint answers with. */
export const ODATA_JSON = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

const MAX_BODY = 350 * 1024 * 1024; // bc-api.md §2: max body size 350 MB

export function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown): void {
  if (res.destroyed || res.headersSent) return;
  let payload: string | undefined;
  const h: Record<string, string> = { ...headers };
  if (body !== undefined && status !== 204) {
    if (typeof body === 'string') payload = body;
    else {
      payload = JSON.stringify(body);
      h['Content-Type'] ??= ODATA_JSON;
    }
  }
  if (payload !== undefined) h['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(status, h);
  res.end(payload);
}
