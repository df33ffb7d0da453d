/**
 * Assertions on the packaged CloudFormation template (`npm run package` writes it). Run through
 * `node scripts/check-template.ts`, after cfn-lint, with test/template/vitest.config.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// scripts/check-template.ts runs these tests on the default template and, through this variable, on
// the template packaged with --param="delivery=kinesis".
const TEMPLATE_PATH =
  process.env.SAGEWATCH_TEMPLATE ?? join(root, '.serverless', 'cloudformation-template-update-stack.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Resource {
  Type: string;
  Properties?: JsonObject;
  Condition?: string;
  DependsOn?: string | string[];
}

interface Parameter {
  Type: string;
  Default?: string | number;
  Description?: string;
}

interface Template {
  Parameters?: Record<string, Parameter>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json }>;
  Conditions?: Record<string, Json>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
}

interface Statement {
  Sid?: string;
  /** Set by {@link statementsOf} for a statement inside `Fn::If`: the condition it depends on. */
  OnlyIf?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: Json;
  Principal?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

interface FoundStatement {
  /** Logical id and property path, for failure messages. */
  where: string;
  /** identity: attached to a role; resource: a key, topic, queue or bucket policy. */
  kind: 'identity' | 'resource';
  resourceType: string;
  statement: Statement;
}

function loadTemplate(): Template {
  if (!existsSync(TEMPLATE_PATH)) {
    throw new Error(`${TEMPLATE_PATH} does not exist: run npm run package first`);
  }
  return JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as Template;
}

const template = loadTemplate();
const resources = Object.entries(template.Resources);

/**
 * Actions allowed on Resource "*" in an identity policy, each because the API has no resource-level
 * permissions (IAM then accepts only "*").
 */
const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'logs:DescribeLogGroups':
    'no resource-level permissions; subscribe-log-groups lists /aws/sagemaker/ by prefix',
  'sagemaker:ListEndpoints':
    'no resource-level permissions; the full reconcile of manage-endpoint-alarms lists every endpoint',
  'cloudwatch:GetMetricData':
    'no resource-level permissions; process-logs reads SageMaker metrics for alert context',
};

/** manage-endpoint-alarms refuses any other STAGE (lib/endpoint-alarms/config.ts). */
const STAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** The String message attributes process-logs puts on every incident (lib/incidents/to-sns-message.ts). */
// The attributes process-logs sets on every incident message (lib/processor/alert-messages.ts).
const INCIDENT_ATTRIBUTES = ['severity', 'resourceType', 'category', 'resourceName', 'format'] as const;

/** Incident severities, the values of the `severity` attribute. */
const INCIDENT_SEVERITIES = ['critical', 'error', 'warning'] as const;

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function ofType(type: string): [string, Resource][] {
  return resources.filter(([, resource]) => resource.Type === type);
}

function property(resource: Resource, name: string): Json | undefined {
  return resource.Properties?.[name];
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, if `value` is one. */
function referencedId(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

function isGetAtt(value: Json | undefined, logicalId: string, attribute: string): boolean {
  if (!isObject(value)) return false;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[0] === logicalId && getAtt[1] === attribute;
}

function statementsOf(document: Json | undefined): Statement[] {
  if (!isObject(document)) return [];
  // A statement may be `Fn::If: [condition, statement, AWS::NoValue]`: checked as the statement,
  // marked with the condition it depends on.
  return asArray(document.Statement as Json | Json[] | undefined).flatMap((entry): Statement[] => {
    const branches = isObject(entry) ? entry['Fn::If'] : undefined;
    if (!Array.isArray(branches)) return [entry as unknown as Statement];
    const [condition, ...values] = branches;
    return values
      .filter((value) => isObject(value) && value.Ref !== 'AWS::NoValue')
      .map((value) => ({ ...(value as unknown as Statement), OnlyIf: String(condition) }));
  });
}

function collectStatements(): FoundStatement[] {
  const found: FoundStatement[] = [];
  const add = (
    where: string,
    kind: FoundStatement['kind'],
    resourceType: string,
    document: Json | undefined,
  ) => {
    for (const statement of statementsOf(document)) found.push({ where, kind, resourceType, statement });
  };
  for (const [id, resource] of resources) {
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        for (const [index, policy] of asArray(
          property(resource, 'Policies') as Json[] | undefined,
        ).entries()) {
          if (isObject(policy))
            add(`${id}.Policies[${index}]`, 'identity', resource.Type, policy.PolicyDocument);
        }
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(id, 'identity', resource.Type, property(resource, 'PolicyDocument'));
        break;
      case 'AWS::KMS::Key':
        add(id, 'resource', resource.Type, property(resource, 'KeyPolicy'));
        break;
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::S3::BucketPolicy':
        add(id, 'resource', resource.Type, property(resource, 'PolicyDocument'));
        break;
    }
  }
  return found;
}

const statements = collectStatements();
const actionsOf = (statement: Statement): string[] => [
  ...asArray(statement.Action),
  ...asArray(statement.NotAction),
];
const label = (found: FoundStatement): string => `${found.where} ${JSON.stringify(found.statement)}`;

/** Replaces `${...}` in an Fn::Sub string with sample values, the way CloudFormation would. */
function substitute(text: string): string {
  const samples: Record<string, string> = {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    'AWS::Partition': 'aws',
    'AWS::StackName': 'sagewatch-dev',
  };
  return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const sample = samples[name];
    if (sample !== undefined) return sample;
    const parameter = template.Parameters?.[name];
    if (parameter !== undefined) return String(parameter.Default ?? '');
    const logicalId = name.split('.')[0] ?? name;
    if (template.Resources[logicalId] === undefined) throw new Error(`Fn::Sub refers to unknown \${${name}}`);
    return `sample-${name.replace('.', '-')}`;
  });
}

/** The logical ids of the rules with a target that invokes the function `functionId`. */
function rulesTargeting(functionId: string): [string, Resource][] {
  return ofType('AWS::Events::Rule').filter(([, rule]) =>
    asArray(property(rule, 'Targets') as Json[] | undefined).some(
      (target) => isObject(target) && isGetAtt(target.Arn, functionId, 'Arn'),
    ),
  );
}

