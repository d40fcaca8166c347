// One webhook POST: a 2xx status within the time limit is a success, anything else (another
// status, a redirect, a refused or failed connection, no answer in time) a failure with a
// reason. Connections go through request-filtering-agent, which checks the address each
// connection is actually made to, so a name that resolves to a private address at delivery
// time (DNS rebinding) is refused as it would have been at creation.

import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

type SendOutcome = { ok: true; status: number } | { ok: false; error: string };

export interface WebhookSender {
  post(url: string, headers: Record<string, string>, body: string): Promise<SendOutcome>;
  close(): void;
}

export function createWebhookSender(options: { allowPrivate: boolean; timeoutMs: number }): WebhookSender {
  const filter = { allowPrivateIPAddress: options.allowPrivate, allowMetaIPAddress: options.allowPrivate };
  const agents = {
    'http:': new RequestFilteringHttpAgent({ ...filter, keepAlive: true }),
    'https:': new RequestFilteringHttpsAgent({ ...filter, keepAlive: true }),
  };
  return {
    post(url, headers, body) {
      const target = new URL(url);
      if (target.protocol !== 'https:' && !(options.allowPrivate && target.protocol === 'http:')) {
        return Promise.resolve({ ok: false, error: `refused: ${target.protocol} URLs are not allowed` });
      }
      const transport = target.protocol === 'https:' ? https : http;
      return new Promise<SendOutcome>((resolve) => {
        const request = transport.request(
          target,
          {
            method: 'POST',
            agent: agents[target.protocol as 'http:' | 'https:'],
            headers: {
              ...headers,
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(body)),
              'user-agent': 'belarus-archive-webhooks/1',
            },
            signal: AbortSignal.timeout(options.timeoutMs),
          },
          (response) => {
            const status = response.statusCode ?? 0;
            response.resume(); // the answer's body is not ours to read; drain it so the socket is reused
            resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: `HTTP ${status}` });
          },
        );
        request.on('error', (error: Error & { code?: string }) => {
          const reason =
            error.name === 'AbortError' || error.name === 'TimeoutError'
              ? `no answer within ${options.timeoutMs / 1000} s`
              : /is not allowed/.test(error.message)
                ? `refused: ${target.hostname} resolves to a non-public address`
                : error.message;
          resolve({ ok: false, error: reason });
        });
        request.end(body);
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
