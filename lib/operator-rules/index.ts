/** The operator's own rules, mutes and alert routes (docs/configuration.md). */
export * from './config.ts';
export * from './glob.ts';
export * from './load.ts';
export * from './match.ts';
export * from './mute-command.ts';
export * from './parse.ts';
export * from './safe-pattern.ts';
