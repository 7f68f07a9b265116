// An unexpected failure becomes a plain 500 page with a reference, never a stack trace.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import type { Server } from 'node:http';
import { createAssets } from '../../src/http/assets.ts';
import { configureViews } from '../../src/http/views.ts';
import { createLogger, requestLogger } from '../../src/http/logger.ts';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler.ts';
import { listen, portOf, closeGracefully } from '../../src/http/server.ts';
import { LogCapture } from '../helpers/app.ts';

describe('500 page', () => {
  let server: Server;
  let url: string;
  const logs = new LogCapture();
  before(async () => {
    // The same view set-up and error handler as createApp, around a route that fails.
    const app = express();
    configureViews(app, createAssets(), { cacheTemplates: true, timeZone: 'UTC' });
    app.use(requestLogger(createLogger('info', logs)));
    app.get('/boom', () => {
      throw new Error('secret internal detail: relation "users" does not exist');
    });
    app.get('/boom-async', async () => {
      await Promise.resolve();
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    app.use(notFoundHandler);
    app.use(errorHandler);
    server = await listen(app, 0, '127.0.0.1');
    url = `http://127.0.0.1:${portOf(server)}`;
  });
  after(() => closeGracefully(server, 500));

  it('shows a kind message and the request id, and hides the error', async () => {
    const res = await fetch(`${url}/boom`);
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.match(html, /Something went wrong on our side/);
    assert.ok(html.includes(res.headers.get('x-request-id')!));
    assert.doesNotMatch(html, /secret internal detail|Error:|\.ts:\d+/);
    assert.match(logs.text, /secret internal detail/, 'the operator finds the cause in the log');
  });

  it('says the service is briefly unavailable (503) when the database cannot be reached', async () => {
    const res = await fetch(`${url}/boom-async`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '30');
    const html = await res.text();
    assert.match(html, /briefly unavailable/);
    assert.doesNotMatch(html, /ECONNREFUSED/);
  });
});
