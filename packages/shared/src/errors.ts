/**
 * Stable error codes with their Chinese titles. The server maps every AppError to an
 * RFC 9457 problem+json body carrying `code`, `title` and `detail`.
 */
export const ERROR_TITLES = {
  'request.invalid': '请求参数有误',
  'request.malformed_json': '请求内容不是有效的 JSON',
  'request.unsupported_media_type': '不支持的内容类型',
  'request.too_large': '请求内容过大',
  'request.not_found': '请求的地址不存在',
  'request.rate_limited': '请求过于频繁，请稍后再试',
  'request.precondition_required': '缺少版本号（If-Match）',
  'request.precondition_failed': '数据已被他人修改，请刷新后重试',
  'request.csrf': '请求来源校验失败',
  'auth.unauthenticated': '请先登录',
  'auth.invalid_credentials': '用户名或密码错误',
  'auth.locked': '账号已被临时锁定',
  'auth.inactive': '账号已停用',
  'auth.session_expired': '登录已过期，请重新登录',
  'auth.wrong_password': '当前密码不正确',
  'auth.weak_password': '新密码不符合要求',
  'auth.password_change_required': '请先修改密码后再继续使用系统',
  'access.forbidden': '没有权限执行此操作',
  'resource.not_found': '记录不存在',
  'resource.conflict': '数据冲突',
  'org.duplicate_name': '名称已存在',
  'org.duplicate_unit': '房屋已存在',
  'org.invalid_parent': '上级组织无效',
  'user.duplicate_username': '用户名已存在',
  'user.invalid_scope': '数据范围无效',
  'customer.invalid_id_number': '身份证号无效',
  'customer.invalid_phone': '电话号码无效',
  'customer.phone_suffix_too_short': '电话号码至少输入后4位',
  'customer.reveal_forbidden': '无权查看该个人信息',
  'customer.merge_invalid': '无法合并这两位客户',
  'customer.unit_invalid': '房屋无效',
  'settings.invalid': '设置无效',
  'ticket.invalid_transition': '当前状态不允许此操作',
  'ticket.not_owner': '只有首问责任人或主管可以处理此工单',
  'ticket.invalid_reference': '关联信息无效',
  'work_order.invalid_transition': '派工单当前状态不允许此操作',
  'work_order.invalid_department': '部门无效',
  'work_order.late_reason_required': '派工单时限晚于工单时限，须填写原因',
  'attachment.invalid': '附件无效',
  'callback.invalid_state': '回访任务当前状态不允许此操作',
  'kpi.invalid_period': '统计区间无效',
  'cti.invalid_signature': '电话系统事件签名无效',
  'cti.duplicate_event': '该通话事件已处理过',
  'call.customer_invalid': '客户无效',
  'call_back.not_open': '回拨任务已完成或已取消',
  'import.invalid_file': '导入文件无法读取',
  'import.rows_invalid': '导入文件中有错误，未导入任何数据',
  'survey.invalid_questions': '问卷题目无效',
  'survey.invalid_segment': '调查对象范围无效',
  'survey.not_draft': '问卷已发送，不能再修改',
  'survey.not_sent': '问卷未发送或已结束',
  'survey.empty_segment': '调查对象为空',
  'reply_template.duplicate_title': '同一范围内已有同名回复模板',
  'survey.invalid_answers': '答卷内容有误',
  'survey.already_responded': '您已提交过本问卷',
  'survey.closed': '本次调查已结束',
  'handover.invalid_reference': '交付记录引用无效',
  'handover.invalid_transition': '当前状态不允许此操作',
  'handover.unit_not_in_batch': '房屋不在该交付批次内',
  'handover.invalid_template': '验房模板无效',
  'handover.open_defects': '仍有未销项的问题',
  'handover.already_decided': '该房屋已收楼或已拒收',
  'server.unavailable': '服务暂时不可用，请稍后再试',
  'server.overloaded': '服务繁忙，请稍后再试',
  'server.internal': '服务器内部错误',
  'auth.throttled': '登录尝试过于频繁，请稍后再试',
  'request.headers_too_large': '请求地址或请求头过大',
  'request.timeout': '请求超时',
  'import.too_large': '导入文件过大',
  'export.invalid_state': '导出任务当前状态不允许此操作',
  'export.not_ready': '导出文件尚未生成',
  'export.expired': '导出文件已过期，请重新导出',
  'export.too_many_rows': '导出行数过多',
  'unit.transfer_invalid': '无法办理过户',
  'portal.invalid_phone': '手机号格式不正确',
  'portal.code_too_soon': '验证码发送过于频繁',
  'portal.code_limited': '获取验证码次数过多',
  'portal.code_invalid': '验证码错误或已失效',
  'portal.code_expired': '验证码已过期',
  'portal.sms_failed': '短信发送失败',
  'portal.unit_not_held': '您名下没有该房屋',
  'portal.invalid_description': '问题描述不符合要求',
  'portal.not_ratable': '当前不能评价',
  'portal.no_agent': '项目暂无可受理的客服',
} as const;

export type ErrorCode = keyof typeof ERROR_TITLES;

/** One invalid field of a request, as listed in a validation problem. */
export interface FieldError {
  field: string;
  message: string;
}

/** The RFC 9457 body every error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode | string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}
