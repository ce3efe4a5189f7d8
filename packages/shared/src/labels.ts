import type { DepartmentKind, OrgLevel, Role, ScopeKind } from './roles.js';

/** Simplified Chinese labels of enum values; one place so that English can follow. */
export const ROLE_LABELS: Record<Role, string> = {
  agent: '客服专员',
  supervisor: '客服主管',
  manager: '客服经理',
  handler: '部门处理人',
  executive: '领导',
  admin: '系统管理员',
  owner: '业主',
};

export const SCOPE_KIND_LABELS: Record<ScopeKind, string> = {
  group: '集团',
  city_company: '城市公司',
  project: '项目',
};

export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = {
  group: '集团',
  city_company: '城市公司',
  project: '项目',
};

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  engineering: '工程部',
  sales: '销售部',
  design: '设计部',
  finance: '财务部',
  legal: '法务部',
  property: '物业公司',
  contractor: '施工单位',
  other: '其他',
};

/** Audit actions shown on the audit page. Unknown actions fall back to the raw code. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.password_changed': '修改密码',
  'user.created': '新建用户',
  'user.updated': '修改用户',
  'user.deactivated': '停用用户',
  'user.activated': '启用用户',
  'user.password_reset': '重置密码',
  'city_company.created': '新建城市公司',
  'city_company.updated': '修改城市公司',
  'project.created': '新建项目',
  'project.updated': '修改项目',
  'building.created': '新建楼栋',
  'building.updated': '修改楼栋',
  'unit.created': '新建房屋',
  'unit.updated': '修改房屋',
  'unit.imported': '导入房屋',
  'common_area.created': '新建公共部位',
  'common_area.updated': '修改公共部位',
  'department.created': '新建部门',
  'department.updated': '修改部门',
};

export const ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  session: '会话',
  city_company: '城市公司',
  project: '项目',
  building: '楼栋',
  unit: '房屋',
  common_area: '公共部位',
  department: '部门',
};

export const CUSTOMER_KIND_LABELS: Record<import('./customers.js').CustomerKind, string> = {
  prospective_owner: '准业主',
  owner: '业主',
  co_owner: '共有人',
  family: '家庭成员',
  tenant: '租户',
  other: '其他',
};

export const UNIT_RELATION_LABELS: Record<import('./customers.js').UnitRelation, string> = {
  owner: '业主',
  co_owner: '共有人',
  prospective_owner: '准业主',
  family: '家庭成员',
  tenant: '租户',
  other: '其他',
};

export const CONTACT_CHANNEL_LABELS: Record<import('./customers.js').ContactChannel, string> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  email: '邮件',
  visit: '上门',
};

export const ARCHIVE_FIELD_LABELS: Record<import('./customers.js').ArchiveField, string> = {
  name: '姓名',
  phone: '手机号',
  id_number: '身份证号',
  email: '邮箱',
  wechat_id: '微信号',
  address: '通讯地址',
  preferred_channel: '首选联系方式',
  unit: '房屋',
  contract_no: '合同编号',
  contract_date: '签约日期',
  contracted_handover_date: '合同交付日期',
  actual_handover_date: '实际交付日期',
  warranty_start_date: '保修起始日期',
};

Object.assign(AUDIT_ACTION_LABELS, {
  'customer.created': '新建客户',
  'customer.updated': '修改客户',
  'customer.revealed': '查看个人信息',
  'customer.archive_confirmed': '确认档案',
  'customer.merged': '合并客户',
  'customer.imported': '导入客户',
  'customer.exported': '导出客户',
  'customer_unit.added': '关联房屋',
  'customer_unit.updated': '修改房屋关系',
  'customer_unit.ended': '结束房屋关系',
  'settings.updated': '修改设置',
  'seed.demo': '加载演示数据',
});
Object.assign(ENTITY_LABELS, { customer: '客户', customer_unit: '客户房屋关系', settings: '设置', system: '系统' });

export const TICKET_TYPE_LABELS: Record<import('./tickets.js').TicketType, string> = {
  inquiry: '咨询', complaint: '投诉', repair: '报修', suggestion: '建议', praise: '表扬', other: '其他',
};
export const SEVERITY_LABELS: Record<import('./tickets.js').Severity, string> = { routine: '常规', major: '重大', urgent: '紧急' };
export const CHANNEL_LABELS: Record<import('./tickets.js').Channel, string> = {
  hotline: '热线', walk_in: '来访', portal: '业主门户', wechat: '微信', email: '邮件', letter: '信函', visit: '走访', handover: '交付现场', internal: '内部',
};
export const TICKET_STATUS_LABELS: Record<import('./tickets.js').TicketStatus, string> = {
  registered: '已登记', dispatched: '已派单', in_progress: '处理中', result_returned: '已反馈', replied: '已答复', waiting_customer: '等待客户',
  resolved: '已解决', closed: '已关闭', reopened: '已重开', cancelled: '已取消', merged: '已合并',
};
export const WORK_ORDER_STATUS_LABELS: Record<import('./tickets.js').WorkOrderStatus, string> = {
  pending: '待接单', accepted: '处理中', rejected: '已退回', completed: '已完成', cancelled: '已取消',
};
export const SLA_TARGET_LABELS: Record<import('./tickets.js').SlaTarget, string> = { first_response: '首次响应', reply: '答复', resolution: '解决' };
export const REPLY_CHANNEL_LABELS: Record<import('./tickets.js').ReplyChannel, string> = {
  phone: '电话', sms: '短信', wechat: '微信', email: '邮件', visit: '上门', letter: '信函', portal: '业主门户',
};

export const CALL_STATUS_LABELS: Record<import('./hotline.js').CallStatus, string> = { ringing: '振铃中', answered: '通话中', ended: '已接听', missed: '未接' };
export const CALL_DIRECTION_LABELS: Record<import('./hotline.js').CallDirection, string> = { inbound: '呼入', outbound: '呼出' };
export const CALL_BACK_STATUS_LABELS: Record<import('./hotline.js').CallBackStatus, string> = { open: '待回拨', done: '已回拨', cancelled: '已取消' };
Object.assign(AUDIT_ACTION_LABELS, {
  'call.ringing': '来电振铃',
  'call.answered': '接听电话',
  'call.ended': '通话结束',
  'call.customer_linked': '通话关联客户',
  'call_back.created': '生成回拨任务',
  'call_back.cancelled': '取消回拨任务',
  'call_back.done': '完成回拨',
  'call_back.phone_revealed': '查看回拨号码',
});
Object.assign(ENTITY_LABELS, { call: '通话', call_back_task: '回拨任务' });

export const VISIT_KIND_LABELS: Record<import('./contracts/callbacks.js').VisitKind, string> = {
  phone_visit: '电话拜访', home_visit: '上门拜访', event_contact: '活动接触', callback: '回访',
};
export const INVALID_REASON_LABELS: Record<import('./contracts/callbacks.js').InvalidReason, string> = {
  duplicate: '重复投诉', not_our_responsibility: '非我方责任', malicious: '恶意投诉', unreasonable_answered: '不合理诉求（已依规答复）',
};
export const SATISFACTION_LABELS: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '一般', 2: '不满意', 1: '非常不满意' };
export const CALLBACK_STATUS_LABELS: Record<string, string> = { open: '待回访', done: '已回访', unreachable: '无法联系', cancelled: '已取消' };
export const VISIT_REASON_LABELS: Record<string, string> = { annual: '年度拜访', vip: 'VIP 加访', complainer: '近期投诉客户', new_handover: '新交付业主' };

export const QUESTION_KIND_LABELS: Record<import('./surveys.js').QuestionKind, string> = { single: '单选题', multiple: '多选题', scale: '量表题', text: '填空题' };
export const SURVEY_STATUS_LABELS: Record<import('./surveys.js').SurveyStatus, string> = { draft: '草稿', sent: '进行中', closed: '已结束' };
export const SURVEY_CHANNEL_LABELS: Record<import('./surveys.js').SurveyChannel, string> = { sms: '短信链接', portal: '业主门户链接' };
Object.assign(AUDIT_ACTION_LABELS, {
  'survey.created': '新建问卷',
  'survey.updated': '修改问卷',
  'survey.deleted': '删除问卷草稿',
  'survey.sent': '发送问卷',
  'survey.closed': '结束调查',
  'survey.responded': '客户提交问卷',
  'survey.exported': '导出调查结果',
});
Object.assign(ENTITY_LABELS, { survey: '问卷调查' });

export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const OUTBOX_CHANNELS = ['in_app', 'email', 'sms', 'wechat'] as const;
export const OUTBOX_STATUS_LABELS: Record<(typeof OUTBOX_STATUSES)[number], string> = { pending: '待发送', delivered: '已送达', failed: '发送失败' };
export const OUTBOX_CHANNEL_LABELS: Record<(typeof OUTBOX_CHANNELS)[number], string> = { in_app: '站内消息', email: '邮件', sms: '短信', wechat: '微信模板消息' };

export const VISIT_ATTEMPT_OUTCOME_LABELS: Record<import('./contracts/callbacks.js').VisitAttemptOutcome, string> = {
  not_at_home: '不在家', refused: '拒绝拜访', wrong_number: '号码错误', no_answer: '无人接听',
};
Object.assign(AUDIT_ACTION_LABELS, { 'visit_attempt.recorded': '记录未成功拜访', 'unit.transferred': '房屋过户', 'customer.archive_imported': '导入档案日期' });
