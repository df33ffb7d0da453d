/**
 * The operator's rules document: custom classification rules, mutes and alert routes, as JSON.
 * Parsed and validated once (at cold start, or by the CLI before it uses a file); a bad entry fails
 * with an error that names where the document came from, the entry and the problem.
 */
import * as z from 'zod';
import { ConfigError } from '../errors.ts';
import {
  Categories,
  type Category,
  type ResourceType,
  ResourceTypes,
  Severities,
  type Severity,
} from '../types.ts';
import { compileGlob } from './glob.ts';
import { checkPatternSafety } from './safe-pattern.ts';

/** The document's version; another value is refused. */
export const OPERATOR_RULES_VERSION = 1;
/** Entries at most, per list: each is tried on every line or incident. */
export const MAX_OPERATOR_ENTRIES = 100;
/** The SNS message attributes every alert already carries; routes may not set them. */
export const RESERVED_ATTRIBUTES: readonly string[] = [
  'severity',
  'resourceType',
  'category',
  'resourceName',
  'format',
];
/**
 * Route attribute names at most, over all routes: SNS carries at most 10 message attributes and
 * every alert already has {@link RESERVED_ATTRIBUTES}.
 */
export const MAX_ROUTE_ATTRIBUTES = 10 - RESERVED_ATTRIBUTES.length;
/** Incident severities a route can start at. */
export const RouteSeverities = ['critical', 'error', 'warning'] as const;

/** SSM parameter names (or ARNs), as `notify-slack` accepts them. */
export const SSM_PARAMETER_NAME =
  /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?\/[A-Za-z0-9_.\-/]{1,2047}$/;

const Id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'letters, digits and _.- (at most 64, starting with a letter or digit)',
  );
const Glob = z.string().min(1).max(256);
const OneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

const RuleSchema = z.strictObject({
  id: Id,
  pattern: z.string(),
  ignoreCase: z.boolean().optional(),
  severity: z.enum(Severities),
  category: z.enum(Categories),
  scope: z
    .strictObject({
      resourceType: OneOrMany(z.enum(ResourceTypes)).optional(),
      resourceName: Glob.optional(),
      container: Glob.optional(),
    })
    .optional(),
  description: z.string().max(500).optional(),
});

const MuteSchema = z
  .strictObject({
    id: Id.optional(),
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{16}$/, '16 lower-case hex characters')
      .optional(),
    pattern: z.string().optional(),
    ignoreCase: z.boolean().optional(),
    resourceName: Glob.optional(),
    until: z
      .string()
      .refine(
        (value) =>
          /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
          !Number.isNaN(Date.parse(value)),
        {
          message: 'an ISO 8601 date or time, e.g. 2026-12-31 or 2026-12-31T18:00Z',
        },
      )
      .optional(),
    reason: z.string().max(500).optional(),
  })
  .refine((mute) => mute.fingerprint ?? mute.pattern ?? mute.resourceName, {
    message: 'a mute needs at least one of fingerprint, pattern, resourceName',
  });

const RouteSchema = z
  .strictObject({
    id: Id,
    resourceName: Glob.optional(),
    resourceType: OneOrMany(z.enum(ResourceTypes)).optional(),
    categories: z.array(z.enum(Categories)).min(1).optional(),
    minSeverity: z.enum(RouteSeverities).optional(),
    slack: z
      .array(z.string().regex(SSM_PARAMETER_NAME, 'an SSM parameter name starting with /, not a URL'))
      .max(5)
      .optional(),
    attributes: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'a message attribute name'),
        z.string().min(1).max(256),
      )
      .optional(),
  })
  .refine((route) => (route.slack?.length ?? 0) > 0 || Object.keys(route.attributes ?? {}).length > 0, {
    message: 'a route needs a destination: slack (SSM parameter names) and/or attributes',
  });

const DocumentSchema = z.strictObject({
  version: z.literal(OPERATOR_RULES_VERSION),
  rules: z.array(RuleSchema).max(MAX_OPERATOR_ENTRIES).optional(),
  mutes: z.array(MuteSchema).max(MAX_OPERATOR_ENTRIES).optional(),
  routes: z.array(RouteSchema).max(MAX_OPERATOR_ENTRIES).optional(),
});

/** The document as written (what `sagewatch mute` edits). */
export type OperatorRulesDocument = z.infer<typeof DocumentSchema>;
/** One mute as written. */
export type MuteEntry = z.infer<typeof MuteSchema>;

/** Where a rule, mute or route applies: every given field must match. */
export interface CompiledScope {
  resourceTypes?: ReadonlySet<ResourceType>;
  resourceName?: RegExp;
  container?: RegExp;
}

/** A custom classification rule, compiled. */
export interface CustomRule {
  id: string;
  /** Reported as the classification's `ruleId`: `custom/<id>`, never a built-in rule's id. */
  ruleId: string;
  pattern: RegExp;
  severity: Severity;
  category: Category;
  scope: CompiledScope;
}

/** A mute, compiled. */
export interface Mute {
  /** The entry's id, or `mutes[<index>]`. */
  id: string;
  fingerprint?: string;
  pattern?: RegExp;
  resourceName?: RegExp;
  /** Active while the time is before this (ms since the epoch); absent: until removed. */
  untilMs?: number;
}

/** An alert route, compiled. */
export interface Route {
  id: string;
  scope: CompiledScope;
  categories?: ReadonlySet<Category>;
  minSeverity?: (typeof RouteSeverities)[number];
  /** SSM parameter names of Slack incoming-webhook URLs. */
  slack: readonly string[];
  /** SNS message attributes added to the alert, for subscription filter policies. */
  attributes: Readonly<Record<string, string>>;
}