/** The identity-policy statements of role `roleId` that allow `action`. */
function roleStatementsAllowing(roleId: string, action: string): Statement[] {
  return statements
    .filter((found) => found.kind === 'identity' && found.where.startsWith(`${roleId}.`))
    .map((found) => found.statement)
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));
}

/** Every key a filter policy matches on, through `$or` branches and nested objects. */
function filterPolicyKeys(policy: Json | undefined): string[] {
  if (Array.isArray(policy)) return policy.flatMap(filterPolicyKeys);
  if (!isObject(policy)) return [];
  return Object.entries(policy).flatMap(([key, value]) => (key === '$or' ? filterPolicyKeys(value) : [key]));
}

function alertsTopicId(): string {
  const topics = ofType('AWS::SNS::Topic');
  expect(topics, 'exactly one SNS topic (the alerts topic)').toHaveLength(1);
  const [id] = topics[0] ?? [];
  return id ?? '';
}

describe('IAM and resource policies', () => {
  it('finds the policies it checks', () => {
    expect(statements.filter((s) => s.kind === 'identity').length).toBeGreaterThan(0);
    expect(statements.filter((s) => s.kind === 'resource').length).toBeGreaterThan(0);
  });

  it('never allows or denies every action ("*"), nor allows with NotAction', () => {
    for (const found of statements) {
      expect(actionsOf(found.statement), label(found)).not.toContain('*');
      if (found.statement.Effect === 'Allow') expect(found.statement.NotAction, label(found)).toBeUndefined();
    }
  });

  it('grants no service-wide wildcard (service:*) except the key policy statement that enables IAM', () => {
    for (const found of statements.filter((s) => s.statement.Effect === 'Allow')) {
      const wildcards = actionsOf(found.statement).filter((action) => /^[^:]+:\*$/.test(action));
      if (wildcards.length === 0) continue;
      // The standard first statement of a key policy: the account root gets kms:* so IAM policies apply.
      expect(found.resourceType, label(found)).toBe('AWS::KMS::Key');
      expect(wildcards, label(found)).toEqual(['kms:*']);
      expect(JSON.stringify(found.statement.Principal), label(found)).toContain(':root');
    }
  });

  it('uses Resource "*" in role policies only for actions that allow nothing else', () => {
    for (const found of statements.filter((s) => s.kind === 'identity')) {
      if (!asArray(found.statement.Resource as Json | Json[] | undefined).includes('*')) continue;
      for (const action of actionsOf(found.statement)) {
        expect(STAR_RESOURCE_ACTIONS[action], `${action} on Resource "*" in ${label(found)}`).toBeDefined();
      }
    }
  });

  it('limits every AWS service granted by a resource policy to this account', () => {
    for (const found of statements.filter((s) => s.kind === 'resource' && s.statement.Effect === 'Allow')) {
      const principal = found.statement.Principal;
      if (!isObject(principal) || principal.Service === undefined) continue;
      const conditionKeys = Object.values(found.statement.Condition ?? {}).flatMap((block) =>
        Object.keys(block),
      );
      expect(
        conditionKeys.some((key) => key === 'aws:SourceAccount' || key === 'aws:SourceArn'),
        label(found),
      ).toBe(true);
    }
  });
});

