/**
 * Every shop and BC call is reported to a RequestLogSink (the store writes it to `request_log`).
 * Clients redact before reporting: URLs lose credential query parameters, bodies are optional.
 */
export interface RequestLogEntry {
  at: string;
  system: 'shop' | 'bc';
  /** Shop code, or the BC environment name. */
  target: string;
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  correlationId?: string;
  error?: string;
  orderId?: number;
  requestBody?: string;
  responseBody?: string;
}

export interface RequestLogSink {
  record(entry: RequestLogEntry): void;
}

export const nullRequestLog: RequestLogSink = { record: () => {} };

/** Query parameters that carry credentials and never reach a log. */
const SECRET_PARAMS = /^(consumer_key|consumer_secret|oauth_signature|oauth_consumer_key|access_token|client_secret|code|sig|signature|token|key|password)$/i;

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    for (const name of [...u.searchParams.keys()]) {
      if (SECRET_PARAMS.test(name)) u.searchParams.set(name, '[redacted]');
    }
    return u.toString();
  } catch {
    return url;
  }
}
