/** 账号：密码、注册、会话的提示。 */
export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED': '您正在使用管理员重置或系统生成的密码，请先修改密码后再继续操作',
} as const;
