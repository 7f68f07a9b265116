import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runNode } from '../helpers/processes.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs on sensible defaults with nothing set', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.BASE_URL, 'http://localhost:3000');
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.DATA_DIR, './data');
    assert.equal(config.ANONYMITY_THRESHOLD, 3);
    assert.equal(config.NODE_ENV, 'development');
    assert.equal(config.LOG_LEVEL, 'info');
    assert.ok(Object.isFrozen(config));
  });

  it('takes values from the environment and trims a trailing slash off BASE_URL', () => {
    const config = loadConfig({ PORT: '8080', BASE_URL: 'https://feedback.example.com/', ANONYMITY_THRESHOLD: '5' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.BASE_URL, 'https://feedback.example.com');
    assert.equal(config.ANONYMITY_THRESHOLD, 5);
  });

  it('refuses an anonymity threshold below 3 and says why', () => {
    const [problem, ...rest] = problemsOf({ ANONYMITY_THRESHOLD: '2' });
    assert.deepEqual(rest, []);
    assert.match(problem!, /^ANONYMITY_THRESHOLD must be at least 3/);
    assert.match(problem!, /got "2"/);
  });

  it('gives a client 10 s for its headers and 30 s for a whole request by default, and refuses headers longer than the request', () => {
    const config = loadConfig({});
    assert.equal(config.HTTP_HEADERS_TIMEOUT_MS, 10_000);
    assert.equal(config.HTTP_REQUEST_TIMEOUT_MS, 30_000);
    const [problem, ...rest] = problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '15000' });
    assert.deepEqual(rest, []);
    assert.match(problem!, /^HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS \(15000\)/);
    assert.match(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '300' })[0]!, /^HTTP_REQUEST_TIMEOUT_MS must be at least 1000/);
  });

  it('keeps invitee addresses 30 days after a close, 180 at most, and refuses a cap shorter than the retention', () => {
    const config = loadConfig({});
    assert.equal(config.INVITEE_RETENTION_DAYS, 30);
    assert.equal(config.INVITEE_RETENTION_MAX_DAYS, 180);
    assert.equal(
      loadConfig({ INVITEE_RETENTION_DAYS: '60', INVITEE_RETENTION_MAX_DAYS: '60' }).INVITEE_RETENTION_MAX_DAYS,
      60,
    );
    const [problem, ...rest] = problemsOf({ INVITEE_RETENTION_DAYS: '60', INVITEE_RETENTION_MAX_DAYS: '45' });
    assert.deepEqual(rest, []);
    assert.equal(problem, 'INVITEE_RETENTION_MAX_DAYS must not be shorter than INVITEE_RETENTION_DAYS (60)');
    assert.match(
      problemsOf({ INVITEE_RETENTION_DAYS: '200' })[0]!,
      /^INVITEE_RETENTION_MAX_DAYS must not be shorter than INVITEE_RETENTION_DAYS \(200\)/,
    );
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', NODE_ENV: 'staging' });
    const names = problems.map((p) => p.split(' ')[0]).sort();
    assert.deepEqual(names, ['DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'PORT']);
  });

  it('requires a session secret, SMTP and BASE_URL in production', () => {
    const names = problemsOf({ NODE_ENV: 'production' })
      .map((p) => p.split(' ')[0])
      .sort();
    assert.deepEqual(names, ['BASE_URL', 'SESSION_SECRET', 'SMTP_URL']);
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(32),
      SMTP_URL: 'smtp://mail.example.com',
      BASE_URL: 'https://upward.example.com',
    });
    assert.equal(ok.isProduction, true);
  });

  it('never echoes a secret back in the message', () => {
    const message = problemsOf({ SESSION_SECRET: 'short-secret-value', SMTP_URL: 'http://user:hunter2@x' }).join(' ');
    assert.doesNotMatch(message, /short-secret-value|hunter2/);
  });

  it('makes `npm start` exit 1 with a one-line reason and no stack trace', async () => {
    const result = await runNode('src/main.ts', { ANONYMITY_THRESHOLD: '2', PORT: 'x' });
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
    assert.match(lines[0]!, /^Invalid configuration: /);
    assert.match(lines[0]!, /ANONYMITY_THRESHOLD must be at least 3/);
    assert.match(lines[0]!, /PORT must be a whole number/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
