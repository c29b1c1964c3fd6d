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
    notFound: "Non esiste l'ordine {{id}}.",
    retryRequested: "Nuovo tentativo richiesto: l'ordine viene riletto da Infigo.",
    retryAfterFailure: "Nuovo tentativo richiesto dopo che GelatoConnect ha rifiutato l'ordine: verrà inviato di nuovo come {{reference}}.",
    skippedByPerson: 'Saltato da una persona ({{reason}}); non verrà prodotto.',
    skippedByPersonInGelato: 'Saltato da una persona ({{reason}}); Presslink smette di seguirlo. È ancora in GelatoConnect come {{reference}}.',
    skipReason: 'Saltato: {{reason}}',
    noReasonGiven: 'nessun motivo indicato',
    redownloadRefused: "L'ordine {{order}} è {{state}}; i suoi file si possono riscaricare solo prima dell'invio o dopo un errore.",
    redownloaded: 'File di stampa rimossi; verranno scaricati di nuovo alla prossima sincronizzazione.',
    cancelRefused: "L'ordine {{order}} è {{state}}; GelatoConnect accetta un annullamento solo finché l'ordine non è stato spedito.",
    canceledByPerson: 'Annullato in GelatoConnect da una persona ({{detail}}).',
    canceled: "L'ordine è stato annullato in GelatoConnect.",
    cancelFailed: 'Annullamento in GelatoConnect non riuscito: {{reason}}',
  },
};
