/**
 * Checks the packaged CloudFormation template (run `npm run package` first; `npm run test:template`
 * does both):
 *   1. cfn-lint (from the project's .venv): any error fails, and so does any warning that is not on
 *      the accepted list below with its reason;
 *   2. the template assertions in test/template/ (vitest, with their own config).
 * Then the same two checks on the template packaged with --param="delivery=kinesis" (packaged here,
 * into .sagewatch/template-check/; .serverless/ is put back as `npm run package` left it).
 * Everything always runs, so one report shows everything; the exit code is non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
const templatePath = join(root, '.serverless', TEMPLATE_FILE);
const checkDir = join(root, '.sagewatch', 'template-check');
const kinesisTemplatePath = join(checkDir, 'kinesis', TEMPLATE_FILE);
const cfnLint = join(root, '.venv', 'bin', 'cfn-lint');
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const region = process.env.AWS_REGION ?? 'us-east-1';

interface CfnLintFinding {
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[]; Start: { LineNumber: number } };
}

interface AcceptedWarning {
  rule: string;
  /** Matched against the finding's path, joined with `/`. */
  path: RegExp;
  reason: string;
}

/** Warnings left in the template on purpose. Each one names where it may occur and why it is fine. */
const ACCEPTED_WARNINGS: readonly AcceptedWarning[] = [
  {
    rule: 'W3005',
    path: /^Resources\/[A-Za-z0-9]+LambdaFunction\/DependsOn\/\d+$/,
    reason:
      'osls writes DependsOn on the function role next to the Fn::GetAtt of that role: a redundant but ' +
      'harmless ordering hint in code osls generates (`role: <LogicalId>` in serverless.yml)',
  },
];

function fail(message: string): never {
  console.error(`check-template: ${message}`);
  process.exit(1);
}

function acceptedBy(finding: CfnLintFinding): AcceptedWarning | undefined {
  if (finding.Level !== 'Warning') return undefined;
  const path = finding.Location.Path.join('/');
  return ACCEPTED_WARNINGS.find((accepted) => accepted.rule === finding.Rule.Id && accepted.path.test(path));
}

function runCfnLint(templatePath: string): boolean {
  const result = spawnSync(cfnLint, ['--format', 'json', '--regions', region, '--', templatePath], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let findings: CfnLintFinding[];
  try {
    findings = JSON.parse(result.stdout) as CfnLintFinding[];
  } catch {
    console.error(result.stdout, result.stderr);
    console.error(`cfn-lint did not produce a JSON report (exit code ${result.status})`);
    return false;
  }

  const accepted = findings.filter((finding) => acceptedBy(finding) !== undefined);
  const blocking = findings.filter(
    (finding) => finding.Level !== 'Informational' && !accepted.includes(finding),
  );
  for (const finding of blocking) {
    console.error(
      `${finding.Level} ${finding.Rule.Id} ${finding.Location.Path.join('/')} ` +
        `(line ${finding.Location.Start.LineNumber}): ${finding.Message}`,
    );
  }
  for (const rule of ACCEPTED_WARNINGS) {
    const count = accepted.filter((finding) => acceptedBy(finding) === rule).length;
    if (count > 0) console.log(`cfn-lint: accepted ${count} x ${rule.rule}: ${rule.reason}`);
  }
  const errors = blocking.filter((finding) => finding.Level === 'Error').length;
  const warnings = blocking.length - errors;
  console.log(
    `cfn-lint: ${errors} error(s), ${warnings} unaccepted warning(s) in ${relative(root, templatePath)}`,
  );
  return blocking.length === 0;
}

function runTemplateTests(templatePath: string, delivery: 'direct' | 'kinesis'): boolean {
  const result = spawnSync(vitest, ['run', '--config', join(root, 'test', 'template', 'vitest.config.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SAGEWATCH_TEMPLATE: templatePath, SAGEWATCH_TEMPLATE_DELIVERY: delivery },
  });
  return result.status === 0;
}

/**
 * Packages the stack with delivery=kinesis into .sagewatch/template-check/kinesis. osls empties
 * .serverless/ whatever the output directory, so it is copied aside first and put back after.
 */
function packageKinesis(): boolean {
  const saved = join(checkDir, 'direct');
  rmSync(checkDir, { recursive: true, force: true });
  cpSync(join(root, '.serverless'), saved, { recursive: true });
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'osls', 'bin', 'serverless.js'),
      'package',
      '--stage',
      process.env.SAGEWATCH_STAGE ?? 'dev',
      '--region',
      region,
      '--param=delivery=kinesis',
      '--package',
      join(checkDir, 'kinesis'),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  rmSync(join(root, '.serverless'), { recursive: true, force: true });
  cpSync(saved, join(root, '.serverless'), { recursive: true });
  if (result.status !== 0 || !existsSync(kinesisTemplatePath)) {
    console.error('check-template: osls package --param="delivery=kinesis" failed');
    return false;
  }
  return true;
}

if (!existsSync(templatePath)) fail(`${relative(root, templatePath)} is missing: run npm run package first`);
if (!existsSync(cfnLint)) fail('cfn-lint is not installed in .venv: run bash scripts/setup-test-tools.sh');

const failed: string[] = [];
if (!runCfnLint(templatePath)) failed.push('cfn-lint');
if (!runTemplateTests(templatePath, 'direct')) failed.push('template tests');
console.log('check-template: the template with delivery=kinesis');
if (!packageKinesis()) failed.push('kinesis package');
else {
  if (!runCfnLint(kinesisTemplatePath)) failed.push('cfn-lint (delivery=kinesis)');
  if (!runTemplateTests(kinesisTemplatePath, 'kinesis')) failed.push('template tests (delivery=kinesis)');
}
if (failed.length > 0) fail(`${failed.join(', ')} failed`);
console.log('check-template: cfn-lint and template tests passed, delivery=direct and delivery=kinesis');
