/** 账号：密码、注册、会话的提示。 */
export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED': '您正在使用管理员重置或系统生成的密码，请先修改密码后再继续操作',
  'ui.account.mustChange.title': '请先设置新密码',
  'ui.account.mustChange.hint':
    '您的密码是管理员重置或系统生成的，只能用来设置新密码。设置后即可正常使用；其他设备需重新登录。',
} as const;
