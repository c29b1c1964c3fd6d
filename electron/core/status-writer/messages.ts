import { msg, type Msg, type MsgParam } from '../../../shared/messages/index';

// Every sentence about writing status and tracking to Infigo, in one place: each builds a
// message of the catalogue (shared/messages, `statusWriter.*`), shown in the person's language.
// One exception: the test note (testNote) is written INTO the order's notes in the shop's
// Infigo — it is data in the shop's system, read by whoever opens the order there, so it is
// plain English text, not a message.

export const STATUS_WRITER_MSG = {
  // --- the choices the wizard explains ---
  megascriptTitle: (): Msg => msg('statusWriter.choice.megascript.title'),
  megascriptSummary: (): Msg => msg('statusWriter.choice.megascript.summary'),
  megascriptWhen: (): Msg => msg('statusWriter.choice.megascript.when'),
  megascriptNeeds: (): Msg[] => [msg('statusWriter.choice.megascript.needsScript'), msg('statusWriter.choice.megascript.needsAddress')],
  megascriptVerify: (): Msg => msg('statusWriter.choice.megascript.verify'),
  restTitle: (): Msg => msg('statusWriter.choice.rest.title'),
  restSummary: (): Msg => msg('statusWriter.choice.rest.summary'),
  restWhen: (): Msg => msg('statusWriter.choice.rest.when'),
  restNeeds: (): Msg[] => [msg('statusWriter.choice.rest.needs')],
  restVerify: (): Msg => msg('statusWriter.choice.rest.verify'),
  noneTitle: (): Msg => msg('statusWriter.choice.none.title'),
  noneSummary: (): Msg => msg('statusWriter.choice.none.summary'),
  noneWhen: (): Msg => msg('statusWriter.choice.none.when'),
  noneVerify: (): Msg => msg('statusWriter.choice.none.verify'),

  // --- the setup check ---
  checkTitleChosen: (): Msg => msg('statusWriter.title.chosen'),
  checkTitleScript: (): Msg => msg('statusWriter.title.script'),
  checkTitlePush: (): Msg => msg('statusWriter.title.push'),
  notChosen: (store: string): Msg => msg('statusWriter.notChosen', { store }),
  notChosenFix: (): Msg => msg('statusWriter.notChosenFix'),
  chosen: (store: string, kind: string): Msg => msg(kind === 'megascript' ? 'statusWriter.chosenScript' : 'statusWriter.chosenRest', { store }),
  noStore: (): Msg => msg('statusWriter.noStore'),
  noSuchStore: (store: string): Msg => msg('statusWriter.noSuchStore', { store }),
  noOrder: (store: string): Msg => msg('statusWriter.noOrder', { store }),
  notTested: (): Msg => msg('statusWriter.notTested'),
  /** Written into the order's notes in the shop's Infigo: data there, English on purpose (see above). */
  testNote: (at: string): string => `Presslink status test (${at}): this note confirms that Presslink can update this order. Nothing else was changed.`,
  pushFailed: (orderId: number, reason: MsgParam): Msg => msg('statusWriter.pushFailed', { order: orderId, reason }),
  pushFailedFix: (kind: string): Msg => msg(kind === 'megascript' ? 'statusWriter.pushFailedFixScript' : 'statusWriter.pushFailedFixRest'),
  readBackOk: (orderId: number, how: Msg): Msg => msg('statusWriter.readBackOk', { order: orderId, how }),
  readBackNotSeen: (orderId: number): Msg => msg('statusWriter.readBackNotSeen', { order: orderId }),
  readBackNotSeenFix: (): Msg => msg('statusWriter.readBackNotSeenFix'),
  viaScript: (): Msg => msg('statusWriter.viaScript'),
  viaRest: (): Msg => msg('statusWriter.viaRest'),

  // --- the self-test ---
  selfTestOk: (applied: number): Msg => msg('statusWriter.selfTest.ok', { count: applied }),
  selfTestFailed: (why: MsgParam): Msg => msg('statusWriter.selfTest.failed', { why }),
  selfTestUndeclared: (members: MsgParam): Msg => msg('statusWriter.selfTest.undeclared', { members }),
  selfTestFix: (): Msg => msg('statusWriter.selfTest.fix'),
  selfTestProblem: (typings: 'newer' | 'older', problem: MsgParam): Msg => msg('statusWriter.selfTest.problem', { typings: msg(`statusWriter.selfTest.typings.${typings}`), problem }),
  selfTestMismatch: (what: string, got: unknown, want: unknown): Msg => msg('statusWriter.selfTest.mismatch', { what: msg(`statusWriter.selfTest.field.${what}` as 'statusWriter.selfTest.field.orderStatus'), got: JSON.stringify(got) ?? 'undefined', want: JSON.stringify(want) ?? 'undefined' }),
  selfTestNoNotes: (): Msg => msg('statusWriter.selfTest.noNotes'),

  // --- the checklist ---
  checklistTitle: (): Msg => msg('checklist.title.status-writer'),
  checklistNoTest: (): Msg => msg('statusWriter.checklist.noTest'),
  checklistNoTestFix: (): Msg => msg('statusWriter.checklist.noTestFix', { where: msg('where.setupStatusUpdates') }),
} as const;
