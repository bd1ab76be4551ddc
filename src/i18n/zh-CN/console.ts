/** 控制台的通用文字：页面出错、缺少选择、任务与审计的显示。 */
export const consoleText = {
  'ui.crash.title': '此页面出错了',
  'ui.crash.detail': '出错的页面：{page}。错误信息：{message}',
  'ui.crash.back': '返回上一页',
  'ui.crash.home': '回到首页',
  'ui.crash.retry': '重新加载此页',
  'ui.qr.choose': '请选择要打印二维码的社区、网格或楼栋',
  'ui.qr.none': '所选组织下没有登记楼栋',
  'ui.wo.publicText': '告知群众（群众和 Open311 可见）',
} as const;
