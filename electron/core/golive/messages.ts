import { msg, type Msg, type MsgParam } from '../../../shared/messages/index';

// Every sentence the go-live part of the engine shows a person, in one place: each builds a
// message of the catalogue (shared/messages, `golive.*`), so it is shown in the person's
// language; the engine keeps its English beside it (textOf).

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

export const GOLIVE_MSG = {
  notActivated: (): Msg => msg('golive.notActivated'),
  notConfigured: (): Msg => msg('golive.notConfigured'),
  cliNotActivated: (): Msg => msg('golive.cliNotActivated'),
  storeUnreadable: (store: string, reason: MsgParam): Msg => msg('golive.storeUnreadable', { store, reason }),
  activated: (stores: number): Msg => msg('golive.activated', { count: stores }),
  alreadyActive: (at: string): Msg => msg('golive.alreadyActive', { at }),
  sandboxActivated: (): Msg => msg('golive.sandboxActivated'),
  beforeGoLiveById: (infigoOrderId: number, cutoverId: number, cutoverDate: string | null): Msg =>
    cutoverDate
      ? msg('golive.beforeById', { order: infigoOrderId, cutover: cutoverId, day: day(cutoverDate) })
      : msg('golive.beforeByIdNoDate', { order: infigoOrderId, cutover: cutoverId }),
  beforeGoLiveByDate: (infigoOrderId: number, placed: string, cutoverDate: string): Msg =>
    msg('golive.beforeByDate', { order: infigoOrderId, placed: day(placed), cutover: day(cutoverDate) }),
  dateUnreadable: (infigoOrderId: number, raw: string | null): Msg =>
    raw === null ? msg('golive.dateMissing', { order: infigoOrderId }) : msg('golive.dateUnreadable', { order: infigoOrderId, raw: raw.slice(0, 40) }),
  dateUnreadableFix: (): Msg => msg('golive.dateUnreadableFix'),
  skippedOrderStatus: (status: string): Msg => msg('golive.skippedOrderStatus', { status }),
  skippedShippingStatus: (status: string): Msg => msg('golive.skippedShippingStatus', { status }),
  sentByPerson: (): Msg => msg('golive.sentByPerson'),
  sendRefusedState: (infigoOrderId: number, state: string): Msg => msg('golive.sendRefusedState', { order: infigoOrderId, state: stateMsg(state) }),
  previewCancelled: (infigoOrderId: number): Msg => msg('golive.previewCancelled', { order: infigoOrderId }),
  previewAlreadyDone: (infigoOrderId: number, status: string): Msg => msg('golive.previewAlreadyDone', { order: infigoOrderId, status }),
  previewOld: (infigoOrderId: number, placed: string): Msg => msg('golive.previewOld', { order: infigoOrderId, placed: day(placed) }),
  previewUnreadable: (infigoOrderId: number, reason: MsgParam): Msg => msg('golive.previewUnreadable', { order: infigoOrderId, reason }),
  notFound: (id: number): Msg => msg('orders.notFound', { id }),
} as const;

const STATES = ['discovered', 'classified', 'files', 'submitting', 'submitted', 'in_production', 'shipped', 'delivered', 'needs_attention', 'skipped', 'failed', 'canceled', 'before_go_live'] as const;

/** An order state as words (`state.*`), or as it came when it is not one Presslink names. */
function stateMsg(state: string): MsgParam {
  return (STATES as readonly string[]).includes(state) ? msg(`state.${state as (typeof STATES)[number]}`) : state.replace(/_/g, ' ');
}
