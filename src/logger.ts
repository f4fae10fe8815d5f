/**
 * Structured JSON logs (pino). Secrets never reach a log line: the paths that could carry them are
 * redacted here, once, rather than trusted to every call site.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'secretKey',
  '*.secretKey',
  'sessionToken',
  '*.sessionToken',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-tc-token"]',
  'headers.authorization',
  'headers["x-tc-token"]',
  'token',
  '*.token',
  'apiKeys',
  '*.apiKeys',
  'jwtSecret',
  '*.jwtSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tencent-ssl-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
