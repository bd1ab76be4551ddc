export const accounts = {
  'error.PASSWORD_CHANGE_REQUIRED':
    'You are using a password that was reset or generated for you: change it before doing anything else',
  'error.ID_NUMBER_HAS_ACCOUNT':
    'An account is already registered for this ID number (one account per person). Log in with that phone number, or ask your community to reset the password',
  'ui.account.mustChange.title': 'Choose a new password first',
  'ui.account.mustChange.hint':
    'Your password was reset or generated for you and is good only for choosing a new one. Other devices will have to sign in again.',
};
