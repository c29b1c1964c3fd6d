// Every sentence about writing status and tracking to Infigo, built in one place so each can
// become one key of the message catalogue.

export const STATUS_WRITER_MSG = {
  // --- the choices the wizard explains ---
  megascriptTitle: () => 'Presslink status MegaScript (recommended)',
  megascriptSummary: () =>
    'Presslink generates a MegaScript that you paste into Infigo (Admin → MegaScripts) and run "Trigger via API". It sets the order status, the shipping status, the tracking number and order notes with Infigo\u2019s own documented MegaScript functions.',
  megascriptWhen: () => 'Choose it for any Infigo store: it uses only what Infigo documents, and its answer shows the order as Infigo holds it after each update.',
  megascriptNeeds: () => [
    'Paste the generated script and its configuration into Infigo and enable "Trigger via API".',
    'Copy the address Infigo gives the script into Presslink (Status updates to Infigo → MegaScript address).',
  ],
  megascriptVerify: () => 'Press "Test on one order": Presslink adds a note to one order through the script and reads the order back.',
  restTitle: () => 'A REST route of your Infigo',
  restSummary: () =>
    'Presslink posts each update to a path under /services/api of your store, with the method and field names you set. Infigo publishes no such route: use it only when Infigo support has given you one.',
  restWhen: () => 'Choose it only if Infigo has confirmed a REST route for status updates on your store.',
  restNeeds: () => ['The path (with {orderId}), the method, and the body field names Infigo expects.'],
  restVerify: () => 'Press "Test on one order": Presslink sends a note to one order and reads the order back from Infigo.',
  noneTitle: () => 'Not chosen yet',
  noneSummary: () => 'Status and tracking updates wait in Presslink and are sent as soon as a way to write them is chosen. Nothing reaches Infigo until then.',
  noneWhen: () => 'This is where every new store starts.',
  noneVerify: () => 'The setup check fails until a writer is chosen.',

  // --- the setup check ---
  checkTitleChosen: () => 'Status writer chosen',
  checkTitleScript: () => 'Status MegaScript works as Presslink calls it',
  checkTitlePush: () => 'Test update written to Infigo and read back',
  notChosen: (store: string) => `No way to write status and tracking to Infigo is chosen for store "${store}", so shipped orders would not show as shipped in Infigo.`,
  notChosenFix: () => 'Choose the status writer for this store: the Presslink status MegaScript (recommended) or a REST route your Infigo offers.',
  chosen: (store: string, kind: string) => `Store "${store}" writes status and tracking with the ${kind === 'megascript' ? 'Presslink status MegaScript' : 'REST route'}.`,
  noStore: () => 'There is no store to test the status writer with.',
  noOrder: (store: string) => `Store "${store}" has no order yet to write a test update to; place a test order and check again.`,
  notTested: () => 'Not tested: fix the problem above first.',
  testNote: (at: string) => `Presslink status test (${at}): this note confirms that Presslink can update this order. Nothing else was changed.`,
  pushFailed: (orderId: number, reason: string) => `Writing a test update to order ${orderId} failed: ${reason}`,
  pushFailedFix: (kind: string) =>
    kind === 'megascript'
      ? 'Check that the script is installed and enabled with "Trigger via API", that its address in Presslink is the one Infigo shows, and that its configuration holds the token Presslink shows.'
      : 'Check the REST path, method and field names with Infigo support, or switch to the Presslink status MegaScript.',
  readBackOk: (orderId: number, how: string) => `A test note was written to order ${orderId} and read back ${how}; its statuses are unchanged.`,
  readBackNotSeen: (orderId: number) => `Infigo accepted the test update for order ${orderId}, but reading the order back did not show the note.`,
  readBackNotSeenFix: () => 'Open the order in Infigo admin and look for the Presslink test note. If it is not there, the writer is not reaching the order: check its settings.',
  viaScript: () => 'from the script\u2019s answer',
  viaRest: () => 'from Infigo\u2019s order details',

  // --- the self-test ---
  selfTestOk: (applied: number) => `The generated status MegaScript, run the way Presslink calls it on a test order, applied all ${applied} changes and answered with the order as it is afterwards (checked as the newer and the 1.0.x MegaScript typings).`,
  selfTestFailed: (why: string) => `The generated status MegaScript did not work as Presslink calls it: ${why}`,
  selfTestUndeclared: (members: string) => `The status MegaScript used members Infigo's typings do not declare: ${members}.`,
  selfTestFix: () => 'Send the diagnostics bundle to support: the generated script does not match this version of Presslink.',

  // --- the checklist ---
  checklistTitle: () => 'Status and tracking reach Infigo (a test update is read back)',
  checklistNoTest: () => 'No test update has been written to Infigo and read back yet.',
  checklistNoTestFix: () => 'Run "Test on one order" in Status updates to Infigo, or place test orders and run the checklist again.',
} as const;