/** The operator's rules, ready to use. */
export interface OperatorRules {
  rules: readonly CustomRule[];
  mutes: readonly Mute[];
  routes: readonly Route[];
}

/** No operator rules: what the processor uses when none are configured. */
export const NO_OPERATOR_RULES: OperatorRules = { rules: [], mutes: [], routes: [] };

function describePath(document: unknown, path: readonly PropertyKey[]): string {
  let where = '';
  let node: unknown = document;
  for (const key of path) {
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = node && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      where += `[${key}]${typeof id === 'string' ? ` (id '${id.slice(0, 64)}')` : ''}`;
    } else where += where === '' ? String(key) : `.${String(key)}`;
  }
  return where === '' ? 'the document' : where;
}

function compilePattern(
  origin: string,
  where: string,
  source: string,
  ignoreCase: boolean | undefined,
): RegExp {
  const unsafe = checkPatternSafety(source, ignoreCase === true);
  if (unsafe) throw new ConfigError(origin, `${where}.pattern: ${unsafe}`);
  try {
    return new RegExp(source, ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ConfigError(origin, `${where}.pattern: ${(error as Error).message}`);
  }
}

function compileScope(scope: {
  resourceType?: ResourceType | ResourceType[] | undefined;
  resourceName?: string | undefined;
  container?: string | undefined;
}): CompiledScope {
  const compiled: CompiledScope = {};
  if (scope.resourceType !== undefined) {
    compiled.resourceTypes = new Set(
      Array.isArray(scope.resourceType) ? scope.resourceType : [scope.resourceType],
    );
  }
  if (scope.resourceName !== undefined) compiled.resourceName = compileGlob(scope.resourceName);
  if (scope.container !== undefined) compiled.container = compileGlob(scope.container);
  return compiled;
}

/**
 * Validates a parsed document (see docs/configuration.md) without compiling it.
 *
 * @param origin what to name in errors: the variable, option or file the document came from.
 * @throws {ConfigError} naming `origin`, the entry (index and id) and the problem.
 */
export function validateOperatorRules(document: unknown, origin: string): OperatorRulesDocument {
  const result = DocumentSchema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    throw new ConfigError(origin, `${describePath(document, issue.path)}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Parses, validates and compiles the operator's rules document (JSON text).
 *
 * @param origin what to name in errors: the variable, option or file the document came from.
 * @throws {ConfigError} naming `origin`, the entry (index and id) and the problem.
 */
export function parseOperatorRules(json: string, origin: string): OperatorRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(origin, `is not valid JSON: ${(error as Error).message}`);
  }
  return compileOperatorRules(validateOperatorRules(parsed, origin), origin);
}

/** Compiles a validated document; pattern problems throw a {@link ConfigError} naming the entry. */
export function compileOperatorRules(document: OperatorRulesDocument, origin: string): OperatorRules {
  const seen = new Set<string>();
  const unique = (list: string, index: number, id: string) => {
    if (seen.has(`${list}:${id}`))
      throw new ConfigError(origin, `${list}[${index}] (id '${id}'): the id is used twice`);
    seen.add(`${list}:${id}`);
  };
  const rules = (document.rules ?? []).map((rule, index): CustomRule => {
    const where = `rules[${index}] (id '${rule.id}')`;
    unique('rules', index, rule.id);
    return {
      id: rule.id,
      ruleId: `custom/${rule.id}`,
      pattern: compilePattern(origin, where, rule.pattern, rule.ignoreCase),
      severity: rule.severity,
      category: rule.category,
      scope: compileScope(rule.scope ?? {}),
    };
  });
  const mutes = (document.mutes ?? []).map((mute, index): Mute => {
    const id = mute.id ?? `mutes[${index}]`;
    if (mute.id !== undefined) unique('mutes', index, mute.id);
    const compiled: Mute = { id };
    if (mute.fingerprint !== undefined) compiled.fingerprint = mute.fingerprint;
    if (mute.pattern !== undefined) {
      compiled.pattern = compilePattern(
        origin,
        `mutes[${index}]${mute.id ? ` (id '${mute.id}')` : ''}`,
        mute.pattern,
        mute.ignoreCase,
      );
    }
    if (mute.resourceName !== undefined) compiled.resourceName = compileGlob(mute.resourceName);
    if (mute.until !== undefined) compiled.untilMs = Date.parse(mute.until);
    return compiled;
  });
  const attributeNames = new Set<string>();
  const routes = (document.routes ?? []).map((route, index): Route => {
    const where = `routes[${index}] (id '${route.id}')`;
    unique('routes', index, route.id);
    for (const name of Object.keys(route.attributes ?? {})) {
      if (RESERVED_ATTRIBUTES.includes(name)) {
        throw new ConfigError(origin, `${where}.attributes.${name}: every alert already carries '${name}'`);
      }
      attributeNames.add(name);
    }
    if (attributeNames.size > MAX_ROUTE_ATTRIBUTES) {
      throw new ConfigError(
        origin,
        `${where}.attributes: routes name ${attributeNames.size} attributes in all, more than ${MAX_ROUTE_ATTRIBUTES} (SNS carries 10 per message, 5 are sagewatch's)`,
      );
    }
    const compiled: Route = {
      id: route.id,
      scope: compileScope({ resourceType: route.resourceType, resourceName: route.resourceName }),
      slack: route.slack ?? [],
      attributes: route.attributes ?? {},
    };
    if (route.categories) compiled.categories = new Set(route.categories);
    if (route.minSeverity) compiled.minSeverity = route.minSeverity;
    return compiled;
  });
  return { rules, mutes, routes };
}
