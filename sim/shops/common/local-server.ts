/**
 * An HTTP server on 127.0.0.1 that a simulator can shut down at once: close() ends the responses a
 * `timeout` fault holds open and the keep-alive connections, which server.close() alone waits for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /**
   * Sends requests to `handler` from now on. Until then every request gets a bare 503: a simulator
   * binds the port first because its orders carry the URL.
   */
  serve(handler: RequestHandler): void;
  /** Leaves a response unanswered (the client has to give up) until it closes or the server does. */
  hold(res: ServerResponse): void;
  close(): Promise<void>;
}

export async function startLocalServer(port = 0): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  let handler: RequestHandler = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    serve: (h) => {
      handler = h;
    },
    hold: (res) => {
      held.add(res);
      res.on('close', () => held.delete(res));
    },
    close: async () => {
      for (const r of held) r.destroy();
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
