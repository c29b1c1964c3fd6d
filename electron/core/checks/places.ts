import { msg, type Msg } from '../../../shared/messages/index';
import type { en } from '../../../shared/messages/en';

// The places a check's fix sends a person to, named once (shared/messages: `where.*`) so
// every message names them the same way, in the person's language, and only places
// that exist: a page of the app, a step of the setup wizard, or — for the few settings
// no screen edits yet — the configuration file with the setting's name.

export const where = {
  setup: msg('where.setup'),
  setupInfigo: msg('where.setupInfigo'),
  setupGelato: msg('where.setupGelato'),
  setupOrderTypes: msg('where.setupOrderTypes'),
  setupShipping: msg('where.setupShipping'),
  setupStatusUpdates: msg('where.setupStatusUpdates'),
  settingsStores: msg('where.settingsStores'),
  mappings: msg('where.mappings'),
  attention: msg('where.attention'),
  troubleshooting: msg('where.troubleshooting'),
  /** A setting no screen edits yet: where it is in the configuration file, and how to change it. */
  configFile: (setting: string): Msg => msg('where.configFile', { setting }),
};

/** A troubleshooting check by its title, for a fix that says "run Troubleshooting (…)". */
export const doctorTitle = (id: keyof typeof en.doctor.title): Msg => msg(`doctor.title.${id}`);
