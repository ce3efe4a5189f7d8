import { accessMatrix } from '../../test/access-matrix.js';

// The outbox belongs to no project: only group-wide admins (`root`) read it. The retry command
// needs a failed message and is covered with its 401/403 cases in outbox.api.test.ts.
accessMatrix('outbox', [
  { method: 'GET', path: '/api/outbox', url: () => '/api/outbox', allowed: ['admin'], userFor: { admin: 'root' }, noOutOfScope: true },
]);
