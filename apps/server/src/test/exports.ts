import type { ExportJob } from '@qiaoliang/shared';
import { expect } from 'vitest';
import { createBackground } from '../jobs.js';
import type { TestApp } from './app.js';

/** Runs every due job (export builds among them) as the job runner of a process would. */
export async function runJobs(t: TestApp): Promise<void> {
  await createBackground(t.deps).runner.runDue();
}

/**
 * Requests an export by its domain's POST, lets the job runner build it, and downloads the file
 * as the requester: the whole journey an export takes.
 */
export async function exportFile(t: TestApp, cookie: string, url: string, payload: object = {}): Promise<{ job: ExportJob; file: Buffer }> {
  const res = await t.as(cookie, { method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(202);
  const queued = res.json<ExportJob>();
  await runJobs(t);
  const job = await t.as(cookie, { method: 'GET', url: `/api/exports/${queued.id}` });
  expect(job.json<ExportJob>().status, job.body).toBe('done');
  const file = await t.as(cookie, { method: 'GET', url: `/api/exports/${queued.id}/file` });
  expect(file.statusCode, file.body).toBe(200);
  expect(file.headers['content-type']).toMatch(/spreadsheetml/);
  return { job: job.json<ExportJob>(), file: file.rawPayload };
}
