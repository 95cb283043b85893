/**
 * Small HTTP servers on 127.0.0.1 that play the parts around the app in
 * browser tests: a portal page that embeds it, a portal's token endpoint.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running test server. */
export interface TestServer {
  /** Origin such as `http://127.0.0.1:41234`. */
  origin: string;
  /** Requests received, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

/** Handles one request; returning `undefined` sends a 404. */
export type Handler = (
  request: http.IncomingMessage,
) => { status?: number; headers?: Record<string, string>; body: string } | undefined;

/** Starts a server on a free loopback port that responds with `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);

    // Browsers request an icon from every origin, and an empty response
    // keeps a 404 out of the console.
    if (request.url === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }

    const answer = handler(request);

    if (answer === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }

    response.writeHead(answer.status ?? 200, answer.headers ?? {});
    response.end(answer.body);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Escapes text for use inside an HTML attribute or a JavaScript string. */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
