/**
 * The `sagewatch mute` command an alert shows, so that whoever reads it can silence it in one paste.
 */
import type { OperatorRulesSource } from './config.ts';

/** How long the suggested mute lasts: long enough to fix the cause, short enough to come back. */
export const SUGGESTED_MUTE_DAYS = 7;

/** Where `sagewatch mute` writes: the SSM parameter the processor reads, or a rules file. */
export type MuteDestination = { parameter: string } | { file: string };

/** Quotes a shell word when it needs it (parameter names and paths rarely do). */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that mutes one fingerprint for {@link SUGGESTED_MUTE_DAYS} days from `nowMs`.
 *
 * @example
 * toMuteCommand('3f2a9c4d1e8b7a60', Date.parse('2026-12-04T10:00Z'), { parameter: '/sagewatch/prod/rules' })
 * // 'sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 2026-12-11 --parameter /sagewatch/prod/rules'
 */
export function toMuteCommand(fingerprint: string, nowMs: number, target: MuteDestination): string {
  const until = new Date(nowMs + SUGGESTED_MUTE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const where =
    'parameter' in target ? `--parameter ${shellWord(target.parameter)}` : `--file ${shellWord(target.file)}`;
  return `sagewatch mute --fingerprint ${shellWord(fingerprint)} --until ${until} ${where}`;
}

/** Where the mute command of an alert points: the rules' own source, or nowhere without one. */
export function toMuteDestination(source: OperatorRulesSource | undefined): MuteDestination | undefined {
  if (source === undefined) return undefined;
  return source.kind === 'parameter' ? { parameter: source.name } : { file: source.path };
}
