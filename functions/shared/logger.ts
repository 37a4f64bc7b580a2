/**
 * Structured JSON logs on stdout (CloudWatch in AWS, the terminal locally). Callers pass only
 * non-personal fields; as a safety net, 18-digit ID-number-like strings, e-mail addresses and
 * bearer tokens are redacted from every line.
 */
const ID_LIKE = /\b\d{17}[\dXx]\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const BEARER = /(eyJ[\w-]+\.[\w-]+\.[\w-]+)/g;

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function redact(text: string): string {
  return text
    .replace(ID_LIKE, '[id-redacted]')
    .replace(EMAIL, '[email-redacted]')
    .replace(BEARER, '[token-redacted]');
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  const min = (process.env.LOG_LEVEL as Level | undefined) ?? 'info';
  if (ORDER[level] < (ORDER[min] ?? 20)) return;
  const line = redact(JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields }));
  if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
