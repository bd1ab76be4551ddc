/** Console-wide texts: page errors, missing choices, how jobs and audit rows are shown. */
export const consoleText: Record<string, string> = {
  'ui.crash.title': 'This page has failed',
  'ui.crash.detail': 'Page: {page}. Error: {message}',
  'ui.crash.back': 'Go back',
  'ui.crash.home': 'Home',
  'ui.crash.retry': 'Reload this page',
  'ui.qr.choose': 'Choose a community, grid or building to print its QR codes',
  'ui.qr.none': 'No buildings are registered under this unit',
  'ui.wo.publicText': 'Tell the reporter (shown to residents and Open311)',
};
