import i18next from 'i18next';
import { asDate, isMsg, MESSAGES_NS, type Msg, type MsgParam } from '../../../shared/messages/index';

// What the engine says, in the UI's language. The engine sends each text twice:
// in English, and as a message (a catalogue key with parameters, shared/messages).
// A message is rendered from the catalogue; text without one (rows written by an
// older Presslink, or a service's own words) is shown as it came.

export function engineText(text: string | null | undefined, m?: Msg | null): string {
  if (m && i18next.exists(m.key, { ns: MESSAGES_NS })) return renderMsg(m);
  return text ?? '';
}

export function renderMsg(m: Msg): string {
  const params: Record<string, string | number | Date> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) params[k] = renderParam(v);
  return i18next.t(m.key, { ...params, ns: MESSAGES_NS });
}

function renderParam(v: MsgParam): string | number | Date {
  if (isMsg(v)) return renderMsg(v);
  return asDate(v) ?? v ?? '';
}

/** A timeline event's heading: the catalogue's words for its kind, else the kind made readable. */
export function eventHeading(kind: string): string {
  const key = `timeline.${kind}`;
  if (i18next.exists(key, { ns: MESSAGES_NS })) return i18next.t(key, { ns: MESSAGES_NS });
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
