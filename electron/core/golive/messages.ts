// Every sentence the go-live part of the engine shows a person, built in one place so each
// can become one key of the message catalogue. Each function returns whole sentences.

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

export const GOLIVE_MSG = {
  notActivated: () =>
    'Presslink is not activated yet, so no order is imported or submitted. Finish the setup and press Activate (or run `presslink activate`).',
  notConfigured: () => 'Presslink is not set up yet: add a store and the GelatoConnect connection first, then activate.',
  cliNotActivated: () =>
    'Presslink is not activated yet, so this sync was not run and nothing was imported or submitted. Activate it first: press Activate in the setup wizard, or run `presslink activate`.',
  storeUnreadable: (store: string, reason: string) =>
    `Presslink could not read the order list of store "${store}" to take its cut-over: ${reason} Nothing was activated; fix the connection and activate again.`,
  activated: (stores: number) =>
    `Presslink is active. Orders placed from now on are imported and submitted; the ${stores === 1 ? 'store\u2019s' : `${stores} stores\u2019`} older orders are recorded as "before go-live" and are never submitted unless you send them.`,
  alreadyActive: (at: string) => `Presslink has been active since ${at}; nothing was changed.`,
  sandboxActivated: () =>
    'The sandbox is active at once: its simulated orders count as new, so they flow through straight away. A real store is activated only with the Activate step, which records its older orders as "before go-live".',
  beforeGoLiveById: (infigoOrderId: number, cutoverId: number, cutoverDate: string | null) =>
    `Placed before go-live: order ${infigoOrderId} is not newer than order ${cutoverId}, the newest order when Presslink was activated${cutoverDate ? ` (${day(cutoverDate)})` : ''}. It is not submitted; send it from the order log if it should be produced.`,
  beforeGoLiveByDate: (infigoOrderId: number, placed: string, cutoverDate: string) =>
    `Placed before go-live: order ${infigoOrderId} was placed on ${day(placed)}, before the newest order at activation (${day(cutoverDate)}). It is not submitted; send it from the order log if it should be produced.`,
  dateUnreadable: (infigoOrderId: number, raw: string | null) =>
    `Presslink could not read when order ${infigoOrderId} was placed (CreatedOnUtc ${raw === null ? 'is missing' : `is "${raw.slice(0, 40)}"`}), so it cannot tell whether the order is older than go-live. It is held and not submitted.`,
  dateUnreadableFix: () => 'Check the order in Infigo. To produce it, send it with "Send older orders"; otherwise skip it.',
  skippedOrderStatus: (status: string) => `Not produced: the order's status in Infigo is ${status}.`,
  skippedShippingStatus: (status: string) => `Not produced: the order is already ${status} in Infigo (shipping status).`,
  sentByPerson: () => 'Sent by a person from the older orders: it is read from Infigo again and submitted like a new order.',
  sendRefusedState: (infigoOrderId: number, state: string) =>
    `Order ${infigoOrderId} is ${state.replace(/_/g, ' ')}; only orders recorded as before go-live (or held because their date could not be read) can be sent this way.`,
  previewCancelled: (infigoOrderId: number) => `Order ${infigoOrderId} is cancelled in Infigo, so it will not be produced even if sent.`,
  previewAlreadyDone: (infigoOrderId: number, status: string) =>
    `Order ${infigoOrderId} is already ${status} in Infigo: sending it produces it again.`,
  previewOld: (infigoOrderId: number, placed: string) => `Order ${infigoOrderId} was placed on ${day(placed)}.`,
  previewUnreadable: (infigoOrderId: number, reason: string) => `Order ${infigoOrderId} could not be read from Infigo (${reason}); it would be read again when sent.`,
  notFound: (id: number) => `There is no order ${id}.`,
} as const;