describe('retention of SageMaker log groups', () => {
  it('grants logs:PutRetentionPolicy only in a policy that exists when a retention is set', () => {
    const granting = statements.filter(
      (found) => found.kind === 'identity' && actionsOf(found.statement).includes('logs:PutRetentionPolicy'),
    );
    expect(granting.map((found) => found.where)).toEqual(['SubscribeLogGroupsRetentionPolicy']);
    const policy = template.Resources.SubscribeLogGroupsRetentionPolicy;
    expect(policy?.Condition).toBe('HasSageMakerLogRetention');
    expect(policy === undefined ? undefined : property(policy, 'Roles')).toEqual([
      { Ref: 'SubscribeLogGroupsRole' },
    ]);
    expect(template.Conditions?.HasSageMakerLogRetention).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SageMakerLogRetentionDays' }, '0'] }],
    });
    expect(template.Parameters?.SageMakerLogRetentionDays?.Default).toBe('0');
    const resource = granting[0]?.statement.Resource;
    expect(
      isObject(resource ?? null) ? substitute(String((resource as JsonObject)['Fn::Sub'])) : resource,
    ).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/*');
  });

  it('subscribes existing groups only once that permission exists, when it does', () => {
    const onDeploy = template.Resources.SubscribeLogGroupsOnDeploy;
    expect(onDeploy === undefined ? undefined : property(onDeploy, 'RetentionPolicy')).toEqual({
      'Fn::If': ['HasSageMakerLogRetention', { Ref: 'SubscribeLogGroupsRetentionPolicy' }, ''],
    });
  });
});

describe('encryption', () => {
  it("encrypts the alerts topic with the stack's own customer managed key, rotated yearly", () => {
    const [, topic] = ofType('AWS::SNS::Topic')[0] ?? [];
    const keyId = referencedId(topic === undefined ? undefined : property(topic, 'KmsMasterKeyId'));
    expect(keyId, 'KmsMasterKeyId must reference a key of this template, not alias/aws/sns').toBeDefined();
    const key = template.Resources[keyId ?? ''];
    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key === undefined ? undefined : property(key, 'EnableKeyRotation')).toBe(true);
  });

  it('encrypts every queue and keeps messages 14 days', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, queue] of queues) {
      const encrypted =
        property(queue, 'SqsManagedSseEnabled') === true || property(queue, 'KmsMasterKeyId') !== undefined;
      expect(encrypted, id).toBe(true);
      expect(property(queue, 'MessageRetentionPeriod'), id).toBe(1209600);
    }
  });

  it("encrypts the process-logs dead-letter queue (raw payloads) with the stack's key, which process-logs may use", () => {
    const queue = template.Resources.ProcessLogsDeadLetterQueue;
    expect(queue?.Type).toBe('AWS::SQS::Queue');
    const keyId = referencedId(queue === undefined ? undefined : property(queue, 'KmsMasterKeyId'));
    expect(template.Resources[keyId ?? '']?.Type, 'a customer managed key of this template').toBe(
      'AWS::KMS::Key',
    );
    expect(queue === undefined ? undefined : property(queue, 'SqsManagedSseEnabled')).toBeUndefined();
    // The OnFailure destination sends with the function's role: it needs the key for SSE-KMS.
    const role =
      referencedId(property(template.Resources[functionId('process-logs')] ?? { Type: '' }, 'Role')) ?? '';
    expect(role).not.toBe('');
    expect(roleStatementsAllowing(role, 'sqs:SendMessage').length).toBeGreaterThan(0);
    for (const action of ['kms:GenerateDataKey*', 'kms:Decrypt']) {
      const allowing = roleStatementsAllowing(role, action);
      expect(
        allowing.some((statement) => referencedId(statement.Resource as Json) === keyId),
        action,
      ).toBe(true);
    }
    const keyStatements = statements.filter((found) => found.where === keyId).map((found) => found.statement);
    expect(keyStatements.some((statement) => statement.Sid === 'EnableIamPolicies')).toBe(true);
  });

  it('refuses any request to the process-logs dead-letter queue without TLS', () => {
    const denies = statements
      .filter((found) => found.resourceType === 'AWS::SQS::QueuePolicy')
      .map((found) => found.statement)
      .filter(
        (statement) =>
          statement.Effect === 'Deny' &&
          isGetAtt(statement.Resource as Json, 'ProcessLogsDeadLetterQueue', 'Arn') &&
          statement.Principal === '*' &&
          asArray(statement.Action).includes('sqs:*'),
      );
    expect(denies).toHaveLength(1);
    expect(denies[0]?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('encrypts the suppression table, keyed by pk with a TTL on expiresAt', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] ?? [];
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

const functions = ofType('AWS::Lambda::Function');

/** The logical id of the function named `*-<name>`. */
function functionId(name: string): string {
  const match = functions.find(([, fn]) => String(property(fn, 'FunctionName')).endsWith(`-${name}`));
  if (match === undefined) throw new Error(`no function named *-${name}`);
  return match[0];
}

/** The environment variables of function `id`. */
function environmentOf(id: string): JsonObject {
  const environment = property(template.Resources[id] ?? { Type: '' }, 'Environment');
  return isObject(environment) && isObject(environment.Variables) ? environment.Variables : {};
}

describe('functions', () => {
  it('deploys the four sagewatch functions from their bundles', () => {
    const handlers = functions.map(([, fn]) => property(fn, 'Handler')).sort();
    expect(handlers).toEqual([
      'dist/manage-endpoint-alarms/index.handler',
      'dist/notify-slack/index.handler',
      'dist/process-logs/index.handler',
      'dist/subscribe-log-groups/index.handler',
    ]);
  });

  it('runs every function on nodejs24.x and arm64', () => {
    for (const [id, fn] of functions) {
      expect(property(fn, 'Runtime'), id).toBe('nodejs24.x');
      expect(property(fn, 'Architectures'), id).toEqual(['arm64']);
    }
  });

  it('gives every function a role of its own, defined in this template', () => {
    const roles = functions.map(([id, fn]) => {
      const role = referencedId(property(fn, 'Role'));
      expect(role, `${id} Role`).toBeDefined();
      expect(template.Resources[role ?? '']?.Type, `${id} Role`).toBe('AWS::IAM::Role');
      return role;
    });
    expect(new Set(roles).size).toBe(functions.length);
  });

  it("keeps every function's log group for a limited time", () => {
    const logGroups = ofType('AWS::Logs::LogGroup');
    for (const [id, fn] of functions) {
      const name = `/aws/lambda/${String(property(fn, 'FunctionName'))}`;
      const logGroup = logGroups.find(([, group]) => property(group, 'LogGroupName') === name);
      expect(logGroup, `log group ${name} of ${id}`).toBeDefined();
      expect(logGroup?.[1].Properties?.RetentionInDays, name).toBeDefined();
    }
  });

  it('sends failed asynchronous invocations of every function to an alarmed dead-letter queue', () => {
    const topic = alertsTopicId();
    for (const [id] of functions) {
      const config = ofType('AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => referencedId(property(c, 'FunctionName')) === id,
      );
      expect(config, `EventInvokeConfig of ${id}`).toBeDefined();
      const properties = config?.[1].Properties ?? {};
      const destination = isObject(properties.DestinationConfig) ? properties.DestinationConfig : {};
      const onFailure = isObject(destination.OnFailure) ? destination.OnFailure.Destination : undefined;
      const queueId = referencedId(onFailure);
      expect(queueId !== undefined && isGetAtt(onFailure, queueId, 'Arn'), `${id} OnFailure`).toBe(true);
      expect(template.Resources[queueId ?? '']?.Type, `${id} OnFailure`).toBe('AWS::SQS::Queue');
      expect(properties.MaximumRetryAttempts, id).toBeLessThanOrEqual(2);

      const alarm = ofType('AWS::CloudWatch::Alarm').find(([, a]) => {
        const dimensions = asArray(property(a, 'Dimensions') as Json[] | undefined);
        return (
          property(a, 'Namespace') === 'AWS/SQS' &&
          property(a, 'MetricName') === 'ApproximateNumberOfMessagesVisible' &&
          dimensions.some((d) => isObject(d) && isGetAtt(d.Value, queueId ?? '', 'QueueName'))
        );
      });
      expect(alarm, `alarm on the dead-letter queue ${queueId}`).toBeDefined();
      expect(alarm?.[1].Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(asArray(property(alarm?.[1] ?? { Type: '' }, 'AlarmActions') as Json[])).toContainEqual({
        Ref: topic,
      });
    }
  });

  it('gives process-logs JSON logs without platform lines, its application level never above INFO (EMF passes)', () => {
    expect(template.Resources[functionId('process-logs')]?.Properties?.LoggingConfig).toEqual({
      LogFormat: 'JSON',
      SystemLogLevel: 'WARN',
      ApplicationLogLevel: { 'Fn::If': ['IsDebugLogLevel', 'DEBUG', 'INFO'] },
    });
  });

  it('retries process-logs deliveries twice and keeps them up to 6 hours', () => {
    const processLogs = functionId('process-logs');
    const [, config] =
      ofType('AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => referencedId(property(c, 'FunctionName')) === processLogs,
      ) ?? [];
    expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
  });

  it('flushes held tracebacks through a KMS-encrypted queue that triggers process-logs (partial batch failures)', () => {
    const processLogs = functionId('process-logs');
    const queues = ofType('AWS::SQS::Queue').filter(([, q]) =>
      String(property(q, 'QueueName')).endsWith('-flush'),
    );
    expect(queues).toHaveLength(1);
    const [queueId, queue] = queues[0] ?? ['', { Type: '' }];
    // The stack's own key (the alerts key), not SQS-managed encryption.
    const keyId = referencedId(property(queue, 'KmsMasterKeyId'));
    expect(template.Resources[keyId ?? '']?.Type).toBe('AWS::KMS::Key');
    expect(property(queue, 'VisibilityTimeout')).toBeGreaterThanOrEqual(6 * 60);
    const redrive = property(queue, 'RedrivePolicy');
    expect(isObject(redrive) && referencedId(redrive.deadLetterTargetArn)).toBe('ProcessLogsDeadLetterQueue');

    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      isGetAtt(property(m, 'EventSourceArn'), queueId, 'Arn'),
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] ?? ['', { Type: '' }];
    expect(referencedId(property(mapping, 'FunctionName'))).toBe(processLogs);
    expect(property(mapping, 'FunctionResponseTypes')).toEqual(['ReportBatchItemFailures']);
    expect(referencedId(environmentOf(processLogs).FLUSH_QUEUE_URL)).toBe(queueId);

    // Least privilege: the queue actions on this queue only, and the key it is encrypted with.
    const role = referencedId(property(template.Resources[processLogs] ?? { Type: '' }, 'Role')) ?? '';
    for (const action of [
      'sqs:SendMessage',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ]) {
      const allowing = roleStatementsAllowing(role, action);
      expect(allowing.length, action).toBeGreaterThan(0);
      for (const statement of allowing) {
        const resources = asArray(statement.Resource as Json);
        expect(
          resources.every((r) =>
            // DeliveryFailuresQueue: the delivery stream's on-failure destination (delivery=kinesis).
            ['FlushQueue', 'ProcessLogsDeadLetterQueue', 'DeliveryFailuresQueue'].includes(
              referencedId(r) ?? '',
            ),
          ),
          action,
        ).toBe(true);
      }
    }
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey*']) {
      expect(
        roleStatementsAllowing(role, action).some(
          (statement) => referencedId(statement.Resource as Json) === keyId,
        ),
        action,
      ).toBe(true);
    }
  });

  it('lets CloudWatch Logs invoke process-logs through one permission for /aws/sagemaker/* of this account', () => {
    const processLogs = functionId('process-logs');
    const logsPermissions = ofType('AWS::Lambda::Permission').filter(
      ([, p]) =>
        typeof property(p, 'Principal') === 'string' && String(property(p, 'Principal')).startsWith('logs.'),
    );
    expect(logsPermissions).toHaveLength(1);
    const [, permission] = logsPermissions[0] ?? [];
    expect(permission?.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [processLogs, 'Arn'] },
      Principal: 'logs.amazonaws.com',
      SourceArn: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
        'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/*:*',
      },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('subscribes existing log groups during the deploy, once the logs permission exists', () => {
    const custom = resources.filter(([, r]) => r.Type === 'Custom::SubscribeLogGroups');
    expect(custom).toHaveLength(1);
    const [id, resource] = custom[0] ?? ['', { Type: '' }];
    expect(isGetAtt(property(resource, 'ServiceToken'), functionId('subscribe-log-groups'), 'Arn'), id).toBe(
      true,
    );
    const [permissionId] =
      ofType('AWS::Lambda::Permission').find(([, p]) => property(p, 'Principal') === 'logs.amazonaws.com') ??
      [];
    expect(asArray(resource.DependsOn)).toContain(permissionId);
  });

  it('gives subscribe-log-groups the Lambda maximum of 900 s (a run stops itself 30 s before)', () => {
    const [, fn] = functions.find(([id]) => id === functionId('subscribe-log-groups')) ?? [];
    expect(fn === undefined ? undefined : property(fn, 'Timeout')).toBe(900);
  });

  it('reconciles subscriptions and endpoint alarms on the ReconcileSchedule', () => {
    for (const name of ['subscribe-log-groups', 'manage-endpoint-alarms']) {
      const scheduled = rulesTargeting(functionId(name)).filter(([, rule]) =>
        isObject(property(rule, 'ScheduleExpression')),
      );
      expect(scheduled, name).toHaveLength(1);
      expect(property(scheduled[0]?.[1] ?? { Type: '' }, 'ScheduleExpression'), name).toEqual({
        Ref: 'ReconcileSchedule',
      });
    }
  });

  it('lets each rule invoke the functions it targets', () => {
    const rules = ofType('AWS::Events::Rule');
    for (const [ruleId, rule] of rules) {
      for (const target of asArray(property(rule, 'Targets') as Json[] | undefined)) {
        const targetId = isObject(target) ? referencedId(target.Arn) : undefined;
        if (template.Resources[targetId ?? '']?.Type !== 'AWS::Lambda::Function') continue;
        const permission = ofType('AWS::Lambda::Permission').find(
          ([, p]) =>
            isGetAtt(property(p, 'FunctionName'), targetId ?? '', 'Arn') &&
            property(p, 'Principal') === 'events.amazonaws.com' &&
            isGetAtt(property(p, 'SourceArn'), ruleId, 'Arn'),
        );
        expect(permission, `permission for ${ruleId} to invoke ${targetId}`).toBeDefined();
      }
    }
  });

  it('lets every rule write its undeliverable events to its dead-letter queue (queue policy)', () => {
    for (const [ruleId, rule] of ofType('AWS::Events::Rule')) {
      for (const target of asArray(property(rule, 'Targets') as Json[] | undefined)) {
        const queueId =
          isObject(target) && isObject(target.DeadLetterConfig)
            ? referencedId(target.DeadLetterConfig.Arn)
            : undefined;
        const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
          asArray(property(p, 'Queues') as Json[] | undefined).some((q) => referencedId(q) === queueId),
        );
        const allowed = policies.some(([, policy]) =>
          statementsOf(property(policy, 'PolicyDocument')).some((statement) => {
            const principal = statement.Principal;
            const sourceArns = asArray(statement.Condition?.ArnEquals?.['aws:SourceArn'] as Json | Json[]);
            return (
              statement.Effect === 'Allow' &&
              isObject(principal) &&
              principal.Service === 'events.amazonaws.com' &&
              sourceArns.some((arn) => isGetAtt(arn, ruleId, 'Arn'))
            );
          }),
        );
        expect(allowed, `${queueId} policy allows ${ruleId}`).toBe(true);
      }
    }
  });

  it("deletes the rules that invoke a custom resource's function before that resource's Delete runs", () => {
    const customResources = resources.filter(([, r]) => r.Type.startsWith('Custom::'));
    expect(customResources.length).toBeGreaterThanOrEqual(2);
    for (const [customId, custom] of customResources) {
      const serviceToken = property(custom, 'ServiceToken');
      const targetId = referencedId(serviceToken) ?? '';
      expect(isGetAtt(serviceToken, targetId, 'Arn'), `${customId} ServiceToken`).toBe(true);
      const rules = rulesTargeting(targetId);
      expect(rules.length, `rules invoking ${targetId}`).toBeGreaterThan(0);
      for (const [ruleId, rule] of rules) expect(asArray(rule.DependsOn), ruleId).toContain(customId);
    }
  });

  it('keeps undeliverable EventBridge events in a dead-letter queue', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const [id, rule] of rules) {
      for (const target of asArray(property(rule, 'Targets') as Json[] | undefined)) {
        expect(isObject(target) && isObject(target.DeadLetterConfig), `${id} target`).toBe(true);
      }
    }
  });
});

