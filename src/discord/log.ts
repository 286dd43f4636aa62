/** Where the bot writes: one line per event, errors with their stack. Never given the token. */
export interface Logger {
  info(line: string): void;
  error(line: string, error?: unknown): void;
}

/** Logs to standard output and standard error. */
export const consoleLogger: Logger = {
  info: (line) => console.log(line),
  error: (line, error) => console.error(error instanceof Error && error.stack ? `${line}\n${error.stack}` : line),
};

/** The text of an error on one line, for messages meant for people. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}
