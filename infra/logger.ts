import pino from 'pino';

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info') {
  const pretty = process.stdout.isTTY && !process.env.LOG_JSON;
  return pino({
    name,
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}

export type Logger = ReturnType<typeof createLogger>;