describe('alert context (process-logs)', () => {
  const id = functionId('process-logs');
  const roleId = referencedId(property(template.Resources[id] ?? { Type: '' }, 'Role')) ?? '';
  const READS = [
    'cloudwatch:GetMetricData',
    'sagemaker:DescribeTrainingJob',
    'sagemaker:DescribeProcessingJob',
    'sagemaker:DescribeTransformJob',
    'sagemaker:DescribeEndpoint',
    'dynamodb:GetItem',
  ];

  it('is switched by the AlertContext parameter (default true), passed as ALERT_CONTEXT', () => {
    expect(template.Parameters?.AlertContext).toMatchObject({
      Default: 'true',
      AllowedValues: ['true', 'false'],
    });
    expect(template.Conditions?.HasAlertContext).toEqual({ 'Fn::Equals': [{ Ref: 'AlertContext' }, 'true'] });
    expect(environmentOf(id).ALERT_CONTEXT).toEqual({ Ref: 'AlertContext' });
  });

  it('may read only while it is on: each read action in exactly one statement under HasAlertContext', () => {
    for (const action of READS) {
      const allowing = roleStatementsAllowing(roleId, action);
      expect(allowing, action).toHaveLength(1);
      expect(allowing[0]?.OnlyIf, action).toBe('HasAlertContext');
    }
  });

  it('reads metrics on "*" (no resource-level permissions) and describes only this account\'s jobs and endpoints', () => {
    expect(roleStatementsAllowing(roleId, 'cloudwatch:GetMetricData')[0]?.Resource).toBe('*');
    const describe = roleStatementsAllowing(roleId, 'sagemaker:DescribeTrainingJob')[0];
    expect(actionsOf(describe as Statement).sort()).toEqual(
      READS.filter((a) => a.startsWith('sagemaker:')).sort(),
    );
    const arns = asArray(describe?.Resource as Json | Json[] | undefined).map((arn) =>
      substitute(String(isObject(arn) ? arn['Fn::Sub'] : arn)),
    );
    expect(arns).toEqual(
      ['training-job', 'processing-job', 'transform-job', 'endpoint'].map(
        (kind) => `arn:aws:sagemaker:us-east-1:123456789012:${kind}/*`,
      ),
    );
    const getItem = roleStatementsAllowing(roleId, 'dynamodb:GetItem')[0];
    expect(isGetAtt(getItem?.Resource, 'SuppressionTable', 'Arn')).toBe(true);
  });

  it('makes no other action of process-logs depend on the parameter', () => {
    const conditional = statements.filter(
      (found) => found.where.startsWith(`${roleId}.`) && found.statement.OnlyIf === 'HasAlertContext',
    );
    expect(conditional.flatMap((found) => actionsOf(found.statement)).sort()).toEqual([...READS].sort());
  });
});

