import pino, { type Logger } from 'pino';

/**
 * Structured logs to stderr (stdout stays for command output and --json). Secrets never reach a log:
 * known secret fields are redacted by pino, and clients log redacted URLs only.
 */
export function createLogger(level: string, opts: { pretty?: boolean } = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: ['*.clientSecret', '*.consumerSecret', '*.consumerKey', '*.password', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
      base: undefined,
    },
    pino.destination({ fd: 2, sync: opts.pretty ?? false }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
