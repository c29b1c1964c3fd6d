import type { Catalogue } from './index';
import type { en } from './en';

// I messaggi del motore in italiano. Il tipo impone una traduzione per ogni
// chiave inglese (index.ts); test/unit/messages.test.ts controlla i segnaposto.

export const it: Catalogue<typeof en> = {
  common: {
    store: 'negozio {{store}}',
  },
  state: {
    discovered: 'trovato',
    classified: 'classificato',
    files: 'recupero file',
    submitting: 'in invio',
    submitted: 'inviato',
    in_production: 'in produzione',
    shipped: 'spedito',
    delivered: 'consegnato',
    needs_attention: 'da controllare',
    skipped: 'saltato',
    failed: 'non riuscito',
    canceled: 'annullato',
  },
  health: {
    cause: {
      unconfigured: 'La configurazione non è finita: nessun ordine viene ancora importato.',
      paused: 'La sincronizzazione è in pausa: nessun ordine viene importato e nessuno stato arriva a Infigo finché non riprende.',
      lastSyncFailed_one: "L'ultima sincronizzazione ha avuto un problema: {{reason}}",
      lastSyncFailed_other: "L'ultima sincronizzazione ha avuto {{count}} problemi, il primo: {{reason}}",
      sandboxStopped: 'La sandbox si è fermata quando Presslink si è fermato: il negozio e GelatoConnect simulati non ci sono più, quindi nulla può sincronizzarsi finché non la riavvii.',
      noReason: 'nessun motivo registrato',
      overdue: 'La sincronizzazione prevista per il {{at, datetime(dateStyle: short; timeStyle: short)}} non è partita: Presslink (l\'app desktop o `presslink serve`) è ancora in esecuzione?',
      attention_one: '1 ordine da controllare.',
      attention_other: '{{count}} ordini da controllare.',
    },
    fix: {
      setup: 'Completa la configurazione',
      restartSandbox: 'Riavvia la sandbox',
      resume: 'Riprendi la sincronizzazione',
      troubleshooting: 'Apri Risoluzione problemi',
      attention: 'Apri Da controllare',
    },
  },
  orders: {
    refused: 'Ordine {{order}}: «{{action}}» non è possibile perché {{why}}',
    action: {
      retry: "Riprova",
      skip: "Salta",
      redownload: "Scarica di nuovo i file",
      cancel: "Annulla in GelatoConnect",
    },
    why: {
      in_progress: "Presslink sta ancora lavorando a questo ordine; la prossima sincronizzazione lo porta avanti.",
      submitting: "l'ordine viene inviato a GelatoConnect proprio ora.",
      in_gelato: "GelatoConnect ha l'ordine e lo sta producendo.",
      shipped: "l'ordine è già stato spedito.",
      delivered: "l'ordine è stato consegnato.",
      canceled: "l'ordine è stato annullato.",
      already_skipped: "l'ordine è già saltato.",
      not_in_gelato: "l'ordine non è mai arrivato a GelatoConnect, quindi lì non c'è nulla da annullare.",
      failed_in_gelato: "GelatoConnect ha segnato l'ordine come fallito, quindi non si sta producendo nulla.",
      on_hold: "l'ordine è trattenuto da Presslink; prima riprovalo o saltalo.",
      no_files_yet: "i suoi file di stampa non sono ancora stati scaricati.",
    },
    notFound: "Non esiste l'ordine {{id}}.",
    retryRequested: "Nuovo tentativo richiesto: l'ordine viene riletto da Infigo.",
    retryAfterFailure: "Nuovo tentativo richiesto dopo che GelatoConnect ha rifiutato l'ordine: verrà inviato di nuovo come {{reference}}.",
    skippedByPerson: 'Saltato da una persona ({{reason}}); non verrà prodotto.',
    skippedByPersonInGelato: 'Saltato da una persona ({{reason}}); Presslink smette di seguirlo. È ancora in GelatoConnect come {{reference}}.',
    skipReason: 'Saltato: {{reason}}',
    noReasonGiven: 'nessun motivo indicato',
    redownloaded: 'File di stampa rimossi; verranno scaricati di nuovo alla prossima sincronizzazione.',
    canceledByPerson: 'Annullato in GelatoConnect da una persona ({{detail}}).',
    canceled: "L'ordine è stato annullato in GelatoConnect.",
    cancelFailed: 'Annullamento in GelatoConnect non riuscito: {{reason}}',
  },
};