describe('per-endpoint alarms (manage-endpoint-alarms)', () => {
  const id = functionId('manage-endpoint-alarms');
  const environment = environmentOf(id);
  const stage = String(environment.STAGE);

  it('runs with a STAGE it accepts, the metrics namespace and the alerts topic', () => {
    expect(stage).toMatch(STAGE_PATTERN);
    expect(environment.METRICS_NAMESPACE).toEqual({ Ref: 'MetricsNamespace' });
    expect(environment.ALERTS_TOPIC_ARN).toEqual({ Ref: alertsTopicId() });
  });

  it('may write only the alarms named sagewatch-<STAGE>/..., never the stack’s own alarms', () => {
    const roleId = referencedId(property(template.Resources[id] ?? { Type: '' }, 'Role')) ?? '';
    for (const action of [
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:DeleteAlarms',
      'cloudwatch:TagResource',
      'cloudwatch:ListTagsForResource',
    ]) {
      const allowing = roleStatementsAllowing(roleId, action);
      expect(allowing, action).toHaveLength(1);
      expect(allowing[0]?.Resource, action).toEqual({
        'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:sagewatch-${stage}/*`,
      });
    }
    for (const [alarmId, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(String(property(alarm, 'AlarmName')), alarmId).not.toMatch(new RegExp(`^sagewatch-${stage}/`));
    }
  });

  it('may list every endpoint (full reconcile) and describe endpoints and their configs', () => {
    const roleId = referencedId(property(template.Resources[id] ?? { Type: '' }, 'Role')) ?? '';
    for (const action of [
      'sagemaker:ListEndpoints',
      'sagemaker:DescribeEndpoint',
      'sagemaker:DescribeEndpointConfig',
    ]) {
      expect(roleStatementsAllowing(roleId, action), action).toHaveLength(1);
    }
  });

  it('syncs every endpoint at deploy and removes every alarm with the stack (custom resource)', () => {
    const custom = resources.filter(([, r]) => r.Type === 'Custom::ManageEndpointAlarms');
    expect(custom).toHaveLength(1);
    const [, resource] = custom[0] ?? ['', { Type: '' }];
    expect(isGetAtt(property(resource, 'ServiceToken'), id, 'Arn')).toBe(true);
    // Its properties mirror the alarm settings, so changing one re-syncs during that deploy.
    for (const name of [
      'EndpointAlarms',
      'AlarmModelLatencyP99Ms',
      'Alarm5xxThreshold',
      'AlarmErrorEventsThreshold',
    ]) {
      expect(Object.values(resource.Properties ?? {}), name).toContainEqual({ Ref: name });
    }
  });

  it('follows SageMaker endpoint state changes', () => {
    const patterns = rulesTargeting(id).map(([, rule]) => property(rule, 'EventPattern'));
    expect(patterns).toContainEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Endpoint State Change'],
    });
  });
});

