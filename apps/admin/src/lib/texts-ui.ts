/**
 * The strings of the attachments component, the accessibility names and the page titles
 * (issue 18). Imported directly as `UI.…`, not spread into `T`, so parallel work on texts.ts
 * does not collide.
 */
export const UI = {
  attachments: {
    title: '附件',
    titleCount: (n: number) => `附件（${n}）`,
    dropHint: '点击选择、拖入文件，或直接粘贴截图',
    typesHint: (mb: number) => `支持 JPG、PNG、GIF、WEBP 图片和 PDF、Word、Excel 文件，单个不超过 ${mb} MB；大照片会自动压缩`,
    camera: '拍照',
    cameraLabel: '用相机拍照上传',
    pickLabel: '选择或拖入附件',
    none: '暂无附件',
    download: (name: string) => `下载 ${name}`,
    remove: (name: string) => `移除 ${name}`,
    preview: (name: string) => `预览 ${name}`,
    tooBig: (name: string, mb: number) => `「${name}」超过 ${mb} MB，无法上传`,
    badType: (name: string) => `「${name}」的类型不支持：只接受 JPG、PNG、GIF、WEBP 图片和 PDF、Word (.docx)、Excel (.xlsx) 文件`,
    compressFailed: (name: string) => `「${name}」无法读取为图片，请换一张照片`,
    uploading: (name: string) => `正在上传 ${name}`,
    uploaded: (name: string) => `已上传 ${name}`,
    failed: (name: string, why: string) => `「${name}」上传失败：${why}`,
    pending: (n: number) => `待上传 ${n} 个附件（提交后上传）`,
    ofWorkOrder: (dept: string) => `派工单 · ${dept}`,
    ofTicket: '工单附件',
    withReply: '随答复一并保存到工单附件（如答复函、整改照片）',
    readOnlyHint: '只有处理该记录的人员可以上传附件',
  },
  a11y: {
    scrollTable: '表格（可用方向键左右滚动）',
    responseRate: (survey: string) => `${survey} 回复率`,
    towardsTarget: (kpi: string) => `${kpi} 达成目标的进度`,
  },
  layout: {
    openMenu: '打开菜单',
    mainMenu: '主菜单',
  },
  titles: {
    suffix: '桥梁',
    ticket: (n: string) => `工单 ${n}`,
    workOrder: (n: string) => `派工单 ${n}`,
    customer: (name: string) => `客户 ${name}`,
    survey: (name: string) => `问卷 ${name}`,
    project: (name: string) => `项目 ${name}`,
  },
} as const;
