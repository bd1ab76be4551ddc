export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED':
    'You are using a password that was reset or generated for you: change it before doing anything else',
};