describe('alert subscriptions', () => {
  it('filters email and Slack on the incident message attributes, letting attribute-less alarm notifications through', () => {
    const subscriptions = ofType('AWS::SNS::Subscription').filter(
      ([, s]) => property(s, 'FilterPolicy') !== undefined,
    );
    expect(subscriptions.map(([, s]) => property(s, 'Protocol')).sort()).toEqual(['email', 'lambda']);
    for (const [subscriptionId, subscription] of subscriptions) {
      expect(property(subscription, 'FilterPolicyScope'), subscriptionId).toBe('MessageAttributes');
      const policy = property(subscription, 'FilterPolicy');
      const keys = filterPolicyKeys(policy);
      expect(keys, subscriptionId).toContain('severity');
      for (const key of keys) expect(INCIDENT_ATTRIBUTES, `${subscriptionId} key ${key}`).toContain(key);
      expect(JSON.stringify(policy), subscriptionId).toContain('{"severity":[{"exists":false}]}');
      // Each subscriber takes exactly one rendering of an incident: email the text, Slack the JSON.
      const wanted = property(subscription, 'Protocol') === 'email' ? 'text' : 'json';
      expect(JSON.stringify(policy), subscriptionId).toContain(`"format":["${wanted}"]`);
    }
  });

  it('maps each minimum severity to itself and every worse incident severity', () => {
    const atLeast = template.Mappings?.SeverityAtLeast ?? {};
    expect(Object.keys(atLeast).sort()).toEqual([...INCIDENT_SEVERITIES].sort());
    INCIDENT_SEVERITIES.forEach((severity, rank) => {
      expect(atLeast[severity]?.Values, severity).toEqual(INCIDENT_SEVERITIES.slice(0, rank + 1));
    });
  });
});

