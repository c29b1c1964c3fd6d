// The engine's messages in English: the source every other language follows
// (see index.ts). Placeholders are i18next's {{name}}; plural forms are sibling
// keys ending _one / _other, chosen by the {{count}} parameter. A parameter may
// itself be a message (a reason inside a sentence), rendered in the same language.

export const en = {
  common: {
    store: 'store {{store}}',
  },
  state: {
    discovered: 'discovered',
    classified: 'classified',
    files: 'getting files',
    submitting: 'submitting',
    submitted: 'submitted',
    in_production: 'in production',
    shipped: 'shipped',
    delivered: 'delivered',
    needs_attention: 'needs attention',
    skipped: 'skipped',
    failed: 'failed',
    canceled: 'canceled',
  },
  health: {
    cause: {
      unconfigured: 'Setup is not finished: no orders are imported yet.',
      paused: 'Syncing is paused: no orders are imported and no status reaches Infigo until it is resumed.',
      lastSyncFailed_one: 'The last sync had a problem: {{reason}}',
      lastSyncFailed_other: 'The last sync had {{count}} problems, the first: {{reason}}',
      sandboxStopped: 'The sandbox stopped when Presslink last stopped: its simulated store and GelatoConnect are gone, so nothing can sync until it is started again.',
      noReason: 'no reason was recorded',
      overdue: 'The sync due at {{at, datetime(dateStyle: short; timeStyle: short)}} has not run: is Presslink (the desktop app or `presslink serve`) still running?',
      attention_one: '1 order needs attention.',
      attention_other: '{{count}} orders need attention.',
    },
    fix: {
      setup: 'Finish setup',
      restartSandbox: 'Start the sandbox again',
      resume: 'Resume syncing',
      troubleshooting: 'Open Troubleshooting',
      attention: 'Open Needs attention',
    },
  },
  orders: {
    refused: 'Order {{order}}: “{{action}}” is not possible because {{why}}',
    action: {
      retry: "Retry",
      skip: "Skip",
      redownload: "Download files again",
      cancel: "Cancel in GelatoConnect",
    },
    why: {
      in_progress: "Presslink is still working on this order; the next sync takes it further.",
      submitting: "the order is being sent to GelatoConnect right now.",
      in_gelato: "GelatoConnect has the order and is producing it.",
      shipped: "the order has already shipped.",
      delivered: "the order has been delivered.",
      canceled: "the order was canceled.",
      already_skipped: "the order is skipped already.",
      not_in_gelato: "the order never reached GelatoConnect, so there is nothing to cancel there.",
      failed_in_gelato: "GelatoConnect failed the order, so nothing is being produced.",
      on_hold: "the order is held by Presslink; retry or skip it first.",
      no_files_yet: "its print files have not been downloaded yet.",
    },
    notFound: 'There is no order {{id}}.',
    retryRequested: 'Retry requested: reading the order from Infigo again.',
    retryAfterFailure: 'Retry requested after GelatoConnect failed the order: it will be submitted again as {{reference}}.',
    skippedByPerson: 'Skipped by a person ({{reason}}); it will not be produced.',
    skippedByPersonInGelato: 'Skipped by a person ({{reason}}); Presslink stops following it. It is still in GelatoConnect as {{reference}}.',
    skipReason: 'Skipped: {{reason}}',
    noReasonGiven: 'no reason given',
    redownloaded: 'Print files removed; they will be downloaded again on the next sync.',
    canceledByPerson: 'Canceled in GelatoConnect by a person ({{detail}}).',
    canceled: 'The order was canceled in GelatoConnect.',
    cancelFailed: 'Cancel in GelatoConnect failed: {{reason}}',
  },
} as const;
