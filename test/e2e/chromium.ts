/**
 * Just enough of the Chrome DevTools Protocol to open a page in headless Chromium, collect its
 * console errors and exceptions, evaluate an expression and take a screenshot. Chromium talks over
 * `--remote-debugging-pipe` (file descriptors 3 and 4, NUL-separated JSON), so no port is opened
 * and no client library (nor a browser download) is needed: the browser is Debian's `chromium`,
 * installed by scripts/setup-browser.sh.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium binary: CHROMIUM_PATH, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A page in a headless Chromium, with what it reported. */
export interface BrowserPage {
  /** Console errors, uncaught exceptions and error log entries (CSP violations, failed loads). */
  errors: string[];
  open(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the page's full height (or the first `maxHeight` CSS pixels). */
  screenshot(maxHeight?: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts Chromium and opens a blank page of the given width. */
export async function launchPage(width = 1100): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'sagewatch-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--remote-debugging-pipe',
      // Tests run as root in CI, where Chromium's sandbox cannot start.
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { ok: (r: Record<string, unknown>) => void; fail: (e: Error) => void }>();
  const listeners = new Set<(message: Message) => void>();
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end = buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      end = buffer.indexOf('\0');
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.fail(new Error(message.error.message));
        else waiter?.ok(message.result ?? {});
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.fail(new Error(`chromium exited: ${stderr}`));
    pending.clear();
  });
  let nextId = 0;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((ok, fail) => {
      const id = ++nextId;
      pending.set(id, { ok, fail });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
    sessionId: string;
  };
  const page = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
  const errors: string[] = [];
  listeners.add((message) => {
    if (message.sessionId !== sessionId) return;
    const params = message.params ?? {};
    if (message.method === 'Runtime.exceptionThrown') {
      errors.push(`exception: ${JSON.stringify(params.exceptionDetails)}`);
    } else if (message.method === 'Runtime.consoleAPICalled' && params.type === 'error') {
      errors.push(`console.error: ${JSON.stringify(params.args)}`);
    } else if (message.method === 'Log.entryAdded') {
      const entry = params.entry as { level: string; text: string; url?: string };
      if (entry.level === 'error') errors.push(`log: ${entry.text} ${entry.url ?? ''}`);
    }
  });
  await page('Runtime.enable');
  await page('Log.enable');
  await page('Page.enable');
  await page('Emulation.setDeviceMetricsOverride', {
    width,
    height: 900,
    deviceScaleFactor: 1,
    mobile: false,
  });

  return {
    errors,
    async open(url) {
      const loaded = new Promise<void>((resolve) => {
        const onLoad = (message: Message) => {
          if (message.sessionId === sessionId && message.method === 'Page.loadEventFired') {
            listeners.delete(onLoad);
            resolve();
          }
        };
        listeners.add(onLoad);
      });
      const navigated = (await page('Page.navigate', { url })) as { errorText?: string };
      if (navigated.errorText) throw new Error(`cannot open ${url}: ${navigated.errorText}`);
      await loaded;
    },
    async evaluate<T>(expression: string) {
      const evaluated = (await page('Runtime.evaluate', { expression, returnByValue: true })) as {
        result: { value: T };
        exceptionDetails?: unknown;
      };
      if (evaluated.exceptionDetails)
        throw new Error(`evaluate: ${JSON.stringify(evaluated.exceptionDetails)}`);
      return evaluated.result.value;
    },
    async screenshot(maxHeight) {
      const metrics = (await page('Page.getLayoutMetrics')) as { cssContentSize: { height: number } };
      const height = Math.ceil(
        Math.min(metrics.cssContentSize.height, maxHeight ?? Number.POSITIVE_INFINITY),
      );
      const shot = (await page('Page.captureScreenshot', {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width, height, scale: 1 },
      })) as { data: string };
      return Buffer.from(shot.data, 'base64');
    },
    async close() {
      try {
        await send('Browser.close');
      } catch {
        // It may exit before answering.
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
