import type { PortalCategory, PortalCodeSent, PortalCommonArea, PortalMatter, PortalMatterSummary, PortalMe, PortalNotice, PortalPhoto } from '@qiaoliang/shared';

/** An error answer of the API (RFC 9457 problem+json), with the sentence to show. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fields: { field: string; message: string }[] = []) {
    super(message);
  }
}

async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const isForm = body instanceof FormData;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { ...(method !== 'GET' ? { 'X-Requested-With': 'XMLHttpRequest' } : {}), ...(body !== undefined && !isForm ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const p = data as { code?: string; detail?: string; title?: string; errors?: { field: string; message: string }[] };
    throw new ApiError(res.status, p.code ?? 'unknown', p.detail ?? p.title ?? '操作失败，请稍后再试', p.errors ?? []);
  }
  return data as T;
}

export const api = {
  requestCode: (phone: string) => call<PortalCodeSent>('POST', '/api/portal/auth/code', { phone }),
  login: (phone: string, code: string) => call<PortalMe>('POST', '/api/portal/auth/login', { phone, code }),
  logout: () => call<void>('POST', '/api/portal/auth/logout'),
  me: () => call<PortalMe>('GET', '/api/portal/me'),
  categories: () => call<PortalCategory[]>('GET', '/api/portal/categories'),
  commonAreas: () => call<PortalCommonArea[]>('GET', '/api/portal/common-areas'),
  uploadPhoto: (blob: Blob, name: string) => {
    const form = new FormData();
    form.append('file', blob, name);
    return call<PortalPhoto>('POST', '/api/portal/photos', form);
  },
  report: (body: unknown, key: string) => call<PortalMatter>('POST', '/api/portal/matters', body, { 'Idempotency-Key': key }),
  matters: () => call<PortalMatterSummary[]>('GET', '/api/portal/matters'),
  matter: (id: string) => call<PortalMatter>('GET', `/api/portal/matters/${id}`),
  rate: (id: string, satisfaction: number, comment: string) => call<PortalMatter>('POST', `/api/portal/matters/${id}/rating`, { satisfaction, ...(comment ? { comment } : {}) }),
  notices: () => call<PortalNotice[]>('GET', '/api/portal/notices'),
  readNotices: () => call<void>('POST', '/api/portal/notices/read'),
};

export const photoUrl = (id: string) => `/api/portal/photos/${id}`;
