/** 账号：密码、注册、会话的提示。 */
export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED': '您正在使用管理员重置或系统生成的密码，请先修改密码后再继续操作',
  'error.ID_NUMBER_HAS_ACCOUNT':
    '该身份证号已注册过账号，一人只能注册一个账号。请用原来的手机号登录，忘记密码请联系社区',
  'ui.account.mustChange.title': '请先设置新密码',
  'ui.account.mustChange.hint':
    '您的密码是管理员重置或系统生成的，只能用来设置新密码。设置后即可正常使用；其他设备需重新登录。',
} as const;