describe('alarms and dashboard', () => {
  it('sends every alarm to the alerts topic', () => {
    const topic = alertsTopicId();
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms) {
      expect(asArray(property(alarm, 'AlarmActions') as Json[]), id).toContainEqual({ Ref: topic });
    }
  });

  it("alarms on the processor's EMF errors, subscription failures and failed SNS deliveries", () => {
    const watched = ofType('AWS::CloudWatch::Alarm').map(([, a]) =>
      [
        property(a, 'Namespace'),
        property(a, 'MetricName'),
        JSON.stringify(property(a, 'Metrics') ?? ''),
      ].join(' '),
    );
    for (const expected of [
      'AWS/Logs EMFValidationErrors',
      'AWS/Logs EMFParsingErrors',
      'AWS/SNS NumberOfNotificationsFailed',
    ]) {
      expect(
        watched.some((w) => w.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    expect(watched.some((w) => w.includes('SubscriptionsFailed'))).toBe(true);
  });

  it('has a dashboard whose body is valid JSON once substituted, with searches for new jobs and endpoints', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = property(dashboards[0]?.[1] ?? { Type: '' }, 'DashboardBody');
    const source = isObject(body) ? body['Fn::Sub'] : body;
    expect(typeof source, 'DashboardBody is a string or an Fn::Sub string').toBe('string');
    const parsed = JSON.parse(substitute(String(source))) as {
      widgets: { type: string; properties: JsonObject }[];
    };
    expect(parsed.widgets.length).toBeGreaterThan(0);
    for (const widget of parsed.widgets.filter((w) => w.type === 'metric')) {
      expect(widget.properties.region, String(widget.properties.title)).toBe('us-east-1');
    }
    const text = JSON.stringify(parsed);
    expect(text).toContain('SEARCH(');
    const metrics = [
      'LogEvents',
      'ErrorEvents',
      'ErrorCategory',
      'ContainerHttp5XX',
      'ContainerRequestLatency',
      'Incidents',
      'IncidentsSuppressed',
      'IncidentsMuted',
      'loss',
      'Invocations',
      'Invocation5XXErrors',
      'ModelLatency',
      'CPUUtilization',
      'GPUUtilization',
      'MemoryUtilization',
    ];
    for (const metric of metrics) expect(text, metric).toContain(metric);
  });
});

describe('parameters and outputs', () => {
  it('describes every parameter and gives it a default', () => {
    const parameters = Object.entries(template.Parameters ?? {});
    expect(parameters.length).toBeGreaterThan(0);
    for (const [name, parameter] of parameters) {
      expect(parameter.Description, name).toBeTruthy();
      expect(parameter.Default, name).toBeDefined();
    }
  });

  it('outputs the topic ARN, the dashboard URL, the dead-letter queue URLs and the table name', () => {
    const outputs = Object.keys(template.Outputs ?? {});
    for (const name of [
      'AlertsTopicArn',
      'DashboardUrl',
      'ProcessLogsDeadLetterQueueUrl',
      'SuppressionTableName',
      'FlushQueueUrl',
    ]) {
      expect(outputs).toContain(name);
    }
  });
});

describe('EMF value counts (process-logs)', () => {
  it('is switched by the EmfValueCounts parameter (default true), passed as EMF_VALUE_COUNTS', () => {
    expect(template.Parameters?.EmfValueCounts).toMatchObject({
      Default: 'true',
      AllowedValues: ['true', 'false'],
    });
    expect(environmentOf(functionId('process-logs')).EMF_VALUE_COUNTS).toEqual({ Ref: 'EmfValueCounts' });
  });
});

describe('operator rules (infra/operator-rules.yml)', () => {
  const SSM_ARN = `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter`;
  const sub = (value: Json | undefined): string | undefined =>
    isObject(value) && typeof value['Fn::Sub'] === 'string' ? value['Fn::Sub'] : undefined;
  const policy = (id: string) => {
    const resource = template.Resources[id];
    expect(resource?.Type, id).toBe('AWS::IAM::Policy');
    return {
      resource: resource as Resource,
      statements: statementsOf(property(resource as Resource, 'PolicyDocument')),
    };
  };

  it('gives process-logs the rules document and route settings, and notify-slack where mutes go', () => {
    const processLogs = environmentOf(functionId('process-logs'));
    expect(processLogs.OPERATOR_RULES_PARAMETER).toEqual({ Ref: 'OperatorRulesParameter' });
    expect(processLogs.OPERATOR_RULES_FILE).toEqual({ Ref: 'OperatorRulesFile' });
    expect(processLogs.ROUTE_WEBHOOK_PATH).toEqual({ Ref: 'RouteWebhookPath' });
    const notifySlack = environmentOf(functionId('notify-slack'));
    expect(notifySlack.OPERATOR_RULES_PARAMETER).toEqual({ Ref: 'OperatorRulesParameter' });
    for (const name of ['OperatorRulesParameter', 'OperatorRulesFile', 'RouteWebhookPath']) {
      expect(template.Parameters?.[name]?.Default, name).toBe('');
    }
  });

  it('lets process-logs read the one rules parameter, decrypting only through SSM for it, when it is set', () => {
    const { resource, statements: found } = policy('ProcessLogsOperatorRulesPolicy');
    expect(resource.Condition).toBe('HasOperatorRulesParameter');
    expect(property(resource, 'Roles')).toEqual([{ Ref: 'ProcessLogsRole' }]);
    const [read, decrypt] = found;
    expect(read).toMatchObject({ Effect: 'Allow', Action: 'ssm:GetParameter' });
    expect(sub(read?.Resource)).toBe(`${SSM_ARN}\${OperatorRulesParameter}`);
    expect(decrypt).toMatchObject({ Effect: 'Allow', Action: 'kms:Decrypt' });
    expect(sub(decrypt?.Condition?.StringEquals?.['kms:ViaService'])).toBe(
      `ssm.\${AWS::Region}.amazonaws.com`,
    );
    expect(sub(decrypt?.Condition?.StringEquals?.['kms:EncryptionContext:PARAMETER_ARN'])).toBe(
      `${SSM_ARN}\${OperatorRulesParameter}`,
    );
    expect(found).toHaveLength(2);
  });

  it("lets process-logs read the routes' webhook SecureStrings under RouteWebhookPath only, and alarms on failed route posts", () => {
    const { resource, statements: found } = policy('ProcessLogsRouteWebhooksPolicy');
    expect(resource.Condition).toBe('HasRouteWebhookPath');
    expect(property(resource, 'Roles')).toEqual([{ Ref: 'ProcessLogsRole' }]);
    const [read, decrypt] = found;
    expect(read).toMatchObject({ Effect: 'Allow', Action: 'ssm:GetParameter' });
    expect(sub(read?.Resource)).toBe(`${SSM_ARN}\${RouteWebhookPath}*`);
    expect(sub(decrypt?.Condition?.StringEquals?.['kms:ViaService'])).toBe(
      `ssm.\${AWS::Region}.amazonaws.com`,
    );
    expect(sub(decrypt?.Condition?.StringLike?.['kms:EncryptionContext:PARAMETER_ARN'])).toBe(
      `${SSM_ARN}\${RouteWebhookPath}*`,
    );
    expect(template.Parameters?.RouteWebhookPath).toMatchObject({ Type: 'String' });

    const alarm = template.Resources.ProcessLogsRouteFailuresAlarm as Resource;
    expect(alarm.Condition).toBe('HasRouteWebhookPath');
    expect(property(alarm, 'MetricName')).toBe('RouteDeliveryFailures');
    expect(property(alarm, 'Namespace')).toEqual({ Ref: 'MetricsNamespace' });
    expect(property(alarm, 'AlarmActions')).toEqual([{ Ref: alertsTopicId() }]);
  });
});

describe('delivery through a Kinesis stream (infra/delivery-stream.yml)', () => {
  const processLogs = functionId('process-logs');
  const subscriber = functionId('subscribe-log-groups');
  const processRole = referencedId(property(template.Resources[processLogs] ?? { Type: '' }, 'Role')) ?? '';
  const subscriberRole = referencedId(property(template.Resources[subscriber] ?? { Type: '' }, 'Role')) ?? '';
  const KINESIS_RESOURCES = [
    'DeliveryStream',
    'DeliveryStreamWriterRole',
    'DeliveryStreamEventSourceMapping',
    'DeliveryFailuresQueue',
    'DeliveryFailuresAlarm',
    'UndecodableRecordsAlarm',
    'DeliveryIteratorAgeAlarm',
  ];
  const resource = (id: string): Resource => template.Resources[id] ?? { Type: '' };

  it('is chosen by the Delivery parameter (direct or kinesis), direct unless --param="delivery=kinesis"', () => {
    expect(template.Parameters?.Delivery).toMatchObject({ AllowedValues: ['direct', 'kinesis'] });
    expect(['direct', 'kinesis']).toContain(template.Parameters?.Delivery?.Default);
    if (process.env.SAGEWATCH_TEMPLATE === undefined)
      expect(template.Parameters?.Delivery?.Default).toBe('direct');
    expect(template.Conditions?.IsKinesisDelivery).toEqual({
      'Fn::Equals': [{ Ref: 'Delivery' }, 'kinesis'],
    });
  });

  it('creates the stream and everything around it only with delivery=kinesis; the direct path stays as it was', () => {
    for (const id of KINESIS_RESOURCES) expect(resource(id).Condition, id).toBe('IsKinesisDelivery');
    // The direct path does not depend on the parameter: the logs permission, the async retries and
    // the dead-letter queue are always there.
    expect(resource('ProcessLogsInvokePermissionForLogs').Condition).toBeUndefined();
    expect(resource('ProcessLogsDeadLetterQueue').Condition).toBeUndefined();
    const conditionOf = (value: Json | undefined) =>
      isObject(value) && Array.isArray(value['Fn::If']) ? value['Fn::If'] : undefined;
    const env = environmentOf(subscriber);
    expect(conditionOf(env.DELIVERY_STREAM_ARN)).toEqual([
      'IsKinesisDelivery',
      { 'Fn::GetAtt': ['DeliveryStream', 'Arn'] },
      '',
    ]);
    expect(conditionOf(env.DELIVERY_ROLE_ARN)).toEqual([
      'IsKinesisDelivery',
      { 'Fn::GetAtt': ['DeliveryStreamWriterRole', 'Arn'] },
      '',
    ]);
    // Switching the parameter sends the deploy-time custom resource an Update: a reconcile moves every filter.
    const onDeploy = resource('SubscribeLogGroupsOnDeploy');
    expect(conditionOf(property(onDeploy, 'DeliveryStreamArn'))?.[0]).toBe('IsKinesisDelivery');
    expect(conditionOf(property(onDeploy, 'DeliveryRoleArn'))?.[0]).toBe('IsKinesisDelivery');
  });

  it('encrypts the stream with the stack key, on demand unless shards are given, kept DeliveryStreamRetentionHours', () => {
    const stream = resource('DeliveryStream');
    expect(property(stream, 'StreamEncryption')).toEqual({
      EncryptionType: 'KMS',
      KeyId: { 'Fn::GetAtt': ['AlertsKey', 'Arn'] },
    });
    expect(property(stream, 'StreamModeDetails')).toEqual({
      StreamMode: { 'Fn::If': ['IsProvisionedDeliveryStream', 'PROVISIONED', 'ON_DEMAND'] },
    });
    expect(property(stream, 'RetentionPeriodHours')).toEqual({ Ref: 'DeliveryStreamRetentionHours' });
    expect(template.Parameters?.DeliveryStreamShards?.Default).toBe('0');
    expect(template.Parameters?.DeliveryStreamRetentionHours?.Default).toBe('24');
  });

  it('lets only CloudWatch Logs of this account and Region assume the writer role, which may only put records on the stream', () => {
    const role = resource('DeliveryStreamWriterRole');
    const trust = statementsOf(property(role, 'AssumeRolePolicyDocument'));
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Principal).toEqual({ Service: 'logs.amazonaws.com' });
    expect(trust[0]?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    const sourceArn = trust[0]?.Condition?.StringLike?.['aws:SourceArn'];
    expect(substitute(String(isObject(sourceArn) ? sourceArn['Fn::Sub'] : sourceArn))).toBe(
      'arn:aws:logs:us-east-1:123456789012:*',
    );
    const allowed = statements.filter((found) => found.where.startsWith('DeliveryStreamWriterRole.'));
    expect(allowed.flatMap((found) => actionsOf(found.statement)).sort()).toEqual([
      'kinesis:PutRecord',
      'kms:GenerateDataKey',
    ]);
    const put = roleStatementsAllowing('DeliveryStreamWriterRole', 'kinesis:PutRecord')[0];
    expect(isGetAtt(put?.Resource, 'DeliveryStream', 'Arn')).toBe(true);
    const key = roleStatementsAllowing('DeliveryStreamWriterRole', 'kms:GenerateDataKey')[0];
    expect(isGetAtt(key?.Resource, 'AlertsKey', 'Arn')).toBe(true);
    expect(Object.keys(key?.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
  });

  it('reads the stream into process-logs in batches, failures per record, bisected, bounded, with a pointer on failure', () => {
    const mapping = resource('DeliveryStreamEventSourceMapping');
    expect(isGetAtt(property(mapping, 'EventSourceArn'), 'DeliveryStream', 'Arn')).toBe(true);
    expect(referencedId(property(mapping, 'FunctionName'))).toBe(processLogs);
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: { Ref: 'DeliveryBatchSize' },
      MaximumBatchingWindowInSeconds: { Ref: 'DeliveryBatchWindowSeconds' },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeliveryFailuresQueue', 'Arn'] } } },
    });
    const queue = resource('DeliveryFailuresQueue');
    expect(referencedId(property(queue, 'KmsMasterKeyId'))).toBe('AlertsKey');
    const alarm = resource('DeliveryFailuresAlarm');
    expect(property(alarm, 'Dimensions')).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeliveryFailuresQueue', 'QueueName'] } },
    ]);
  });

  it('lets process-logs read the stream and write pointers only with delivery=kinesis, and the subscriber pass only the writer role to CloudWatch Logs', () => {
    const reads = [
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:DescribeStream',
      'kinesis:ListShards',
    ];
    for (const action of reads) {
      const allowing = roleStatementsAllowing(processRole, action);
      expect(allowing, action).toHaveLength(1);
      expect(allowing[0]?.OnlyIf, action).toBe('IsKinesisDelivery');
      expect(isGetAtt(allowing[0]?.Resource, 'DeliveryStream', 'Arn'), action).toBe(true);
    }
    const pointers = roleStatementsAllowing(processRole, 'sqs:SendMessage').filter(
      (statement) => statement.OnlyIf === 'IsKinesisDelivery',
    );
    expect(pointers.map((statement) => referencedId(statement.Resource))).toEqual(['DeliveryFailuresQueue']);
    const pass = roleStatementsAllowing(subscriberRole, 'iam:PassRole');
    expect(pass).toHaveLength(1);
    expect(pass[0]?.OnlyIf).toBe('IsKinesisDelivery');
    expect(isGetAtt(pass[0]?.Resource, 'DeliveryStreamWriterRole', 'Arn')).toBe(true);
    expect(pass[0]?.Condition?.StringEquals?.['iam:PassedToService']).toBe('logs.amazonaws.com');
  });
});
