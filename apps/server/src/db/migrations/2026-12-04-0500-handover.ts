import type { Kysely } from 'kysely';

/**
 * Handover inspection (D10, issue 13): versioned checklist templates, delivery batches of a
 * project, the handover state of each unit in a batch, its defects with their history, and the
 * unit's actual handover and warranty start dates (set at 收楼). Departments of kind
 * `contractor` need no schema change (kind is free text checked by the contracts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('handover_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Versions of one template share the code; a change is a new row with version_no + 1.
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON: [{ room, item, criterion, warrantyComponent, trade }]
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('handover_templates_code_version_uq', ['code', 'version_no'])
    .execute();

  await db.schema
    .createTable('handover_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull().references('handover_templates.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handover_batches_project_idx').on('handover_batches').column('project_id').execute();

  await db.schema
    .createTable('handover_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('handover_batches.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('building_id', 'text', (c) => c.notNull())
    // not_inspected 未检查 | inspected 已查验未收楼 | accepted 已收楼 | refused 拒绝收楼
    .addColumn('status', 'text', (c) => c.notNull())
    // unsigned 未签 | signed 已签 | refused 拒签
    .addColumn('sign_status', 'text', (c) => c.notNull())
    .addColumn('sign_reason', 'text')
    .addColumn('signature_attachment_id', 'text')
    // JSON: { water, electricity, gas } (三表)
    .addColumn('meters', 'text')
    .addColumn('first_inspected_at', 'bigint')
    .addColumn('inspected_by', 'text')
    .addColumn('passed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handover_date', 'text')
    .addColumn('keys_to', 'text')
    .addColumn('refusal_reason', 'text')
    .addColumn('refusal_ticket_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('handover_units_batch_unit_uq', ['batch_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('handover_defects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('handover_batches.id'))
    .addColumn('handover_unit_id', 'text', (c) => c.notNull().references('handover_units.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('building_id', 'text', (c) => c.notNull())
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // minor 一般 | serious 严重 | blocking 影响入住
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('pin_x', 'real')
    .addColumn('pin_y', 'real')
    .addColumn('contractor_id', 'text', (c) => c.references('departments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('fixed_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('reinspect_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warned_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handover_defects_batch_idx').on('handover_defects').columns(['batch_id', 'status']).execute();
  await db.schema.createIndex('handover_defects_contractor_idx').on('handover_defects').columns(['contractor_id', 'status']).execute();
  await db.schema.createIndex('handover_defects_unit_idx').on('handover_defects').column('handover_unit_id').execute();

  await db.schema
    .createTable('handover_defect_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('defect_id', 'text', (c) => c.notNull().references('handover_defects.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .execute();
  await db.schema.createIndex('handover_defect_events_defect_idx').on('handover_defect_events').column('defect_id').execute();

  await db.schema.alterTable('units').addColumn('actual_handover_date', 'text').execute();
  await db.schema.alterTable('units').addColumn('warranty_start_date', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('units').dropColumn('warranty_start_date').execute();
  await db.schema.alterTable('units').dropColumn('actual_handover_date').execute();
  for (const t of ['handover_defect_events', 'handover_defects', 'handover_units', 'handover_batches', 'handover_templates']) await db.schema.dropTable(t).ifExists().execute();
}
