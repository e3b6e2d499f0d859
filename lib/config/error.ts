/** Settings that cannot work, each problem named (never a secret's value). Light: the CLI checks for it before loading anything. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Mutu's configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
