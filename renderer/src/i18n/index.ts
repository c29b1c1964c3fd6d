import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import it from './it.json';
import { MESSAGES_NS } from '../../../shared/messages/index';
import { en as engineEn } from '../../../shared/messages/en';
import { it as engineIt } from '../../../shared/messages/it';

export const LANGUAGES = ['en', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'presslink.language';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'it') return saved;
  } catch {
    // Storage may be unavailable; fall back to the browser's language.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('it') ? 'it' : 'en';
}

void i18next.use(initReactI18next).init({
  // The engine's messages (shared/messages) under their own namespace, beside the UI's own words.
  resources: { en: { translation: en, [MESSAGES_NS]: engineEn }, it: { translation: it, [MESSAGES_NS]: engineIt } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

i18next.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});
if (typeof document !== 'undefined') document.documentElement.lang = i18next.language;

export function hasLanguageChoice(): boolean {
  try {
    return localStorage.getItem(LANG_KEY) !== null;
  } catch {
    return false;
  }
}

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(LANG_KEY, lng);
  } catch {
    // Not persisted; the choice still applies to this session.
  }
  void i18next.changeLanguage(lng);
}

export default i18next;
