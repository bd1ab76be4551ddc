export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED':
    'You are using a password that was reset or generated for you: change it before doing anything else',
  'ui.account.mustChange.title': 'Choose a new password first',
  'ui.account.mustChange.hint':
    'Your password was reset or generated for you and is good only for choosing a new one. Other devices will have to sign in again.',
};
